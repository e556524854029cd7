package xv6j.kernel;

import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import xv6j.machine.PhysicalMemory;

/**
 * The physical page allocator: every page of RAM is free at boot (the kernel itself is
 * Java and needs none), handed out one page at a time for user memory and page tables.
 */
public final class KAlloc {
    private final PhysicalMemory mem;
    private final ReentrantLock lock = new ReentrantLock();
    /** Free pages as a stack of physical page indices. */
    private final int[] free;
    private int nfree;

    KAlloc(PhysicalMemory mem) {
        this.mem = mem;
        this.free = new int[mem.pages()];
        // Push high pages first so low pages are handed out first (easier to read in dumps).
        for (int i = mem.pages() - 1; i >= 0; i--) free[nfree++] = i;
    }

    /** A zeroed page's physical address, or 0 if memory is exhausted. */
    public long kalloc() {
        int page;
        lock.lock();
        try {
            if (nfree == 0) return 0;
            page = free[--nfree];
        } finally {
            lock.unlock();
        }
        long pa = PhysicalMemory.BASE + ((long) page << Riscv.PGSHIFT);
        mem.fill(pa, Riscv.PGSIZE, (byte) 0);
        return pa;
    }

    /** Returns a page obtained from kalloc. */
    public void kfree(long pa) {
        if (pa % Riscv.PGSIZE != 0 || !mem.contains(pa, Riscv.PGSIZE))
            throw new KernelPanic(String.format("kfree: bad physical address 0x%x", pa));
        lock.lock();
        try {
            if (nfree == free.length) throw new KernelPanic("kfree: more pages freed than exist");
            free[nfree++] = PhysicalMemory.pageIndex(pa);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls f with the free pages (by page index) while no page is allocated or freed, and
     * returns what it returns: the live view's consistent picture of who holds what.
     */
    <T> T frozen(Function<BitSet, T> f) {
        lock.lock();
        try {
            BitSet set = new BitSet(free.length);
            for (int i = 0; i < nfree; i++) set.set(free[i]);
            return f.apply(set);
        } finally {
            lock.unlock();
        }
    }

    /** Free pages now (for tests and ^P). */
    public int freePages() {
        lock.lock();
        try {
            return nfree;
        } finally {
            lock.unlock();
        }
    }
}
