package xv6j.machine;

import java.util.Arrays;

/**
 * A hart's linear windows: runs of virtual pages that the page table maps, with the same
 * right to one kind of access (load or store), to consecutive physical pages. Within a
 * window a virtual address becomes a ram index by one addition, so compiled code tests
 * {@code va - lo} unsigned against the window's size instead of probing the TLB (see
 * {@link CompiledAccess#windowed}); an address outside both windows probes the TLB as before.
 *
 * <p>A window is a TLB entry for many pages at once, and is exactly as exact as one: it is
 * made from a walk's neighbours only where a walk of them would put them in the TLB without
 * writing anything (A already set, and D for a store; not marked for LR/SC, see
 * {@link Reservations}; 4 KiB leaves in RAM, never MMIO), so every access it spares a walk
 * would have hit the TLB with the same result. It goes wherever the TLB's entries go: every
 * flush ({@code sfence.vma} in any form, a context-number wrap), and a store window that
 * holds a page {@link Reservations} marks (the shootdown). A store through it still drops
 * the page's decoded code, as a store through the TLB does.
 *
 * <p>Per kind, two windows: user memory has a guard page (no U) between the program and its
 * stack, so one run cannot cover both. Window 0 holds the largest run not holding the stack
 * pointer, window 1 the run that holds it, so that compiled code tries first the one its
 * base register points into (sp and s0: window 1), then the other. Each is three longs
 * in {@link #load} or {@link #store}: lo (a page's va), size (bytes, a multiple of 4 KiB;
 * 0 when empty) and the addend (ram index = va + addend), published after every change to
 * the {@link LinearWindow} objects compiled code reads ({@link #loadData} ...). They change
 * only between the hart's calls of compiled code (a fill, a flush, a shootdown all happen
 * on the hart's own thread outside compiled code, or while it does not run), so a call
 * may read each once.
 */
final class LinearWindows {
    /** The most pages a window reaches on each side of the page whose walk made it. */
    static final int REACH = Integer.getInteger("xv6j.window.reach", 2048);
    /**
     * Whether walks make windows and regions compiled from now on try them: off unless
     * -Dxv6j.window=true (round 21 in docs/design.md measured no gain). Either kind of
     * region is exact with or without windows, so regions of both may share the code cache.
     */
    private static volatile boolean enabled = "true".equals(System.getProperty("xv6j.window"));

    static boolean enabled() { return enabled; }

    /** For tests: turns windows on or off for regions compiled and walks made from now on. */
    static void enable(boolean on) { enabled = on; }

    /** -Dxv6j.window.trace=true: each window made, on stderr. */
    private static final boolean TRACE = Boolean.getBoolean("xv6j.window.trace");

    static final int LO = 0, SIZE = 1, ADDEND = 2, WORDS = 6;

    final long[] load = new long[WORDS], store = new long[WORDS];
    /** What compiled code reads: window 0 (data) and 1 (stack) of each kind. */
    final LinearWindow loadData = new LinearWindow(), loadStack = new LinearWindow(),
            storeData = new LinearWindow(), storeStack = new LinearWindow();
    /** The windows of address spaces not current, by context number (null: none). */
    private final long[][] savedLoad, savedStore;

    LinearWindows(int contexts) {
        savedLoad = new long[contexts][];
        savedStore = new long[contexts][];
    }

    /** Forgets every window of every address space. */
    void dropAll() {
        Arrays.fill(load, 0);
        Arrays.fill(store, 0);
        Arrays.fill(savedLoad, null);
        Arrays.fill(savedStore, null);
        publish();
    }

    /** The arrays' windows to the objects compiled code reads. */
    private void publish() {
        loadData.set(load[LO], load[SIZE], load[ADDEND]);
        loadStack.set(load[3 + LO], load[3 + SIZE], load[3 + ADDEND]);
        storeData.set(store[LO], store[SIZE], store[ADDEND]);
        storeStack.set(store[3 + LO], store[3 + SIZE], store[3 + ADDEND]);
    }

    /**
     * After a walk for a load (or a store) cached va's page at ram page ramPage: the run
     * around it becomes a window if it is in none ({@link #extend}).
     */
    void filled(boolean store, long va, int ramPage, long sp, java.util.function.LongToIntFunction next) {
        long[] w = store ? this.store : load;
        if (covers(w, va)) return;
        extend(w, va, ramPage, sp, next);
        publish();
    }

