package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import xv6j.machine.PageTable;

/**
 * Checks the exokernel's invariants by walking everything: every environment's page tables,
 * capability table, records, calls and queues, the derivation tree, the physical-page
 * records, the quotas and the disk audit. Tests run it after every step; it returns what
 * is wrong (empty: all is well).
 *
 * <ul>
 * <li>Secure bindings: every mapped user page is covered by the capability recorded for
 * the mapping: one of that environment's own, live, naming that page, with every right the
 * entry grants. Nothing is mapped at or above EXO_UTOP, and no page-table page is mapped.</li>
 * <li>Derivation: derived capabilities have a subset of their parent's rights and lie
 * inside its range; every CPU capability hangs in the one tree of the CPU's shares, and
 * each one's round holds exactly the members some thread that can run now runs on or
 * under; each thread's answer to "can it run now" is worked out afresh.</li>
 * <li>Pages: each page in use has exactly one role (a capability's page, a page table, an
 * environment's records), is charged to one quota, and every count matches the walk; an
 * environment's page tables and records lie in the range of the memory capability that
 * pays for it; a free page has no role and no charge. Nothing leaks: an unreferenced page
 * is free.</li>
 * <li>Quotas: each one's use is exactly the pages charged to it and to the quotas derived
 * from it, and no more than its limit.</li>
 * <li>Environments: each live one's records are its capabilities and mappings, in as many
 * pages as they need; it is paid for by a live memory capability that lists it; some
 * other environment names it (the first excepted). An exited one holds nothing, not even
 * its registers.</li>
 * <li>Calls: caller and callee point at each other, and the ends of each chain kept in
 * its members are its ends; a call's saved activation exists
 * exactly while the callee serves; a waiting caller is in its callee's queue once, and no
 * one is in two; the activation that made a call or waits to is the one current, so only
 * it can receive the call's end; no activation belongs to two environments; chains end.</li>
 * <li>Live environments have distinct ASIDs, and only they hold one.</li>
 * <li>Every block transfer was allowed by a block capability with the right right, and
 * none bypassed the audit.</li>
 * </ul>
 */
public final class Invariants {
    private Invariants() {}

