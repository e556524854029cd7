package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import xv6j.machine.PageTable;

/**
 * What an environment can wait for: events (EV_*), pending per environment until a
 * EXOSCHED_BLOCK consumes them, and words in physical memory (EXOSCHED_WAIT/WAKE, a futex
 * on physical names, so two address spaces sharing a page can meet on it).
 *
 * <p>A tick and a key cost what they wake, not what exists: EV_TICK is pending for an
 * environment while a tick has come since it last consumed one (Env.tickSeen), EV_KEY
 * while a key was typed since (Env.keySeen), so neither sets anything anywhere, and only
 * the environments blocked on EV_TICK, or on EV_CONSOLE or EV_KEY for a key, are looked at
 * (each walked every environment: 12000 inert ones would have made every tick and every
 * key walk 12000).
 *
 * <p>Two events for keys, because an idle machine must tell two waits apart. EV_CONSOLE
 * (level: input waits) is a reader's: a batch run types its next script line only when
 * someone waits so. EV_KEY (edge: a key was typed at the terminal since) is a listener's,
 * one that reacts to keys it does not read, as the LibOS's file server does to ^C for a
 * shell waiting for its command: at a terminal the machine waits for a key while one
 * listens, but a batch run, where nobody types, never raises it, so a listener there
 * neither brings a line early nor keeps the machine going (Scheduler.machineIdle).
 */
final class Events {
    private final Exokernel k;

    Events(Exokernel k) {
        this.k = k;
    }

    /** Keys typed at the terminal so far (EV_KEY is pending for e while more than e.keySeen). */
    private long keysTyped;

    long keysTyped() {
        return keysTyped;
    }

    /** e's pending events: its own bits, EV_TICK if a tick came since it last consumed one, EV_KEY if a key did. */
    int pending(Env e) {
        return e.events | (k.sched.ticks > e.tickSeen ? EV_TICK : 0) | (keysTyped > e.keySeen ? EV_KEY : 0);
    }

    /** An event for e: kept pending, and wakes e's current activation if it waits for it. */
    void raise(Env e, int ev) {
        e.events |= ev;
        tryWake(e, e.cur);
    }

    /**
     * e's current activation sleeps until one of the events in mask is pending
     * (EXOSCHED_BLOCK): at once, if one is. Otherwise it is listed as waiting for a tick or
     * a key if it waits for those, so that the tick or the key finds it.
     */
    void block(Env e, int mask) {
        e.cur.blockMask = mask;
        k.sched.changed(e);
        if (tryWake(e, e.cur)) return;
        if ((mask & EV_TICK) != 0) tickWaiters.add(e);
        if ((mask & (EV_CONSOLE | EV_KEY)) != 0) keyWaiters.add(e);
    }

    /** Wakes a BLOCKed activation of e if an event it waits for is pending; returns true if so. */
    boolean tryWake(Env e, Activation a) {
        if (a == null || a.blockMask == 0) return false;
        int got = pending(e) & a.blockMask;
        if ((a.blockMask & EV_CONSOLE) != 0 && k.devices.input.available() > 0) got |= EV_CONSOLE;
        if (got == 0) return false;
        e.events &= ~got;
        if ((got & EV_TICK) != 0) e.tickSeen = k.sched.ticks;
        if ((got & EV_KEY) != 0) e.keySeen = keysTyped;
        a.regs.x[A0] = got;
        a.blockMask = 0;
        k.sched.changed(e);
        k.sched.kick();
        return true;
    }

    /**
     * Environments one of whose activations (current, or saved while it serves a call) may
     * be blocked on EV_TICK, and on EV_CONSOLE or EV_KEY: what a tick or a key looks at. Stale entries
     * (woken since, or exited) go when found. Insertion-ordered, so runs repeat exactly.
     */
    private final LinkedHashSet<Env> tickWaiters = new LinkedHashSet<>(), keyWaiters = new LinkedHashSet<>();

    /** Environments that may be blocked on EV_TICK (Scheduler.machineIdle asks: is anyone waiting for time?). */
    Iterable<Env> tickWaiters() {
        return tickWaiters;
    }

    /** Environments that may be blocked on EV_CONSOLE or EV_KEY (is anyone waiting for a key?). */
    Iterable<Env> keyWaiters() {
        return keyWaiters;
    }

