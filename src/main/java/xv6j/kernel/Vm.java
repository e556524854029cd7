package xv6j.kernel;

import static xv6j.kernel.Riscv.MAXVA;
import static xv6j.kernel.Riscv.PGSIZE;
import static xv6j.kernel.Riscv.PTE_R;
import static xv6j.kernel.Riscv.PTE_U;
import static xv6j.kernel.Riscv.PTE_V;
import static xv6j.kernel.Riscv.PTE_W;
import static xv6j.kernel.Riscv.PTE_X;
import static xv6j.kernel.Riscv.pa2pte;
import static xv6j.kernel.Riscv.pgRoundDown;
import static xv6j.kernel.Riscv.pgRoundUp;
import static xv6j.kernel.Riscv.pte2pa;
import static xv6j.kernel.Riscv.pteFlags;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * User virtual memory, as xv6's vm.c: Sv39 page tables built in physical memory, which
 * the machine's MMU walks. A page table is named by the physical address of its root
 * page. Every copy to or from user memory goes through {@link #walkAddr}, so a bad user
 * pointer makes the call fail instead of touching the wrong page.
 */
public final class Vm {
    private final PhysicalMemory mem;
    private final KAlloc kalloc;
    /** The Sv39 walk, shared with the exokernel; page-table pages come from kalloc. */
    private final PageTable pt;

    Vm(PhysicalMemory mem, KAlloc kalloc) {
        this.mem = mem;
        this.kalloc = kalloc;
        this.pt = new PageTable(mem, kalloc::kalloc);
    }

    public PhysicalMemory mem() { return mem; }

    /**
     * The physical address of the PTE for va, allocating page-table pages on the way if
     * alloc. Returns 0 if a page-table page is missing (or could not be allocated).
     */
    public long walk(long pagetable, long va, boolean alloc) {
        if (va >= MAXVA || va < 0) throw new KernelPanic(String.format("walk: va 0x%x beyond MAXVA", va));
        return pt.walk(pagetable, va, alloc);
    }

    /** The physical address va maps to for user access, or 0 if it is not a valid user page. */
    public long walkAddr(long pagetable, long va) {
        if (va >= MAXVA || va < 0) return 0;
        long ptePa = walk(pagetable, va, false);
        if (ptePa == 0) return 0;
        long pte = mem.load64(ptePa);
        if ((pte & PTE_V) == 0 || (pte & PTE_U) == 0) return 0;
        return pte2pa(pte);
    }

    /** Flags of the leaf PTE for va, or 0 if unmapped. */
    public long pteOf(long pagetable, long va) {
        if (va >= MAXVA || va < 0) return 0;
        long ptePa = walk(pagetable, va, false);
        return ptePa == 0 ? 0 : mem.load64(ptePa);
    }

    /**
     * Maps [va, va+size) to physical pages starting at pa. va and size page-aligned.
     * Returns false if a page-table page could not be allocated.
     */
    public boolean mapPages(long pagetable, long va, long size, long pa, long perm) {
        if (va % PGSIZE != 0) throw new KernelPanic("mappages: va not aligned");
        if (size % PGSIZE != 0) throw new KernelPanic("mappages: size not aligned");
        if (size == 0) throw new KernelPanic("mappages: size");
        long last = va + size - PGSIZE;
        for (long a = va; ; a += PGSIZE, pa += PGSIZE) {
            long ptePa = walk(pagetable, a, true);
            if (ptePa == 0) return false;
            if ((mem.load64(ptePa) & PTE_V) != 0) throw new KernelPanic(String.format("mappages: remap 0x%x", a));
            mem.store64(ptePa, pa2pte(pa) | perm | PTE_V);
            if (a == last) return true;
        }
    }

    /**
     * Removes npages of mappings from va (page-aligned), freeing the pages if doFree.
     * Every page below mappedBelow must be mapped: the kernel mapped those itself (exec's
     * image and stack, eager sbrk), so one missing is its own bookkeeping gone wrong, and
     * panics, as xv6's uvmunmap always did. From mappedBelow up a page may never have been
     * touched (sbrk(n, SBRK_LAZY)) and is passed over, a missing page-table page's whole
     * 2 MiB or 1 GiB at a time: a lazy break may reach MAXVA with nothing behind it.
     */
    public void uvmUnmap(long pagetable, long va, long npages, boolean doFree, long mappedBelow) {
        if (va % PGSIZE != 0) throw new KernelPanic("uvmunmap: not aligned");
        forEachPage(pagetable, va, va + npages * PGSIZE, mappedBelow, "uvmunmap", (a, ptePa, pte) -> {
            if (pteFlags(pte) == PTE_V) throw new KernelPanic("uvmunmap: not a leaf");
            if (doFree) kalloc.kfree(pte2pa(pte));
            mem.store64(ptePa, 0);
            return true;
        });
    }

    /** What {@link #forEachPage} does with a mapped page: va, its PTE's address and value. */
    private interface PageVisitor {
        /** Returns false to stop the walk. */
        boolean page(long va, long ptePa, long pte);
    }

    /**
     * Calls v for each mapped page of [from, to), in order; panics, naming who, at a page
     * below mappedBelow that is not mapped (see {@link #uvmUnmap}), and passes over the
     * rest of the missing ones, a missing page-table page at a time. Returns false if v
     * stopped the walk.
     */
    private boolean forEachPage(long pagetable, long from, long to, long mappedBelow, String who, PageVisitor v) {
        for (long a = from; a < to; ) {
            rangeSteps.increment();
            long hole = holeEnd(pagetable, a);
            long ptePa = hole == a ? walk(pagetable, a, false) : 0;
            long pte = ptePa == 0 ? 0 : mem.load64(ptePa);
            if ((pte & PTE_V) == 0) {
                if (a < mappedBelow) throw new KernelPanic(String.format("%s: page 0x%x not mapped", who, a));
                a = hole == a ? a + PGSIZE : hole;
                continue;
            }
            if (!v.page(a, ptePa, pte)) return false;
            a += PGSIZE;
        }
        return true;
    }

    /**
     * Where the hole va is in ends, if a page-table page on va's way is missing: a missing
     * level-1 table leaves the 1 GiB around va unmapped, a missing level-0 table 2 MiB.
     * Returns va itself if its level-0 table is there. Fork and exit pass over a lazy
     * break so, instead of looking at each of its pages (2^26 of them up to MAXVA).
     */
    private long holeEnd(long pagetable, long va) {
        long table = pagetable;
        for (int level = 2; level > 0; level--) {
            long pte = mem.load64(table + 8L * PageTable.px(level, va));
            if ((pte & PTE_V) == 0) {
                long span = 1L << (PageTable.PGSHIFT + 9 * level);
                return (va & -span) + span;
            }
            table = pte2pa(pte);
        }
        return va;
    }

    /**
     * Steps the loops over a range of user memory have taken (fork's copy, exit's, exec's
     * and sbrk's unmapping): a page looked at, or a hole of a missing page-table page
     * passed over. The kernel's own work, which the virtual clock does not see; tests
     * bound it (LazyBreakTest). Only the kernel can count it: a walk that passes over a
     * hole and one that looks at each of its 2^26 pages retire no instruction, read or
     * make nothing a user could see, and end in the same state; only the host's time
     * tells them apart, and tests are not timed.
     */
    final LongAdder rangeSteps = new LongAdder();

    /** An empty user page table, or 0 if out of memory. */
    public long uvmCreate() {
        return kalloc.kalloc();
    }

    /**
     * Grows a process from oldsz to newsz bytes, with fresh zeroed pages mapped R|U plus
     * xperm. Returns the new size, or 0 on failure (nothing of the new range is kept).
     */
    public long uvmAlloc(long pagetable, long oldsz, long newsz, long xperm) {
        if (newsz < oldsz) return oldsz;
        if (newsz > MAXVA) return 0;
        oldsz = pgRoundUp(oldsz);
        for (long a = oldsz; a < newsz; a += PGSIZE) {
            long page = kalloc.kalloc();
            if (page == 0) {
                uvmDealloc(pagetable, a, oldsz, MAXVA);   // every page of it was just mapped
                return 0;
            }
            if (!mapPages(pagetable, a, PGSIZE, page, PTE_R | PTE_U | xperm)) {
                kalloc.kfree(page);
                uvmDealloc(pagetable, a, oldsz, MAXVA);   // every page of it was just mapped
                return 0;
            }
        }
        return newsz;
    }

    /**
     * Shrinks a process from oldsz to newsz, freeing pages; those below mappedBelow must be
     * there (see {@link #uvmUnmap}). Returns the new size.
     */
    public long uvmDealloc(long pagetable, long oldsz, long newsz, long mappedBelow) {
        if (newsz >= oldsz) return oldsz;
        if (pgRoundUp(newsz) < pgRoundUp(oldsz)) {
            long npages = (pgRoundUp(oldsz) - pgRoundUp(newsz)) / PGSIZE;
            uvmUnmap(pagetable, pgRoundUp(newsz), npages, true, mappedBelow);
        }
        return newsz;
    }

    /** Frees the page-table pages; every leaf must already be unmapped. */
    private void freeWalk(long pagetable) {
        for (int i = 0; i < 512; i++) {
            long pte = mem.load64(pagetable + 8L * i);
            if ((pte & PTE_V) != 0 && (pte & (PTE_R | PTE_W | PTE_X)) == 0) {
                freeWalk(pte2pa(pte));
                mem.store64(pagetable + 8L * i, 0);
            } else if ((pte & PTE_V) != 0) {
                throw new KernelPanic("freewalk: leaf");
            }
        }
        kalloc.kfree(pagetable);
    }

    /**
     * Frees user memory [0, sz), whose pages below mappedBelow must be there (see {@link
     * #uvmUnmap}), and then the page-table pages.
     */
    public void uvmFree(long pagetable, long sz, long mappedBelow) {
        if (sz > 0) uvmUnmap(pagetable, 0, pgRoundUp(sz) / PGSIZE, true, mappedBelow);
        freeWalk(pagetable);
    }

    /**
     * Copies a parent's memory [0, sz) into a child's page table (fork), page contents and
     * flags. A page below mappedBelow must be there (see {@link #uvmUnmap}); above it, a
     * page never touched stays lazy in the child too, and a missing page-table page is
     * passed over whole. Returns false (having freed what it allocated) if memory ran out.
     */
    public boolean uvmCopy(long old, long nu, long sz, long mappedBelow) {
        boolean copied = forEachPage(old, 0, sz, mappedBelow, "uvmcopy", (va, ptePa, pte) -> {
            long page = kalloc.kalloc();
            if (page == 0) return false;
            mem.copy(page, pte2pa(pte), PGSIZE);
            // The hardware's accessed/dirty bits belong to the parent's history, not the child's.
            long flags = pteFlags(pte) & (PTE_R | PTE_W | PTE_X | PTE_U);
            if (!mapPages(nu, va, PGSIZE, page, flags)) {
                kalloc.kfree(page);
                return false;
            }
            return true;
        });
        // Out of memory: the child's pages so far go (it has holes where the parent has).
        if (!copied) uvmUnmap(nu, 0, pgRoundUp(sz) / PGSIZE, true, 0);
        return copied;
    }

    /**
     * Gives a lazily grown page (sbrk(n, SBRK_LAZY)) its memory on first use, as xv6's
     * vmfault: a zeroed page mapped R|W|U, if va is below the process's size sz and its
     * page has no mapping at all (a guard page is mapped, and stays a fault). Returns the
     * page's physical address, or 0: not such a page, or no memory for it.
     */
    public long vmFault(long pagetable, long sz, long va) {
        if (va < 0 || va >= sz || va >= MAXVA) return 0;
        va = pgRoundDown(va);
        long ptePa = walk(pagetable, va, false);
        if (ptePa != 0 && (mem.load64(ptePa) & PTE_V) != 0) return 0;
        long page = kalloc.kalloc();
        if (page == 0) return 0;
        if (!mapPages(pagetable, va, PGSIZE, page, PTE_R | PTE_W | PTE_U)) {
            kalloc.kfree(page);
            return 0;
        }
        return page;
    }

    /** Makes a page inaccessible to user mode (exec's stack guard page). */
    public void uvmClear(long pagetable, long va) {
        long ptePa = walk(pagetable, va, false);
        if (ptePa == 0) throw new KernelPanic("uvmclear");
        mem.store64(ptePa, mem.load64(ptePa) & ~PTE_U);
    }

    /** Copies len bytes from src[off..] to user address dstva. Returns false on a bad address. */
    public boolean copyOut(long pagetable, long dstva, byte[] src, int off, int len) {
        return copyOut(pagetable, 0, dstva, src, off, len);
    }

    /** As {@link #copyOut(long, long, byte[], int, int)} into p's memory, lazy pages included. */
    public boolean copyOut(Proc p, long dstva, byte[] src, int off, int len) {
        return copyOut(p.pagetable, p.sz, dstva, src, off, len);
    }

    /** The copies' common part: a page below lazySz without a mapping is given one (vmFault). */
    private boolean copyOut(long pagetable, long lazySz, long dstva, byte[] src, int off, int len) {
        while (len > 0) {
            long va0 = pgRoundDown(dstva);
            if (va0 < 0 || va0 >= MAXVA) return false;
            long ptePa = walk(pagetable, va0, false);
            if ((ptePa == 0 || (mem.load64(ptePa) & PTE_V) == 0) && vmFault(pagetable, lazySz, va0) != 0)
                ptePa = walk(pagetable, va0, false);
            if (ptePa == 0) return false;
            long pte = mem.load64(ptePa);
            if ((pte & PTE_V) == 0 || (pte & PTE_U) == 0 || (pte & PTE_W) == 0) return false;
            int n = (int) Math.min(PGSIZE - (dstva - va0), len);
            mem.write(pte2pa(pte) + (dstva - va0), src, off, n);
            len -= n;
            off += n;
            dstva = va0 + PGSIZE;
        }
        return true;
    }

    /** Copies len bytes from user address srcva into dst[off..]. Returns false on a bad address. */
    public boolean copyIn(long pagetable, byte[] dst, int off, long srcva, int len) {
        return copyIn(pagetable, 0, dst, off, srcva, len);
    }

    /** As {@link #copyIn(long, byte[], int, long, int)} from p's memory, lazy pages included. */
    public boolean copyIn(Proc p, byte[] dst, int off, long srcva, int len) {
        return copyIn(p.pagetable, p.sz, dst, off, srcva, len);
    }

    private boolean copyIn(long pagetable, long lazySz, byte[] dst, int off, long srcva, int len) {
        while (len > 0) {
            long va0 = pgRoundDown(srcva);
            long pa0 = walkAddr(pagetable, va0);
            if (pa0 == 0) pa0 = vmFault(pagetable, lazySz, va0);
            if (pa0 == 0) return false;
            int n = (int) Math.min(PGSIZE - (srcva - va0), len);
            mem.read(pa0 + (srcva - va0), dst, off, n);
            len -= n;
            off += n;
            srcva = va0 + PGSIZE;
        }
        return true;
    }

    /** Reads a 64-bit value from p's memory; null if the address is bad. */
    public Long copyIn64(Proc p, long va) {
        byte[] b = new byte[8];
        if (!copyIn(p, b, 0, va, 8)) return null;
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    /** Writes a 64-bit value to user memory; false if the address is bad. */
    public boolean copyOut64(long pagetable, long va, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
        return copyOut(pagetable, va, b, 0, 8);
    }

    /**
     * Copies a NUL-terminated string of at most max bytes (the NUL included) from user
     * memory. Returns null if the address is bad or no NUL is found within max bytes.
     */
    public String copyInStr(Proc p, long srcva, int max) {
        byte[] buf = new byte[max];
        int n = 0;
        while (n < max) {
            long va0 = pgRoundDown(srcva);
            long pa0 = walkAddr(p.pagetable, va0);
            if (pa0 == 0) pa0 = vmFault(p.pagetable, p.sz, va0);
            if (pa0 == 0) return null;
            long pa = pa0 + (srcva - va0);
            int chunk = (int) Math.min(PGSIZE - (srcva - va0), max - n);
            for (int i = 0; i < chunk; i++) {
                byte c = mem.load8(pa + i);
                if (c == 0) return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                buf[n++] = c;
            }
            srcva = va0 + PGSIZE;
        }
        return null;
    }
}