    /**
     * Lock-taking entry for tests. What the scheduler has yet to settle is settled first, as
     * at the end of every kernel entry (tests also call the kernel's parts directly).
     */
    public static List<String> check(Exokernel k) {
        k.lock.lock();
        try {
            k.sched.settle();
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
        int[] recSeen = new int[n];
        int[] mapSeen = new int[n];
        int[] capSeen = new int[n];

        BitSet liveAsids = new BitSet();
        for (Env e : k.envs.values()) {
            if (!e.exited && e.asid != Environments.SHARED_ASID) {
                if (liveAsids.get(e.asid)) bad.add(e + ": shares ASID " + e.asid + " with another live environment");
                liveAsids.set(e.asid);
            }
        }
        if (!liveAsids.equals(k.envs.asids)) bad.add("ASIDs in use " + k.envs.asids + " are not those of the live environments " + liveAsids);

        Map<Activation, Env> activations = new IdentityHashMap<>();
        Map<Cap, Integer> childOf = new IdentityHashMap<>(); // per parent: the capabilities pointing to it
        Set<Cap> placeholders = java.util.Collections.newSetFromMap(new IdentityHashMap<>()); // freed ones kept as parents
        Map<Env, Env> queuedOn = new HashMap<>();
        for (Env e : k.envs.values()) {
            checkRecordPages(k, e, recSeen, bad);
            for (Activation a : new Activation[] {e.cur, e.own}) {
                if (a == null) continue;
                Env other = activations.put(a, e);
                if (other != null) bad.add(e + ": shares an activation with " + other);
                if (a.env != e) bad.add(e + ": holds an activation of " + a.env);
                if (a.waitPa != -1 && !k.events.listed(a)) bad.add(e + ": sleeps on a word no wake of it would find");
                if (a.waitPa != -1 && !mapsPageOf(e, a.waitPa)) bad.add(e + ": sleeps on a word of a page it does not map");
                if (!e.exited && !k.events.listedForEvents(e, a)) bad.add(e + ": blocked on EV_TICK, EV_CONSOLE or EV_KEY where no tick or key would find it");
                if ((e.events & (EV_TICK | EV_CONSOLE | EV_KEY)) != 0) bad.add(e + ": EV_TICK, EV_CONSOLE or EV_KEY kept as a pending bit");
            }
            for (Env w : e.waiters) {
                Env other = queuedOn.put(w, e);
                if (other != null) bad.add(w + ": waits in the queues of " + other + " and " + e);
            }
            if (e.exited) {
                if (e.caps.size() != 0 || !e.mappings.isEmpty() || e.ptPages != 0 || e.records != 0)
                    bad.add(e + ": exited but still holds capabilities, mappings, page tables or records");
                if (e.caller != null || e.callee != null || e.own != null || e.waitingOn != null || !e.waiters.isEmpty())
                    bad.add(e + ": exited but still takes part in a call");
                if (e.refs == 0) bad.add(e + ": exited and unnamed but not forgotten");
                for (long v : e.cur.regs.x) if (v != 0) bad.add(e + ": exited, but its registers are still there to be read");
                continue;
            }
            checkAddressSpace(k, e, ptSeen, mapSeen, bad);
            checkCapabilities(k, e, capSeen, childOf, placeholders, bad);
            checkCalls(e, bad);
            if (e.records != e.caps.size() + e.mappings.size())
                bad.add(e + ": " + e.records + " records counted, " + e.caps.size() + " capabilities and " + e.mappings.size() + " mappings held");
            if (e.recordPages.size() != (e.records + EXO_RECORDS_PER_PAGE - 1) / EXO_RECORDS_PER_PAGE)
                bad.add(e + ": " + e.recordPages.size() + " pages for " + e.records + " records");
            if (e.first != (e.payer == null)) bad.add(e + ": the first environment alone is paid by no capability");
            if (e.payer != null && (!e.payer.live || e.payer.type != CAP_MEMORY || e.payer.pays == null
                    || !e.payer.pays.contains(e) || e.quota != e.payer.quota))
                bad.add(e + ": not paid for by a live memory capability that lists it");
            if (e.dying) bad.add(e + ": still dying after the operation");
            if (!e.first && e.refs <= e.selfRefs()) bad.add(e + ": no other environment names it, yet it lives");
            if (e.notices.size() > Capabilities.MAX_NOTICES) bad.add(e + ": more notices than its record holds");
        }
        for (Map.Entry<Env, Env> q : queuedOn.entrySet()) {
            if (q.getKey().waitingOn != q.getValue()) bad.add(q.getKey() + ": in the queue of " + q.getValue() + " but waits for " + q.getKey().waitingOn);
        }
        for (Env e : k.envs.values()) {
            if (e.waitingOn != null && queuedOn.get(e) != e.waitingOn) bad.add(e + ": waits for " + e.waitingOn + " outside its queue");
        }

        for (Env t : k.envs.values()) {
            int refs = 0;
            for (Env e : k.envs.values()) refs += e.envCaps.getOrDefault(t, 0);
            if (refs != t.refs) bad.add(t + ": named by " + refs + " capabilities, " + t.refs + " counted");
        }
        checkPlaceholders(placeholders, childOf, bad);
        // Each parent lists exactly the capabilities that point to it (each list entry points back).
        for (Map.Entry<Cap, Integer> p : childOf.entrySet()) {
            int listed = 0;
            for (Cap ch = p.getKey().firstChild; ch != null; ch = ch.nextSibling) listed++;
            if (listed != p.getValue()) bad.add(p.getKey() + ": lists " + listed + " children, " + p.getValue() + " point to it");
        }
        checkCpuTree(k, bad);
        checkTlbs(k, bad);
        checkPages(pages, ptSeen, recSeen, mapSeen, capSeen, bad);
        checkQuotas(k, bad);
        checkAudit(k, bad);
        return bad;
    }

    /** Whether some mapping of e's is of the page holding physical address pa. */
    private static boolean mapsPageOf(Env e, long pa) {
        for (Mapping m : e.mappings.values()) if (Pages.pa(m.cap().first) == (pa & -PageTable.PGSIZE)) return true;
        return false;
    }

    /** e's record page and the pages of its records are its own, and in use. */
    private static void checkRecordPages(Exokernel k, Env e, int[] recSeen, List<String> bad) {
        List<Long> all = new ArrayList<>(e.recordPages);
        all.add(e.recordPa);
        for (long pa : all) {
            int i = k.pages.indexOfPa(pa);
            recSeen[i]++;
            if (k.pages.recOwner[i] != e.id) bad.add(String.format("%s: record page 0x%x recorded as %d's", e, pa, k.pages.recOwner[i]));
            if (k.pages.charged[i] != e.quota) bad.add(String.format("%s: record page 0x%x charged elsewhere", e, pa));
            if (!inPayersRange(e, pa)) bad.add(String.format("%s: record page 0x%x outside the range that pays for it", e, pa));
        }
    }

    /** Whether the page at pa lies in the range of the memory capability that pays for e (the first: all RAM). */
    private static boolean inPayersRange(Env e, long pa) {
        return e.payer == null || e.payer.covers(pa >>> PageTable.PGSHIFT, 1);
    }

    private static void checkAddressSpace(Exokernel k, Env e, int[] ptSeen, int[] mapSeen, List<String> bad) {
        Pages pages = k.pages;
        int[] tables = {0};
        e.pt.forEachTablePage(e.pagetable, pa -> {
            tables[0]++;
            int i = pages.indexOfPa(pa);
            ptSeen[i]++;
            if (pages.ptOwner[i] != e.id) bad.add(String.format("%s: table page 0x%x recorded as owned by %d", e, pa, pages.ptOwner[i]));
            if (pages.charged[i] != e.quota) bad.add(String.format("%s: table page 0x%x charged elsewhere", e, pa));
            if (!inPayersRange(e, pa)) bad.add(String.format("%s: table page 0x%x outside the range that pays for it", e, pa));
        });
        if (tables[0] != e.ptPages) bad.add(e + ": " + tables[0] + " table pages in its tree, " + e.ptPages + " counted");
        int[] leaves = {0};
        e.pt.forEachLeaf(e.pagetable, (va, ptePa, pte) -> {
            leaves[0]++;
            long ppn = pte >>> 10;
            Supplier<String> at = () -> String.format("%s va 0x%x", e, va);
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
            if (c.mappings == null || !c.mappings.contains(m)) bad.add(at.get() + ": its capability does not list the mapping");
            if ((pte & PageTable.PTE_R) != 0 && !c.has(CAP_R) || (pte & PageTable.PTE_W) != 0 && !c.has(CAP_W)
                    || (pte & PageTable.PTE_X) != 0 && !c.has(CAP_X))
                bad.add(at.get() + ": entry grants rights its capability lacks");
            if (pages.isFree(ppn)) bad.add(at.get() + ": maps a free page");
            if (pages.ptOwner[pages.index(ppn)] != 0 || pages.recOwner[pages.index(ppn)] != 0)
                bad.add(at.get() + ": maps a page of the kernel's");
        });
        if (leaves[0] != e.mappings.size()) bad.add(e + ": " + leaves[0] + " leaves but " + e.mappings.size() + " mapping records");
        // Tables below the root: their counts are their valid entries, and none is kept empty.
        e.pt.forEachTablePage(e.pagetable, pa -> {
            if (pa == e.pagetable) return;
            int i = pages.indexOfPa(pa);
            int want = 0;
            for (int j = 0; j < PageTable.ENTRIES; j++) if ((k.mem.load64(pa + 8L * j) & PageTable.PTE_V) != 0) want++;
            if (pages.entries[i] != want) bad.add(String.format("%s: table page 0x%x has %d entries, %d counted", e, pa, want, pages.entries[i]));
            if (want == 0) bad.add(String.format("%s: table page 0x%x is empty but kept", e, pa));
        });
    }

    private static void checkCapabilities(Exokernel k, Env e, int[] capSeen, Map<Cap, Integer> childOf, Set<Cap> placeholders,
            List<String> bad) {
        List<Cap> cpus = new ArrayList<>();
        Map<Env, Integer> envCaps = new HashMap<>();
        for (Cap c : e.caps.all()) {
            Supplier<String> at = () -> e + " handle " + c.handle;
            if (!c.live || c.owner != e) bad.add(at.get() + ": dead or foreign capability in the table");
            if ((c.rights & ~CAP_ALL) != 0) bad.add(at.get() + ": unknown rights");
            Cap p = c.parent;
            checkDerivation(c, at, childOf, placeholders, bad);
            switch (c.type) {
                case CAP_PAGE -> {
                    int i = k.pages.index(c.first);
                    capSeen[i]++;
                    if (c.mappings != null) {
                        for (Mapping m : c.mappings) {
                            if (m.cap() != c || m.env() != e || e.mappings.get(m.va()) != m)
                                bad.add(at.get() + ": lists a mapping that is not in force");
                        }
                    }
                }
                case CAP_MEMORY -> {
                    boolean ok = c.quota != null;
                    if (ok && p != null) {
                        ok = false;
                        for (Quota q = c.quota; q != null && !ok; q = q.parent) ok = q == p.quota;
                    }
                    if (!ok) bad.add(at.get() + ": its quota is neither its parent's nor derived from it");
                    if (c.pays != null) for (Env x : c.pays) if (x.payer != c || x.exited) bad.add(at.get() + ": pays for " + x + ", which it does not");
                }
                case CAP_ENV -> {
                    if (k.envs.get(c.target.id) != c.target) bad.add(at.get() + ": names a forgotten environment");
                    envCaps.merge(c.target, 1, Integer::sum);
                }
                case CAP_CPU -> {
                    if (c.has(CAP_X)) cpus.add(c);
                    long most = p != null ? p.count : SLICE_MAX;
                    if (c.count < 1 || c.count > most) bad.add(at.get() + ": its longest slice, " + c.count + " ticks, is not within its parent's");
                    if (c.debt < 0 || c.debt > SLICE_MAX || c.holderDebt < 0 || c.holderDebt > SLICE_MAX) bad.add(at.get() + ": owes turns beyond the bound");
                }
                default -> {}
            }
        }
        if (!new java.util.HashSet<>(cpus).equals(new java.util.HashSet<>(e.cpus)) || cpus.size() != e.cpus.size())
            bad.add(e + ": its CPU capabilities with X are not those it runs on");
        if (!envCaps.equals(e.envCaps)) bad.add(e + ": environment-capability counts are off");
    }

    /**
     * c's place in the derivation tree: within its parent's rights, type and range, naming
     * what its parent names, its children pointing back. A dead parent must be a placeholder
     * (collected for checkPlaceholders).
     */
    private static void checkDerivation(Cap c, Supplier<String> at, Map<Cap, Integer> childOf, Set<Cap> placeholders, List<String> bad) {
        Cap p = c.parent;
        if (p != null) {
            if (!p.live) placeholders.add(p);
            childOf.merge(p, 1, Integer::sum);
            if ((c.rights & ~p.rights) != 0) bad.add(at.get() + ": more rights than its parent");
            boolean typeOk = c.type == p.type || c.type == CAP_PAGE && p.type == CAP_MEMORY;
            if (!typeOk) bad.add(at.get() + ": derived from a capability of type " + p.type);
            if ((p.type == CAP_MEMORY || p.type == CAP_BLOCKS) && !p.covers(c.first, c.count))
                bad.add(at.get() + ": range outside its parent's");
            if (c.type == p.type && (c.type == CAP_PAGE || c.type == CAP_ENV)
                    && (c.first != p.first || c.live && p.live && c.target != p.target)) // (a placeholder names nothing)
                bad.add(at.get() + ": names something else than its parent");
        }
        for (Cap ch = c.firstChild; ch != null; ch = ch.nextSibling) if (ch.parent != c) bad.add(at.get() + ": child does not point back");
    }

    /**
     * Freed capabilities kept in the tree (Capabilities.free): each holds nothing, is in no
     * table, and has two or more children (with one, that one takes its place; with none,
     * it goes), so they are fewer than the live ones and cost nothing to keep.
     */
    private static void checkPlaceholders(Set<Cap> placeholders, Map<Cap, Integer> childOf, List<String> bad) {
        ArrayDeque<Cap> todo = new ArrayDeque<>(placeholders);
        Set<Cap> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Cap x = todo.poll();
            if (!seen.add(x)) continue;
            Supplier<String> at = () -> "freed " + x;
            if (x.live || x.owner != null || x.target != null || x.mappings != null)
                bad.add(at.get() + ": a placeholder that still holds something");
            int n = 0;
            for (Cap ch = x.firstChild; ch != null; ch = ch.nextSibling) n++;
            if (n < 2) bad.add(at.get() + ": kept in the tree with " + n + " derived from it");
            Set<Cap> more = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            checkDerivation(x, at, childOf, more, bad);
            todo.addAll(more);
        }
    }

