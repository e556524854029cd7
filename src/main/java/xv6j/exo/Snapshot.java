package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.List;

/**
 * What kernel-exo holds at one moment, as plain records: for the console's monitor
 * ({@link View}) and anything else that wants to look (a live view of the machine). Taken
 * under the kernel's lock, so it is consistent (every capability it lists names an
 * environment it lists, every page's holders hold it); a copy, so reading it changes
 * nothing and needs no lock.
 *
 * @param ticks        the clock, in ticks
 * @param totalPages   physical pages of RAM
 * @param freePages    how many of them are free
 * @param environments every environment still known, exited ones that a capability names included, by id
 * @param harts        what each hart runs
 * @param pages        every page in use, by physical page number; a free page is not listed
 */
public record Snapshot(long ticks, long totalPages, long freePages, List<Environment> environments, List<Hart> harts,
                       List<Page> pages) {

    /**
     * An environment.
     *
     * @param parent     its creator's id (0 for the first environment)
     * @param state      "stopped", "runnable", "blocked" or "exited" (as ENV_INFO says)
     * @param status     its exit status, once exited
     * @param hart       the hart running it now, or -1
     * @param holdsCpu   it holds a CPU capability it may run on
     * @param pctEntry   its protected-control-transfer entry, or 0 if it takes no calls
     * @param pctPolicy  PCT_ANY or PCT_KNOWN
     * @param caller     the environment whose call it serves, or 0 (also 0 for a call whose caller is gone)
     * @param callee     the environment it calls, or 0
     * @param waitingFor the environment in whose queue it waits to call, or 0
     * @param quotaLimit its kernel memory's quota: the pages it may use
     * @param quotaUsed  the pages charged to that quota now (its sub-quotas' included)
     * @param pageTables the page-table pages of its address space
     * @param capabilities its table, by handle
     */
    public record Environment(int id, int parent, String state, int status, int hart, boolean holdsCpu, long pctEntry,
                              int pctPolicy, int caller, int callee, int waitingFor, long quotaLimit, long quotaUsed,
                              int pageTables, List<Capability> capabilities) {}

    /**
     * A capability.
     *
     * @param type         "page", "memory", "blocks", "env", "cpu", "console" or "clock"
     * @param rights       CAP_R | CAP_W | ... (exo.h)
     * @param first        what it names: the page number; the first page or block of its range; 0
     * @param count        pages or blocks of its range; 1 otherwise
     * @param env          for an environment capability, the environment it names; otherwise 0
     * @param parentEnv    the environment holding what it was derived from, or 0 for a root
     * @param parentHandle that capability's handle there, or -1
     * @param quotaLimit   a memory capability's quota (pages), or 0
     */
    public record Capability(int handle, String type, int rights, long first, long count, int env, int parentEnv,
                             int parentHandle, long quotaLimit) {}

    /** A hart and the environment whose code it runs now (0: none), and the thread's root. */
    public record Hart(int id, int env, int threadOf, long pc, long instructions) {}

    /**
     * A page in use.
     *
     * @param role    "capability" (named by capabilities, perhaps mapped), "page table" or "records" (kernel memory)
     * @param holders for a capability's page, the environments holding one for it; otherwise the environment it serves
     * @param mappings how many mappings of it exist
     */
    public record Page(long ppn, String role, List<Integer> holders, int mappings) {}

    static final String[] TYPES = {"", "page", "memory", "blocks", "env", "cpu", "console", "clock"};
    private static final String[] STATES = {"stopped", "runnable", "blocked", "exited"};

    /** Takes one; the caller holds the kernel's lock. */
    static Snapshot take(Exokernel k) {
        List<Environment> envs = new ArrayList<>();
        List<List<Integer>> holders = new ArrayList<>();
        for (int i = 0; i < k.pages.npages; i++) holders.add(null);
        for (Env e : k.envs.values()) {
            List<Capability> caps = new ArrayList<>();
            for (Cap c : e.caps.all()) {
                Cap p = c.parent;
                boolean root = p == null || p.owner == null; // (the CPU's shares hang from one that is in no table)
                caps.add(new Capability(c.handle, TYPES[c.type], c.rights, c.first, c.count,
                        c.target == null ? 0 : c.target.id, root ? 0 : p.owner.id, root ? -1 : p.handle,
                        c.quota == null ? 0 : c.quota.limit));
                if (c.type == CAP_PAGE) {
                    int i = k.pages.index(c.first);
                    if (holders.get(i) == null) holders.set(i, new ArrayList<>());
                    if (!holders.get(i).contains(e.id)) holders.get(i).add(e.id);
                }
            }
            Cpu cpu = e.cpu;
            envs.add(new Environment(e.id, e.parentId, STATES[e.state()], e.status, cpu == null ? -1 : cpu.id,
                    e.runCap() != null, e.pctEntry, e.pctPolicy, e.caller == null ? 0 : e.caller.id,
                    e.callee == null ? 0 : e.callee.id, e.waitingOn == null ? 0 : e.waitingOn.id, e.quota.limit,
                    e.quota.used, e.ptPages, List.copyOf(caps)));
        }
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < k.pages.npages; i++) {
            long ppn = k.pages.basePpn + i;
            if (k.pages.isFree(ppn)) continue;
            if (k.pages.ptOwner[i] != 0) pages.add(new Page(ppn, "page table", List.of(k.pages.ptOwner[i]), 0));
            else if (k.pages.recOwner[i] != 0) pages.add(new Page(ppn, "records", List.of(k.pages.recOwner[i]), 0));
            else pages.add(new Page(ppn, "capability", holders.get(i) == null ? List.of() : List.copyOf(holders.get(i)),
                    k.pages.mapRefs[i]));
        }
        List<Hart> harts = new ArrayList<>();
        for (Cpu c : k.cpus) {
            Env root = c.root;
            Env running = root == null ? null : root.innermost();
            harts.add(new Hart(c.id, running == null ? 0 : running.id, root == null ? 0 : root.id, c.hart.pc, c.hart.instret));
        }
        return new Snapshot(k.sched.ticks, k.pages.npages, k.pages.freeCount(), List.copyOf(envs), List.copyOf(harts),
                List.copyOf(pages));
    }

    /** The environment with this id, or null. */
    public Environment environment(int id) {
        for (Environment e : environments) if (e.id() == id) return e;
        return null;
    }
}
