package xv6j.machine;

import java.util.Arrays;

/**
 * A hart's memory-management unit: Sv39 translation of user virtual addresses by walking
 * page tables that live in {@link PhysicalMemory}, exactly as the RISC-V privileged
 * specification describes (section "Sv39: Page-Based 39-bit Virtual-Memory System"), with
 * software TLBs in front. Every access is a user-mode access: a leaf PTE must have U set.
 *
 * <p>Three direct-mapped TLBs (fetch, load, store) of {@value #TLB_SIZE} entries each
 * cache translations of 4 KiB pages. An entry holds what the interpreter's fast path needs
 * and nothing more: a tag (the page's virtual address ORed with an address-space context
 * number in bits 3..11) and the addend that turns a virtual address into an index of
 * {@code mem.ram}. A load or store of n bytes hits when
 * {@code tag == (va & ~(0xfff & ~(n-1))) | ctxKey}; that one comparison checks the page,
 * the address space and natural alignment together. Entries are filled only by walks for
 * their own kind of access, so a page read but never written has no store entry until a
 * store walk has set its D bit.
 *
 * <p>Like hardware, the Mmu never flushes by itself when page tables or satp change: the
 * kernel calls the flush methods where it would execute {@code sfence.vma}. (A TLB may
 * drop entries at any time, and this one does when it runs out of context numbers.)
 */
public final class Mmu {
    public static final long PAGE_FAULT = -1, ACCESS_FAULT = -2;

    public enum Access { FETCH, LOAD, STORE }

    public static final int TLB_BITS = 10;
    static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;
    /** A tag no lookup key can equal: keys never have all of bits 3..11 set. */
    static final long INVALID = -1L;

    // Page-table entry bits.
    public static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32,
            PTE_A = 64, PTE_D = 128;
    static final long PPN_MASK = (1L << 44) - 1;
    public static final long SATP_MODE_BARE = 0, SATP_MODE_SV39 = 8;

    private static final int BARE_SPACE = 1 << 16;
    private static final int MAX_CTX = 510;

    /**
     * The TLBs. Entry i is two longs: at [2i] its tag, at [2i+1] the addend that makes
     * a virtual address of the page an index of ram (ram index = va + addend). Both
     * halves in one array: a lookup reads one cache line and one array reference.
     */
    final long[] fetchTlb = new long[2 * TLB_SIZE], loadTlb = new long[2 * TLB_SIZE], storeTlb = new long[2 * TLB_SIZE];
    /** Per entry: bits 0-1 = page-table level of the leaf (0 = 4 KiB), bit 2 = global. */
    private final byte[] fetchInfo = new byte[TLB_SIZE], loadInfo = new byte[TLB_SIZE], storeInfo = new byte[TLB_SIZE];

    private final PhysicalMemory mem;
    private long satp;
    /** The current context number shifted into tag bits 3..11. */
    long ctxKey;
    /** Context number of each address space (ASID, or BARE_SPACE), 0 if none yet. */
    private final int[] ctxOfSpace = new int[BARE_SPACE + 1];
    private final int[] spaceOfCtx = new int[MAX_CTX + 1];
    private int nextCtx = 1;
    /** True while some TLB entry came from a superpage (flush by va must then search). */
    private boolean superpages;
    /**
     * Pages with an LR reservation are kept out of the store TLB (see {@link Reservations}):
     * every store to one takes the slow path, which breaks the reservations it overlaps;
     * the fast path stays free of that test.
     */
    private final Reservations reservations;

    /**
     * Whether compiled code reads {@link DirectTlb}s (the default; -Dxv6j.jit.direct=false
     * leaves them out): the MMU then keeps one per kind and address space beside the TLBs;
     * off, it keeps none, and compiled code probes the hashed TLBs (docs/design.md,
     * rounds 24 to 26).
     */
    public static final boolean DIRECT = !"false".equals(System.getProperty("xv6j.jit.direct"));
    /** What this MMU's direct TLBs may hold between them. */
    private final DirectTlb.Room directRoom = new DirectTlb.Room(DirectTlb.ROOM);
    /** Per context number, the load and store {@link DirectTlb}s (made when first used). */
    private final DirectTlb[] loadDirectOf = DIRECT ? new DirectTlb[MAX_CTX + 1] : null,
            storeDirectOf = DIRECT ? new DirectTlb[MAX_CTX + 1] : null;
    /** The current address space's; null unless DIRECT. */
    DirectTlb loadDirect, storeDirect;
    /**
     * What compiled code reads at a region's entry: the current address space's direct
     * TLBs' arrays (their low tables and high directories), one field load each from the
     * MMU, where reaching them through {@link #loadDirect} took one more each. A fill may
     * replace an array (a table grows, a directory is made), so every fill and every
     * switch of space ends in {@link #publishDirect}, the one place they are set: a
     * region never sees a table the MMU has replaced or a space it has left.
     */
    int[] loadLow, storeLow;
    int[][] loadHigh, storeHigh;