    /** The calls e takes part in. */
    private static void checkCalls(Env e, List<String> bad) {
        int hops = 0;
        for (Env x = e; x != null; x = x.caller) {
            if (++hops > 10_000) {
                bad.add(e + ": its chain of callers does not end");
                return;
            }
        }
        if (e.chainRoot.caller != null) bad.add(e + ": the root of its chain kept is itself called");
        if (e.caller == null) { // a root: every member of its chain knows it, and it knows the innermost
            Env x = e;
            for (int n = 0; x.callee != null && n < 10_000; n++) {
                x = x.callee;
                if (x.chainRoot != e) bad.add(x + ": takes " + x.chainRoot + " for its chain's root, not " + e);
            }
            if (e.chainInner != x) bad.add(e + ": takes " + e.chainInner + " for its chain's innermost, not " + x);
            List<Env> chain = new ArrayList<>();
            BitSet withCpu = new BitSet();
            for (Env y = e; y != null && chain.size() <= 10_000; y = y.callee) {
                if (!y.cpus.isEmpty()) withCpu.set(chain.size());
                if (y.depth != chain.size()) bad.add(y + ": takes its place in " + e + "'s chain for " + y.depth + ", not " + chain.size());
                chain.add(y);
            }
            if (!chain.equals(e.members)) bad.add(e + ": keeps " + e.members + " as its chain's members, not " + chain);
            if (!withCpu.equals(e.withCpu)) bad.add(e + ": keeps " + e.withCpu + " as the places in its chain with CPU, not " + withCpu);
            Set<Env> waited = new HashSet<>();
            Env y = e;
            for (int n = 0; y != null && n <= 10_000; n++, y = y.callee) if (!y.waiters.isEmpty()) waited.add(y);
            if (!waited.equals(new HashSet<>(e.waitedInChain)))
                bad.add(e + ": keeps " + e.waitedInChain + " as the members of its chain callers wait for, not " + waited);
        } else if (!e.waitedInChain.isEmpty()) {
            bad.add(e + ": not a chain's root, yet keeps members callers wait for: " + e.waitedInChain);
        }
        if (e.caller != null && !(e.members.isEmpty() && e.withCpu.isEmpty())) bad.add(e + ": not a chain's root, yet keeps members");
        if (e.caller != null && (e.caller.callee != e || e.caller.exited)) bad.add(e + ": its caller does not call it");
        if (e.caller != null && e.own == null) bad.add(e + ": serves a call without its own activation saved");
        if (e.own != null && e.own.calling != null) bad.add(e + ": its saved activation is in a call");
        if (e.callee != null) {
            if (e.callee.caller != e || e.callee.exited) bad.add(e + ": its callee does not serve it");
            if (e.cur.calling != e.callee) bad.add(e + ": its current activation did not make the call it is in");
            if (e.waitingOn != null) bad.add(e + ": calls and waits to call at once");
        }
        if (e.waitingOn != null && e.cur.calling != e.waitingOn) bad.add(e + ": its current activation did not make the call it waits to make");
        if (e.cur.calling != null && e.cur.calling != e.callee && e.cur.calling != e.waitingOn)
            bad.add(e + ": its activation is in a call that does not exist");
        for (Env w : e.waiters) if (w.exited) bad.add(e + ": an exited environment waits in its queue");
        if (!e.waiters.isEmpty() && !ProtectedControlTransfer.busy(e)) bad.add(e + ": callers wait in its queue, yet it could take a call");
        if (e.resting && (e.exited || e.stopped || e.serving())) bad.add(e + ": it rests for its own thread's turn, which cannot come");
    }

