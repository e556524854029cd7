package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayDeque;

/**
 * Protected control transfer (Aegis): a call into another environment at the entry it
 * registered, on the caller's CPU and time slice, with six arguments and six results in
 * registers. The callee's own activation is saved and comes back when the call returns.
 * A callee serves one call at a time; other callers wait in its queue, first come first
 * served.
 *
 * <p>Calls do not take the callee's own thread's time for good. They run in their callers'
 * turns, and the callee's own thread in the turns of its own CPU share; but a call starts
 * in place of that thread, and each caller waiting starts the moment the call before
 * returns, so callers calling by turns kept it from running at all (user/exo/ownstarve.c).
 * So once calls have kept it, able to run, from running for a tick ({@link #REST_AFTER}),
 * the callee rests: the next call waits until the thread has had a turn, ended by its slice,
 * a yield, a block or a stop. The callers waiting meanwhile help it as they help a call
 * in progress (their turns run it), so a call waits for a rest at most one slice of it,
 * and the thread gets at least one turn in every tick and a call of being kept.
 *
 * <p>A call survives its caller (exo.h): if the caller is destroyed, the callee is not
 * told and not unwound; it runs the call to its end, on its own CPU or on the time of
 * callers waiting for it, and its results are dropped. So a callee is only ever resumed
 * where it chose to be, and no activation is ever given another's call or results: the
 * activation that made a call is the one that receives its end (Activation.calling).
 */
final class ProtectedControlTransfer {
    private final Exokernel k;

    ProtectedControlTransfer(Exokernel k) {
        this.k = k;
    }

    /**
     * True if s cannot take a call now: it rests (its own thread's turn comes first), serves
     * one, makes one, or waits to make one, or its thread is in its upcall handler. A
     * handler's frame and stack are on the one upcall stack, where an upcall of the call
     * would go too, over them; the handler then resumed the call's registers on s's own
     * thread (user/exo/handlercall.c).
     */
    static boolean busy(Env s) {
        return s.resting || s.serving() || s.callee != null || s.waitingOn != null || s.cur.inHandler;
    }

    /** True if s accepts a protected control transfer from c. */
    static boolean accepts(Env s, Env c) {
        return s.pctEntry != 0 && (s.pctPolicy != PCT_KNOWN || s.envCaps.containsKey(c));
    }

    /** c calls s (through capability through, or null for EXO_SELF): now, or after those already waiting. */
    void call(Env c, Env s, Cap through) {
        c.cur.calling = s;
        if (busy(s) || !s.waiters.isEmpty() || restFirst(s)) {
            c.waitingOn = s;
            c.waitCap = through;
            s.addWaiter(c);
            k.sched.changed(c);
            return;
        }
        startCall(c, s);
    }

    /** Ticks of calls kept a callee's own thread, able to run, from running before it rests. */
    static final int REST_AFTER = 1;

    /** True if s's own activation would run in a turn of its own share, were no call in its place. */
    private static boolean ownCanRun(Env s) {
        return !s.stopped && !s.cur.blocked() && s.runCap() != null;
    }

    /**
     * s is free and a call would start: true if its own thread is owed a turn first, and s
     * now rests. Calls have kept that thread, able to run, from running for REST_AFTER ticks.
     */
    private boolean restFirst(Env s) {
        if (s.keptSince < 0 || k.sched.ticks - s.keptSince < REST_AFTER || !ownCanRun(s)) return false;
        s.resting = true;
        s.restRun = s.ticksRun;
        return true;
    }

    /**
     * Ticks a resting callee's thread runs into before its rest is over, its turn or not:
     * two, so a whole tick at least. A rest lasted the whole turn, and a thread on slices of
     * SLICE_MAX ticks held its callers that long (on two harts its callers made no call in
     * 12 ticks, user/exo/restattack.c slice).
     */
    static final int REST_TICKS = 2;

    /** s's thread ran into another tick (Scheduler): if it rests, and has run enough, calls go on. */
    void ranIntoTick(Env s) {
        if (s.resting && s.ticksRun - s.restRun >= REST_TICKS) ownTurnOver(s);
    }

    /**
     * s's own thread ended a turn (Scheduler: a CPU let go of it, not for a call), or can
     * have none now (stopped): nothing keeps it, and calls kept back for it go on.
     */
    void ownTurnOver(Env s) {
        s.keptSince = -1;
        if (!s.resting) return;
        s.resting = false;
        serveWaiters(s);
    }