    // Results of the last walk besides the address.
    private int walkLevel;
    private boolean walkGlobal;

    public Mmu(PhysicalMemory mem) {
        this.mem = mem;
        this.reservations = mem.reservations;
        flush();
        setSatp(0);
    }

    /**
     * Sets satp: MODE in bits 63:60 (0 = Bare, 8 = Sv39), ASID in 59:44, root page-table
     * PPN in 43:0. Does not flush the TLBs.
     *
     * @throws IllegalArgumentException for a MODE other than Bare or Sv39 (a kernel bug)
     */
    public void setSatp(long satp) {
        long mode = satp >>> 60;
        if (mode != SATP_MODE_BARE && mode != SATP_MODE_SV39)
            throw new IllegalArgumentException(String.format("satp mode %d is not supported (0 = Bare, 8 = Sv39)", mode));
        this.satp = satp;
        int space = mode == SATP_MODE_BARE ? BARE_SPACE : (int) (satp >>> 44) & 0xffff;
        int ctx = ctxOfSpace[space];
        if (ctx == 0) {
            if (nextCtx > MAX_CTX) { // out of context numbers: start over with empty TLBs
                flush();
                Arrays.fill(ctxOfSpace, 0);
                nextCtx = 1;
            }
            ctx = nextCtx++;
            ctxOfSpace[space] = ctx;
            spaceOfCtx[ctx] = space;
        }
        ctxKey = (long) ctx << 3;
        if (DIRECT) {
            if (loadDirectOf[ctx] == null) {
                loadDirectOf[ctx] = new DirectTlb(directRoom, false);
                storeDirectOf[ctx] = new DirectTlb(directRoom, true);
            }
            loadDirect = loadDirectOf[ctx];
            storeDirect = storeDirectOf[ctx];
            publishDirect();
        }
    }

    /** Sets the arrays compiled code reads from the current space's direct TLBs (see {@link #loadLow}). */
    private void publishDirect() {
        loadLow = loadDirect.entries;
        storeLow = storeDirect.entries;
        loadHigh = loadDirect.high;
        storeHigh = storeDirect.high;
    }

    public long satp() { return satp; }

    /** sfence.vma x0, x0: forget every translation. */
    public void flush() {
        Arrays.fill(fetchTlb, INVALID);
        Arrays.fill(loadTlb, INVALID);
        Arrays.fill(storeTlb, INVALID);
        superpages = false;
        if (DIRECT) for (int c = 1; c <= MAX_CTX; c++) {
            if (loadDirectOf[c] == null) continue;
            loadDirectOf[c].clear();
            storeDirectOf[c].clear();
        }
    }

    /** sfence.vma va, x0: forget translations of va in every address space, global ones too. */
    public void flush(long va) { flushMatching(va, -1); }

    /** sfence.vma x0, asid: forget the address space's translations, except global ones. */
    public void flushAsid(int asid) { flushMatching(0, asid & 0xffff); }

    /** sfence.vma va, asid: forget the address space's translations of va, except global ones. */
    public void flush(long va, int asid) { flushMatching(va, asid & 0xffff | 1 << 17); }

    /** who: -1 = va in all spaces; an ASID = all of that space; ASID | 1<<17 = va in that space. */
    private void flushMatching(long va, int who) {
        flushMatching(fetchTlb, fetchInfo, va, who);
        flushMatching(loadTlb, loadInfo, va, who);
        flushMatching(storeTlb, storeInfo, va, who);
        if (DIRECT) directFlush(va, who);
    }

    private void flushMatching(long[] tlb, byte[] info, long va, int who) {
        boolean byVa = who < 0 || (who >>> 17) != 0;
        int asid = who & 0xffff;
        if (byVa && !superpages) { // only the one slot can hold va
            int i = (int) (va >>> 12) & TLB_MASK;
            long t = tlb[2 * i];
            if (t != INVALID && ((t ^ va) & ~0xfffL) == 0 && (who < 0 || spaceMatches(t, info[i], asid)))
                tlb[2 * i] = INVALID;
            return;
        }
        for (int i = 0; i < TLB_SIZE; i++) {
            long t = tlb[2 * i];
            if (t == INVALID) continue;
            if (byVa) {
                int shift = 12 + 9 * (info[i] & 3); // an entry from a superpage stands for all of it
                if (((t & ~0xfffL) >> shift) != (va >> shift)) continue;
            }
            if (who < 0 || spaceMatches(t, info[i], asid)) tlb[2 * i] = INVALID;
        }
    }

