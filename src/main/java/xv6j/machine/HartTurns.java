package xv6j.machine;

import java.util.concurrent.Semaphore;
import java.util.function.IntPredicate;

/**
 * Harts taking turns, for deterministic runs on several harts: one hart at a time runs
 * anything at all, user code or its kernel's code, until it has retired {@link #QUANTUM}
 * instructions or has nothing left to do; then the turn goes to the next hart, in the
 * order of their numbers, that has something to do. Which hart runs, and for how many
 * instructions, then depends on the machine's state only, never on the host, so a run
 * repeats exactly on any number of harts. The kernel says what "something to do" means and
 * where a turn may pass: only where the hart's thread holds no lock another hart's code
 * could need, so the hart whose turn it is never waits for one.
 *
 * <p>Both kernels use it (xv6's {@code Turns}, kernel-exo's {@code Scheduler}). Each hart's
 * thread calls {@link #await} before it first runs, {@link #budget} and {@link #retired}
 * around each run of user code, and {@link #pass} where it may give the turn up.
 */
public final class HartTurns {
    /**
     * User instructions in a turn: a hundredth of a virtual tick. Finer turns interleave the
     * harts more finely and pass the turn more often; each pass wakes another thread.
     */
    public static final long QUANTUM = 10_000;
    /**
     * What a trap into the kernel (a system call, a fault) counts for in a turn: the
     * kernel's work is Java and retires no instruction. Without it a process making system
     * calls back to back keeps the turn for thousands of them: on two harts, one forking
     * orphans made sixty before init, woken on the other, ran, and fork failed (orphans
     * 200 10 failed 2 rounds). A run that ends at the end of its budget counts nothing
     * more: there was no trap.
     */
    public static final long TRAP = 1_000;

    /** turn[i] is released when hart i may go on. */
    private final Semaphore[] turn;
    /** Instructions left in each hart's turn, written only by the thread holding the turn. */
    private final long[] left;
    private volatile boolean stopped;

    public HartTurns(int harts) {
        turn = new Semaphore[harts];
        left = new long[harts];
        for (int i = 0; i < harts; i++) turn[i] = new Semaphore(0);
        turn[0].release(); // hart 0 goes first
    }

    /** Waits until it is hart's turn (at once once stopped); its quantum starts afresh. */
    public void await(int hart) {
        if (!stopped) turn[hart].acquireUninterruptibly();
        left[hart] = QUANTUM;
    }

    /** True once hart has used up its quantum. */
    public boolean spent(int hart) {
        return left[hart] <= 0;
    }

    /** How many instructions hart may run now, given the clock's budget. */
    public long budget(int hart, long clockBudget) {
        return Math.min(clockBudget, left[hart]);
    }

    /** Hart ran n instructions of its turn, then stopped for t. */
    public void retired(int hart, long n, Trap t) {
        left[hart] -= t.cause().isInterrupt() ? n : n + TRAP;
    }

    /**
     * Ends hart's turn: hands it to the next hart in order for which busy says there is
     * something to do, and waits for hart's next turn. With no such other hart, hart keeps
     * the turn and its quantum starts afresh. A kernel may end a turn before the quantum
     * is spent, when another hart should pick up work at once.
     */
    public void pass(int hart, IntPredicate busy) {
        int n = turn.length;
        for (int i = 1; i < n && !stopped; i++) {
            int next = (hart + i) % n;
            if (busy.test(next)) {
                turn[next].release();
                await(hart);
                return;
            }
        }
        left[hart] = QUANTUM;
    }

    /**
     * The machine halted: nobody waits for a turn any more, so every hart's thread sees the
     * halt and ends. (One thread of each hart may be waiting; a permit each lets it go.)
     */
    public void stop() {
        stopped = true;
        for (Semaphore s : turn) s.release();
    }
}
