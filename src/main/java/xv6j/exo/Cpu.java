package xv6j.exo;

import xv6j.machine.Hart;

/**
 * A hart and the exokernel's bookkeeping for it: which thread of control it runs, and what
 * its TLB may hold. userPhase and tlbEnv are read by other CPUs without the lock (to shoot
 * down translations or take an environment off this hart), hence volatile.
 */
final class Cpu {
    final int id;
    final Hart hart;
    /** True from loading an environment's registers onto the hart until they are saved back. */
    volatile boolean userPhase;
    /**
     * The address space the hart runs (its satp), and that space's generation when this CPU
     * last checked its TLB entries. The TLB may also hold other spaces' entries, under
     * their ASIDs (see Env.tlbGen).
     */
    volatile Env tlbEnv;
    long tlbGen;

    /**
     * Whether this CPU would run e without flushing e's ASID (Scheduler.runUser): its TLB
     * holds e's translations as of e's generation now, whatever it ran in between.
     */
    boolean keepsTlbOf(Env e) {
        long g = e.gen;
        return (tlbEnv == e && tlbGen == g) || e.tlbCurrentOn(id, g);
    }

    /** The root of the thread of control it runs, or null; guarded by the lock. */
    Env root;
    /** The thread runs in another's turn, helping the call that thread waits for. */
    boolean helping;
    /** While helping: the thread whose turn it is, whose call this CPU runs (Env.ticksRun counts the run for it too). */
    Env helped;
    /** The CPU capability whose turn it is, and the tick the turn began (Scheduler charges it at its end). */
    Cap turn;
    long turnStart;
    /** Set by a call of the running thread: give up the rest of the slice (to next, if set). */
    boolean yield;
    Env next;
    /**
     * Set by a call of the running thread that returns only after a device is done (a disk
     * flush, a console write): Scheduler.deviceWork does it without the lock, holding the
     * thread meanwhile (Devices.outsideLock).
     */
    Runnable deviceWork;
    /** The clock's ticks when the hart last came back from user mode. */
    long clockTicks;

    Cpu(int id, Hart hart) {
        this.id = id;
        this.hart = hart;
    }
}
