package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.LinkedHashSet;
import java.util.Set;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * Secure bindings (Aegis): a page-table entry va -> page is installed only through a
 * CAP_PAGE capability of the address space's owner, is recorded with it (a {@link Mapping})
 * and goes when it goes. The check happens once, at binding time; the hart's MMU then
 * translates at full speed.
 *
 * <p>Removing a binding must also reach the TLBs of harts running the address space.
 * Each live environment has its own ASID, so a hart keeps a space's translations while it
 * runs others; a removal bumps the space's generation, drops the entry from this hart's
 * TLB, and {@link #shootdown} waits, before the lock is released, until no other hart runs
 * the space with a TLB filled before it (they flush when they next enter it).
 */
final class SecureBindings {
    private final Exokernel k;
    private final PhysicalMemory mem;
    /** Environments whose translations were removed during the current operation. */
    private final Set<Env> shot = new LinkedHashSet<>();

    SecureBindings(Exokernel k) {
        this.k = k;
        this.mem = k.mem;
    }

    /** Maps page (one of target's capabilities) at va; replaces an older mapping. */
    long map(Env target, long va, Cap page, int perm) {
        long ptePa = target.pt.walk(target.pagetable, va, true);
        if (ptePa == 0) return E_NOMEM;
        Mapping old = target.mappings.get(va);
        if (old != null) {
            old.cap().mappings.remove(old);
            clearPte(old);
        }
        long flags = PageTable.PTE_V | PageTable.PTE_U | PageTable.PTE_A;
        if ((perm & MAP_R) != 0) flags |= PageTable.PTE_R;
        if ((perm & MAP_W) != 0) flags |= PageTable.PTE_W | PageTable.PTE_D;
        if ((perm & MAP_X) != 0) flags |= PageTable.PTE_X;
        mem.store64(ptePa, PageTable.pa2pte(Pages.pa(page.first)) | flags);
        Mapping m = new Mapping(target, va, page);
        target.mappings.put(va, m);
        page.mappings.add(m);
        k.pages.mapRefs[k.pages.index(page.first)]++;
        return 0;
    }

    void unmap(Env target, long va) {
        Mapping m = target.mappings.get(va);
        if (m == null) return;
        m.cap().mappings.remove(m);
        clearPte(m);
    }

    /** Removes a mapping's entry and record (not from its capability's list). */
    void clearPte(Mapping m) {
        Env e = m.env();
        long ptePa = e.pt.walk(e.pagetable, m.va(), false);
        if (ptePa == 0 || (mem.load64(ptePa) & PageTable.PTE_V) == 0)
            throw new IllegalStateException("mapping without a page-table entry: " + e + " va 0x" + Long.toHexString(m.va()));
        mem.store64(ptePa, 0);
        e.mappings.remove(m.va());
        k.pages.mapRefs[k.pages.index(m.cap().first)]--;
        long before = e.gen;
        e.gen++;
        shot.add(e);
        // This CPU's own hart (idle now: we hold the lock on its thread) drops just the one
        // entry (sfence.vma va, asid), so a space that unmaps its own pages does not lose
        // its whole TLB; other CPUs flush the space when they next run it.
        Cpu me = k.sched.currentCpu();
        if (me != null) {
            me.hart.mmu.flush(m.va(), e.asid);
            if (e.tlbGen[me.id] == before) e.tlbGen[me.id] = e.gen;
        }
    }

    /**
     * Waits until no other hart runs an address space that lost translations in this
     * operation with a TLB filled before that (it flushes when it next enters user mode:
     * see Scheduler.runUser). Called before the lock is released after every operation.
     */
    void shootdown() {
        if (shot.isEmpty()) return;
        Cpu me = k.sched.currentCpu();
        for (Env e : shot) {
            for (Cpu c : k.cpus) {
                if (c != me && c.tlbEnv == e && c.userPhase) {
                    c.hart.requestInterrupt();
                    Scheduler.waitOffHart(c);
                }
            }
        }
        shot.clear();
    }
}
