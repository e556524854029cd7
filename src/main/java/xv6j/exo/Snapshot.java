package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xv6j.machine.PageTable;

/**
 * kernel-exo at one moment, read-only, for the console's monitor ({@link View}), the live
 * view (xv6j.view) and tests: every environment,
 * every capability with the one it was derived from and the mappings made through it,
 * who uses each physical page, what each hart runs, and the kernel's last events. Taken
 * under the kernel's one lock, as the invariant checker runs, so all of it agrees;
 * {@link #take} changes nothing.
 *
 * <p>The exokernel knows no names and no processes. A tool that knows a library OS's
 * layout may ask for a range of every environment's memory ({@code peekVa}, {@code
 * peekLen}), read through the environment's own page table as a debugger would, and make
 * what it can of it.
 *
 * @param ticks  the ticks environments have seen
 * @param envs   every known environment (exited ones while named), by id
 * @param caps   every capability, by environment and handle
 * @param harts  what each hart runs, by hart id
 * @param free   free physical pages, by page index (0: the first page of RAM)
 * @param tables per page index, the environment whose page table it is part of (0: none)
 * @param records per page index, the environment whose kernel records it holds (0: none)
 * @param basePpn physical page number of page index 0
 * @param events the kernel's last events, oldest first (empty unless {@link Exokernel#traceEvents})
 */
