package xv6j.kernel;

import xv6j.machine.HartsAbreast;
import xv6j.machine.Trap;

/**
 * Several harts in the host's time: no busy CPU gets far ahead of the slowest busy one
 * ({@link HartsAbreast}, which kernel-exo's harts share). A CPU is busy while it has a
 * process; a process charges its CPU at every trap, from its own thread (a virtual
 * thread, so with the host time of its run of user code: HartsAbreast says why), and waits
 * before it returns to user mode, when its CPU is ahead, holding no lock (a process
 * returning to user mode holds none).
 */
final class Abreast implements Pacer {
    private final HartsAbreast harts;

    Abreast(Kernel k, Cpu[] cpus) {
        this.harts = new HartsAbreast(cpus.length, k::halting);
    }

    @Override
    public void busy(Cpu c) {
        harts.busy(c.id);
    }

    @Override
    public long budget(Cpu c, long clockBudget) {
        return harts.budget(clockBudget);
    }

    @Override
    public void afterUser(Cpu c, long n, Trap t) {
        harts.afterUser(c.id, n, t);
    }

    @Override
    public void idle(Cpu c) {
        harts.idle(c.id);
    }

    @Override
    public void beforeUser(Cpu c) {
        harts.keepAbreast(c.id);
    }
}