    /** Starts c's call into s (which is free): s's own activation is saved, the call's begins at its entry. */
    private void startCall(Env c, Env s) {
        if (!ownCanRun(s)) s.keptSince = -1;
        else if (s.keptSince < 0) s.keptSince = k.sched.ticks; // the call keeps it from now
        k.sched.steal(s);
        Activation a = new Activation(s);
        a.regs.copyFrom(s.cur.regs);
        a.regs.pc = s.pctEntry;
        a.regs.x[SP] = s.pctStack & -16L;
        a.regs.x[A0] = c.id;
        System.arraycopy(c.cur.regs.x, A1, a.regs.x, A1, 6);
        s.own = s.cur;
        s.cur = a;
        s.caller = c;
        c.callee = s;
        s.joinChain(c.chainRoot); // (s, free, was a chain of its own)
        c.chainRoot.chainInner = s;
        k.sched.regrouped(s); // its thread is c's now, and so is the time of those still waiting for it
        k.trace.pctCall(c, s);
        k.sched.kick();
    }

    /**
     * Ends s's call: the caller, if it still exists, gets a0 = 0 and s's a1..a6; s's own
     * activation comes back.
     */
    void endCall(Env s) {
        Env c = s.caller;
        if (c != null) {
            Regs cr = c.cur.regs;
            cr.x[A0] = 0;
            System.arraycopy(s.cur.regs.x, A1, cr.x, A1, 6);
            c.callee = null;
            c.cur.calling = null;
            s.caller = null;
            c.chainRoot.chainInner = c;
            k.sched.changed(c);
        }
        s.joinChain(s); // (s, returning, was the innermost)
        s.chainInner = s;
        k.trace.pctReturn(s, c);
        s.cur = s.own;
        s.own = null;
        k.sched.regrouped(s); // a thread of its own again, which those waiting for it now help
        k.events.raise(s, EV_PCT);
        serveWaiters(s);
        if (c != null) serveWaiters(c);
        k.sched.kick();
    }

    /**
     * s, whose caller is gone, is the root of the rest of the chain, down to inner: each
     * member learns it (what a destruction in the middle of a chain changes).
     */
    private static void cut(Env s, Env inner) {
        for (Env x = s; x != null; x = x.callee) x.joinChain(s);
        s.chainInner = inner;
    }

    /** c's wait to call ends before its call began: a0 = err for it. */
    void cancelWait(Env c, long err) {
        c.waitingOn.removeWaiter(c);
        c.waitingOn = null;
        c.waitCap = null;
        c.cur.calling = null;
        c.cur.regs.x[A0] = err;
        k.sched.changed(c);
        serveWaiters(c);
        k.sched.kick();
    }

    /**
     * e is being destroyed. A call it serves fails for its caller (E_DEAD); a call it made
     * goes on in the callee without it; its place in a queue goes; callers waiting for it
     * get E_DEAD.
     */
    void leave(Env e) {
        Env s = e.callee;
        if (s != null) {
            s.caller = null;
            e.callee = null;
            e.cur.calling = null;
            cut(s, e.innermost());
            k.sched.regrouped(s); // the call goes on as a thread of its own
        }
        Env c = e.caller;
        if (c != null) {
            c.callee = null;
            c.cur.calling = null;
            c.cur.regs.x[A0] = E_DEAD;
            e.caller = null;
            c.chainRoot.chainInner = c;
            k.sched.changed(c);
            serveWaiters(c);
        }
        e.joinChain(e);
        e.chainInner = e;
        e.resting = false;
        if (e.waitingOn != null) {
            e.waitingOn.removeWaiter(e);
            e.waitingOn = null;
            e.waitCap = null;
            k.sched.changed(e);
        }
        while (!e.waiters.isEmpty()) {
            cancelWait(e.waiters.peek(), E_DEAD);
        }
        k.sched.kick();
    }

    /**
     * If s is free and callers wait, starts the first one's call. A caller it refuses is
     * free itself then, and its own callers are served in turn (a list, not recursion:
     * such chains can be long).
     */
    void serveWaiters(Env s) {
        ArrayDeque<Env> free = new ArrayDeque<>();
        free.add(s);
        while (!free.isEmpty()) {
            Env x = free.poll();
            while (!x.exited && !x.dying && !busy(x) && !x.waiters.isEmpty() && !restFirst(x)) {
                Env w = x.pollWaiter();
                w.waitingOn = null;
                w.waitCap = null;
                if (!accepts(x, w)) {
                    w.cur.calling = null;
                    w.cur.regs.x[A0] = E_REFUSED;
                    k.sched.changed(w);
                    free.add(w);
                    k.sched.kick();
                    continue;
                }
                startCall(w, x);
            }
        }
    }
}
