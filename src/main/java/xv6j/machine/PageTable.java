package xv6j.machine;

/**
 * Sv39 page tables as both kernels build them in physical memory, for the Mmu to walk: a
 * table is named by the physical address of its root page; each of the three levels is a
 * page of 512 eight-byte entries (PPN in bits 53:10, flags V R W X U G A D in bits 7:0).
 *
 * <p>This class holds the one walk both kernels share; what goes into the leaves, and when
 * tables are freed, is each kernel's own policy.
 */
public final class PageTable {
    public static final int PGSIZE = 4096;
    public static final int PGSHIFT = 12;
    /** Entries per table page. */
    public static final int ENTRIES = 512;

    public static final long PTE_V = 1L << 0;
    public static final long PTE_R = 1L << 1;
    public static final long PTE_W = 1L << 2;
    public static final long PTE_X = 1L << 3;
    public static final long PTE_U = 1L << 4;
    public static final long PTE_G = 1L << 5;
    public static final long PTE_A = 1L << 6;
    public static final long PTE_D = 1L << 7;

    /**
     * One beyond the highest virtual address either kernel maps: one bit less than Sv39's
     * 39, so addresses never need sign extension.
     */
    public static final long MAXVA = 1L << (9 + 9 + 9 + PGSHIFT - 1);

    /** Where page-table pages come from: a zeroed page's physical address, or 0 if none is left. */
    @FunctionalInterface
    public interface PageAllocator {
        long alloc();
    }

    /** Sees one valid leaf entry: its virtual address, the entry's physical address, the entry. */
    @FunctionalInterface
    public interface LeafVisitor {
        void leaf(long va, long ptePa, long pte);
    }

    private final PhysicalMemory mem;
    private final PageAllocator alloc;

    public PageTable(PhysicalMemory mem, PageAllocator alloc) {
        this.mem = mem;
        this.alloc = alloc;
    }

    public static long pa2pte(long pa) { return (pa >>> 12) << 10; }
    public static long pte2pa(long pte) { return (pte >>> 10) << 12; }
    public static long pteFlags(long pte) { return pte & 0x3FF; }
    /** The 9-bit index of va at a level (2 = root). */
    public static int px(int level, long va) { return (int) ((va >>> (PGSHIFT + 9 * level)) & 0x1FF); }
    /** satp selecting Sv39 with this root table (ASID 0). */
    public static long satp(long root) { return (8L << 60) | (root >>> 12); }
    /** True for a valid entry that points to a next-level table rather than a page. */
    public static boolean isTable(long pte) { return (pte & PTE_V) != 0 && (pte & (PTE_R | PTE_W | PTE_X)) == 0; }

    /**
     * The physical address of the level-0 entry for va (0 &lt;= va &lt; MAXVA), allocating
     * missing table pages if create. Returns 0 if a table page is missing (or none could be
     * allocated); table pages allocated before such a failure stay in the tree.
     */
    public long walk(long root, long va, boolean create) {
        if (va < 0 || va >= MAXVA) throw new IllegalArgumentException(String.format("walk: va 0x%x beyond MAXVA", va));
        long table = root;
        for (int level = 2; level > 0; level--) {
            long ptePa = table + 8L * px(level, va);
            long pte = mem.load64(ptePa);
            if ((pte & PTE_V) != 0) {
                table = pte2pa(pte);
            } else {
                if (!create) return 0;
                long page = alloc.alloc();
                if (page == 0) return 0;
                mem.store64(ptePa, pa2pte(page) | PTE_V);
                table = page;
            }
        }
        return table + 8L * px(0, va);
    }

    /** The leaf entry for va, or 0 if there is none (va outside [0, MAXVA) included). */
    public long lookup(long root, long va) {
        if (va < 0 || va >= MAXVA) return 0;
        long ptePa = walk(root, va, false);
        return ptePa == 0 ? 0 : mem.load64(ptePa);
    }

    /** Calls v for every valid leaf under root, in increasing virtual-address order. */
    public void forEachLeaf(long root, LeafVisitor v) {
        forEachLeaf(root, 2, 0, v);
    }

    private void forEachLeaf(long table, int level, long base, LeafVisitor v) {
        for (int i = 0; i < ENTRIES; i++) {
            long ptePa = table + 8L * i;
            long pte = mem.load64(ptePa);
            if ((pte & PTE_V) == 0) continue;
            long va = base | ((long) i << (PGSHIFT + 9 * level));
            if (isTable(pte) && level > 0) forEachLeaf(pte2pa(pte), level - 1, va, v);
            else v.leaf(va, ptePa, pte);
        }
    }

    /** Calls v with the physical address of every table page of the tree, root included. */
    public void forEachTablePage(long root, java.util.function.LongConsumer v) {
        forEachTablePage(root, 2, v);
    }

    private void forEachTablePage(long table, int level, java.util.function.LongConsumer v) {
        v.accept(table);
        if (level == 0) return;
        for (int i = 0; i < ENTRIES; i++) {
            long pte = mem.load64(table + 8L * i);
            if (isTable(pte)) forEachTablePage(pte2pa(pte), level - 1, v);
        }
    }
}
