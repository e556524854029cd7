package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;

/**
 * Secure bindings (Aegis): a page-table entry va -> page is installed only through a
 * CAP_PAGE capability of the address space's owner, is recorded with it (a {@link Mapping})
 * and goes when it goes. The check happens once, at binding time; the hart's MMU then
 * translates at full speed. Each binding is a record of the owner's kernel memory, and so
 * is each page-table page it needs; a page table that loses its last entry goes back.
 *
 * <p>Removing a binding must also reach the TLBs of harts running the address space.
 * Each live environment has its own ASID, so a hart keeps a space's translations while it
 * runs others; a removal bumps the space's generation, drops the entry from this hart's
 * TLB, and {@link #shootdown} waits, before the lock is released, until no other hart runs
 * the space with a TLB filled before it (they flush when they next enter it). Page-table
 * pages emptied meanwhile are freed only then, when no hart can be walking them.
 */
final class SecureBindings {
    private final Exokernel k;
    private final PhysicalMemory mem;
    /** Environments whose translations (or page tables) were removed during the current operation. */
    private final Set<Env> shot = new LinkedHashSet<>();
    /** Page-table pages taken out of their trees during the current operation. */
    private final List<Long> emptied = new ArrayList<>();

    SecureBindings(Exokernel k) {
        this.k = k;
        this.mem = k.mem;
    }

    /**
     * Maps page (one of target's capabilities) at va, replacing an older mapping; the
     * record and the page tables are paid from target's quota (E_NOMEM, and nothing
     * changed, if it cannot pay).
     */
    long map(Env target, long va, Cap page, int perm) {
        Mapping old = target.mappings.get(va);
        if (old == null && !k.envs.reserveRecords(target, 1)) return E_NOMEM;
        int tables = target.ptPages;
        long ptePa = target.pt.walk(target.pagetable, va, true);
        if (target.ptPages != tables) {
            // A new leaf table (and perhaps the table above it): one more entry in that one.
            long mid = PageTable.pte2pa(mem.load64(target.pagetable + 8L * PageTable.px(2, va)));
            if (ptePa != 0) k.pages.entries[k.pages.indexOfPa(mid)]++;
        }
        if (ptePa == 0) {
            prune(target, va); // tables the walk made before it failed
            k.envs.trimRecords(target);
            return E_NOMEM;
        }
        if (old != null) {
            old.cap().mappings.remove(old);
            drop(old);
        } else {
            k.envs.addRecord(target);
            k.pages.entries[k.pages.indexOfPa(ptePa)]++;
        }
        long flags = PageTable.PTE_V | PageTable.PTE_U | PageTable.PTE_A;
        if ((perm & MAP_R) != 0) flags |= PageTable.PTE_R;
        if ((perm & MAP_W) != 0) flags |= PageTable.PTE_W | PageTable.PTE_D;
        if ((perm & MAP_X) != 0) flags |= PageTable.PTE_X;
        mem.store64(ptePa, PageTable.pa2pte(Pages.pa(page.first)) | flags);
        Mapping m = new Mapping(target, va, page);
        target.mappings.put(va, m);
        if (page.mappings == null) page.mappings = new RecordSet<>();
        page.mappings.add(m);
        k.pages.mapRefs[k.pages.index(page.first)]++;
        // Only now that the entry holds the new translation: a CPU that enters target after
        // its generation moves must walk the new entry, not the old one (it would keep the
        // old translation, with its permissions, as current).
        if (old != null) shoot(target, va);
        return 0;
    }

    void unmap(Env target, long va) {
        Mapping m = target.mappings.get(va);
        if (m == null) return;
        m.cap().mappings.remove(m);
        unbind(m);
    }

    /** Removes a mapping's entry, record, and perhaps its page table (not from its capability's list). */
    void unbind(Mapping m) {
        Env e = m.env();
        long ptePa = e.pt.walk(e.pagetable, m.va(), false);
        if (ptePa == 0 || (mem.load64(ptePa) & PageTable.PTE_V) == 0)
            throw new IllegalStateException("mapping without a page-table entry: " + e + " va 0x" + Long.toHexString(m.va()));
        mem.store64(ptePa, 0);
        forget(m);
        k.envs.dropRecord(e);
        if (--k.pages.entries[k.pages.indexOfPa(ptePa)] == 0) prune(e, m.va());
    }

