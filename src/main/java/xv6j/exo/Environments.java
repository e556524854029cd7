package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import xv6j.machine.PageTable;

/**
 * Environments (Aegis's protection domains): creation, destruction, and the registry of
 * those still known. Ids are never reused in a boot; an exited environment lingers, with
 * its status, while a CAP_ENV names it.
 */
final class Environments {
    /** Live environment records (exited ones included until forgotten). */
    static final int MAX_ENVS = 1024;

    private final Exokernel k;
    private final TreeMap<Integer, Env> envs = new TreeMap<>();
    private int nextId = 1;
    /** ASIDs of live environments (Sv39 has 16 bits of them; at most MAX_ENVS live). */
    final BitSet asids = new BitSet();

    Environments(Exokernel k) {
        this.k = k;
    }

    Env get(int id) {
        return envs.get(id);
    }

    /** Every known environment, by id. */
    Collection<Env> values() {
        return envs.values();
    }

    TreeMap<Integer, Env> byId() {
        return envs;
    }

    int size() {
        return envs.size();
    }

    /** A new stopped environment with an empty address space and table, or null (no memory, too many). */
    Env create(int parentId) {
        if (envs.size() >= MAX_ENVS) return null;
        int id = nextId;
        long root = k.pages.allocTable(id);
        if (root == 0) return null;
        nextId++;
        int asid = asids.nextClearBit(0);
        asids.set(asid);
        Env e = new Env(id, parentId, root, asid, k.cpus.length);
        e.pt = new PageTable(k.mem, () -> {
            long pa = k.pages.allocTable(e.id);
            if (pa != 0) e.ptPages++;
            return pa;
        });
        envs.put(id, e);
        k.trace.create(parentId, e);
        return e;
    }

    /**
     * Destroys e with an exit status: unwinds the protected control transfers it takes part
     * in (its caller's call fails with E_DEAD), frees every capability it holds (and so its
     * mappings; what others derived from them stays), and its page-table pages. It lingers,
     * EXITED, while a capability names it. msg, if not null, goes to the console.
     */
    void destroy(Env e, int status, String msg) {
        if (e.exited) return;
        if (msg != null) k.devices.printf("%s%n", msg);
        k.trace.exit(e, status, msg);
        Env root = e.root();
        k.sched.steal(root.innermost());
        if (e.callee != null) k.pct.abandon(e.callee);
        Env caller = e.caller;
        if (caller != null) {
            caller.callee = null;
            e.caller = null;
            caller.cur.regs.x[A0] = E_DEAD;
        }
        if (e.waitingOn != null) {
            e.waitingOn.waiters.remove(e);
            e.waitingOn = null;
            e.waitCap = null;
        }
        while (!e.waiters.isEmpty()) {
            Env w = e.waiters.poll();
            w.waitingOn = null;
            w.waitCap = null;
            w.cur.regs.x[A0] = E_DEAD;
        }
        for (Cap c : e.caps.all()) k.caps.free(c);
        if (!e.mappings.isEmpty()) throw new IllegalStateException(e + " still has mappings after losing its capabilities");
        List<Long> tables = new ArrayList<>();
        e.pt.forEachTablePage(e.pagetable, tables::add);
        for (long pa : tables) k.pages.freeTable(pa);
        e.ptPages = 0;
        e.gen++;
        asids.clear(e.asid); // it never runs again; the next holder flushes it on each CPU
        e.exited = true;
        e.status = status;
        e.cur = new Activation();
        e.own = null;
        e.upcallMask = 0;
        e.pctEntry = 0;
        e.notices.clear();
        Env parent = envs.get(e.parentId);
        if (parent != null && !parent.exited) k.events.raise(parent, EV_CHILD);
        if (caller != null) k.pct.serveWaiters(caller);
        maybeForget(e);
        k.sched.kick();
    }

    /** Forgets an exited environment once no capability names it. */
    void maybeForget(Env e) {
        if (e.exited && e.refs == 0) envs.remove(e.id);
    }
}
