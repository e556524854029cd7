package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * The kernel's access to an environment's memory: through that environment's own page
 * table, with the rights its entries grant, so a system call can read or write no byte the
 * environment itself could not. Every copy is all or nothing.
 */
final class UserMemory {
    private final PhysicalMemory mem;

    UserMemory(PhysicalMemory mem) {
        this.mem = mem;
    }

    /** The physical address of user address va in e if mapped with all of pteBits, else -1. */
    long translate(Env e, long va, long pteBits) {
        long pte = e.pt.lookup(e.pagetable, va & -PageTable.PGSIZE);
        if ((pte & (PageTable.PTE_V | PageTable.PTE_U | pteBits)) != (PageTable.PTE_V | PageTable.PTE_U | pteBits))
            return -1;
        return PageTable.pte2pa(pte) + (va & (PageTable.PGSIZE - 1));
    }

    /** True if [va, va+len) is all mapped in e with pteBits. */
    boolean accessible(Env e, long va, long len, long pteBits) {
        if (len < 0 || va < 0 || va + len < va || va + len > EXO_UTOP) return false;
        for (long p = va & -PageTable.PGSIZE; p < va + len; p += PageTable.PGSIZE) {
            if (translate(e, p, pteBits) < 0) return false;
        }
        return true;
    }

    /** Copies len bytes from e's memory at va, or returns null if any of it is not readable. */
    byte[] copyIn(Env e, long va, int len) {
        if (!accessible(e, va, len, PageTable.PTE_R)) return null;
        byte[] out = new byte[len];
        int off = 0;
        while (off < len) {
            long a = va + off;
            int n = (int) Math.min(len - off, PageTable.PGSIZE - (a & (PageTable.PGSIZE - 1)));
            mem.read(translate(e, a, PageTable.PTE_R), out, off, n);
            off += n;
        }
        return out;
    }

    /** Copies b to e's memory at va, all or nothing: false if any of it is not writable. */
    boolean copyOut(Env e, long va, byte[] b) {
        if (!accessible(e, va, b.length, PageTable.PTE_W)) return false;
        int off = 0;
        while (off < b.length) {
            long a = va + off;
            int n = (int) Math.min(b.length - off, PageTable.PGSIZE - (a & (PageTable.PGSIZE - 1)));
            mem.write(translate(e, a, PageTable.PTE_W), b, off, n);
            off += n;
        }
        return true;
    }
}
