package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Capabilities and their revocation. Every capability is a node of one derivation tree
 * across all environments' tables: capgrant, capalloc(PAGE) and capalloc(BLOCKS) add
 * children; caprevoke removes a node's whole subtree, everywhere, with everything bound
 * through it, and tells each holder what it lost (Aegis's visible revocation); capfree
 * removes one node and hangs its children on its parent, so a revocation above still
 * reaches them.
 */
final class Capabilities {
    /** Revocation notices kept per environment; past that, one -1 says some were lost. */
    static final int MAX_NOTICES = 64;

    private final Exokernel k;

    Capabilities(Exokernel k) {
        this.k = k;
    }

    /** Puts a new capability in owner's table (which must have room) under the lowest free handle. */
    Cap insert(Env owner, int type, int rights, long first, long count, Env target, Cap parent) {
        int h = owner.caps.nextHandle();
        if (h < 0) throw new IllegalStateException("insertCap: table full");
        Cap c = new Cap(type, rights, first, count, target, owner, h);
        owner.caps.put(c);
        if (parent != null) {
            c.parent = parent;
            parent.children.add(c);
        }
        switch (type) {
            case CAP_PAGE -> k.pages.capRef(first);
            case CAP_ENV -> {
                target.refs++;
                owner.envCaps.merge(target, 1, Integer::sum);
            }
            case CAP_CPU -> {
                if ((rights & CAP_X) != 0) {
                    owner.cpuCaps++;
                    k.sched.kick();
                }
            }
            default -> {}
        }
        return c;
    }

    /**
     * Takes a capability out of its table with everything bound through it: mappings (and
     * then perhaps the page), the callers waiting through it. Tree links to its children
     * are the caller's business. With notice, the owner is told (revocation).
     */
    private void remove(Cap c, boolean notice) {
        c.live = false;
        Env owner = c.owner;
        owner.caps.remove(c);
        if (c.parent != null) {
            c.parent.children.remove(c);
            c.parent = null;
        }
        switch (c.type) {
            case CAP_PAGE -> {
                for (Mapping m : c.mappings) k.bindings.clearPte(m);
                c.mappings.clear();
                k.pages.capUnref(c.first);
            }
            case CAP_ENV -> {
                Env t = c.target;
                t.refs--;
                if (owner.envCaps.merge(t, -1, Integer::sum) == 0) owner.envCaps.remove(t);
                if (owner.waitCap == c) {
                    // A call waiting through it is a pending transfer made through it: it fails.
                    owner.waitingOn.waiters.remove(owner);
                    owner.waitingOn = null;
                    owner.waitCap = null;
                    owner.cur.regs.x[A0] = E_BADCAP;
                    k.sched.kick();
                }
                k.envs.maybeForget(t);
            }
            case CAP_CPU -> {
                if ((c.rights & CAP_X) != 0 && --owner.cpuCaps == 0) {
                    Env running = owner.innermost();
                    if (running.cpu != null) running.cpu.hart.requestInterrupt();
                }
            }
            default -> {}
        }
        if (notice) notice(owner, c.handle);
    }

    /** capfree: removes c; what was derived from it is now derived from its parent. */
    void free(Cap c) {
        Cap parent = c.parent;
        for (Cap child : c.children) {
            child.parent = parent;
            if (parent != null) parent.children.add(child);
        }
        c.children.clear();
        remove(c, false);
    }

    /** caprevoke: removes everything derived from c, transitively; returns how many. */
    int revoke(Cap c) {
        List<Cap> doomed = new ArrayList<>();
        ArrayDeque<Cap> todo = new ArrayDeque<>(c.children);
        while (!todo.isEmpty()) {
            Cap d = todo.poll();
            doomed.add(d);
            todo.addAll(d.children);
        }
        k.trace.revoke(c.owner, c, doomed);
        for (Cap d : doomed) {
            d.children.clear();
            remove(d, true);
        }
        return doomed.size();
    }

    /** Queues a revocation notice for e (bounded), with EV_NOTICE and perhaps an upcall. */
    private void notice(Env e, int handle) {
        if (e.exited) return;
        if (e.notices.size() < MAX_NOTICES - 1) e.notices.add(handle);
        else if (e.notices.size() == MAX_NOTICES - 1) e.notices.add(-1);
        if ((e.upcallMask & UPCALL_NOTICE) != 0) e.noticeUpcallDue = true;
        k.events.raise(e, EV_NOTICE);
    }
}
