package xv6j.machine;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Harts kept abreast in the host's time: no busy hart gets more than {@link #WINDOW} of
 * host CPU time ahead of the slowest busy one, as no real hart does.
 *
 * <p>A host with fewer free cores than busy harts stops one of them for milliseconds at a
 * time while the others run on, and whatever that hart holds stalls with it: when it had
 * just been handed init, a process forking orphans on another hart made sixty of them
 * before init reaped one, and fork failed (issue 11); a LibOS server on it falls behind
 * its clients alike. A hart's progress here is the host CPU time of the threads that ran
 * user code on it, in user mode and in the kernel, so a stopped hart gets none; plus
 * {@link #TRAP} for each system call or fault, so that a program making cheap system
 * calls (forks, say) gets a bounded number of them ahead of the laggard, not as many as
 * fit in the window. A hart about to run user code that is more than the window ahead
 * waits for the laggard, and so gives the host's cores to it. It waits holding no lock,
 * so the slowest hart never waits and the harts cannot deadlock.
 *
 * <p>A virtual thread has no CPU time the JVM will read (xv6's processes run on them):
 * its clock reads -1, and with that alone a hart running a loop counted nothing and was
 * never held back. The host CPU time that ran it is its carrier's, and Java 21 names no
 * virtual thread's carrier (nor reads a host thread's clock but through its preview
 * foreign-function API). So such a thread's run of user code counts the host time it
 * took, as its carrier's clock would unless the host stopped the carrier meanwhile, and
 * no more than {@link #DEAREST} for each instruction it retired: a run the host stopped
 * in the middle counts what its instructions could have cost, not the stop (init's runs
 * between system calls are a few hundred instructions: microseconds). Its kernel work
 * counts as {@link #TRAP} alone.
 *
 * <p>Progress was once instructions retired (and a charge per trap). But an instruction
 * costs the host very different times: interpreted or compiled, or on a page a program
 * keeps rewriting, which is planned and compiled again and again. Two harts rewriting
 * their code then held a translated loop on a third to their few instructions a second,
 * ten times slower than beside two plain loops (user/jitbait storm, docs/exo.md). Real
 * harts keep abreast in time, and so do these now.
 *
 * <p>A hart with nothing to run is not busy and holds nobody back; when it gets work it
 * starts level with the slowest busy hart. What "busy" means is the kernel's: for xv6 a
 * CPU with a process, for kernel-exo a CPU holding an environment's thread. Both kernels
 * use this class (xv6's {@code Abreast}, kernel-exo's {@code Scheduler}): the kernel
 * calls {@link #busy} and {@link #idle} as a hart's work comes and goes (busy as soon as
 * it wakes an idle CPU to look for work, before that CPU's thread runs), and each hart's
 * thread calls {@link #budget} and {@link #afterUser} around each run of user code, and
 * {@link #keepAbreast} before one, holding no lock.
 */
public final class HartsAbreast {
    /**
     * How far a hart may get ahead, in nanoseconds of host CPU time: half a millisecond. A
     * process forking orphans on one hart then gets a few dozen ahead of init on a
     * stalled one at most, and harts on a host with cores to spare seldom wait.
     */
    public static final long WINDOW = 500_000;
    /** What a trap counts for besides its CPU time: a twentieth of the window. */
    public static final long TRAP = WINDOW / 20;
    /** The most instructions a hart runs at once, so it looks up often enough. */
    public static final long QUANTUM = 50_000;
    /**
     * The most host time, in nanoseconds, an instruction counts for on a thread without a
     * CPU clock: twelve times what the interpreter takes (about 4 ns; decoding code on its
     * first run and compiling it cost more, while a program warms up). A run of a whole
     * {@link #QUANTUM} the host stopped counts 2.5 ms at most.
     */
    public static final long DEAREST = 50;

    /** Each hart's progress: host CPU time and traps, in nanoseconds. */
    private final AtomicLongArray progress;
    /** 1 for a busy hart (one with work), 0 for an idle one. */
    private final AtomicIntegerArray busy;
    private final BooleanSupplier halting;
    /** The calling thread's host CPU time in nanoseconds, or -1 if it has none (the JVM's, but for tests). */
    private final LongSupplier threadCpuTime;
    /** The host's time in nanoseconds (System.nanoTime, but for tests). */
    private final LongSupplier hostTime;
    /** Per thread: where its clocks stood. */
    private final ThreadLocal<Clocks> clocks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    /** Harts waiting in {@link #keepAbreast}: others signal only when someone waits. */
    private volatile int waiting;

    /**
     * A thread's clocks: whether the JVM reads it CPU time, that time when it last charged
     * a hart, and when its run of user code began (for a thread without).
     */
    private static final class Clocks {
        final boolean cpuClock;
        long cpuAt;
        long runStart;

        Clocks(long cpuNow) {
            this.cpuClock = cpuNow >= 0;
            this.cpuAt = cpuNow;
        }
    }

    /** Paces harts harts; none waits once halting says the machine halts. */
    public HartsAbreast(int harts, BooleanSupplier halting) {
        this(harts, halting, ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime, System::nanoTime);
    }

    public HartsAbreast(int harts, BooleanSupplier halting, LongSupplier threadCpuTime, LongSupplier hostTime) {
        this.progress = new AtomicLongArray(harts);
        this.busy = new AtomicIntegerArray(harts);
        this.halting = halting;
        this.threadCpuTime = threadCpuTime;
        this.hostTime = hostTime;
        this.clocks = ThreadLocal.withInitial(() -> new Clocks(threadCpuTime.getAsLong()));
    }

    /** The progress of the slowest busy hart other than hart, or Long.MAX_VALUE if none is busy. */
    private long slowest(int hart) {
        long min = Long.MAX_VALUE;
        for (int o = 0; o < progress.length(); o++) {
            if (o != hart && busy.get(o) != 0) min = Math.min(min, progress.get(o));
        }
        return min;
    }

    /** hart, idle until now, has work: it starts level with the slowest busy hart. (Busy already: nothing.) */
    public void busy(int hart) {
        if (busy.get(hart) != 0) return;
        long min = slowest(hart);
        if (min != Long.MAX_VALUE && min > progress.get(hart)) progress.set(hart, min);
        busy.set(hart, 1);
    }

    /** hart has no work now (or waits for a device): it holds nobody back. */
    public void idle(int hart) {
        busy.set(hart, 0);
        if (waiting > 0) signal();
    }

    /**
     * How many instructions a hart may run now, given the clock's budget. Asked by the
     * hart's thread just before the run, whose time starts here (for a thread without a
     * CPU clock).
     */
    public long budget(long clockBudget) {
        Clocks c = clocks.get();
        if (!c.cpuClock) c.runStart = hostTime.getAsLong();
        return Math.min(clockBudget, QUANTUM);
    }

    /**
     * hart's run of user code retired instructions and ended in trap t (an interrupt, the
     * slice's end among them, is no trap of its own; null counts as one). Adds to its
     * progress, for a thread with a CPU clock, the CPU time it spent since it last charged
     * any hart: its time in user mode, and its kernel work since its run before (for xv6,
     * whose processes each have a thread, that may have been on another CPU, if it slept
     * there: little); one read of the thread's clock per run, about 0.2 µs. For a thread
     * without one, the run's host time, at most {@link #DEAREST} an instruction.
     */
    public void afterUser(int hart, long instructions, Trap t) {
        Clocks c = clocks.get();
        long charge;
        if (c.cpuClock) {
            long now = threadCpuTime.getAsLong();
            charge = now - c.cpuAt;
            c.cpuAt = now;
        } else {
            charge = Math.max(0, Math.min(hostTime.getAsLong() - c.runStart, instructions * DEAREST));
        }
        if (t == null || !t.cause().isInterrupt()) charge += TRAP; // (the slice's end is none)
        progress.addAndGet(hart, charge);
        if (waiting > 0) signal();
    }

    /** True if hart is more than the window ahead of the slowest busy hart: it should {@link #keepAbreast}. */
    public boolean ahead(int hart) {
        clocks.get(); // (a thread's clock starts when it first runs user code)
        return progress.get(hart) - slowest(hart) > WINDOW;
    }

    /**
     * Waits while hart is more than the window ahead of the slowest busy hart. Called
     * holding no lock. The wait is bounded, so a signal lost to a race costs a
     * millisecond, never the machine; a halting machine waits for nobody.
     */
    public void keepAbreast(int hart) {
        if (!ahead(hart)) return;
        lock.lock();
        waiting++;
        try {
            while (ahead(hart) && !halting.getAsBoolean()) {
                moved.await(1, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
