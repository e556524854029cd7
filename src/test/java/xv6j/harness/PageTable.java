package xv6j.harness;

import xv6j.machine.Mmu;
import xv6j.machine.PhysicalMemory;

/**
 * Builds Sv39 page tables in physical memory, as a kernel's vm code does: a bump
 * allocator hands out zeroed pages, {@link #map} creates the intermediate tables, and
 * {@link #walk} translates in software (without touching A or D). Given a place for them,
 * page-table pages come from there down and the others from firstFree up, so that pages
 * allocated one after another for consecutive virtual pages are physically consecutive:
 * the runs the MMU's linear windows cover (see xv6j.machine.LinearWindows).
 */
public final class PageTable {
    private final PhysicalMemory mem;
    private long next, nextTable;
    public final long root;

    /** Allocates page-table and data pages from physical address firstFree upwards. */
    public PageTable(PhysicalMemory mem, long firstFree) throws HarnessException {
        this(mem, firstFree, 0);
    }

    /**
     * Allocates data pages from firstFree upwards and page-table pages from tablesBelow
     * downwards (0: from firstFree too).
     */
    public PageTable(PhysicalMemory mem, long firstFree, long tablesBelow) throws HarnessException {
        this.mem = mem;
        this.next = firstFree;
        this.nextTable = tablesBelow;
        this.root = allocTable();
    }

    /** A zeroed physical page for a page table. */
    private long allocTable() throws HarnessException {
        if (nextTable == 0) return allocPage();
        if (nextTable - PhysicalMemory.PAGE_SIZE < next)
            throw new HarnessException("out of physical memory (" + (mem.size() >> 20) + " MiB)");
        nextTable -= PhysicalMemory.PAGE_SIZE;
        mem.fill(nextTable, PhysicalMemory.PAGE_SIZE, (byte) 0);
        return nextTable;
    }

    /** A zeroed physical page. */
    public long allocPage() throws HarnessException {
        if (!mem.contains(next, PhysicalMemory.PAGE_SIZE) || nextTable != 0 && next + PhysicalMemory.PAGE_SIZE > nextTable)
            throw new HarnessException("out of physical memory (" + (mem.size() >> 20) + " MiB)");
        long pa = next;
        next += PhysicalMemory.PAGE_SIZE;
        mem.fill(pa, PhysicalMemory.PAGE_SIZE, (byte) 0);
        return pa;
    }

    /** satp for this table: Sv39 mode, the ASID, the root's PPN. */
    public long satp(int asid) {
        return Mmu.SATP_MODE_SV39 << 60 | (long) (asid & 0xffff) << 44 | root >>> 12;
    }

    /** The address of the PTE for va at the given level (2 = the root's), making tables on the way. */
    public long pteAddress(long va, int level) throws HarnessException {
        long table = root;
        for (int l = 2; l > level; l--) {
            long a = table + (((va >>> (12 + 9 * l)) & 511) << 3);
            long pte = mem.load64(a);
            if ((pte & Mmu.PTE_V) == 0) {
                long page = allocTable();
                pte = (page >>> 12) << 10 | Mmu.PTE_V;
                mem.store64(a, pte);
            } else if ((pte & (Mmu.PTE_R | Mmu.PTE_W | Mmu.PTE_X)) != 0) {
                throw new HarnessException(String.format("va 0x%x is inside a superpage", va));
            }
            table = ((pte >>> 10) & ((1L << 44) - 1)) << 12;
        }
        return table + (((va >>> (12 + 9 * level)) & 511) << 3);
    }

    /** Maps the 4 KiB page at va to pa with the given PTE bits (V is added). */
    public void map(long va, long pa, long bits) throws HarnessException {
        mapAt(0, va, pa, bits);
    }

    /** Maps a page of level 0 (4 KiB), 1 (2 MiB) or 2 (1 GiB). */
    public void mapAt(int level, long va, long pa, long bits) throws HarnessException {
        mem.store64(pteAddress(va, level), (pa >>> 12) << 10 | bits | Mmu.PTE_V);
    }

    /** Software translation of va (no A/D updates, no permission check), or -1 if unmapped. */
    public long walk(long va) {
        long table = root;
        for (int level = 2; level >= 0; level--) {
            long pte = mem.load64(table + (((va >>> (12 + 9 * level)) & 511) << 3));
            if ((pte & Mmu.PTE_V) == 0) return -1;
            long pa = ((pte >>> 10) & ((1L << 44) - 1)) << 12;
            if ((pte & (Mmu.PTE_R | Mmu.PTE_X)) != 0) {
                long off = (1L << (12 + 9 * level)) - 1;
                return (pa & ~off) | (va & off);
            }
            table = pa;
        }
        return -1;
    }

    /** The leaf PTE for a 4 KiB-mapped va (for tests that inspect A and D). */
    public long pte(long va) throws HarnessException {
        return mem.load64(pteAddress(va, 0));
    }
}
