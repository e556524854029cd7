package xv6j.kernel;

import java.util.concurrent.Semaphore;
import xv6j.machine.Hart;

/** Per-CPU state, as xv6's struct cpu: the hart, and who runs on it. */
final class Cpu {
    final int id;
    final Hart hart;
    /** The process running on this CPU, or null. */
    volatile Proc proc;
    /** Released by a process giving the CPU back to the scheduler (swtch back). */
    final Semaphore baton = new Semaphore(0);
    /** Where the round-robin search for the next process starts. Protected by the process table's lock. */
    int nextSlot;
    /** Address space whose translations the hart's TLB may hold. */
    long loadedAddressSpace = -1;

    Cpu(int id, Hart hart) {
        this.id = id;
        this.hart = hart;
    }

    /**
     * Puts p's page table on this CPU's hart before it returns to user mode. The TLB is
     * tagged by nothing but its hart, so when the hart changes address space it forgets
     * what it cached (xv6 does sfence.vma on every return). Removing mappings from a page
     * table makes it a new address space ({@link Proc#addressSpace}), so this also covers
     * a hart that ran p before p lost pages on another hart.
     */
    void loadAddressSpace(Proc p) {
        if (loadedAddressSpace != p.addressSpace) {
            hart.mmu.setSatp(Riscv.makeSatp(p.pagetable));
            hart.mmu.flush();
            loadedAddressSpace = p.addressSpace;
        }
    }
}