    /** The address space changes from context from to context to: their windows swap. */
    void switchContext(int from, int to) {
        if (from == to) return;
        savedLoad[from] = load.clone();
        savedStore[from] = store.clone();
        restore(load, savedLoad[to]);
        restore(store, savedStore[to]);
        savedLoad[to] = savedStore[to] = null;
        publish();
    }

    private static void restore(long[] w, long[] saved) {
        if (saved == null) Arrays.fill(w, 0);
        else System.arraycopy(saved, 0, w, 0, WORDS);
    }

    /** Whether va is in one of w's windows. */
    static boolean covers(long[] w, long va) {
        return Long.compareUnsigned(va - w[LO], w[SIZE]) < 0 || Long.compareUnsigned(va - w[3 + LO], w[3 + SIZE]) < 0;
    }

    /**
     * After a walk put va's page (at ram page ramPage) in the TLB: the run of pages around
     * it becomes window 1 of w if it holds sp, else window 0 if it overlaps that or is
     * larger. next answers, for a page's va, its ram page if a walk would cache it for
     * this kind of access without writing anything, else -1.
     */
    static void extend(long[] w, long va, int ramPage, long sp, java.util.function.LongToIntFunction next) {
        long pageVa = va & ~0xfffL, addend = ((long) ramPage << 12) - pageVa;
        long lo = pageVa, hi = pageVa + 4096;
        // Outwards page by page while the pages continue the run; a window of the same run
        // met on the way is taken whole (its pages were found so when it was made), so a
        // window that grows by a page at a time costs a page's look, not the whole run's.
        for (int n = 0; n < REACH && lo != 0; ) {
            int k = windowAt(w, lo, addend, true);
            if (k >= 0) { n += (int) (w[k + SIZE] >>> 12); lo = w[k + LO]; continue; }
            int p = next.applyAsInt(lo - 4096);
            if (p < 0 || ((long) p << 12) - (lo - 4096) != addend) break;
            lo -= 4096;
            n++;
        }
        for (int n = 0; n < REACH; ) {
            int k = windowAt(w, hi, addend, false);
            if (k >= 0) { n += (int) (w[k + SIZE] >>> 12); hi = w[k + LO] + w[k + SIZE]; continue; }
            int p = next.applyAsInt(hi);
            if (p < 0 || ((long) p << 12) - hi != addend) break;
            hi += 4096;
            n++;
        }
        int at = Long.compareUnsigned(sp - lo, hi - lo) < 0 ? 3 : 0;
        if (at == 0 && !overlaps(w, 0, lo, hi) && Long.compareUnsigned(hi - lo, w[SIZE]) <= 0) return; // the TLB holds it
        if (TRACE) System.err.printf("window %d: %x-%x at ram page %x%n", at / 3, lo, hi, ramPage);
        w[at + LO] = lo;
        w[at + SIZE] = hi - lo;
        w[at + ADDEND] = addend;
        // The other one may overlap the new run too (the run joined them): keep one copy.
        int other = 3 - at;
        if (overlaps(w, other, lo, hi)) { w[other + LO] = 0; w[other + SIZE] = 0; w[other + ADDEND] = 0; }
    }

    /** The window of w (0 or 3) with this addend that ends at (before: starts at) va, or -1. */
    private static int windowAt(long[] w, long va, long addend, boolean before) {
        for (int at = 0; at < WORDS; at += 3)
            if (w[at + SIZE] != 0 && w[at + ADDEND] == addend && (before ? w[at + LO] + w[at + SIZE] : w[at + LO]) == va) return at;
        return -1;
    }

    private static boolean overlaps(long[] w, int at, long lo, long hi) {
        long wlo = w[at + LO], whi = wlo + w[at + SIZE];
        return w[at + SIZE] != 0 && wlo < hi && lo < whi;
    }

    /** Drops the store windows (current or saved) that hold a page reservations marks. */
    void dropMarked(Reservations reservations) {
        dropMarked(store, reservations);
        for (long[] w : savedStore) if (w != null) dropMarked(w, reservations);
        publish();
    }

    private static void dropMarked(long[] w, Reservations reservations) {
        for (int at = 0; at < WORDS; at += 3) {
            if (w[at + SIZE] == 0) continue;
            int first = (int) ((w[at + LO] + w[at + ADDEND]) >>> 12), pages = (int) (w[at + SIZE] >>> 12);
            for (int p = first; p < first + pages; p++) {
                if (reservations.marked(p)) { w[at + LO] = 0; w[at + SIZE] = 0; w[at + ADDEND] = 0; break; }
            }
        }
    }
}
