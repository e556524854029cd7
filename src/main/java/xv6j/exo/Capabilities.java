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
 *
 * <p>Each capability is a record of its holder's kernel memory, paid from the holder's
 * quota: the caller reserves room ({@link Environments#reserveRecords}) before it changes
 * anything, so a call that cannot pay fails whole.
 */
final class Capabilities {
    /** Revocation notices kept per environment; past that, one -1 says some were lost. */
    static final int MAX_NOTICES = 64;

    private final Exokernel k;

    Capabilities(Exokernel k) {
        this.k = k;
    }

    /**
     * Puts a new capability in owner's table (which must have room, and room reserved for
     * its record) under the lowest free handle. quota: a MEMORY capability's.
     */
    Cap insert(Env owner, int type, int rights, long first, long count, Env target, Quota quota, Cap parent) {
        int h = owner.caps.nextHandle();
        if (h < 0) throw new IllegalStateException("insert: table full");
        k.envs.addRecord(owner);
        Cap c = new Cap(type, rights, first, count, target, quota, owner, h);
        owner.caps.put(c);
        if (parent == null && type == CAP_CPU) parent = k.sched.cpuTop; // the CPU's shares form one tree
        if (parent != null) parent.addChild(c);
        switch (type) {
            case CAP_PAGE -> k.pages.capRef(first);
            case CAP_ENV -> {
                target.refs++;
                owner.envCaps.merge(target, 1, Integer::sum);
            }
            case CAP_CPU -> {
                if ((rights & CAP_X) != 0) {
                    owner.cpus.add(c);
                    k.sched.kick();
                }
            }
            default -> {}
        }
        return c;
    }

    /**
     * Takes a capability out of its table with everything bound through it: mappings (and
     * then perhaps the page), the callers waiting through it, the environments it pays for.
     * Its children must have been moved or removed. With notice, the owner is told
     * (revocation).
     */
    private void remove(Cap c, boolean notice) {
        c.live = false;
        Env owner = c.owner;
        owner.caps.remove(c);
        k.envs.dropRecord(owner);
        if (c.parent != null) c.parent.removeChild(c);
        switch (c.type) {
            case CAP_PAGE -> {
                if (c.mappings != null) {
                    for (Mapping m : c.mappings) k.bindings.unbind(m);
                    c.mappings = null;
                }
                k.pages.capUnref(c.first);
            }
            case CAP_MEMORY -> {
                if (c.pays != null) {
                    for (Env e : new ArrayList<>(c.pays)) k.envs.destroy(e, -1, null);
                }
            }
            case CAP_ENV -> {
                Env t = c.target;
                t.refs--;
                if (owner.envCaps.merge(t, -1, Integer::sum) == 0) owner.envCaps.remove(t);
                if (owner.waitCap == c) k.pct.cancelWait(owner, E_BADCAP); // a pending transfer made through it
                k.envs.lostName(t);
            }
            case CAP_CPU -> {
                if (owner.cpus.remove(c) && owner.cpus.isEmpty()) {
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
        k.envs.hold();
        try {
            Cap parent = c.parent;
            for (Cap child : c.children()) {
                c.removeChild(child);
                if (parent != null) parent.addChild(child);
            }
            remove(c, false);
        } finally {
            k.envs.release();
        }
    }

    /** caprevoke: removes everything derived from c, transitively; returns how many. */
    int revoke(Cap c) {
        k.envs.hold();
        try {
            List<Cap> doomed = new ArrayList<>();
            ArrayDeque<Cap> todo = new ArrayDeque<>(c.children());
            while (!todo.isEmpty()) {
                Cap d = todo.poll();
                doomed.add(d);
                for (Cap ch = d.firstChild; ch != null; ch = ch.nextSibling) todo.add(ch);
            }
            k.trace.revoke(c.owner, c, doomed);
            // Leaves first: each is removed with no children left under it.
            for (int i = doomed.size() - 1; i >= 0; i--) remove(doomed.get(i), true);
            return doomed.size();
        } finally {
            k.envs.release();
        }
    }

    /** Queues a revocation notice for e (bounded, in its record), with EV_NOTICE and perhaps an upcall. */
    private void notice(Env e, int handle) {
        if (e.exited) return;
        if (e.notices.size() < MAX_NOTICES - 1) e.notices.add(handle);
        else if (e.notices.size() == MAX_NOTICES - 1) e.notices.add(-1);
        if ((e.upcallMask & UPCALL_NOTICE) != 0) e.noticeUpcallDue = true;
        k.events.raise(e, EV_NOTICE);
    }
}
