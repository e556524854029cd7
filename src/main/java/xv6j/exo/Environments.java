package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import xv6j.libos.Uproc;
import xv6j.machine.PageTable;

/**
 * Environments (Aegis's protection domains): creation, destruction, their kernel memory,
 * and the registry of those still known. Ids are never reused in a boot; an exited
 * environment lingers, with its status, while a CAP_ENV names it.
 *
 * <p>An environment's kernel memory is paid from the quota of the memory capability named
 * at its creation, and it lives no longer than that capability. An environment nobody
 * else can name any more (no CAP_ENV for it outside its own table) is destroyed at once:
 * nothing could control it, call it or wait for it again. Destroying one can so end
 * others; such deaths are queued and done one after another ({@link #hold}), never
 * nested, so a long chain of them needs no deep stack and no walk of the capability
 * tree is cut short by a death it caused.
 */
final class Environments {
    /** Address-space identifiers: Sv39's 16 bits. */
    private static final int ASIDS = 1 << 16;
    /**
     * The ASID environments share once every other is taken: a CPU flushes it each time it
     * runs one of them after running anything else (Scheduler.runUser). ASIDs are the
     * machine's, not any quota's: at 2 pages an environment, 512 MiB of quota (half of the
     * largest machine) took all 65536, and then no one could make an environment, whatever
     * their quota (user/exo/asids.c). So they never run out; only the ones beyond a
     * machine's dedicated ids pay a flush at each switch to them.
     */
    static final int SHARED_ASID = 0;

    private final Exokernel k;
    private final TreeMap<Integer, Env> envs = new TreeMap<>();
    /** The id the next environment gets, unless one still known has it (see {@link #newId}). */
    int nextId = 1;
    /** Environments made so far: each one's {@link Env#born}. */
    private long births;
    /** ASIDs of live environments, SHARED_ASID apart. */
    final BitSet asids = new BitSet();
    /** Dedicated ASIDs are 1 .. asidLimit-1 (tests lower it to share SHARED_ASID on a small machine). */
    int asidLimit = ASIDS;

    private record Doomed(Env env, int status, String msg) {}

    private final ArrayDeque<Doomed> doomed = new ArrayDeque<>();
    private int holding;

    Environments(Exokernel k) {
        this.k = k;
    }

    /**
     * Environment id as kernel-exo's messages name it (Trace's events, the report of a
     * script nothing can wake): "env 7 (sh, pid 3)" when the standard LibOS made it, read
     * from its hand-off as the monitor reads it ({@link Uproc}), else "env 7". For a person
     * only: nothing is decided by it. Lock held.
     */
    String label(int id) {
        Env e = envs.get(id);
        if (e == null || e.exited) return "env " + id; // (its page tables are gone)
        return Uproc.label(id, Uproc.of(k.umem.copyIn(e, Uproc.VA, Uproc.LEN)));
    }

    Env get(int id) {
        return envs.get(id);
    }

    /** Every known environment, by id. */
    Collection<Env> values() {
        return envs.values();
    }

    int size() {
        return envs.size();
    }

    // ---- creation ----

    /**
     * A new stopped environment with an empty address space and table, its kernel memory
     * paid by payer (a CAP_MEMORY capability; null for the first environment, which RAM's
     * own quota pays for). Null if the quota cannot pay.
     */
    Env create(int parentId, Cap payer) {
        Quota q = payer != null ? payer.quota : k.ram;
        if (!q.canCharge(EXO_ENV_PAGES)) return null;
        int id = newId();
        long record = kernelPage(id, payer, false);
        if (record == 0) return null;
        long root = kernelPage(id, payer, true);
        if (root == 0) {
            k.pages.freeKernel(record);
            return null;
        }
        int asid = asids.nextClearBit(SHARED_ASID + 1);
        if (asid >= asidLimit) asid = SHARED_ASID;
        if (asid != SHARED_ASID) asids.set(asid);
        Env e = new Env(id, parentId, payer == null, payer, q, root, record, asid, k.cpus.length);
        e.born = ++births;
        e.tickSeen = k.sched.ticks; // (EV_TICK comes with the next tick)
        e.keySeen = k.events.keysTyped(); // (and EV_KEY with the next key)
        e.pt = new PageTable(k.mem, () -> {
            long pa = kernelPage(e.id, e.payer, true);
            if (pa != 0) e.ptPages++;
            return pa;
        });
        if (payer != null) {
            if (payer.pays == null) payer.pays = new ArrayList<>();
            payer.pays.add(e);
        }
        envs.put(id, e);
        k.trace.create(parentId, e);
        return e;
    }

