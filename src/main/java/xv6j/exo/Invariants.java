package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.List;
import xv6j.machine.PageTable;

/**
 * Checks the exokernel's invariants by walking everything: every environment's page tables
 * and capability table, the derivation tree, the physical-page records and the disk
 * audit. Tests run it after every step; it returns what is wrong (empty: all is well).
 *
 * <ul>
 * <li>Every mapped user page is covered by the capability recorded for the mapping: one
 * of that environment's own, live, naming that page, with every right the entry grants.</li>
 * <li>Derived capabilities have a subset of their parent's rights and lie inside its range.</li>
 * <li>No page is both free and referenced (by a capability, a mapping or a page table),
 * and every reference count matches what the walk finds.</li>
 * <li>Every page-table page belongs to exactly one environment's tree, and every page
 * recorded as a page-table page is in one.</li>
 * <li>Live environments have distinct ASIDs, and only they hold one.</li>
 * <li>Every block transfer was allowed by a block capability with the right right, and
 * none bypassed the audit.</li>
 * </ul>
 */
public final class Invariants {
    private Invariants() {}

    /** Lock-taking entry for tests. */
    public static List<String> check(Exokernel k) {
        k.lock.lock();
        try {
            return checkLocked(k);
        } finally {
            k.lock.unlock();
        }
    }

