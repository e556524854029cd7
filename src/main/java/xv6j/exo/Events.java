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

    /**
     * The activations sleeping on each physical word, since the last tick (every wait ends
     * then). An entry whose activation no longer waits on that word is stale and skipped.
     * Indexed, so that a wake costs the same however many environments exist: it walked
     * them all (12000 environments made one EXOSCHED_WAKE take 600 us, and a pipe's every
     * wake-up with it).
     */
    private final java.util.HashMap<Long, java.util.ArrayList<Activation>> sleepers = new java.util.HashMap<>();

    /** Activation a (e's current) sleeps on physical word pa until a wake on it or the next tick (EXOSCHED_WAIT). */
    void sleepOn(Activation a, long pa) {
        a.waitPa = pa;
        sleepers.computeIfAbsent(pa, x -> new java.util.ArrayList<>()).add(a);
    }

    /** True if a, which sleeps on a physical word, is listed under it (the checker asks). */
    boolean listed(Activation a) {
        java.util.ArrayList<Activation> on = sleepers.get(a.waitPa);
        if (on == null) return false;
        for (Activation x : on) if (x == a) return true;
        return false;
    }

    /** Wakes every activation sleeping on physical word pa (EXOSCHED_WAKE); returns how many. */
    int wake(long pa) {
        java.util.ArrayList<Activation> on = sleepers.remove(pa);
        if (on == null) return 0;
        int n = 0;
        for (Activation a : on) {
            if (a.waitPa == pa) {
                a.waitPa = -1;
                n++;
            }
        }
        if (n > 0) k.sched.kick();
        return n;
    }

    /** A new tick: EV_TICK for everyone, and every EXOSCHED_WAIT ends. */
    void tick() {
        sleepers.clear();
        for (Env e : k.envs.values()) {
            if (e.exited) continue;
            if (e.own != null) e.own.waitPa = -1;
            e.cur.waitPa = -1;
            raise(e, EV_TICK);
        }
        k.sched.kick();
    }
}