    /**
     * An id for a new environment: positive (0 means "no environment" in Pages' records),
     * and none that an environment still known has. Ids go up and are not given again for
     * 2^31 - 1 creations; then they start again from 1, skipping those still known. They
     * wrapped: one program makes and ends about 700000 environments a second, so in 50
     * minutes ids went negative, and in 100 the next was 0, whose pages counted as nobody's
     * (freeing them threw), then 1, which took /init's place in the registry.
     */
    private int newId() {
        int id = nextId;
        while (envs.containsKey(id)) id = id == Integer.MAX_VALUE ? 1 : id + 1;
        nextId = id == Integer.MAX_VALUE ? 1 : id + 1;
        return id;
    }

    /**
     * A page of kernel memory for environment id, from the range of payer, the memory
     * capability that pays for it, and charged to its quota (the first environment's: all
     * of RAM, and RAM's quota); 0 if neither can give one. Taken from anywhere, the kernel
     * memory of an environment on one range (its page tables, its records) filled the
     * ranges of others, which then ran out with their quotas unused (user/exo/ranges.c).
     */
    private long kernelPage(int id, Cap payer, boolean table) {
        return payer == null
                ? k.pages.allocKernel(id, k.ram, k.pages.basePpn, k.pages.npages, table)
                : k.pages.allocKernel(id, payer.quota, payer.first, payer.count, table);
    }

    // ---- kernel records ----

    /** Makes room for n more records in e's kernel memory; false if its quota cannot pay for it. */
    boolean reserveRecords(Env e, int n) {
        while (e.records + n > e.recordPages.size() * EXO_RECORDS_PER_PAGE) {
            long pa = kernelPage(e.id, e.payer, false);
            if (pa == 0) return false;
            e.recordPages.add(pa);
        }
        return true;
    }

    /** One more record (a capability or a mapping), in room already reserved. */
    void addRecord(Env e) {
        if (e.records >= e.recordPages.size() * EXO_RECORDS_PER_PAGE) throw new IllegalStateException(e + ": a record without room");
        e.records++;
    }

    /** One record fewer; a page of them that is no longer needed goes back. */
    void dropRecord(Env e) {
        dropRecords(e, 1);
    }

    /** n records fewer; pages of them no longer needed go back. */
    void dropRecords(Env e, int n) {
        e.records -= n;
        trimRecords(e);
    }

    /** Gives back the pages of records e does not need (room reserved by a call that then failed). */
    void trimRecords(Env e) {
        while (!e.recordPages.isEmpty() && (e.recordPages.size() - 1) * EXO_RECORDS_PER_PAGE >= e.records)
            k.pages.freeKernel(e.recordPages.remove(e.recordPages.size() - 1));
    }

    // ---- destruction ----

    /**
     * Destroys e with an exit status (now, unless deaths are held). The calls it takes part
     * in: a call it serves fails with E_DEAD for its caller; a call it made goes on in the
     * callee without it (exo.h: a call survives its caller); callers waiting for it get
     * E_DEAD. Then every capability it holds is freed (so its mappings; what others derived
     * from them stays, and environments its memory capabilities paid for are destroyed),
     * and its page tables and records. It lingers, EXITED, while a capability names it.
     * msg, if not null, goes to the console.
     */
    void destroy(Env e, int status, String msg) {
        if (e.exited || e.dying) return;
        e.dying = true;
        doomed.add(new Doomed(e, status, msg));
        if (holding == 0) drain();
    }

    /** Deaths from now on wait for {@link #release} (while a tree of capabilities is walked). */
    void hold() {
        holding++;
    }

    void release() {
        if (--holding == 0) drain();
    }

    private void drain() {
        holding++;
        try {
            while (!doomed.isEmpty()) {
                Doomed d = doomed.poll();
                destroyNow(d.env(), d.status(), d.msg());
            }
        } finally {
            holding--;
        }
    }

