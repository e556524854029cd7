package xv6j.machine.jit;

import xv6j.machine.Mmu;

/**
 * The TLB probe compiled code makes for every load and store, as one small method
 * HotSpot inlines (C1 too: it is under 35 bytes of bytecode), so each access site in a
 * region costs a call instruction's worth of bytecode rather than the whole probe: a
 * region's method must stay small for HotSpot to compile it at all.
 */
public final class Tlb {
    private Tlb() {}

    /**
     * The ram index of va if tlb maps it: the entry's tag must equal va's page with the
     * low bits tagMask keeps (those that must be 0 for the access to be aligned) and the
     * address space's context; else -1 (a miss, for the hart's slow path).
     */
    public static int index(long[] tlb, long va, long tagMask, long ctx) {
        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
        return tlb[i] == ((va & tagMask) | ctx) ? (int) (va + tlb[i + 1]) : -1;
    }
}
