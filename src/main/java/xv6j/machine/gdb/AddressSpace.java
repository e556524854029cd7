package xv6j.machine.gdb;

import xv6j.machine.Mmu;
import xv6j.machine.PhysicalMemory;

/**
 * A user address space as the debugger sees it: the Sv39 page tables a satp names, walked
 * as the MMU walks them but without its side effects. A debugger's look sets no A or D
 * bit and fills no TLB, so reading memory in gdb changes nothing a program could notice.
 *
 * <p>The debugger may read any page that is mapped (a program's text, its guard page);
 * it writes only pages the program itself may write: a page that is not writable may be
 * shared with another process (text; a LibOS's copy-on-write pages), and a write there
 * would reach that process too.
 */
record AddressSpace(PhysicalMemory mem, long satp) {

    /** The physical address of va, or -1 if va is not mapped (for writing: not writable). */
    long translate(long va, boolean write) {
        if ((satp >>> 60) == Mmu.SATP_MODE_BARE) return mem.contains(va, 1) ? va : -1;
        if ((va << 25) >> 25 != va) return -1; // not a sign-extended 39-bit address
        long table = (satp & ((1L << 44) - 1)) << 12;
        for (int level = 2; level >= 0; level--) {
            long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            if (!mem.contains(pteAddr, 8)) return -1;
            long pte = mem.load64(pteAddr);
            if ((pte & Mmu.PTE_V) == 0) return -1;
            long ppn = (pte >>> 10) & ((1L << 44) - 1);
            if ((pte & (Mmu.PTE_R | Mmu.PTE_X)) == 0) { // a pointer to the next level
                table = ppn << 12;
                continue;
            }
            if (write && (pte & Mmu.PTE_W) == 0) return -1;
            long offsetMask = (1L << (12 + 9 * level)) - 1;
            long pa = ((ppn << 12) & ~offsetMask) | (va & offsetMask);
            return mem.contains(pa, 1) ? pa : -1;
        }
        return -1;
    }

    /** Reads len bytes from va into dst; returns how many it could read before an unmapped page. */
    int read(long va, byte[] dst, int len) {
        int done = 0;
        while (done < len) {
            long pa = translate(va + done, false);
            if (pa < 0) break;
            int n = (int) Math.min(len - done, PhysicalMemory.PAGE_SIZE - ((va + done) & 0xfff));
            mem.read(pa, dst, done, n);
            done += n;
        }
        return done;
    }

    /** Writes src at va, all of it or (if some page is not writable) nothing. */
    boolean write(long va, byte[] src) {
        for (long a = va & ~0xfffL; a < va + src.length; a += PhysicalMemory.PAGE_SIZE)
            if (translate(Math.max(a, va), true) < 0) return false;
        int done = 0;
        while (done < src.length) {
            long pa = translate(va + done, true);
            int n = (int) Math.min(src.length - done, PhysicalMemory.PAGE_SIZE - ((va + done) & 0xfff));
            mem.write(pa, src, done, n); // drops the page's decoded code, as any write does
            done += n;
        }
        return true;
    }
}
