package xv6j.exo;

import java.util.BitSet;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * Who uses each physical page, and which quota pays for it. A page in use is exactly one
 * of: a page named by capabilities (and perhaps mapped), a page-table page of one
 * environment, or a page holding one environment's kernel records; it is charged to one
 * quota from the moment it is taken until it is free again. Pages are handed out lowest
 * first, so runs are reproducible. Physical page numbers are physical addresses / 4096,
 * as exo.h exposes them.
 */
final class Pages {
    private final PhysicalMemory mem;
    /** Physical page number of the first page of RAM. */
    final long basePpn;
    final int npages;
    private final BitSet free = new BitSet();
    /** Per page: capabilities naming it, and mappings of it. */
    final int[] capRefs;
    final int[] mapRefs;
    /** Per page: the environment whose page table (or kernel records) it holds, 0 if none. */
    final int[] ptOwner;
    final int[] recOwner;
    /** Per page-table page below a root: its valid entries (it goes back when they are none). */
    final int[] entries;
    /** Free pages known to hold only zeros (page tables freed empty): no need to clear them again. */
    private final BitSet zeroed = new BitSet();
    /** Per page in use: the quota it is charged to. */
    final Quota[] charged;

    Pages(PhysicalMemory mem) {
        this.mem = mem;
        this.basePpn = PhysicalMemory.BASE >>> PageTable.PGSHIFT;
        this.npages = mem.pages();
        this.capRefs = new int[npages];
        this.mapRefs = new int[npages];
        this.ptOwner = new int[npages];
        this.recOwner = new int[npages];
        this.entries = new int[npages];
        this.charged = new Quota[npages];
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

    /** The index of the page holding physical address pa. */
    int indexOfPa(long pa) {
        return index(pa >>> PageTable.PGSHIFT);
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

    /**
     * Takes free page ppn for a new capability (which then calls capRef), charged to q, and
     * zeroes it. False, and nothing taken, if q cannot pay.
     */
    boolean take(long ppn, Quota q) {
        int i = index(ppn);
        if (!free.get(i)) throw new IllegalStateException("page 0x" + Long.toHexString(ppn) + " is not free");
        if (!q.charge(1)) return false;
        free.clear(i);
        charged[i] = q;
        if (!zeroed.get(i)) mem.fill(pa(ppn), PageTable.PGSIZE, (byte) 0);
        zeroed.clear(i);
        return true;
    }

    /**
     * A page for environment envId's kernel memory, the lowest free one in [first,
     * first+count) (the range of the memory capability that pays for it), charged to q: a
     * zeroed page-table page (table) or a page of its records. Its physical address, or 0
     * if the range has no free page or q cannot pay.
     */
    long allocKernel(int envId, Quota q, long first, long count, boolean table) {
        long ppn = findFree(first, count);
        if (ppn < 0 || !q.charge(1)) return 0;
        int i = index(ppn);
        free.clear(i);
        charged[i] = q;
        long pa = pa(basePpn + i);
        if (table) {
            ptOwner[i] = envId;
            if (!zeroed.get(i)) mem.fill(pa, PageTable.PGSIZE, (byte) 0);
        } else {
            recOwner[i] = envId;
        }
        zeroed.clear(i);
        return pa;
    }

    /** A page-table or record page goes back to the pool, and its charge with it. */
    void freeKernel(long pa) {
        int i = indexOfPa(pa);
        if (ptOwner[i] == 0 && recOwner[i] == 0) throw new IllegalStateException("not a kernel page: 0x" + Long.toHexString(pa));
        if (entries[i] != 0) throw new IllegalStateException("freeing a page table still in use: 0x" + Long.toHexString(pa));
        ptOwner[i] = recOwner[i] = 0;
        release(i);
    }

    /** A page table that lost its last entry goes back: all zeros, it need not be cleared when next taken. */
    void freeEmptyTable(long pa) {
        freeKernel(pa);
        zeroed.set(indexOfPa(pa));
    }

    void capRef(long ppn) {
        capRefs[index(ppn)]++;
    }

    /** One capability for the page is gone; frees it when it was the last. */
    void capUnref(long ppn) {
        int i = index(ppn);
        if (--capRefs[i] == 0) {
            if (mapRefs[i] != 0) throw new IllegalStateException("last capability of a mapped page 0x" + Long.toHexString(ppn));
            release(i);
        }
    }

    private void release(int i) {
        charged[i].uncharge(1);
        charged[i] = null;
        free.set(i);
    }
}
