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
 * takes one out of its table, and a revocation above still reaches what derives from it:
 * it stays in the tree, holding nothing, as the placeholder of two or more, or gives its
 * place to a single child.
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
                    owner.cpusChanged();
                    k.sched.recount(owner); // if it is its first, its thread's turns come from it now
                    if (owner.caller != null) k.sched.recount(owner.root()); // or those of the chain it serves (Env.threadCap)
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
     * It stays in the tree (the caller takes it out, or keeps it as a placeholder) and
     * names nothing any more. With notice, the owner is told (revocation).
     */
    private void retire(Cap c, boolean notice) {
        c.live = false;
        Env owner = c.owner;
        owner.caps.remove(c);
        k.envs.dropRecord(owner);
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
                Cap ran = owner.runCap();
                boolean had = owner.cpus.remove(c);
                if (had) owner.cpusChanged();
                if (had && ran == c) { // its thread's turns come from the next it got, if any
                    k.sched.recount(owner);
                    Env root = owner.root(); // (or the chain's it serves: Env.threadCap)
                    if (root != owner) k.sched.recount(root);
                    Env running = root.innermost();
                    if (root.threadCap() == null && running.cpu != null) running.cpu.hart.requestInterrupt();
                }
            }
            default -> {}
        }
        c.owner = null; // a placeholder must not keep an environment's objects alive
        c.target = null;
        if (notice) notice(owner, c.handle);
    }

    /**
     * capfree: removes c; what was derived from it stays derived from it, so a revocation of
     * an ancestor still reaches it. In constant time, however many derive from it: it stays
     * in the tree as their placeholder while two or more do; one takes its place; with none,
     * it goes. (It used to hang each of them on its parent: a capability with half a million
     * derived, freed up a chain of fifty, held the kernel 60 ms a call.)
     */
    void free(Cap c) {
        k.envs.hold();
        try {
            retire(c, false);
            settle(c);
        } finally {
            k.envs.release();
        }
    }

    /**
     * d is dead and lost children: a placeholder with none left goes (and so may its parent
     * after it), one with a single child gives it its place. Placeholders so always have two
     * or more children, and are fewer than the live capabilities.
     */
    private void settle(Cap d) {
        while (d != null && !d.live) {
            Cap p = d.parent;
            if (d.firstChild == null) {
                if (p != null) p.removeChild(d);
                d = p;
            } else {
                if (d.firstChild == d.lastChild) {
                    Cap only = d.firstChild;
                    if (p != null) p.replaceChild(d, only);
                    else d.removeChild(only);
                }
                return;
            }
        }
    }

    /** caprevoke: removes everything derived from c, transitively; returns how many capabilities that was. */
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
            // Leaves first: each leaves the tree with no children left under it.
            int removed = 0;
            for (int i = doomed.size() - 1; i >= 0; i--) {
                Cap d = doomed.get(i);
                if (d.live) {
                    retire(d, true);
                    removed++;
                }
                d.parent.removeChild(d);
            }
            return removed;
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
