package xv6j.exo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A capability: a typed name for a resource with rights, held in one environment's table
 * under one handle, and a node of the derivation tree that revocation walks. Type, rights
 * and what it names never change; only the tree links and the owner's bookkeeping do.
 */
final class Cap {
    final int type;
    final int rights;
    /** PAGE: physical page number; MEMORY: first page number; BLOCKS: first block; others 0. */
    final long first;
    /** MEMORY: pages; BLOCKS: blocks; others 1. */
    final long count;
    /** ENV: the environment named; others null. */
    final Env target;

    /** The environment whose table holds it, and under which handle. */
    final Env owner;
    final int handle;
    /** What it was derived from (null for a root), and what was derived from it. */
    Cap parent;
    final Set<Cap> children = new LinkedHashSet<>();
    /** PAGE: the mappings made through it, removed with it. */
    final List<Mapping> mappings = new ArrayList<>();
    boolean live = true;

    Cap(int type, int rights, long first, long count, Env target, Env owner, int handle) {
        this.type = type;
        this.rights = rights;
        this.first = first;
        this.count = count;
        this.target = target;
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

    @Override
    public String toString() {
        return String.format("cap[type %d rights 0x%x first 0x%x count %d env %d handle %d]",
                type, rights, first, count, owner.id, handle);
    }
}
