package xv6j.exo;

import java.util.ArrayList;
import java.util.List;

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
     * call, with every hart's kernel waiting). A RecordSet, so that its memory follows the
     * mappings it holds, each a record its environment pays for.
     */
    RecordSet<Mapping> mappings;
    /** MEMORY: the environments whose kernel memory it pays for, destroyed with it (null while none). */
    List<Env> pays;
    /**
     * CPU: the members of its round, those under which some thread can run now (see
     * Scheduler): its holder's thread, if this is the holder's run capability and the
     * thread can run now (Env.countedIn), and each capability derived from it whose own
     * count is not 0. Those derived ones are also kept in a list of their own
     * (firstMember.., in the order they joined), which the scheduler walks instead of every
     * derived capability: so a capability no thread runs on, or only threads that are
     * stopped, blocked or waiting for a callee that cannot run, costs no one's turn.
     */
    int members;
    Cap firstMember, lastMember, prevMember, nextMember;
    /**
     * CPU: the thread (a root) counted in its round as its holder's: the holder's own, or
     * that of a chain of calls the holder serves whose root has no CPU (Env.threadCap).
     */
    Env counts;
    /** CPU: where the next round of its share of time starts: a member, or null for its holder's turn. */
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
        if (c.members > 0) {
            linkMember(c);
            count(1);
        }
    }

    /**
     * Puts c in child old's place among this one's children (and in its round, if both are
     * members); old leaves the tree. c is free of the tree, or old's only child (a
     * placeholder giving its place to it: then old, which is dead, counted c alone).
     */
    void replaceChild(Cap old, Cap c) {
        if (c.parent == old) {
            old.firstChild = old.lastChild = old.firstMember = old.lastMember = old.rr = null;
            c.prevMember = c.nextMember = null;
        }
        boolean wasMember = old.members > 0, isMember = c.members > 0;
        if (wasMember && isMember) { // c takes old's place in the round too: no count changes
            c.prevMember = old.prevMember;
            c.nextMember = old.nextMember;
            if (old.prevMember != null) old.prevMember.nextMember = c;
            else firstMember = c;
            if (old.nextMember != null) old.nextMember.prevMember = c;
            else lastMember = c;
            if (rr == old) rr = c;
            old.prevMember = old.nextMember = null;
        } else if (wasMember) {
            unlinkMember(old);
            count(-1);
        }
        if (c.parent == old) old.members = 0;
        c.parent = this;
        c.prevSibling = old.prevSibling;
        c.nextSibling = old.nextSibling;
        if (old.prevSibling != null) old.prevSibling.nextSibling = c;
        else firstChild = c;
        if (old.nextSibling != null) old.nextSibling.prevSibling = c;
        else lastChild = c;
        old.parent = old.prevSibling = old.nextSibling = null;
        if (isMember && !wasMember) {
            linkMember(c);
            count(1);
        }
    }

    /** A freed capability kept in the tree for the two or more that derive from it. */
    boolean placeholder() {
        return !live && firstChild != null;
    }

    /** Takes child c out of this one's children (and out of its round, with what c counted). */
    void removeChild(Cap c) {
        if (c.members > 0) {
            unlinkMember(c);
            count(-1);
        }
        if (c.prevSibling != null) c.prevSibling.nextSibling = c.nextSibling;
        else firstChild = c.nextSibling;
        if (c.nextSibling != null) c.nextSibling.prevSibling = c.prevSibling;
        else lastChild = c.prevSibling;
        c.parent = c.prevSibling = c.nextSibling = null;
    }

    // ---- the rounds of the CPU's shares (see Scheduler) ----

    /**
     * Its holder's thread starts (+1) or stops (-1) being counted in its round: it can run
     * now on this capability, or no longer (Scheduler.recount).
     */
    void holderRuns(int d) {
        count(d);
    }

    /**
     * Its members change by d (+1 or -1). One whose count leaves or reaches 0 joins or
     * leaves its parent's round, whose members so change by d too, and so on up; the walk
     * stops at the first that stays a member (or not).
     */
    private void count(int d) {
        for (Cap x = this;;) {
            boolean was = x.members > 0;
            x.members += d;
            Cap p = x.parent;
            if (was == x.members > 0 || p == null) return;
            if (was) p.unlinkMember(x);
            else p.linkMember(x);
            x = p;
        }
    }

    /** Makes child c the last in this one's round. */
    private void linkMember(Cap c) {
        c.prevMember = lastMember;
        c.nextMember = null;
        if (lastMember != null) lastMember.nextMember = c;
        else firstMember = c;
        lastMember = c;
    }

    /** Takes child c out of this one's round; a round that was to start at c starts at the next member. */
    private void unlinkMember(Cap c) {
        if (rr == c) rr = c.nextMember;
        if (c.prevMember != null) c.prevMember.nextMember = c.nextMember;
        else firstMember = c.nextMember;
        if (c.nextMember != null) c.nextMember.prevMember = c.prevMember;
        else lastMember = c.prevMember;
        c.prevMember = c.nextMember = null;
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
