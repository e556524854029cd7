package xv6j.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the harts abreast in wall-clock time, as real harts are: no busy CPU gets more
 * than {@link #WINDOW} ahead of the slowest busy one.
 *
 * <p>Real harts all run at the clock's speed. This machine's harts are host threads, and
 * a host with fewer free cores than busy harts stops one of them for milliseconds at a
 * time while the others run on. Whatever that hart holds stalls with it: when it had
 * just been handed init, a process forking orphans on another hart made sixty of them
 * before init reaped one, and fork failed (issue 11). A hart's progress here is what it
 * did: the instructions its hart retired, plus {@link #TRAP} for each trap, because the
 * kernel's own work is Java and retires no instruction. A CPU about to return to user
 * mode that is more than the window ahead waits for the laggard, and so gives the host's
 * cores to it. It waits holding no lock (a process returning to user mode holds none), so
 * the slowest CPU never waits and the harts cannot deadlock.
 *
 * <p>A CPU without a process (in its scheduler) is not busy and holds nobody back; when
 * it gets a process it starts level with the slowest busy CPU. With one hart, or in
 * deterministic mode (where the harts take turns instead), there is nothing to pace.
 */
final class Pacer {
    /**
     * How far a CPU may get ahead, in instructions: twenty traps, or half a millisecond of
     * a busy hart. A process forking orphans on one hart then gets a few dozen ahead of
     * init on a stalled one at most, and harts on a host with cores to spare seldom wait.
     */
    static final long WINDOW = 100_000;
    /** What a trap counts for, in instructions: about what a fork costs the kernel. */
    static final long TRAP = 5_000;
    /** The most a hart runs at once when others are busy too, so it looks up often enough. */
    static final long QUANTUM = WINDOW / 2;

    private final Kernel k;
    private final Cpu[] cpus;
    private final boolean on;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    /** CPUs waiting in {@link #keepUp}: others signal only when someone waits. */
    private volatile int waiting;

    Pacer(Kernel k, Cpu[] cpus, boolean on) {
        this.k = k;
        this.cpus = cpus;
        this.on = on && cpus.length > 1;
    }

    /** The progress of the slowest busy CPU other than c, or Long.MAX_VALUE if none is busy. */
    private long slowest(Cpu c) {
        long min = Long.MAX_VALUE;
        for (Cpu o : cpus) {
            if (o != c && o.proc != null) min = Math.min(min, o.progress);
        }
        return min;
    }

    /** c, idle until now, got a process: it starts level with the slowest busy CPU. */
    void busy(Cpu c) {
        if (!on) return;
        long min = slowest(c);
        if (min != Long.MAX_VALUE && min > c.progress) c.progress = min;
    }

    /** The instructions c's hart may run before it comes back, given the clock's budget. */
    long budget(long clockBudget) {
        return on ? Math.min(clockBudget, QUANTUM) : clockBudget;
    }

    /** c ran n instructions and took a trap. */
    void advance(Cpu c, long n) {
        if (!on) return;
        c.progress += n + TRAP;
        if (waiting > 0) signal();
    }

    /** c has no process: it holds nobody back now. */
    void idle(Cpu c) {
        if (on && waiting > 0) signal();
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
     * Called by c's process before it returns to user mode: waits while c is more than
     * the window ahead of the slowest busy CPU. The wait is bounded, so a signal lost to
     * a race costs a millisecond, never the machine; a halting machine waits for nobody.
     */
    void keepUp(Cpu c) {
        if (!on || c.progress - slowest(c) <= WINDOW) return;
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
