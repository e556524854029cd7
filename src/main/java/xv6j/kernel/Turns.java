package xv6j.kernel;

import xv6j.machine.HartTurns;
import xv6j.machine.Trap;

/**
 * Several harts in deterministic time: the CPUs take turns ({@link HartTurns}), so runs
 * repeat exactly. The CPU whose turn it is runs anything at all, user code or kernel code;
 * it gives the turn up when its hart has used its quantum (before its process returns to
 * user mode) or when its scheduler finds nothing to run, holding no lock either way, so
 * the kernel's locks are never contended. Within a turn the CPU hands itself from process
 * to process as always ({@link ProcTable}); a process made runnable waits for a CPU whose
 * turn it is to pick it. The next turn goes to a CPU with a process of its own, or to
 * any CPU when some process waits to be picked.
 *
 * <p>The virtual clock counts the instructions of all harts, as QEMU's instruction
 * counting does when it runs its harts in turn: three busy harts make time pass three
 * times as fast as one. What this costs is parallel speed: the harts share one host core,
 * and each passing of the turn wakes a thread.
 */
final class Turns implements Pacer {
    private final Kernel k;
    private final Cpu[] cpus;
    private final HartTurns turns;

    Turns(Kernel k, Cpu[] cpus) {
        this.k = k;
        this.cpus = cpus;
        this.turns = new HartTurns(cpus.length);
    }

    /** Every scheduler waits for its CPU's first turn before it looks at the process table. */
    @Override
    public void start(Cpu c) {
        turns.await(c.id);
    }

    /**
     * The turn passes when c's quantum is spent, or sooner when a process waits for a CPU
     * while another CPU has none: that CPU then picks it up, as an idle hart would at once.
     */
    @Override
    public void beforeUser(Cpu c) {
        if (turns.spent(c.id) || (anyIdle() && k.procs.anyRunnable())) pass(c);
    }

    /** Whether some CPU has no process (c has one: it is about to run it). */
    private boolean anyIdle() {
        for (Cpu d : cpus) if (d.proc == null) return true;
        return false;
    }

    @Override
    public long budget(Cpu c, long clockBudget) {
        return turns.budget(c.id, clockBudget);
    }

    @Override
    public void afterUser(Cpu c, long n, Trap t) {
        turns.retired(c.id, n, t);
    }

    /**
     * Ends c's turn, handing it to the next CPU with something to do, and waits for c's
     * next turn (c keeps it when no other CPU has anything to do). Called holding no lock.
     */
    void pass(Cpu c) {
        boolean runnable = k.procs.anyRunnable();
        turns.pass(c.id, d -> runnable || cpus[d].proc != null);
    }

    @Override
    public void stop() {
        turns.stop();
    }
}
