package xv6j.machine;

/**
 * What compiled code ({@link xv6j.machine.jit.Region}) calls for a load or store: the
 * TLB probe, then (in the region's own bytecode) the access to {@link PhysicalMemory#ram}
 * as plain array bytecodes, or {@link PhysicalMemory#put8} and its kind for a narrow
 * store; and behind them the slow paths, out of line. What a fast path calls is under 35
 * bytes of bytecode, so HotSpot inlines it wherever it is, hot or not, in C1 as in C2:
 * a helper of 39 bytes for the whole access was left a call at most sites.
 *
 * <p>A load or store that misses (not in the TLB, misaligned, faulting, or a store to a
 * page with an LR reservation, which {@link Reservations} keeps out of every store TLB) leaves the region before
 * it, for the interpreter to make (and fill the TLB, or raise the trap): with no call on its
 * slow path, C2 keeps no spill code and no call state at each access, and a region's
 * bytecode is smaller (a load is about 45 bytes, not 80; a store about 30 fewer than with
 * the call it had). (Throwing the fault to a handler at each access was tried: HotSpot then
 * gave up compiling large regions, "too many stack slots used", and ran them in its
 * bytecode interpreter.)
 */
public final class CompiledAccess {
    private CompiledAccess() {}

    /**
     * Thrown by {@link #charge} when a region's budget does not cover its next block: one
     * instance, with no stack trace, caught by one handler in the region's method.
     */
    public static final OutOfBudget BUDGET_EXHAUSTED = new OutOfBudget();

    /** The type of {@link #BUDGET_EXHAUSTED}, which the handler catches. */
    public static final class OutOfBudget extends RuntimeException {
        private OutOfBudget() { super("a region's budget ran out", null, false, false); }
    }

    /**
     * A region's budget check at the start of a block of len instructions: left less len,
     * or {@link #BUDGET_EXHAUSTED} if left does not cover it. The test is here, not in the
     * region, so that its branch profile is this one method's, shared by every block of
     * every region: HotSpot sees it taken (a region's budget runs out once a call) and
     * keeps both ways. A test in each block, taken only in the block the budget happened
     * to run out in, was seen never taken in most, compiled as an uncommon trap, and
     * cost a deoptimization and a compile of the whole region each time it was taken.
     */
    public static int charge(int left, int len) {
        if (left < len) throw BUDGET_EXHAUSTED;
        return left - len;
    }

    /**
     * The probe of a load or store chained to an earlier access through the same base
     * register (unchanged since, in the same block of a region): base is that one's ram index and
     * delta the difference of their offsets. If base + delta is on the same page, it is
     * this load's index (the same TLB entry maps it, the region's TLB and address space
     * being fixed during a call), read from no TLB entry; else the probe of va, whose tag
     * is (va & tagMask) | ctx. Small enough to inline, and C2 places the probe's work
     * where it is used, on the slow branch.
     */
    public static int near(int base, int delta, long va, long tagMask, long ctx, long[] tlb) {
        if (((base & 0xfff) + delta) >>> 12 == 0) return base + delta;
        return probe(va, va & tagMask | ctx, tlb);
    }

    /** What {@link #codeWritten} returns when a store wrote the region's own page. */
    public static final int OWN_PAGE = 1;

    /**
     * The TLB probe of a compiled load or store: the ram index of va if tlb's entry for
     * it has the tag key ((va & tagMask) | the address space's context, made by the
     * caller: see {@link Mmu}), else -1. 32 bytes of bytecode, so HotSpot inlines it at
     * every site, in C1 as in C2.
     */
    public static int probe(long va, long key, long[] tlb) {
        int i = (int) (va >>> 11) & (Mmu.TLB_MASK << 1);
        if (tlb[i] != key) return -1;
        return (int) (va + tlb[i + 1]);
    }

    /**
     * The probe of a compiled load or store with {@link Mmu#DIRECT}: the ram index of va
     * from the address space's {@link DirectTlb}, table[va's page number] plus the offset,
     * or a negative number if the table has no entry (or va is beyond it) or va is not
     * aligned (align: the access's size less one). No hash, no tag: one load between the
     * address and the data's index. 34 bytes of bytecode, inlined everywhere.
     */
    public static int direct(long va, int align, int[] table) {
        if (va >>> 12 >= table.length) return -1;
        return table[(int) (va >>> 12)] + ((int) va & 0xfff) | -((int) va & align);
    }

    /**
     * The probe of a compiled load or store with {@link Mmu#DIRECT}, both windows of the
     * address space's {@link DirectTlb}: {@link #direct} in the low table; if that missed
     * and va lies past the low window's 4 GiB, the high window ({@link #directHigh}). One
     * helper for every access, 33 bytes of bytecode, so HotSpot inlines it (and
     * {@link #direct} in it) everywhere and a region carries no code of its own for the
     * high window: a miss below 4 GiB costs one more compare, and the profile of the
     * high branch is this method's, shared by every site (never taken, in a program that
     * never touches the window, so C2 leaves the call out of every site).
     */
    public static int direct2(long va, int align, int[] low, int[][] high) {
        int i = direct(va, align, low);
        if (i >= 0 || va >>> 32 == 0) return i;
        return directHigh(va, align, high);
    }

    /**
     * The probe of the high window of {@link DirectTlb} (a LibOS's own pages), which
     * {@link #direct2} makes only after the low table missed: the ram index of va from the
     * chunk of high that covers it, or a negative number as there.
     */
    static int directHigh(long va, int align, int[][] high) {
        long h = (va >>> 12) - DirectTlb.HIGH_VPN;
        if (h >>> 20 != 0) return -1; // below the window (h negative) or above it
        return high[(int) h >>> DirectTlb.CHUNK_BITS][(int) h & (DirectTlb.CHUNK - 1)] + ((int) va & 0xfff) | -((int) va & align);
    }

    /** {@link #near} with {@link #direct2}'s probe when base + delta leaves base's page. */
    public static int nearDirect(int base, int delta, long va, int align, int[] low, int[][] high) {
        if (((base & 0xfff) + delta) >>> 12 == 0) return base + delta;
        return direct2(va, align, low, high);
    }

    /**
     * {@link #nearDirect} for a delta of 4096 - limit, 0 to 4095 bytes on: base + delta if
     * that is on base's page, else {@link #direct2}'s probe of va. The test is one compare
     * of base's page offset with a constant (limit, pushed by the region), and base's page
     * offset is the same for every access chained to one base, so C2 computes it once a
     * block; {@link #nearDirect}'s test took an add, a shift and a test more an access.
     */
    public static int nearUp(int base, int limit, long va, int align, int[] low, int[][] high) {
        if ((base & 0xfff) < limit) return base + 4096 - limit;
        return direct2(va, align, low, high);
    }

    /** {@link #nearUp} for a delta of -lower, 1 to 4095 bytes back: base - lower if on base's page. */
    public static int nearDown(int base, int lower, long va, int align, int[] low, int[][] high) {
        if ((base & 0xfff) >= lower) return base - lower;
        return direct2(va, align, low, high);
    }

    /**
     * After a compiled store wrote the page (ram index >> 12) written, which had decoded
     * code: it drops it; OWN_PAGE if that was the region's own page.
     */
    public static int codeWritten(Object[] decoded, int written, int page) {
        decoded[written] = null;
        return written == page ? OWN_PAGE : 0;
    }
}
