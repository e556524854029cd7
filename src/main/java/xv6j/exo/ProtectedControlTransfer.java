package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

/**
 * Protected control transfer (Aegis): a call into another environment at the entry it
 * registered, on the caller's CPU and time slice, with six arguments and six results in
 * registers. The callee's own activation is saved and comes back when the call returns.
 * A callee serves one call at a time; other callers wait in its queue, first come first
 * served.
 */
final class ProtectedControlTransfer {
    private final Exokernel k;

    ProtectedControlTransfer(Exokernel k) {
        this.k = k;
    }

    static boolean busy(Env s) {
        return s.caller != null || s.callee != null;
    }

    /** True if s accepts a protected control transfer from c. */
    static boolean accepts(Env s, Env c) {
        return s.pctEntry != 0 && (s.pctPolicy != PCT_KNOWN || s.envCaps.containsKey(c));
    }

    /** Starts c's call into s (which is free): s's own activation is saved, the call's begins at its entry. */
    void startCall(Env c, Env s) {
        k.sched.steal(s);
        Activation a = new Activation();
        a.regs.copyFrom(s.cur.regs);
        a.regs.pc = s.pctEntry;
        a.regs.x[SP] = s.pctStack & -16L;
        a.regs.x[A0] = c.id;
        System.arraycopy(c.cur.regs.x, A1, a.regs.x, A1, 6);
        s.own = s.cur;
        s.cur = a;
        s.caller = c;
        c.callee = s;
        k.trace.pctCall(c, s);
        k.sched.kick();
    }

    /** Ends s's call: the caller gets a0 = 0 and s's a1..a6; s's own activation comes back. */
    void endCall(Env s) {
        Env c = s.caller;
        Regs cr = c.cur.regs;
        cr.x[A0] = 0;
        System.arraycopy(s.cur.regs.x, A1, cr.x, A1, 6);
        s.cur = s.own;
        s.own = null;
        s.caller = null;
        c.callee = null;
        k.trace.pctReturn(s, c);
        k.events.raise(s, EV_PCT);
        serveWaiters(s);
        serveWaiters(c);
    }

    /** The caller of t's call is gone: t's call activation is dropped and its own one resumes. */
    void abandon(Env t) {
        if (t.callee != null) abandon(t.callee);
        k.sched.steal(t);
        t.cur = t.own;
        t.own = null;
        if (t.caller != null) t.caller.callee = null;
        t.caller = null;
        k.events.tryWake(t, t.cur);
        serveWaiters(t);
    }

    /** If s is free and callers wait, starts the first one's call. */
    void serveWaiters(Env s) {
        while (!s.exited && !busy(s) && !s.waiters.isEmpty()) {
            Env w = s.waiters.poll();
            w.waitingOn = null;
            w.waitCap = null;
            if (!accepts(s, w)) {
                w.cur.regs.x[A0] = E_REFUSED;
                k.sched.kick();
                continue;
            }
            startCall(w, s);
        }
    }
}
