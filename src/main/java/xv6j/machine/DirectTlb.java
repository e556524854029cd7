package xv6j.machine;

import java.util.Arrays;

/**
 * A TLB indexed by virtual page number, for one kind of access (load or store) in one
 * address space: entry vpn is the ram index of the 4 KiB page the walk found for it, or
 * {@link #MISS}. Compiled code reads it with no hash and no tag (see
 * {@link CompiledAccess#direct}): the address space is the table, the page number its
 * index, and the array's length the range check.
 *
 * <p>Two windows of the Sv39 space are covered. The low one, from virtual address 0 up to
 * 4 GiB, is one flat array ({@link #entries}): a program's text, data, stack and heap,
 * where compiled code spends its time, cost one load. The high one is the top 4 GiB of
 * the user half (from {@link #HIGH_BASE} to 2^38), where a LibOS keeps its own pages
 * (kernel-exo's: its uproc, IPC pages, pipes, software page tables, the file server's
 * stacks), far apart: it is a directory of 2 MiB chunks ({@link #high}), each chunk a
 * page table of 512 entries made when a page in it is first filled, so it costs what is
 * filled, and compiled code reaches it only after the low window missed
 * ({@link CompiledAccess#direct2}). A page in neither window is left to the TLB: a
 * compiled access to it leaves its region.
 *
 * <p>The {@link Mmu} keeps it beside its hashed TLBs (unless {@code -Dxv6j.jit.direct=false})
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
    /** The pages the low window may cover, from virtual address 0: 4 GiB (Bare mode's RAM starts at 2 GiB). */
    static final int MAX_PAGES = 1 << 20;
    private static final int[] NONE = {};

    /** The high window's first page: 4 GiB below the top of Sv39's user half (2^38). */
    static final long HIGH_BASE = (1L << 38) - (1L << 32);
    static final long HIGH_VPN = HIGH_BASE >>> 12;
    /** The high window's pages, and a chunk's: 2 MiB, a level-1 page table's span. */
    static final int HIGH_PAGES = 1 << 20, CHUNK_BITS = 9, CHUNK = 1 << CHUNK_BITS;
    /** The chunk of every slot not yet filled: all {@link #MISS}, shared, never written. */
    private static final int[] EMPTY_CHUNK = new int[CHUNK];
    /** The directory of a table with no high page yet: every chunk empty, shared, never written. */
    private static final int[][] EMPTY_DIRECTORY = new int[HIGH_PAGES >>> CHUNK_BITS][];
    static {
        Arrays.fill(EMPTY_CHUNK, MISS);
        Arrays.fill(EMPTY_DIRECTORY, EMPTY_CHUNK);
    }

    /**
     * The entries all the tables of one MMU may hold between them (4 M, 16 MiB): a guest
     * that maps a page near 4 GiB in each of many address spaces would otherwise have the
     * host's memory (4 MiB a table, two tables a space, 510 spaces a hart). A table that
     * cannot grow, or make a chunk of its high window, leaves the page to the TLB, as a
     * page outside both windows is left.
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
    /**
     * Read by compiled code once per call, through the {@link Mmu}'s copy ({@code
     * Mmu.loadLow}), which the MMU sets again after every fill (a fill may replace it).
     */
    int[] entries = NONE;
    /** The entries that may be filled lie in [lo, hi]: a clear costs what was used. */
    private int lo = Integer.MAX_VALUE, hi = -1;
    /**
     * The high window: chunk i holds pages HIGH_VPN + i * CHUNK on. Read by compiled code
     * once per call, as entries is (the MMU's copy); a fill may replace it or a chunk in it.
     */
    int[][] high = EMPTY_DIRECTORY;
    /** The chunks of high made so far (their indexes), in the order made: what a clear visits. */
    private int[] made = NONE;
    private int madeCount;

    /**
     * Where entries were filled since the last {@link #clear()}, for {@link #dropMarked}:
     * a low page v as v, a high-window page h as ~h; a slot filled again after a clear of
     * its page is listed again. An LR's shootdown scanned each table's whole filled range
     * and every chunk made, so one raw environment that touched a page at 0 and one just
     * under 4 GiB made every other LR's shootdown visit a million entries; now it visits
     * what was filled. Past {@link #FILLED_MAX} fills the list stops, and the next
     * shootdown clears the table instead (one flush, paid for by those fills).
     */
    private int[] filled = NONE;
    private int filledCount;
    private boolean filledOver;
    static final int FILLED_MAX = 1 << 10;
    /** Entries the last {@link #dropMarked} looked at (a test's figure). */
    int dropVisited;

    /** Whether this table keeps {@link #filled}: a store table's does (only those see {@link #dropMarked}). */
    private final boolean listsFills;

    /** A table drawing on room; forStores: one an LR's shootdown will visit ({@link #dropMarked}). */
    DirectTlb(Room room, boolean forStores) {
        this.room = room;
        this.listsFills = forStores;
    }

    /** Lists slot (v, or ~h for the high window) as filled, unless the list is full. */
    private void filledAt(int slot) {
        if (!listsFills || filledOver) return;
        if (filledCount == filled.length) {
            if (filledCount == FILLED_MAX) {
                filledOver = true;
                return;
            }
            filled = Arrays.copyOf(filled, Math.max(8, 2 * filledCount));
        }
        filled[filledCount++] = slot;
    }

    /** Maps the page at pageVa to ram index ramPage (a page's start), if the table may cover it. */
    void fill(long pageVa, int ramPage) {
        long vpn = pageVa >>> 12;
        if (vpn >= MAX_PAGES) {
            fillHigh(vpn - HIGH_VPN, ramPage);
            return;
        }
        int v = (int) vpn;
        if (v >= entries.length && !grow(v)) return; // (so is one the room has no space for)
        if (entries[v] == MISS) filledAt(v);
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

    /** Fills page h of the high window (h: its index there), making its chunk (and the directory) if the room allows. */
    private void fillHigh(long h, int ramPage) {
        if (h < 0 || h >= HIGH_PAGES) return; // in neither window: left to the TLB
        int c = (int) h >>> CHUNK_BITS;
        if (high[c] == EMPTY_CHUNK) {
            boolean first = high == EMPTY_DIRECTORY;
            if (!room.take(CHUNK + (first ? EMPTY_DIRECTORY.length : 0))) return;
            if (first) high = EMPTY_DIRECTORY.clone();
            int[] chunk = new int[CHUNK];
            Arrays.fill(chunk, MISS);
            high[c] = chunk;
            if (madeCount == made.length) made = Arrays.copyOf(made, Math.max(8, 2 * madeCount));
            made[madeCount++] = c;
        }
        if (high[c][(int) h & (CHUNK - 1)] == MISS) filledAt(~(int) h);
        high[c][(int) h & (CHUNK - 1)] = ramPage;
    }

    /** Forgets every translation. */
    void clear() {
        if (hi >= lo) Arrays.fill(entries, lo, hi + 1, MISS);
        lo = Integer.MAX_VALUE;
        hi = -1;
        for (int i = 0; i < madeCount; i++) Arrays.fill(high[made[i]], MISS); // kept: the space will likely fill them again
        filledCount = 0;
        filledOver = false;
    }

    /** Forgets the translation of va's page. */
    void clear(long va) {
        long vpn = va >>> 12;
        if (vpn < entries.length) entries[(int) vpn] = MISS;
        long h = vpn - HIGH_VPN;
        if (h >= 0 && h < HIGH_PAGES && high[(int) h >>> CHUNK_BITS] != EMPTY_CHUNK) high[(int) h >>> CHUNK_BITS][(int) h & (CHUNK - 1)] = MISS;
    }

    /** Forgets the translations to pages (ram index >> 12) that reservations has marked. */
    void dropMarked(Reservations reservations) {
        if (!listsFills) throw new IllegalStateException("a load table keeps no list of its fills");
        if (filledOver) { // (more fills than the list keeps: all go, at the cost of one clear)
            dropVisited = Math.max(0, hi - lo + 1) + madeCount * CHUNK;
            clear();
            return;
        }
        dropVisited = filledCount;
        for (int i = 0; i < filledCount; i++) {
            int slot = filled[i];
            int[] table = slot >= 0 ? entries : high[~slot >>> CHUNK_BITS];
            int at = slot >= 0 ? slot : ~slot & (CHUNK - 1);
            int e = table[at];
            if (e != MISS && reservations.marked(e >>> 12)) table[at] = MISS;
        }
    }

    /** What {@link #forEach} reports: one translation held. */
    interface Visitor { void visit(long pageVa, int ramPage); }

    /** Calls v with each translation held. */
    void forEach(Visitor v) {
        for (int i = lo; i <= hi; i++) if (entries[i] != MISS) v.visit((long) i << 12, entries[i]);
        for (int i = 0; i < madeCount; i++) {
            int[] chunk = high[made[i]];
            long first = HIGH_BASE + ((long) made[i] << (CHUNK_BITS + 12));
            for (int j = 0; j < CHUNK; j++) if (chunk[j] != MISS) v.visit(first + ((long) j << 12), chunk[j]);
        }
    }
}