    /**
     * The direct TLBs' part of sfence.vma with a va or an ASID, after the TLBs' own: the
     * entries it names go from the direct TLBs of the spaces it names (by va: that page,
     * or with superpages cached the whole table; by ASID: the whole table), and then each
     * entry the TLBs kept in those spaces (a global page, another page of the slot) is put
     * back, so the direct TLBs hold every translation the TLBs hold, and nothing flushed.
     */
    private void directFlush(long va, int who) {
        boolean byVa = who < 0 || (who >>> 17) != 0;
        int only = who < 0 ? 0 : ctxOfSpace[who & 0xffff]; // 0: every space
        if (who >= 0 && only == 0) return; // a space with no context number has no entries
        for (int c = only == 0 ? 1 : only; c <= (only == 0 ? MAX_CTX : only); c++) {
            if (loadDirectOf[c] == null) continue;
            if (byVa && !superpages) {
                loadDirectOf[c].clear(va);
                storeDirectOf[c].clear(va);
            } else {
                loadDirectOf[c].clear();
                storeDirectOf[c].clear();
            }
        }
        int from = 0, to = TLB_SIZE;
        if (byVa && !superpages) to = (from = (int) (va >>> 12) & TLB_MASK) + 1;
        for (int i = from; i < to; i++) {
            refill(loadTlb, loadDirectOf, i, only);
            refill(storeTlb, storeDirectOf, i, only);
        }
        publishDirect(); // a refill may have grown the current space's tables
    }

    /** Puts TLB entry i back into its space's direct TLB, if it holds one and its space is only's (0: any). */
    private static void refill(long[] tlb, DirectTlb[] directOf, int i, int only) {
        long t = tlb[2 * i];
        if (t == INVALID) return;
        int c = (int) (t >>> 3) & 0x1ff;
        if (only != 0 && c != only) return;
        long pageVa = t & ~0xfffL;
        directOf[c].fill(pageVa, (int) (pageVa + tlb[2 * i + 1]));
    }

    private boolean spaceMatches(long tag, byte info, int asid) {
        return (info & 4) == 0 && spaceOfCtx[(int) (tag >>> 3) & 0x1ff] == asid;
    }

    /** One translation a TLB holds, as {@link #forEachCached} reports it. */
    @FunctionalInterface
    public interface CachedVisitor {
        /** asid is -1 for Bare mode; va and pa are the 4 KiB page's addresses. */
        void visit(Access access, long va, int asid, long pa);
    }

    /**
     * Calls v with every translation the TLBs hold: for a kernel's consistency checks (a
     * TLB the kernel takes as current must agree with the page tables). The hart must not
     * be running.
     */
    public void forEachCached(CachedVisitor v) {
        forEachCached(Access.FETCH, fetchTlb, v);
        forEachCached(Access.LOAD, loadTlb, v);
        forEachCached(Access.STORE, storeTlb, v);
        if (DIRECT) for (int c = 1; c <= MAX_CTX; c++) {
            if (loadDirectOf[c] == null) continue;
            int space = spaceOfCtx[c];
            int asid = space == BARE_SPACE ? -1 : space;
            loadDirectOf[c].forEach((va, ram) -> v.visit(Access.LOAD, va, asid, PhysicalMemory.BASE + ram));
            storeDirectOf[c].forEach((va, ram) -> v.visit(Access.STORE, va, asid, PhysicalMemory.BASE + ram));
        }
    }

    private void forEachCached(Access access, long[] tlb, CachedVisitor v) {
        for (int i = 0; i < TLB_SIZE; i++) {
            long t = tlb[2 * i];
            if (t == INVALID) continue;
            int space = spaceOfCtx[(int) (t >>> 3) & 0x1ff];
            long va = t & ~0xfffL;
            v.visit(access, va, space == BARE_SPACE ? -1 : space, PhysicalMemory.BASE + va + tlb[2 * i + 1]);
        }
    }

