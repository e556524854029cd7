package xv6j.kernel;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import xv6j.machine.Trap;

/**
 * Several harts in the host's time: no busy CPU gets more than {@link #WINDOW} of host CPU
 * time ahead of the slowest busy one, as no real hart does.
 *
 * <p>A host with fewer free cores than busy harts stops one of them for milliseconds at a
 * time while the others run on, and whatever that hart holds stalls with it: when it had
 * just been handed init, a process forking orphans on another hart made sixty of them
 * before init reaped one, and fork failed (issue 11). A CPU's progress here is the host
 * CPU time its processes' threads spent on it, in user mode and in the kernel, so a
 * stopped hart gets none; plus {@link #TRAP} for each system call or fault, so that a process making
 * cheap system calls (forks, say) gets a bounded number of them ahead of the laggard, not
 * as many as fit in the window. A CPU about to return to user mode that is more than the
 * window ahead waits for the laggard, and so gives the host's cores to it. It waits
 * holding no lock (a process returning to user mode holds none), so the slowest CPU never
 * waits and the harts cannot deadlock.
 *
 * <p>Progress was once instructions retired (and a charge per trap). But an instruction
 * costs the host very different times: interpreted or compiled, or on a page a program
 * keeps rewriting, which is planned and compiled again and again. Two harts rewriting
 * their code then held a translated loop on a third to their few instructions a second,
 * ten times slower than beside two plain loops (user/jitbait storm, docs/exo.md). Real
 * harts keep abreast in time, and so do these now.
 *
 * <p>A CPU without a process is not busy and holds nobody back; when it gets a process it
 * starts level with the slowest busy CPU.
 */
final class Abreast implements Pacer {
    /**
     * How far a CPU may get ahead, in nanoseconds of host CPU time: half a millisecond. A
     * process forking orphans on one hart then gets a few dozen ahead of init on a
     * stalled one at most, and harts on a host with cores to spare seldom wait.
     */
    static final long WINDOW = 500_000;
    /** What a trap counts for besides its CPU time: a twentieth of the window. */
    static final long TRAP = WINDOW / 20;
    /** The most instructions a hart runs at once, so it looks up often enough. */
    static final long QUANTUM = 50_000;

    private final Kernel k;
    private final Cpu[] cpus;
    /** The calling thread's host CPU time in nanoseconds (the JVM's, but for tests). */
    private final LongSupplier threadCpuTime;
    /** Per thread: its CPU time when it last charged a CPU. */
    private final ThreadLocal<long[]> chargedAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    /** CPUs waiting in {@link #beforeUser}: others signal only when someone waits. */
    private volatile int waiting;

    Abreast(Kernel k, Cpu[] cpus) {
        this(k, cpus, ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime);
    }

    Abreast(Kernel k, Cpu[] cpus, LongSupplier threadCpuTime) {
        this.k = k;
        this.cpus = cpus;
        this.threadCpuTime = threadCpuTime;
        this.chargedAt = ThreadLocal.withInitial(() -> new long[] {threadCpuTime.getAsLong()});
    }

    /** The progress of the slowest busy CPU other than c, or Long.MAX_VALUE if none is busy. */
    private long slowest(Cpu c) {
        long min = Long.MAX_VALUE;
        for (Cpu o : cpus) {
            if (o != c && o.proc != null) min = Math.min(min, o.progress);
        }
        return min;
    }

    /**
     * Adds to c's progress the CPU time the calling thread (a process's: each has its own)
     * spent since it last charged any CPU. A process charges at every trap, so that is its
     * time in user mode on c and its kernel work since the trap before (which may have
     * been on another CPU, if it slept there: little). One read of the thread's clock
     * per trap, about 0.2 µs.
     */
    private void charge(Cpu c) {
        long[] at = chargedAt.get();
        long now = threadCpuTime.getAsLong();
        c.progress += now - at[0];
        at[0] = now;
    }

    @Override
    public void busy(Cpu c) {
        long min = slowest(c);
        if (min != Long.MAX_VALUE && min > c.progress) c.progress = min;
    }

    @Override
    public long budget(Cpu c, long clockBudget) {
        return Math.min(clockBudget, QUANTUM);
    }

    @Override
    public void afterUser(Cpu c, long n, Trap t) {
        charge(c);
        if (t == null || !t.cause().isInterrupt()) c.progress += TRAP; // (the slice's end is none)
        if (waiting > 0) signal();
    }

    @Override
    public void idle(Cpu c) {
        if (waiting > 0) signal();
    }

    private void signal() {
        lock.lock();
        try {
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits while c is more than the window ahead of the slowest busy CPU. The wait is
     * bounded, so a signal lost to a race costs a millisecond, never the machine; a
     * halting machine waits for nobody.
     */
    @Override
    public void beforeUser(Cpu c) {
        chargedAt.get(); // (a process's thread starts its clock when it first goes to user mode)
        if (c.progress - slowest(c) <= WINDOW) return;
        lock.lock();
        waiting++;
        try {
            while (c.progress - slowest(c) > WINDOW && !k.halting()) {
                moved.await(1, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
            lock.unlock();
        }
    }
}