    private void destroyNow(Env e, int status, String msg) {
        if (msg != null) k.devices.kernelLine(msg);
        k.trace.exit(e, status, msg);
        k.sched.steal(e.root().innermost());
        k.pct.leave(e);
        // Its bindings and page tables at once, then its capabilities, which have no
        // mapping left to undo (freeing each took its mappings one by one, as for a live
        // space: docs/exo.md, Costs).
        k.bindings.unbindAll(e);
        for (Cap c : e.caps.all()) k.caps.free(c);
        if (!e.mappings.isEmpty() || e.records != 0)
            throw new IllegalStateException(e + " still has mappings or records after losing its capabilities");
        if (e.asid != SHARED_ASID) asids.clear(e.asid); // it never runs again; the next holder flushes it on each CPU
        e.exited = true;
        e.status = status;
        k.sched.changed(e);
        e.cur.waitPa = -1; // (the futex index may still list them: a wake must not count them)
        if (e.own != null) e.own.waitPa = -1;
        e.cur = new Activation(e);
        e.own = null;
        e.upcallMask = 0;
        e.pctEntry = 0;
        e.notices.clear();
        if (e.payer != null && e.payer.pays != null) e.payer.pays.remove(e);
        Env parent = envs.get(e.parentId);
        if (parent != null && !parent.exited) {
            parent.childrenEnded++;
            k.events.raise(parent, EV_CHILD);
        }
        maybeForget(e);
        // The first environment's end is the machine's, and so is its status: a batch run
        // must tell init's failure (or a test program's) from a clean end, as xv6's
        // "panic: init exiting" does.
        // At a terminal the user is told why the machine stopped, as machineIdle's halt does.
        if (e.first) {
            if (k.machine.console().interactive() && !k.halted())
                k.devices.printf("%nkernel-exo: the first environment ended (status %d): the machine halted%n", status);
            k.stop(status == 0 ? 0 : 1);
        }
        k.sched.kick();
    }

    // ---- the console's way out (the monitor's kill and killall) ----

    /**
     * Why the monitor's kills spare e, or null: the boot chain, from which every library
     * OS grows. The first environment (its end is the machine's), the environments it made
     * (a LibOS's server: the file server, which keeps the process table and kv's blocks),
     * and the oldest live environment each of those made (the LibOS's first process, init,
     * which reaps orphans and starts the shell). kernel-exo knows no processes: this is
     * the one structure it can tell them by. Oldest by birth, not by id: ids are given
     * again after they wrap. Why the oldest child is init: docs/exo.md, decision 18.
     * Lock held.
     */
    String spared(Env e) {
        if (e.first) return "the first environment: its end is the machine's";
        Env parent = envs.get(e.parentId);
        if (parent == null || parent.exited) return null;
        if (parent.first) return "a library OS's server, which every process of it calls";
        Env grand = envs.get(parent.parentId);
        if (grand == null || !grand.first) return null;
        Env oldest = null;
        for (Env c : envs.values())
            if (c.parentId == parent.id && !c.exited && !c.dying && (oldest == null || c.born < oldest.born)) oldest = c;
        return oldest == e ? "its LibOS's init, which reaps every orphan" : null;
    }

    /**
     * Destroys every live environment that {@link #spared} does not keep, all under the
     * lock: a process being forked has its environment already, so it goes too, and one
     * whose fork call outlives it makes a child its server never starts (ENV_START on a
     * destroyed environment fails). Returns how many. Lock held.
     */
    int destroyAllButSpared() {
        List<Env> doomedNow = new ArrayList<>();
        for (Env e : envs.values()) if (!e.exited && !e.dying && spared(e) == null) doomedNow.add(e);
        hold();
        try {
            for (Env e : doomedNow) destroy(e, -1, null);
        } finally {
            release();
        }
        return doomedNow.size();
    }

    /** Forgets an exited environment once no capability names it; its record goes back. */
    void maybeForget(Env e) {
        if (e.exited && e.refs == 0 && envs.remove(e.id) == e) k.pages.freeKernel(e.recordPa);
    }

    /**
     * A CAP_ENV naming t has gone: if no other environment holds one now, t can never be
     * controlled, called or waited for again, and is destroyed (status -1). The first
     * environment is named by no one from the start; its end is the machine's.
     */
    void lostName(Env t) {
        if (!t.exited && !t.first && t.refs == t.selfRefs()) destroy(t, -1, null);
        maybeForget(t);
    }
}