    static List<String> checkLocked(Exokernel k) {
        List<String> bad = new ArrayList<>();
        Pages pages = k.pages;
        int n = pages.npages;
        int[] ptSeen = new int[n];
        int[] mapSeen = new int[n];
        int[] capSeen = new int[n];

        java.util.BitSet liveAsids = new java.util.BitSet();
        for (Env e : k.envs.values()) {
            if (!e.exited) {
                if (liveAsids.get(e.asid)) bad.add(e + ": shares ASID " + e.asid + " with another live environment");
                liveAsids.set(e.asid);
            }
        }
        if (!liveAsids.equals(k.envs.asids)) bad.add("ASIDs in use " + k.envs.asids + " are not those of the live environments " + liveAsids);

        for (Env e : k.envs.values()) {
            if (e.exited) {
                if (e.caps.size() != 0 || !e.mappings.isEmpty() || e.ptPages != 0)
                    bad.add(e + ": exited but still holds capabilities, mappings or page tables");
                if (e.refs == 0) bad.add(e + ": exited and unnamed but not forgotten");
                continue;
            }
            int[] tables = {0};
            e.pt.forEachTablePage(e.pagetable, pa -> {
                tables[0]++;
                int i = pages.index(pa >>> PageTable.PGSHIFT);
                ptSeen[i]++;
                if (pages.ptOwner[i] != e.id) bad.add(String.format("%s: table page 0x%x recorded as owned by %d", e, pa, pages.ptOwner[i]));
            });
            if (tables[0] != e.ptPages) bad.add(e + ": " + tables[0] + " table pages in its tree, " + e.ptPages + " counted");
            int[] leaves = {0};
            e.pt.forEachLeaf(e.pagetable, (va, ptePa, pte) -> {
                leaves[0]++;
                long ppn = pte >>> 10;
                java.util.function.Supplier<String> at = () -> String.format("%s va 0x%x", e, va);
                if (va >= EXO_UTOP) bad.add(at.get() + ": mapped at or above EXO_UTOP");
                if ((pte & PageTable.PTE_U) == 0) bad.add(at.get() + ": leaf without U");
                if (!pages.inRam(ppn)) {
                    bad.add(at.get() + ": maps outside RAM");
                    return;
                }
                mapSeen[pages.index(ppn)]++;
                Mapping m = e.mappings.get(va);
                if (m == null) {
                    bad.add(at.get() + ": mapped without a recorded mapping");
                    return;
                }
                Cap c = m.cap();
                if (!c.live || c.owner != e || e.caps.get(c.handle) != c) bad.add(at.get() + ": its capability is not one of its own live ones");
                if (c.type != CAP_PAGE || c.first != ppn) bad.add(at.get() + ": its capability does not name the mapped page");
                if (!c.mappings.contains(m)) bad.add(at.get() + ": its capability does not list the mapping");
                if ((pte & PageTable.PTE_R) != 0 && !c.has(CAP_R) || (pte & PageTable.PTE_W) != 0 && !c.has(CAP_W)
                        || (pte & PageTable.PTE_X) != 0 && !c.has(CAP_X))
                    bad.add(at.get() + ": entry grants rights its capability lacks");
                if (pages.isFree(ppn)) bad.add(at.get() + ": maps a free page");
                if (pages.ptOwner[pages.index(ppn)] != 0) bad.add(at.get() + ": maps a page-table page");
            });
            if (leaves[0] != e.mappings.size()) bad.add(e + ": " + leaves[0] + " leaves but " + e.mappings.size() + " mapping records");

            int cpu = 0;
            java.util.Map<Env, Integer> envCaps = new java.util.HashMap<>();
            for (Cap c : e.caps.all()) {
                java.util.function.Supplier<String> at = () -> e + " handle " + c.handle;
                if (!c.live || c.owner != e) bad.add(at.get() + ": dead or foreign capability in the table");
                if ((c.rights & ~CAP_ALL) != 0) bad.add(at.get() + ": unknown rights");
                Cap p = c.parent;
                if (p != null) {
                    if (!p.live) bad.add(at.get() + ": derived from a dead capability");
                    if (!p.children.contains(c)) bad.add(at.get() + ": parent does not list it");
                    if ((c.rights & ~p.rights) != 0) bad.add(at.get() + ": more rights than its parent");
                    boolean typeOk = c.type == p.type || c.type == CAP_PAGE && p.type == CAP_MEMORY;
                    if (!typeOk) bad.add(at.get() + ": derived from a capability of type " + p.type);
                    if ((p.type == CAP_MEMORY || p.type == CAP_BLOCKS) && !p.covers(c.first, c.count))
                        bad.add(at.get() + ": range outside its parent's");
                    if (c.type == p.type && (c.type == CAP_PAGE || c.type == CAP_ENV) && (c.first != p.first || c.target != p.target))
                        bad.add(at.get() + ": names something else than its parent");
                }
                for (Cap ch : c.children) if (ch.parent != c) bad.add(at.get() + ": child does not point back");
                switch (c.type) {
                    case CAP_PAGE -> {
                        int i = pages.index(c.first);
                        capSeen[i]++;
                        for (Mapping m : c.mappings) {
                            if (m.cap() != c || m.env() != e || e.mappings.get(m.va()) != m)
                                bad.add(at.get() + ": lists a mapping that is not in force");
                        }
                    }
                    case CAP_ENV -> {
                        if (k.envs.get(c.target.id) != c.target) bad.add(at.get() + ": names a forgotten environment");
                        envCaps.merge(c.target, 1, Integer::sum);
                    }
                    case CAP_CPU -> {
                        if (c.has(CAP_X)) cpu++;
                    }
                    default -> {}
                }
            }
            if (cpu != e.cpuCaps) bad.add(e + ": " + cpu + " CPU capabilities with X, " + e.cpuCaps + " counted");
            if (!envCaps.equals(e.envCaps)) bad.add(e + ": environment-capability counts are off");
        }

        for (Env t : k.envs.values()) {
            int refs = 0;
            for (Env e : k.envs.values()) refs += e.envCaps.getOrDefault(t, 0);
            if (refs != t.refs) bad.add(t + ": named by " + refs + " capabilities, " + t.refs + " counted");
        }

        for (int i = 0; i < n; i++) {
            long ppn = pages.basePpn + i;
            boolean free = pages.isFree(ppn);
            boolean ok = pages.capRefs[i] == capSeen[i] && pages.mapRefs[i] == mapSeen[i] && ptSeen[i] <= 1
                    && (pages.ptOwner[i] != 0) == (ptSeen[i] == 1) && (free ? capSeen[i] + mapSeen[i] + ptSeen[i] == 0
                    : capSeen[i] + ptSeen[i] > 0) && (ptSeen[i] == 0 || capSeen[i] == 0);
            if (ok) continue; // the common case, without building messages
            String where = String.format("page 0x%x", ppn);
            if (pages.capRefs[i] != capSeen[i]) bad.add(where + ": " + capSeen[i] + " capabilities, " + pages.capRefs[i] + " counted");
            if (pages.mapRefs[i] != mapSeen[i]) bad.add(where + ": " + mapSeen[i] + " mappings, " + pages.mapRefs[i] + " counted");
            if (ptSeen[i] > 1) bad.add(where + ": in " + ptSeen[i] + " page-table trees");
            if ((pages.ptOwner[i] != 0) != (ptSeen[i] == 1)) bad.add(where + ": page-table page not accounted for");
            if (free && (capSeen[i] > 0 || mapSeen[i] > 0 || ptSeen[i] > 0)) bad.add(where + ": free but referenced");
            if (!free && capSeen[i] == 0 && ptSeen[i] == 0) bad.add(where + ": neither free nor referenced (leaked)");
            if (ptSeen[i] > 0 && capSeen[i] > 0) bad.add(where + ": both a page table and a capability's page");
        }

        if (k.devices.audit != null) {
            for (Devices.DiskAccess a : k.devices.audit) {
                Cap c = a.cap();
                String where = String.format("disk %s of block %d by env %d", a.write() ? "write" : "read", a.block(), a.envId());
                if (c.type != CAP_BLOCKS || !a.heldThen() || c.owner.id != a.envId()) bad.add(where + ": not through a block capability of its own");
                else if (!c.covers(a.block(), 1)) bad.add(where + ": outside the capability's range");
                else if (!c.has(a.write() ? CAP_W : CAP_R)) bad.add(where + ": capability lacks the right");
            }
            long io = k.machine.disk().reads() + k.machine.disk().writes() - k.devices.auditBase;
            if (io != k.devices.audit.size()) bad.add(io + " disk transfers but " + k.devices.audit.size() + " audited");
        }
        return bad;
    }
}