    /** Every live CPU capability hangs from the root of the CPU's shares; round-robin cursors name children. */
    private static void checkCpuTree(Exokernel k, List<String> bad) {
        Cap top = k.sched.cpuTop;
        Set<Cap> inTree = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inTree.add(top);
        for (Env e : k.envs.values()) {
            for (Cap c : e.caps.all()) {
                if (c.type != CAP_CPU) continue;
                List<Cap> path = new ArrayList<>();
                Cap x = c;
                for (int hops = 0; x != null && !inTree.contains(x) && hops < 1_000_000; hops++) {
                    path.add(x);
                    x = x.parent;
                }
                if (x == null || !inTree.contains(x)) bad.add(e + " handle " + c.handle + ": a CPU capability outside the tree of shares");
                else inTree.addAll(path);
            }
        }
        Map<Env, Integer> held = new IdentityHashMap<>();
        if (k.cpus.length > 1) for (Cpu c : k.cpus) if (c.root != null) held.merge(c.root, 1, Integer::sum); // (Scheduler.hold)
        Set<Env> canRun = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Env e : k.envs.values()) {
            if (e.held != held.getOrDefault(e, 0)) bad.add(e + ": held by " + e.held + " CPUs, not " + held.getOrDefault(e, 0));
            boolean now = canRunNow(e, held.keySet());
            if (now) canRun.add(e);
            if (e.runsNow != now) bad.add(e + ": " + (now ? "can run now but is not counted so" : "counted as able to run now, but cannot"));
            Cap want = now ? e.threadCap() : null;
            if (e.countedIn != want) bad.add(e + ": its thread is counted in the round of " + e.countedIn + ", not " + want);
            if (e.unsettled) bad.add(e + ": changed, and not settled after the operation");
        }
        Map<Cap, Integer> threadsOn = new IdentityHashMap<>(); // the threads counted as each one's holder's (Env.threadCap)
        for (Env t : canRun) if (t.threadCap() != null) threadsOn.merge(t.threadCap(), 1, Integer::sum);
        checkRounds(top, threadsOn, bad);
    }

    /**
     * Whether e's thread can run now, worked out afresh: e serves no call and has not
     * exited; the innermost environment of its chain has not exited and is not stopped
     * (unless it serves a call); and that one is not blocked, or waits for a busy callee
     * whose chain can run now and no CPU holds (helping), the waits ending somewhere other
     * than in a ring.
     */
    private static boolean canRunNow(Env e, Set<Env> held) {
        Set<Env> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Env r = e; seen.add(r);) {
            if (r.exited || r.caller != null) return false;
            Env x = r;
            while (x.callee != null) x = x.callee;
            if (x.exited || x.stopped && x.own == null) return false;
            if (x.waitingOn == null) return x.cur.blockMask == 0 && x.cur.waitPa == -1;
            r = x.waitingOn;
            while (r.caller != null) r = r.caller;
            if (held.contains(r)) return false; // another CPU runs that chain: a turn of e's would find nothing
        }
        return false; // a ring of threads waiting for each other
    }

    /**
     * Each CPU capability's round (Cap.members), placeholders' and the top's included: its
     * count is its holder's thread, if this is the capability that thread runs on
     * (Env.threadCap: the holder's run capability, or that of a callee for a root with
     * none) and the thread can run now, and each derived capability whose own count is
     * not 0; its list holds
     * exactly those derived ones, once, linked both ways; its round robin names one of them
     * or its holder. So a capability is counted exactly when it lies on the path from the
     * top to the run capability of a thread that can run now.
     */
    private static void checkRounds(Cap top, Map<Cap, Integer> threadsOn, List<String> bad) {
        ArrayDeque<Cap> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            Cap c = todo.pop();
            Supplier<String> at = () -> c == top ? "the CPU's round" : "the round of " + c;
            Set<Cap> counted = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Cap ch = c.firstChild; ch != null; ch = ch.nextSibling) {
                if (ch.members > 0) counted.add(ch);
                todo.push(ch);
            }
            int threads = threadsOn.getOrDefault(c, 0);
            if (threads > 1 || (c.counts != null ? c.counts.countedIn != c : threads != 0))
                bad.add(at.get() + ": " + threads + " threads run on it as its holder's, and it names " + c.counts);
            int want = counted.size() + threads;
            if (c.members != want) bad.add(at.get() + ": " + c.members + " members counted, " + want + " run on it or under it");
            Set<Cap> listed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            Cap prev = null;
            for (Cap m = c.firstMember; m != null && listed.size() <= counted.size(); m = m.nextMember) {
                if (!listed.add(m)) bad.add(at.get() + ": lists " + m + " twice");
                if (m.prevMember != prev) bad.add(at.get() + ": " + m + " does not point back to the member before it");
                prev = m;
            }
            if (c.lastMember != prev) bad.add(at.get() + ": its last member is not the end of its list");
            if (!listed.equals(counted)) bad.add(at.get() + ": lists " + listed.size() + " members, " + counted.size() + " derived capabilities have threads that can run under them");
            if (c.rr != null && !counted.contains(c.rr)) bad.add(at.get() + ": its round robin names no member");
            if (c.firstChild == null && c.firstMember != null) bad.add(at.get() + ": members but no derived capabilities");
        }
    }

    private static void checkPages(Pages pages, int[] ptSeen, int[] recSeen, int[] mapSeen, int[] capSeen, List<String> bad) {
        for (int i = 0; i < pages.npages; i++) {
            long ppn = pages.basePpn + i;
            boolean free = pages.isFree(ppn);
            int roles = (capSeen[i] > 0 ? 1 : 0) + ptSeen[i] + recSeen[i];
            boolean ok = pages.capRefs[i] == capSeen[i] && pages.mapRefs[i] == mapSeen[i] && ptSeen[i] <= 1 && recSeen[i] <= 1
                    && (pages.ptOwner[i] != 0) == (ptSeen[i] == 1) && (pages.recOwner[i] != 0) == (recSeen[i] == 1)
                    && (free ? roles + mapSeen[i] == 0 && pages.charged[i] == null : roles == 1 && pages.charged[i] != null);
            if (ok) continue; // the common case, without building messages
            String where = String.format("page 0x%x", ppn);
            if (pages.capRefs[i] != capSeen[i]) bad.add(where + ": " + capSeen[i] + " capabilities, " + pages.capRefs[i] + " counted");
            if (pages.mapRefs[i] != mapSeen[i]) bad.add(where + ": " + mapSeen[i] + " mappings, " + pages.mapRefs[i] + " counted");
            if (ptSeen[i] > 1) bad.add(where + ": in " + ptSeen[i] + " page-table trees");
            if ((pages.ptOwner[i] != 0) != (ptSeen[i] == 1)) bad.add(where + ": page-table page not accounted for");
            if ((pages.recOwner[i] != 0) != (recSeen[i] == 1)) bad.add(where + ": record page not accounted for");
            if (free && (roles > 0 || mapSeen[i] > 0)) bad.add(where + ": free but referenced");
            if (free && pages.charged[i] != null) bad.add(where + ": free but charged");
            if (!free && roles == 0) bad.add(where + ": neither free nor referenced (leaked)");
            if (!free && pages.charged[i] == null) bad.add(where + ": in use but charged to no quota");
            if (roles > 1) bad.add(where + ": has more than one role (capability page, page table, records)");
        }
    }

    /** Each quota's use is the pages charged to it and to its descendants, within its limit. */
    /**
     * A CPU that would run an environment without flushing its TLB (Scheduler.runUser)
     * holds no translation of it that its page table does not grant now. So every change
     * of a mapping moves the environment's generation after the entry changed
     * (SecureBindings.shoot). CPUs in user mode are passed over: their TLBs move under us,
     * and shootdown covers them.
     */
    private static void checkTlbs(Exokernel k, List<String> bad) {
        Map<Integer, Env> byAsid = new HashMap<>();
        for (Env e : k.envs.values()) if (!e.exited && e.asid != Environments.SHARED_ASID) byAsid.put(e.asid, e);
        for (Cpu c : k.cpus) {
            if (c.userPhase) continue;
            c.hart.mmu.forEachCached((access, va, asid, pa) -> {
                Env e = asid == Environments.SHARED_ASID ? c.tlbEnv : byAsid.get(asid);
                if (e == null || e.exited || e.asid != asid) return;
                if (!c.keepsTlbOf(e)) return; // flushed before e runs there again
                long pte = e.pt.lookup(e.pagetable, va);
                long need = switch (access) {
                    case FETCH -> PageTable.PTE_X;
                    case LOAD -> PageTable.PTE_R;
                    case STORE -> PageTable.PTE_W;
                };
                if ((pte & PageTable.PTE_V) == 0 || (pte & need) == 0 || PageTable.pte2pa(pte) != pa)
                    bad.add("cpu " + c.id + " would run " + e + " with a " + access.name().toLowerCase()
                            + " translation of 0x" + Long.toHexString(va) + " its page table does not grant");
            });
        }
    }

    private static void checkQuotas(Exokernel k, List<String> bad) {
        Map<Quota, Long> want = new IdentityHashMap<>();
        Set<Quota> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Quota q : k.pages.charged) {
            for (Quota a = q; a != null; a = a.parent) {
                want.merge(a, 1L, Long::sum);
                seen.add(a);
            }
        }
        for (Env e : k.envs.values()) {
            for (Cap c : e.caps.all()) for (Quota a = c.quota; a != null; a = a.parent) seen.add(a);
        }
        if (!seen.contains(k.ram) && k.ram.used != 0) bad.add("RAM's quota counts pages that are not in use");
        for (Quota q : seen) {
            long w = want.getOrDefault(q, 0L);
            if (q.used != w) bad.add("a quota of " + q.limit + " pages counts " + q.used + " used, but " + w + " are charged to it");
            if (q.used > q.limit) bad.add("a quota of " + q.limit + " pages has " + q.used + " charged");
        }
        if (k.ram.used != k.pages.npages - k.pages.freeCount()) bad.add("RAM's quota counts " + k.ram.used + " pages, " + (k.pages.npages - k.pages.freeCount()) + " are in use");
    }

    private static void checkAudit(Exokernel k, List<String> bad) {
        if (k.devices.audit == null) return;
        for (Devices.DiskAccess a : k.devices.audit) {
            Cap c = a.cap();
            String where = String.format("disk %s of block %d by env %d", a.write() ? "write" : "read", a.block(), a.envId());
            if (c.type != CAP_BLOCKS || !a.heldThen()) bad.add(where + ": not through a block capability of its own");
            else if (!c.covers(a.block(), 1)) bad.add(where + ": outside the capability's range");
            else if (!c.has(a.write() ? CAP_W : CAP_R)) bad.add(where + ": capability lacks the right");
        }
        long io = k.machine.disk().reads() + k.machine.disk().writes() - k.devices.auditBase;
        if (io != k.devices.audit.size()) bad.add(io + " disk transfers but " + k.devices.audit.size() + " audited");
    }
}
