package xv6j.kernel;

import xv6j.machine.Trap;

/**
 * How the CPUs keep in step. Real harts all run at the clock's speed; this machine's
 * harts are host threads, which run when the host lets them, so the kernel paces them:
 * <ul>
 * <li>in the host's time, several harts: {@link Abreast}, no busy CPU far ahead of the
 * slowest busy one;</li>
 * <li>in deterministic time, several harts: {@link Turns}, the CPUs one at a time in a
 * fixed order, a fixed number of instructions each, so runs repeat exactly;</li>
 * <li>one hart: {@link Alone}, nothing to pace.</li>
 * </ul>
 * The kernel calls it where a CPU's process goes to and comes back from user mode, and
 * where a CPU gets a process from its scheduler or goes back to it.
 */
sealed interface Pacer permits Pacer.Alone, Abreast, Turns {

    static Pacer of(Kernel k, Cpu[] cpus, boolean deterministic) {
        if (cpus.length == 1) return new Alone();
        return deterministic ? new Turns(k, cpus) : new Abreast(k, cpus);
    }

    /** c's scheduler thread is starting, before it looks at the process table. */
    default void start(Cpu c) {}

    /** c's process is about to return to user mode, holding no lock; may wait. */
    default void beforeUser(Cpu c) {}

    /** How many instructions c's hart may run now, given the clock's budget. */
    default long budget(Cpu c, long clockBudget) {
        return clockBudget;
    }

    /** c's hart ran n instructions and stopped for t. */
    default void afterUser(Cpu c, long n, Trap t) {}

    /**
     * c, idle until now, has work: its scheduler picked a process, or was woken to look for
     * one (before its thread has run).
     */
    default void busy(Cpu c) {}

    /** c has no process: it gave up its last, or its scheduler found none. */
    default void idle(Cpu c) {}

    /** The machine has halted: nobody waits for anybody any more. */
    default void stop() {}

    /** One hart: nothing to keep in step. */
    final class Alone implements Pacer {}
}
