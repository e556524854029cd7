package xv6j.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Trap;

/**
 * Several harts in the host's time: no busy CPU gets more than {@link #WINDOW} ahead of
 * the slowest busy one, as no real hart does.
 *
 * <p>A host with fewer free cores than busy harts stops one of them for milliseconds at a
 * time while the others run on, and whatever that hart holds stalls with it: when it had
 * just been handed init, a process forking orphans on another hart made sixty of them
 * before init reaped one, and fork failed (issue 11). A CPU's progress here is what it
 * did: the instructions its hart retired, plus {@link #TRAP} for each trap, because the
 * kernel's own work is Java and retires no instruction. A CPU about to return to user
 * mode that is more than the window ahead waits for the laggard, and so gives the host's
 * cores to it. It waits holding no lock (a process returning to user mode holds none), so
 * the slowest CPU never waits and the harts cannot deadlock.
 *
 * <p>A CPU without a process (in its scheduler) is not busy and holds nobody back; when
 * it gets a process it starts level with the slowest busy CPU.
 */
final class Abreast implements Pacer {
    /**
     * How far a CPU may get ahead, in instructions: twenty traps, or half a millisecond of
     * a busy hart. A process forking orphans on one hart then gets a few dozen ahead of
     * init on a stalled one at most, and harts on a host with cores to spare seldom wait.
     */
    static final long WINDOW = 100_000;
    /** What a trap counts for, in instructions: about what a fork costs the kernel. */
    static final long TRAP = 5_000;
    /** The most a hart runs at once, so it looks up often enough. */
    static final long QUANTUM = WINDOW / 2;

    private final Kernel k;
    private final Cpu[] cpus;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    /** CPUs waiting in {@link #beforeUser}: others signal only when someone waits. */
    private volatile int waiting;

    Abreast(Kernel k, Cpu[] cpus) {
        this.k = k;
        this.cpus = cpus;
    }

    /** The progress of the slowest busy CPU other than c, or Long.MAX_VALUE if none is busy. */
    private long slowest(Cpu c) {
        long min = Long.MAX_VALUE;
        for (Cpu o : cpus) {
            if (o != c && o.proc != null) min = Math.min(min, o.progress);
        }
        return min;
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
        c.progress += n + TRAP;
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
