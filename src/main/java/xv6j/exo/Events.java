package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

/**
 * What an environment can wait for: events (EV_*), pending per environment until a
 * EXOSCHED_BLOCK consumes them, and words in physical memory (EXOSCHED_WAIT/WAKE, a futex
 * on physical names, so two address spaces sharing a page can meet on it).
 */
final class Events {
    private final Exokernel k;

    Events(Exokernel k) {
        this.k = k;
    }

    /** An event for e: kept pending, and wakes e's current activation if it waits for it. */
    void raise(Env e, int ev) {
        e.events |= ev;
        tryWake(e, e.cur);
    }

    /** Wakes a BLOCKed activation of e if an event it waits for is pending; returns true if so. */
    boolean tryWake(Env e, Activation a) {
        if (a == null || a.blockMask == 0) return false;
        int got = e.events & a.blockMask;
        if ((a.blockMask & EV_CONSOLE) != 0 && k.devices.input.available() > 0) got |= EV_CONSOLE;
        if (got == 0) return false;
        e.events &= ~got;
        a.regs.x[A0] = got;
        a.blockMask = 0;
        k.sched.kick();
        return true;
    }

    /** Wakes every activation sleeping on physical word pa (EXOSCHED_WAKE); returns how many. */
    int wake(long pa) {
        int n = 0;
        for (Env e : k.envs.values()) {
            for (Activation a : new Activation[] {e.cur, e.own}) {
                if (a != null && a.waitPa == pa) {
                    a.waitPa = -1;
                    n++;
                }
            }
        }
        if (n > 0) k.sched.kick();
        return n;
    }

    /** A new tick: EV_TICK for everyone, and every EXOSCHED_WAIT ends. */
    void tick() {
        for (Env e : k.envs.values()) {
            if (e.exited) continue;
            if (e.own != null) e.own.waitPa = -1;
            e.cur.waitPa = -1;
            raise(e, EV_TICK);
        }
        k.sched.kick();
    }
}
