package xv6j.exo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A capability: a typed name for a resource with rights, held in one environment's table
 * under one handle, and a node of the derivation tree that revocation walks. Type, rights
 * and what it names never change; only the tree links and the bookkeeping of what is bound
 * through it do.
 *
 * <p>A freed capability from which two or more others derive stays in the tree, dead and in
 * no table, holding nothing (owner and target null), as their common parent (a
 * placeholder): so freeing it costs the same however many derive from it, and a revocation
 * above still reaches them all (see Capabilities.free).
 *
 * <p>The tree links are intrusive (parent, first and last child, siblings) so a node costs
 * no collection of its own, and a child is added or removed in constant time.
 */
final class Cap {
    final int type;
    final int rights;
    /** PAGE: physical page number; MEMORY: first page number; BLOCKS: first block; others 0. */
    final long first;
    /** MEMORY: pages; BLOCKS: blocks; CPU: the longest slice its holders may run at once, in ticks; others 1. */
    final long count;
    /** ENV: the environment named; others null (and null once it is freed). */
    Env target;
    /** MEMORY: the quota its pages and the environments it pays for are charged to. */
    final Quota quota;

    /** The environment whose table holds it (null once it is freed), and under which handle. */
    Env owner;
    final int handle;
    /** What it was derived from (null for a root), and what was derived from it. */
    Cap parent;
    Cap firstChild, lastChild, prevSibling, nextSibling;
    /**
     * PAGE: the mappings made through it, removed with it (null while none); in the order
     * they were made. A set, so that one unmap costs the same however many mappings the page
     * has: a list made each unmap of a page mapped at 200000 addresses scan them (50 us a
     * call, with every hart's kernel waiting).
     */
    Set<Mapping> mappings;
    /** MEMORY: the environments whose kernel memory it pays for, destroyed with it (null while none). */
    List<Env> pays;
    /** CPU: where the next round of its share of time starts (null: its holder's turn; see Scheduler). */
    Cap rr;
    /**
     * CPU: turns owed for time used beyond one tick a turn, passed up in the rounds to come:
     * {@link #debt} by this share in its parent's round, {@link #holderDebt} by its holder's
     * thread in this capability's own (see Scheduler).
     */
    int debt, holderDebt;
    boolean live = true;

    Cap(int type, int rights, long first, long count, Env target, Quota quota, Env owner, int handle) {
        this.type = type;
        this.rights = rights;
        this.first = first;
        this.count = count;
        this.target = target;
        this.quota = quota;
        this.owner = owner;
        this.handle = handle;
    }

    boolean has(int r) {
        return (rights & r) == r;
    }

    /** True if this range type covers [f, f+n). */
    boolean covers(long f, long n) {
        return f >= first && n >= 0 && f - first <= count - n;
    }

    // ---- the derivation tree ----

    /** Makes c (free of the tree) this one's last child. */
    void addChild(Cap c) {
        c.parent = this;
        c.prevSibling = lastChild;
        c.nextSibling = null;
        if (lastChild != null) lastChild.nextSibling = c;
        else firstChild = c;
        lastChild = c;
    }

    /** Puts c (free of the tree) in child old's place among this one's children; old leaves the tree. */
    void replaceChild(Cap old, Cap c) {
        c.parent = this;
        c.prevSibling = old.prevSibling;
        c.nextSibling = old.nextSibling;
        if (old.prevSibling != null) old.prevSibling.nextSibling = c;
        else firstChild = c;
        if (old.nextSibling != null) old.nextSibling.prevSibling = c;
        else lastChild = c;
        if (rr == old) rr = c;
        old.parent = old.prevSibling = old.nextSibling = null;
    }

    /** A freed capability kept in the tree for the two or more that derive from it. */
    boolean placeholder() {
        return !live && firstChild != null;
    }

    /** Takes child c out of this one's children. */
    void removeChild(Cap c) {
        if (rr == c) rr = c.nextSibling;
        if (c.prevSibling != null) c.prevSibling.nextSibling = c.nextSibling;
        else firstChild = c.nextSibling;
        if (c.nextSibling != null) c.nextSibling.prevSibling = c.prevSibling;
        else lastChild = c.prevSibling;
        c.parent = c.prevSibling = c.nextSibling = null;
    }

    /** Its children, in the order they were derived (a copy: callers may change the tree). */
    List<Cap> children() {
        List<Cap> out = new ArrayList<>();
        for (Cap c = firstChild; c != null; c = c.nextSibling) out.add(c);
        return out;
    }

    int mappingCount() {
        return mappings == null ? 0 : mappings.size();
    }

    @Override
    public String toString() {
        return String.format("cap[type %d rights 0x%x first 0x%x count %d env %d handle %d]",
                type, rights, first, count, owner == null ? 0 : owner.id, handle);
    }
}