    /**
     * Translates a user virtual address for an access, setting the PTE's A (and for a
     * store D) bit as hardware does, and caches the translation.
     *
     * @return the physical address, or {@link #PAGE_FAULT} or {@link #ACCESS_FAULT}
     */
    public long translate(long va, Access access) {
        long[] tlb;
        byte[] info;
        switch (access) {
            case FETCH -> { tlb = fetchTlb; info = fetchInfo; }
            case LOAD -> { tlb = loadTlb; info = loadInfo; }
            default -> { tlb = storeTlb; info = storeInfo; }
        }
        int i = (int) (va >>> 12) & TLB_MASK;
        long pageVa = va & ~0xfffL;
        if (tlb[2 * i] == (pageVa | ctxKey)) return PhysicalMemory.BASE + va + tlb[2 * i + 1];
        long pa = walk(va, access);
        if (pa < 0) return pa;
        long ramPage = (pa & ~0xfffL) - PhysicalMemory.BASE;
        if (access != Access.STORE || !reservations.marked((int) (ramPage >>> 12))) {
            tlb[2 * i] = pageVa | ctxKey;
            tlb[2 * i + 1] = ramPage - pageVa;
            info[i] = (byte) (walkLevel | (walkGlobal ? 4 : 0));
            if (walkLevel > 0) superpages = true;
            if (DIRECT && access != Access.FETCH) {
                (access == Access.LOAD ? loadDirect : storeDirect).fill(pageVa, (int) ramPage);
                publishDirect(); // the fill may have grown the table or made the directory
            }
        }
        return pa;
    }

    /**
     * Drops the store-TLB entries of pages {@link Reservations} has marked (the hart's part
     * of a shootdown); translate fills none for them while they stay marked.
     */
    void dropMarkedStoreEntries() {
        for (int i = 0; i < TLB_SIZE; i++) {
            long t = storeTlb[2 * i];
            if (t != INVALID && reservations.marked((int) (((t & ~0xfffL) + storeTlb[2 * i + 1]) >>> 12))) storeTlb[2 * i] = INVALID;
        }
        if (DIRECT) for (int c = 1; c <= MAX_CTX; c++) if (storeDirectOf[c] != null) storeDirectOf[c].dropMarked(reservations);
    }

    /** The page-table walk of the privileged specification, for a user-mode access. */
    private long walk(long va, Access access) {
        if ((satp >>> 60) == SATP_MODE_BARE) {
            walkLevel = 0;
            walkGlobal = false;
            return mem.contains(va & ~0xfffL, PhysicalMemory.PAGE_SIZE) ? va : ACCESS_FAULT;
        }
        // Sv39 addresses are 39 bits, sign-extended: bits 63:39 must all equal bit 38.
        if ((va << 25) >> 25 != va) return PAGE_FAULT;
        retry:
        while (true) {
            long table = (satp & PPN_MASK) << 12;
            boolean global = false;
            for (int level = 2; level >= 0; level--) {
                long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
                if (!mem.contains(pteAddr, 8)) return ACCESS_FAULT;
                long pte = mem.loadVolatile64(pteAddr);
                // Invalid; W without R (reserved); bits 63:54 set (reserved: no Svnapot, Svpbmt).
                if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte >>> 54) != 0) return PAGE_FAULT;
                global |= (pte & PTE_G) != 0; // a global pointer makes the whole subtree global
                long ppn = (pte >>> 10) & PPN_MASK;
                if ((pte & (PTE_R | PTE_X)) == 0) { // pointer to the next level
                    // A, D and U are reserved in non-leaf PTEs.
                    if ((pte & (PTE_A | PTE_D | PTE_U)) != 0) return PAGE_FAULT;
                    table = ppn << 12;
                    continue;
                }
                if ((pte & PTE_U) == 0) return PAGE_FAULT;
                long need = switch (access) { case FETCH -> PTE_X; case LOAD -> PTE_R; case STORE -> PTE_W; };
                if ((pte & need) == 0) return PAGE_FAULT;
                long offsetMask = (1L << (12 + 9 * level)) - 1;
                if (((ppn << 12) & offsetMask) != 0) return PAGE_FAULT; // misaligned superpage
                long pa = ((ppn << 12) & ~offsetMask) | (va & offsetMask);
                if (!mem.contains(pa & ~0xfffL, PhysicalMemory.PAGE_SIZE)) return ACCESS_FAULT;
                long ad = PTE_A | (access == Access.STORE ? PTE_D : 0);
                // Hardware A/D update: atomic, and only if the PTE is still what we checked.
                if ((pte & ad) != ad && !mem.cas64(pteAddr, pte, pte | ad)) continue retry;
                walkLevel = level;
                walkGlobal = global;
                return pa;
            }
            return PAGE_FAULT; // a pointer at level 0
        }
    }
}