    /**
     * Every binding of e goes at once, with its page tables, when e is destroyed: e runs on
     * no hart (Scheduler.steal) and never will again, and its ASID goes back (whoever takes
     * it next flushes it on every CPU before running: Scheduler.runUser), so no entry need
     * be cleared, no table pruned as it empties and no translation shot down, one binding
     * at a time, as {@link #unbind} does for a live space. Each binding's record and its
     * place in its capability's set go as unbind's do; a wait of e's on a word of the page
     * ends with e (Environments.destroyNow). Then e's capabilities can be freed with no
     * mapping left to undo.
     */
    void unbindAll(Env e) {
        for (Mapping m : e.mappings.values()) {
            Cap c = m.cap();
            c.mappings.remove(m);
            k.pages.mapRefs[k.pages.index(c.first)]--;
        }
        k.envs.dropRecords(e, e.mappings.size());
        e.mappings.clear();
        List<Long> tables = new ArrayList<>();
        e.pt.forEachTablePage(e.pagetable, tables::add);
        for (long pa : tables) {
            k.pages.entries[k.pages.indexOfPa(pa)] = 0;
            k.pages.freeKernel(pa);
        }
        e.ptPages = 0;
        e.gen++;
    }

    /**
     * A mapping's record goes and its translation leaves every TLB; its entry is the
     * caller's business, and must already be changed (see {@link #shoot}).
     */
    private void forget(Mapping m) {
        drop(m);
        shoot(m.env(), m.va());
    }

    /**
     * A mapping's record goes (not its entry, nor its place in its capability's list), and
     * with it a sleep of its environment on a word of the page: it waited there through
     * this mapping, and must not stay listed under a page it may no longer reach, to be
     * woken by (and counted by) the page's next holder.
     */
    private void drop(Mapping m) {
        m.env().mappings.remove(m.va());
        k.pages.mapRefs[k.pages.index(m.cap().first)]--;
        k.events.pageLeft(m.env(), Pages.pa(m.cap().first));
    }

    /**
     * e's translation of va leaves every TLB: e's generation moves, so other CPUs flush e
     * when they next run it, and {@link #shootdown} takes e off those running it now. Call
     * it after the page-table entry changed, never before: a CPU entering e meanwhile
     * reads the new generation, and a walk of the old entry would then stay in its TLB.
     */
    private void shoot(Env e, long va) {
        long before = e.gen;
        e.gen++;
        shot.add(e);
        // This CPU's own hart (idle now: we hold the lock on its thread) drops just the one
        // entry (sfence.vma va, asid), so a space that unmaps its own pages does not lose
        // its whole TLB; other CPUs flush the space when they next run it.
        Cpu me = k.sched.currentCpu();
        if (me != null) {
            me.hart.mmu.flush(va, e.asid);
            if (e.tlbGen[me.id] == before) e.tlbGen[me.id] = e.gen;
        }
    }

    /**
     * Takes the leaf table covering va out of e's tree if it has no entry left, and then the
     * table above it if that is empty too (never the root). They are freed at shootdown.
     */
    private void prune(Env e, long va) {
        long top = e.pagetable + 8L * PageTable.px(2, va);
        long topPte = mem.load64(top);
        if ((topPte & PageTable.PTE_V) == 0) return;
        long mid = PageTable.pte2pa(topPte);
        long midEntry = mid + 8L * PageTable.px(1, va);
        long midPte = mem.load64(midEntry);
        if ((midPte & PageTable.PTE_V) != 0) {
            long leaf = PageTable.pte2pa(midPte);
            if (k.pages.entries[k.pages.indexOfPa(leaf)] != 0) return;
            mem.store64(midEntry, 0);
            k.pages.entries[k.pages.indexOfPa(mid)]--;
            retire(e, leaf);
        }
        if (k.pages.entries[k.pages.indexOfPa(mid)] != 0) return;
        mem.store64(top, 0);
        retire(e, mid);
    }

    private void retire(Env e, long table) {
        e.ptPages--;
        emptied.add(table);
        shot.add(e);
    }

    /**
     * Waits until no other hart runs an address space that lost translations in this
     * operation with a TLB filled before that (it flushes when it next enters user mode:
     * see Scheduler.runUser), then frees the page tables taken out. Called before the lock
     * is released after every operation.
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
        for (long pa : emptied) k.pages.freeEmptyTable(pa);
        emptied.clear();
    }
}