public record Snapshot(long ticks, List<Environment> envs, List<Capability> caps, List<HartRun> harts, BitSet free,
                       int[] tables, int[] records, long basePpn, List<Trace.Event> events) {

    /**
     * An environment.
     *
     * @param state    "runnable", "blocked", "stopped" or "exited"
     * @param waitsFor what a blocked one waits for ("events console,tick", "a futex word",
     *                 "its turn to call env 3"), else ""
     * @param hart     the hart running it, or -1
     * @param caller   the environment whose call it serves, or 0; callee: the one it calls
     * @param pctEntry its protected-control-transfer entry, or 0; pctKnown: PCT_KNOWN
     * @param upcalls  UPCALL_* it takes
     * @param events   EV_* pending
     * @param cpus     its CPU capabilities with CAP_X (it runs only while it holds one)
     * @param recordPages pages of its kernel records (its own, kept while it is known, and those
     *                 of its capabilities and mappings)
     * @param payerEnv the holder of the memory capability that pays for its kernel memory (0:
     *                 none, the first environment); payerHandle: that capability's handle
     * @param quotaUsed the pages charged now to the quota its kernel memory is paid from, of
     *                 quotaLimit (its sub-quotas' included)
     * @param waitingOn the environment in whose queue it waits to call, or 0
     * @param peek     the range of its memory asked for, or null if not all of it is mapped readable
     */
    public record Environment(int id, int parentId, String state, int status, String waitsFor, int hart, int caller,
                              int callee, long pctEntry, boolean pctKnown, int upcalls, int events, int notices,
                              int sliceTicks, int caps, int cpus, int mappings, int tablePages, int recordPages, int payerEnv,
                              int payerHandle, long quotaUsed, long quotaLimit, int waitingOn, byte[] peek) {}

    /**
     * A capability.
     *
     * @param target       the environment a CAP_ENV names, else 0
     * @param parentEnv    the holder of the capability it was derived from, or 0 for a root
     *                     (or one derived from a capability the kernel keeps, held by no
     *                     environment); parentHandle: that one's handle
     * @param mappings     PAGE: where it is mapped in its holder's address space
     * @param quotaUsed    MEMORY: pages charged to its quota now, and quotaLimit: how many may
     *                     be (others: 0)
     */
    public record Capability(int env, int handle, int type, int rights, long first, long count, int target,
                             int parentEnv, int parentHandle, List<Binding> mappings, long quotaUsed, long quotaLimit) {}

    /** A secure binding: va maps the page with these MAP_R/W/X rights. */
    public record Binding(long va, int perm) {}

    /**
     * A hart: the environment executing on it (0: none), the environment whose thread that is
     * (threadOf: the first caller of a chain of protected control transfers), whether in user
     * mode, its pc and retired instructions.
     */
    public record HartRun(int hart, int env, int threadOf, boolean user, long pc, long instret) {}

    /** The capability types' names, by CAP_* number. */
    private static final String[] TYPES = {"", "page", "memory", "blocks", "env", "cpu", "console", "clock"};

    /** "page", "memory", "blocks", "env", "cpu", "console" or "clock" for a CAP_* type. */
    public static String typeName(int type) {
        return type > 0 && type < TYPES.length ? TYPES[type] : "type " + type;
    }

    /** The environment with this id, or null. */
    public Environment environment(int id) {
        for (Environment e : envs) if (e.id() == id) return e;
        return null;
    }

    /** The capabilities environment env holds, by handle. */
    public List<Capability> capabilitiesOf(int env) {
        return caps.stream().filter(c -> c.env() == env).toList();
    }

    /**
     * What was read of each environment's memory (peekVa, peekLen of {@link #take}), by
     * environment id; environments not all of whose range was mapped readable are left out.
     * Bytes only: what they mean is the reader's layout, not the kernel's.
     */
    public Map<Integer, byte[]> peeks() {
        Map<Integer, byte[]> m = new HashMap<>();
        for (Environment e : envs) if (e.peek() != null) m.put(e.id(), e.peek());
        return m;
    }

    /** Physical pages of RAM, and how many are free. */
    public int totalPages() {
        return tables.length;
    }

    public int freePages() {
        return free.cardinality();
    }

    /** Takes a snapshot of k, reading [peekVa, peekVa+peekLen) of every live environment (peekLen 0: none). */
    static Snapshot take(Exokernel k, long peekVa, int peekLen) {
        k.lock.lock();
        try {
            List<Environment> envs = new ArrayList<>();
            List<Capability> caps = new ArrayList<>();
            for (Env e : k.envs.values()) {
                int mapped = e.mappings.size();
                Cpu cpu = e.cpu;
                byte[] peek = peekLen > 0 && !e.exited ? k.umem.copyIn(e, peekVa, peekLen) : null;
                Cap payer = e.payer;
                envs.add(new Environment(e.id, e.parentId, state(e), e.status, waitsFor(e), cpu == null ? -1 : cpu.id,
                        e.caller == null ? 0 : e.caller.id, e.callee == null ? 0 : e.callee.id, e.pctEntry,
                        e.pctPolicy == PCT_KNOWN, e.upcallMask, k.events.pending(e), e.notices.size(), e.sliceTicks, e.caps.size(),
                        e.cpus.size(), mapped, e.ptPages, e.recordPages.size() + 1,
                        payer == null || payer.owner == null ? 0 : payer.owner.id, payer == null ? -1 : payer.handle,
                        e.quota.used, e.quota.limit, e.waitingOn == null ? 0 : e.waitingOn.id, peek));
                for (Cap c : e.caps.all()) caps.add(capability(e, c));
            }
            List<HartRun> harts = new ArrayList<>();
            for (Cpu c : k.cpus) {
                Env root = c.root;
                int env = root == null ? 0 : root.innermost().id;
                harts.add(new HartRun(c.id, env, root == null ? 0 : root.id, c.userPhase, c.hart.pc, c.hart.instret));
            }
            Pages p = k.pages;
            BitSet free = new BitSet(p.npages);
            for (int i = 0; i < p.npages; i++) if (p.isFree(p.basePpn + i)) free.set(i);
            return new Snapshot(k.sched.ticks, List.copyOf(envs), List.copyOf(caps), List.copyOf(harts), free,
                    p.ptOwner.clone(), p.recOwner.clone(), p.basePpn, k.trace.events());
        } finally {
            k.lock.unlock();
        }
    }

    private static Capability capability(Env e, Cap c) {
        List<Binding> maps = new ArrayList<>();
        if (c.mappings != null) for (Mapping m : c.mappings) {
            long pte = e.pt.lookup(e.pagetable, m.va());
            int perm = ((pte & PageTable.PTE_R) != 0 ? MAP_R : 0) | ((pte & PageTable.PTE_W) != 0 ? MAP_W : 0)
                    | ((pte & PageTable.PTE_X) != 0 ? MAP_X : 0);
            maps.add(new Binding(m.va(), perm));
        }
        // The nearest live capability it derives from (a freed one may stand between), or none:
        // a root, or derived from one the kernel keeps for itself (the CPU's top, say).
        Cap parent = c.parent;
        while (parent != null && !parent.live) parent = parent.parent;
        if (parent != null && parent.owner == null) parent = null;
        Quota q = c.type == CAP_MEMORY ? c.quota : null;
        return new Capability(e.id, c.handle, c.type, c.rights, c.first, c.count, c.target == null ? 0 : c.target.id,
                parent == null ? 0 : parent.owner.id, parent == null ? -1 : parent.handle, List.copyOf(maps),
                q == null ? 0 : q.used, q == null ? 0 : q.limit);
    }

    private static String state(Env e) {
        return switch (e.state()) {
            case ENV_STATE_EXITED -> "exited";
            case ENV_STATE_STOPPED -> "stopped";
            case ENV_STATE_BLOCKED -> "blocked";
            default -> "runnable";
        };
    }

    private static String waitsFor(Env e) {
        if (e.exited || e.stopped) return "";
        if (e.waitingOn != null) return "its turn to call env " + e.waitingOn.id;
        Activation a = e.cur;
        if (a.waitPa != -1) return "a futex word";
        if (a.blockMask != 0) return "events " + eventNames(a.blockMask);
        return "";
    }

    /** EV_* bits as names: "pct,child,console,tick,notice,key". */
    public static String eventNames(int mask) {
        String[] names = {"pct", "child", "console", "tick", "notice", "key"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((mask & (1 << i)) == 0) continue;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(names[i]);
        }
        return sb.toString();
    }
}
