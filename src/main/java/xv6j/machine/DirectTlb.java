package xv6j.machine;

import java.util.Arrays;

/**
 * A TLB indexed by virtual page number, for one kind of access (load or store) in one
 * address space: entry vpn is the ram index of the 4 KiB page the walk found for it, or
 * {@link #MISS}. Compiled code reads it with no hash and no tag (see
 * {@link CompiledAccess#direct}): the address space is the table, the page number its
 * index, and the array's length the range check.
 *
 * <p>The {@link Mmu} keeps it beside its hashed TLBs (with {@code -Dxv6j.jit.direct=true})
 * and keeps it no looser than they are: it fills an entry only where it fills a TLB entry
 * (after a walk that set A, and for a store D, and never for a page marked for LR), and
 * drops entries wherever TLB entries go (every form of sfence.vma, the context numbers'
 * wrap, LR's shootdown). Unlike a hashed entry, one here is never pushed out by a
 * neighbour, so every page a TLB holds has its entry here too, and what this holds beyond
 * the TLB is only what a TLB may hold: translations walked and not flushed since.
 */
final class DirectTlb {
    /** An entry that maps nothing; also negative after a page offset is added to it. */
    static final int MISS = Integer.MIN_VALUE;
    /** The pages a table may cover, from virtual address 0: 4 GiB (Bare mode's RAM starts at 2 GiB). */
    static final int MAX_PAGES = 1 << 20;
    private static final int[] NONE = {};

    /**
     * The entries all the tables of one MMU may hold between them (4 M, 16 MiB): a guest
     * that maps a page near 4 GiB in each of many address spaces would otherwise have the
     * host's memory (4 MiB a table, two tables a space, 510 spaces a hart). A table that
     * cannot grow leaves the page to the TLB, as one past {@link #MAX_PAGES} is left.
     */
    static final long ROOM = 1L << 22;

    /** What the tables of one MMU may still take, in entries. */
    static final class Room {
        private long left;

        Room(long entries) { left = entries; }

        boolean take(long entries) {
            if (entries > left) return false;
            left -= entries;
            return true;
        }
    }

    private final Room room;
    /** Read by compiled code once per call (a fill between calls may replace it). */
    int[] entries = NONE;
    /** The entries that may be filled lie in [lo, hi]: a clear costs what was used. */
    private int lo = Integer.MAX_VALUE, hi = -1;

    DirectTlb(Room room) { this.room = room; }

    /** Maps the page at pageVa to ram index ramPage (a page's start), if the table may cover it. */
    void fill(long pageVa, int ramPage) {
        long vpn = pageVa >>> 12;
        if (vpn >= MAX_PAGES) return; // left to the TLB: compiled accesses there leave their region
        int v = (int) vpn;
        if (v >= entries.length && !grow(v)) return; // (so is one the room has no space for)
        entries[v] = ramPage;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
    }

    private boolean grow(int v) {
        int n = Math.min(MAX_PAGES, Math.max(64, Integer.highestOneBit(v) << 1));
        int old = entries.length;
        if (!room.take(n - old)) return false;
        entries = Arrays.copyOf(entries, n);
        Arrays.fill(entries, old, n, MISS);
        return true;
    }

    /** Forgets every translation. */
    void clear() {
        if (hi >= lo) Arrays.fill(entries, lo, hi + 1, MISS);
        lo = Integer.MAX_VALUE;
        hi = -1;
    }

    /** Forgets the translation of va's page. */
    void clear(long va) {
        long vpn = va >>> 12;
        if (vpn < entries.length) entries[(int) vpn] = MISS;
    }

    /** Forgets the translations to pages (ram index >> 12) that reservations has marked. */
    void dropMarked(Reservations reservations) {
        for (int v = lo; v <= hi; v++) {
            int e = entries[v];
            if (e != MISS && reservations.marked(e >>> 12)) entries[v] = MISS;
        }
    }

    /** What {@link #forEach} reports: one translation held. */
    interface Visitor { void visit(long pageVa, int ramPage); }

    /** Calls v with each translation held. */
    void forEach(Visitor v) {
        for (int i = lo; i <= hi; i++) if (entries[i] != MISS) v.visit((long) i << 12, entries[i]);
    }
}
