package xv6j.exo;

/**
 * A memory quota: how many pages may be charged to it, and to every quota derived from it,
 * at once. Every page the kernel hands out or keeps for an environment is charged to one
 * (seL4's untyped memory, in spirit), so running out of memory is always some quota
 * running out, never the machine: the first environment's quota is all of RAM, and a
 * quota can only be derived smaller than its parent, whose charges include its own.
 *
 * <p>A CAP_MEMORY capability carries one; capgrant with a quota derives a new one, a plain
 * capgrant shares its source's. The object outlives its capabilities while pages charged
 * to it remain: they are uncharged from it, and its ancestors, when they are freed.
 */
final class Quota {
    /** How deep quotas may be derived: each charge walks the chain up to all of RAM. */
    static final int MAX_DEPTH = 128;

    final Quota parent;
    /** Its place in the chain: 0 for all of RAM. */
    final int depth;
    /** Pages that may be charged to it, its sub-quotas' charges included. */
    final long limit;
    /** Pages charged to it now, its sub-quotas' charges included. */
    long used;

    Quota(Quota parent, long limit) {
        this.parent = parent;
        this.limit = limit;
        this.depth = parent == null ? 0 : parent.depth + 1;
    }

    /** True if n more pages may be charged: to it and to every ancestor. */
    boolean canCharge(long n) {
        for (Quota q = this; q != null; q = q.parent) if (q.used + n > q.limit) return false;
        return true;
    }

    /** Charges n pages if it and every ancestor can take them; false (and no change) otherwise. */
    boolean charge(long n) {
        if (!canCharge(n)) return false;
        for (Quota q = this; q != null; q = q.parent) q.used += n;
        return true;
    }

    void uncharge(long n) {
        for (Quota q = this; q != null; q = q.parent) {
            q.used -= n;
            if (q.used < 0) throw new IllegalStateException("quota uncharged below zero");
        }
    }
}
