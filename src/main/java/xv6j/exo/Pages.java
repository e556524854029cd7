package xv6j.exo;

import java.util.BitSet;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * Who uses each physical page. A page is free when no capability names it and it is not
 * a page-table page; a page named by a capability may also be mapped. Pages are handed
 * out lowest first, so runs are reproducible. Physical page numbers are physical
 * addresses / 4096, as exo.h exposes them.
 */
final class Pages {
    private final PhysicalMemory mem;
    /** Physical page number of the first page of RAM. */
    final long basePpn;
    final int npages;
    private final BitSet free = new BitSet();
    /** Per page: capabilities naming it, mappings of it, and the environment whose page table it is part of (0: none). */
    final int[] capRefs;
    final int[] mapRefs;
    final int[] ptOwner;

    Pages(PhysicalMemory mem) {
        this.mem = mem;
        this.basePpn = PhysicalMemory.BASE >>> PageTable.PGSHIFT;
        this.npages = mem.pages();
        this.capRefs = new int[npages];
        this.mapRefs = new int[npages];
        this.ptOwner = new int[npages];
        free.set(0, npages);
    }

    long endPpn() {
        return basePpn + npages;
    }

    boolean inRam(long ppn) {
        return ppn >= basePpn && ppn < endPpn();
    }

    int index(long ppn) {
        return (int) (ppn - basePpn);
    }

    static long pa(long ppn) {
        return ppn << PageTable.PGSHIFT;
    }

    boolean isFree(long ppn) {
        return free.get(index(ppn));
    }

    int freeCount() {
        return free.cardinality();
    }

    /** The lowest free page in [first, first+count), or -1. */
    long findFree(long first, long count) {
        long lo = Math.max(first, basePpn);
        long hi = Math.min(first + count, endPpn());
        if (lo >= hi) return -1;
        int i = free.nextSetBit(index(lo));
        return i >= 0 && i < index(hi) ? basePpn + i : -1;
    }

    /** Takes a free page for a new capability (which then calls capRef) and zeroes it. */
    void take(long ppn) {
        int i = index(ppn);
        if (!free.get(i)) throw new IllegalStateException("page 0x" + Long.toHexString(ppn) + " is not free");
        free.clear(i);
        mem.fill(pa(ppn), PageTable.PGSIZE, (byte) 0);
    }

    /** A zeroed page-table page of environment envId, or 0 if RAM is used up. */
    long allocTable(int envId) {
        int i = free.nextSetBit(0);
        if (i < 0) return 0;
        free.clear(i);
        ptOwner[i] = envId;
        long pa = pa(basePpn + i);
        mem.fill(pa, PageTable.PGSIZE, (byte) 0);
        return pa;
    }

    void freeTable(long pa) {
        int i = index(pa >>> PageTable.PGSHIFT);
        if (ptOwner[i] == 0) throw new IllegalStateException("not a page-table page: 0x" + Long.toHexString(pa));
        ptOwner[i] = 0;
        free.set(i);
    }

    void capRef(long ppn) {
        capRefs[index(ppn)]++;
    }

    /** One capability for the page is gone; frees it when it was the last. */
    void capUnref(long ppn) {
        int i = index(ppn);
        if (--capRefs[i] == 0) {
            if (mapRefs[i] != 0) throw new IllegalStateException("last capability of a mapped page 0x" + Long.toHexString(ppn));
            free.set(i);
        }
    }
}
