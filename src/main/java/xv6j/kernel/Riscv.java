package xv6j.kernel;

/** Sv39 page-table facts the kernel uses (xv6's riscv.h and memlayout.h). */
public final class Riscv {
    private Riscv() {}

    public static final int PGSIZE = 4096;
    public static final int PGSHIFT = 12;

    public static final long PTE_V = 1L << 0;
    public static final long PTE_R = 1L << 1;
    public static final long PTE_W = 1L << 2;
    public static final long PTE_X = 1L << 3;
    public static final long PTE_U = 1L << 4;

    /**
     * One beyond the highest user virtual address: xv6 uses one bit less than Sv39's 39
     * so that it never has to sign-extend addresses.
     */
    public static final long MAXVA = 1L << (9 + 9 + 9 + 12 - 1);

    public static long pgRoundUp(long a) { return (a + PGSIZE - 1) & -PGSIZE; }
    public static long pgRoundDown(long a) { return a & -PGSIZE; }

    public static long pa2pte(long pa) { return (pa >>> 12) << 10; }
    public static long pte2pa(long pte) { return (pte >>> 10) << 12; }
    public static long pteFlags(long pte) { return pte & 0x3FF; }

    /** The 9-bit page-table index of va at level (2 = root). */
    public static int px(int level, long va) { return (int) ((va >>> (PGSHIFT + 9 * level)) & 0x1FF); }

    /** satp value selecting Sv39 with the given root page table. */
    public static long makeSatp(long pagetable) { return (8L << 60) | (pagetable >>> 12); }
}