    /**
     * Tries to wake each listed environment's current activation; drops those woken, exited,
     * or with no activation blocked on ev any more (a saved one stays listed: when its call
     * ends, it is current again).
     */
    private void wakeListed(LinkedHashSet<Env> listed, int ev) {
        for (Iterator<Env> it = listed.iterator(); it.hasNext();) {
            Env e = it.next();
            if (e.exited || tryWake(e, e.cur) || !waitsFor(e.cur, ev) && !waitsFor(e.own, ev)) it.remove();
        }
    }

    private static boolean waitsFor(Activation a, int ev) {
        return a != null && (a.blockMask & ev) != 0;
    }

    /** Input arrived on the console: those blocked on EV_CONSOLE wake (it is pending while input waits). */
    void input() {
        wakeListed(keyWaiters, EV_CONSOLE | EV_KEY);
    }

    /** A key was typed at the terminal (after it joined the input): EV_KEY for all, and those blocked on either wake. */
    void keyTyped() {
        keysTyped++;
        input();
    }

    /**
     * The activations sleeping on each physical word, since the last tick (every wait ends
     * then). An entry whose activation no longer waits on that word is stale and skipped.
     * Indexed, so that a wake costs the same however many environments exist: it walked
     * them all (12000 environments made one EXOSCHED_WAKE take 600 us, and a pipe's every
     * wake-up with it).
     */
    private final HashMap<Long, ArrayList<Activation>> sleepers = new HashMap<>();

    /** e's current activation sleeps on physical word pa until a wake on it or the next tick (EXOSCHED_WAIT). */
    void sleepOn(Env e, long pa) {
        e.cur.waitPa = pa;
        sleepers.computeIfAbsent(pa, x -> new ArrayList<>()).add(e.cur);
        k.sched.changed(e);
    }

    /** True if a, which sleeps on a physical word, is listed under it (the checker asks). */
    boolean listed(Activation a) {
        ArrayList<Activation> on = sleepers.get(a.waitPa);
        if (on == null) return false;
        for (Activation x : on) if (x == a) return true;
        return false;
    }

    /** True if a, blocked on EV_TICK, EV_CONSOLE or EV_KEY, is where a tick or a key finds it (the checker asks). */
    boolean listedForEvents(Env e, Activation a) {
        return ((a.blockMask & EV_TICK) == 0 || tickWaiters.contains(e)) && ((a.blockMask & (EV_CONSOLE | EV_KEY)) == 0 || keyWaiters.contains(e));
    }

    /** Wakes the activations sleeping on physical word pa; returns how many. */
    private int wakeWord(long pa, ArrayList<Activation> on) {
        int n = 0;
        for (Activation a : on) {
            if (a.waitPa == pa) {
                a.waitPa = -1;
                k.sched.changed(a.env);
                n++;
            }
        }
        return n;
    }

    /** Wakes every activation sleeping on physical word pa (EXOSCHED_WAKE); returns how many. */
    int wake(long pa) {
        ArrayList<Activation> on = sleepers.remove(pa);
        if (on == null) return 0;
        int n = wakeWord(pa, on);
        if (n > 0) k.sched.kick();
        return n;
    }

    /**
     * e lost a mapping of the page at pagePa: a sleep of its on a word there ends now, as
     * at a tick (EXOSCHED_WAIT's caller looks again, through what it maps now). Left
     * listed, the sleeper would wake at a wake by the page's next holder, who would count
     * it among its own waiters: futexpeek.
     */
    void pageLeft(Env e, long pagePa) {
        for (Activation a : new Activation[] {e.cur, e.own}) {
            if (a == null || a.waitPa == -1 || (a.waitPa & -PageTable.PGSIZE) != pagePa) continue;
            a.waitPa = -1; // (its entry in the index is stale now: skipped, dropped at the next tick or wake)
            k.sched.changed(e);
            k.sched.kick();
        }
    }

    /** A new tick (Scheduler.ticks has moved): those blocked on EV_TICK wake, and every EXOSCHED_WAIT ends. */
    void tick() {
        for (var on : sleepers.entrySet()) wakeWord(on.getKey(), on.getValue());
        sleepers.clear();
        wakeListed(tickWaiters, EV_TICK);
        k.sched.kick();
    }
}
