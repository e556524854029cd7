package xv6j.exo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An environment (Aegis/XOK's protection domain): an address space, a capability table,
 * register state, and the entry points of its upcalls and protected control transfers.
 * It implements nothing of a process: that is the library OS's business.
 *
 * <p>Threads of control: an environment that calls another (protected control transfer)
 * lends it its CPU and slice; the callee then runs on the caller's "thread", whose root is
 * the environment at the bottom of the call chain. The scheduler schedules roots and runs
 * the innermost callee of each. All fields are guarded by the exokernel's lock, except
 * that the registers of the activation on a hart belong to that hart until it saves them.
 *
 * <p>Its kernel memory (this record, its page tables, the records of its capabilities and
 * mappings) is charged to {@link #quota}, the quota of the memory capability that pays for
 * it ({@link #payer}); it lives no longer than that capability.
 */
final class Env {
    /** Its identity: never reused during a boot. */
    final int id;
    final int parentId;
    /** The first environment, which no one names and whose end is the machine's. */
    final boolean first;
    /**
     * Its place in the order of creation (Environments' births, which never wrap): what
     * "oldest" means to killall, since ids are given again once they wrap.
     */
    long born;
    /** The CAP_MEMORY capability that pays for its kernel memory (null for the first), and its quota. */
    final Cap payer;
    final Quota quota;
    /** Physical address of the root page-table page, and of the page this record is kept in. */
    final long pagetable;
    final long recordPa;
    /** Its capabilities and mappings (each a kernel record), and the pages that hold them. */
    int records;
    final List<Long> recordPages = new ArrayList<>();
    /** Walks and grows its page table; new table pages are counted in ptPages. */
    xv6j.machine.PageTable pt;
    final CapTable caps = new CapTable();
    /** The mappings of its address space, by virtual address. */
    final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    /** Page-table pages of its address space (the root included). */
    int ptPages = 1;
    /**
     * Address-space generation: bumped whenever a translation is removed or weakened, so a
     * hart whose TLB was filled at an older generation flushes before running it again.
     */
    volatile long gen;
    /**
     * Its address-space identifier, exclusive while it lives (the satp ASID), so a hart
     * keeps its translations in the TLB while it runs others.
     */
    final int asid;
    /**
     * Per CPU, the generation its TLB entries under asid were made at, or -1: the first run
     * on a CPU flushes the ASID, which clears what a previous holder of it left there.
     */
    final long[] tlbGen;

    /**
     * Whether CPU cpu's TLB entries under asid are this environment's as of generation g,
     * so that running it there needs no flush even after running others. Never for the
     * shared ASID: another environment may have filled it since.
     */
    boolean tlbCurrentOn(int cpu, long g) {
        return asid != Environments.SHARED_ASID && tlbGen[cpu] == g;
    }

    Activation cur = new Activation(this);
    /** Its own activation, saved while it serves a call; null otherwise. */
    Activation own;
    /** The environment whose call it serves, and the one it calls. */
    Env caller;
    Env callee;
    /**
     * Its own thread against the calls it serves (ProtectedControlTransfer.restFirst):
     * keptSince is the tick at which a call first took its place while that thread could
     * run, since the thread last ended a turn (-1: none has); resting, that this has lasted
     * a tick, and calls wait until the thread has had one turn (or ran into
     * ProtectedControlTransfer.REST_TICKS ticks: restRun is its ticksRun when the rest began).
     */
    long keptSince = -1;
    boolean resting;
    long restRun;
    /** The callee whose queue it waits in to call (with the capability it calls through). */
    Env waitingOn;
    Cap waitCap;
    /**
     * Callers waiting for it to finish its current call, first come first served. Changed
     * only by addWaiter, removeWaiter and pollWaiter, which keep waitedInChain with it.
     */
    final ArrayDeque<Env> waiters = new ArrayDeque<>();

    boolean stopped = true;
    boolean exited;
    /** Its destruction is queued (Environments.destroy). */
    boolean dying;
    int status;
    /**
     * Pending events (EV_*), kept until a BLOCK consumes them. EV_CONSOLE is not kept here:
     * it is level-triggered; nor EV_TICK, pending while a tick came after tickSeen, the tick
     * it last consumed one (or was made in); nor EV_KEY, pending while a key was typed
     * after the keySeen'th: see Events.pending.
     */
    int events;
    long tickSeen;
    long keySeen;

    /** CAP_ENV capabilities (anywhere) naming it: it is forgotten when it has exited and this is 0. */
    int refs;
    /**
     * Its CAP_CPU capabilities with CAP_X, in the order it got them: it runs only while it has
     * one, in the turns of the first (its run capability; see Scheduler). A linked set: a
     * revocation that takes thousands of them from one table removes each in constant time;
     * a RecordSet, whose memory follows the capabilities it holds.
     */
    final RecordSet<Cap> cpus = new RecordSet<>();
    /**
     * How many of its CAP_ENV capabilities name each environment (PCT_KNOWN asks). A tree
     * by id (an environment named is not forgotten, so no other has its id): its memory
     * follows what it holds, where a hash table kept the size it grew to.
     */
    final Map<Env, Integer> envCaps = new TreeMap<>(java.util.Comparator.comparingInt((Env x) -> x.id));

    long upcallHandler;
    long upcallStack;
    int upcallMask;
    /** A notice arrived and the notice upcall has not yet been delivered. */
    boolean noticeUpcallDue;
    final ArrayDeque<Integer> notices = new ArrayDeque<>();

    long pctEntry;
    long pctStack;
    int pctPolicy;

    /** Time-slice length in ticks, and (for a root on a hart) the tick its slice ends. */
    int sliceTicks = 1;
    long sliceEnd;
    /** A slice upcall was delivered: at the end of this grace tick it is preempted regardless. */
    boolean sliceGrace;

    /**
     * As a root (serving no call): its thread can run now, in a turn of its own or helping:
     * the chain of calls it makes is not stopped or blocked, or, if its innermost
     * environment waits for a busy callee, the chain serving that callee can run now and
     * no CPU holds it (a turn of this thread would find nothing to run meanwhile;
     * Scheduler.settle keeps it). False while it serves a call (its thread is its caller's)
     * and once it has exited.
     */
    boolean runsNow;
    /** As a root, on several harts: how many CPUs hold its thread (Cpu.root; at most one). Those helping its chain wait meanwhile. */
    int held;
    /** The CPU capability whose round counts its thread (Cap.members): its threadCap() while runsNow, else null. */
    Cap countedIn;
    /**
     * As a root: the ticks its thread ran into (ENV_INFO's ticks), in its own turns or
     * helping another's call: a run of its code during which the clock passed a tick
     * counts one. Not those it waited for a CPU, slept or was stopped.
     */
    long ticksRun;
    /** Environments it created that have ended (ENV_INFO's ended). */
    long childrenEnded;
    /** It waits in Scheduler's list of threads to settle; and whether those waiting for its chain must be looked at too. */
    boolean unsettled, regrouped;
    /** The last walk of the scheduler's that passed it (finding rings of threads waiting for each other). */
    long walkMark;

    /** The CPU whose hart holds this environment's registers now, or null. */
    Cpu cpu;
    /** Bumped when another CPU takes it off its hart: that hart then discards its trap. */
    long epoch;

    Env(int id, int parentId, boolean first, Cap payer, Quota quota, long pagetable, long recordPa, int asid, int ncpus) {
        this.id = id;
        this.parentId = parentId;
        this.first = first;
        this.payer = payer;
        this.quota = quota;
        this.pagetable = pagetable;
        this.recordPa = recordPa;
        this.asid = asid;
        this.tlbGen = new long[ncpus];
        java.util.Arrays.fill(tlbGen, -1);
    }

    /** The CPU capability whose turns run its thread, or null if it holds none it may run on. */
    Cap runCap() {
        return cpus.isEmpty() ? null : cpus.getFirst();
    }

    /**
     * As a root: the CPU capability whose turns run its thread. Its own run capability; or,
     * if it has none (revoked while it calls), the first down its chain of calls: a call
     * runs on to its end whatever happens to its caller (exo.h), on the callee's time, as
     * one whose caller is gone does. It stopped there, and the server with it, its own
     * thread saved (user/exo/cpuloss.c).
     */
    Cap threadCap() {
        int d = withCpu.nextSetBit(0);
        return d < 0 ? null : members.get(d).runCap();
    }

    /** CAP_ENV capabilities in its own table that name it. */
    int selfRefs() {
        return envCaps.getOrDefault(this, 0);
    }

    /** True while it serves a protected control transfer (whose caller may since have gone). */
    boolean serving() {
        return own != null;
    }

    /** satp for its address space: Sv39, its ASID, its root table. */
    long satp() {
        return xv6j.machine.PageTable.satp(pagetable) | (long) asid << 44;
    }

    /**
     * The ends of its chain of calls, kept by ProtectedControlTransfer where calls begin, end
     * and are cut (Invariants proves them against the links): chainRoot in every member,
     * chainInner in the root. The kernel asks for them at every entry of a chain's thread,
     * and a call asks whether its callee is above it; each walked the chain, so a chain of
     * 1500 calls took a victim on another hart from 81502..160582 yields in 3 ticks to
     * 9303..16538 (user/exo/pctchain.c, wall clock).
     */
    Env chainRoot = this, chainInner = this;

    /**
     * In a chain's root: the members of its chain that callers wait for, kept with
     * chainRoot. The scheduler looks at those callers whenever the chain's answer or its
     * hold changes; walking every member to find them cost a chain of 1500 calls 1501 steps
     * at each switch of its thread, with the lock held (user/exo/pctchain.c). Ordered, so
     * deterministic runs repeat.
     */
    final LinkedHashSet<Env> waitedInChain = new LinkedHashSet<>();

    /** c waits in its queue. */
    void addWaiter(Env c) {
        waiters.add(c);
        waitersChanged();
    }

    /** c waits in its queue no more. */
    void removeWaiter(Env c) {
        waiters.remove(c);
        waitersChanged();
    }

    /** The first in its queue, taken out of it. */
    Env pollWaiter() {
        Env w = waiters.poll();
        waitersChanged();
        return w;
    }

    /** Its chain's root's record follows its queue going from empty to not or back. */
    private void waitersChanged() {
        if (waiters.isEmpty()) chainRoot.waitedInChain.remove(this);
        else chainRoot.waitedInChain.add(this);
    }

    /**
     * In a chain's root: its members by their place in the chain (members.get(0) is the
     * root, members.get(depth) the member at depth), and the places of those holding a CPU
     * capability they may run on, kept with chainRoot and cpus. threadCap is the first of
     * those; it walked the chain to find it, under the lock, wherever the thread's answer
     * changed (each call's start and end), so the innermost of 1500 environments calling
     * each other under a root without CPU made 3428..4290 calls to a leaf in 3 ticks, and
     * 43365..70534 without the walk (user/exo/pctchain.c cpuless, two harts, wall clock).
     */
    final ArrayList<Env> members = new ArrayList<>(List.of(this));
    final BitSet withCpu = new BitSet();
    /** Its place in its chain of calls: 0 for the root, its caller's plus one. */
    int depth;

    /**
     * It is a member of root r's chain now: r itself (a chain of its own; it and those it
     * calls leave their old chain's record), or r's chain, as its new innermost member.
     */
    void joinChain(Env r) {
        if (!waiters.isEmpty() && r != chainRoot) {
            chainRoot.waitedInChain.remove(this);
            r.waitedInChain.add(this);
        }
        Env old = chainRoot;
        if (old.members.size() > depth && old.members.get(depth) == this) { // (a cut: those inward went with it)
            old.withCpu.clear(depth, old.members.size());
            old.members.subList(depth, old.members.size()).clear();
        }
        if (r == this) {
            depth = 0;
        } else {
            depth = r.members.size();
            members.clear(); // (kept only in a root)
            withCpu.clear();
        }
        r.members.add(this);
        chainRoot = r;
        cpusChanged();
    }

    /** Its CPU capabilities it may run on came or went: its chain's root's record follows. */
    void cpusChanged() {
        chainRoot.withCpu.set(depth, !cpus.isEmpty());
    }

    /** The environment at the bottom of this one's call chain. */
    Env root() {
        return chainRoot;
    }

    /** The environment that executes for this chain: the innermost callee. */
    Env innermost() {
        return chainRoot.chainInner;
    }

    /** ENV_WAITS_* as ENV_INFO reports it: what its thread is blocked in. */
    int waits() {
        if (exited) return ExoAbi.ENV_WAITS_NONE;
        if (cur.blockMask != 0) return ExoAbi.ENV_WAITS_EVENTS;
        if (cur.waitPa != -1) return ExoAbi.ENV_WAITS_WORD;
        return waitingOn != null ? ExoAbi.ENV_WAITS_CALLEE : ExoAbi.ENV_WAITS_NONE;
    }

    /** ENV_INFO's on: the events it blocks for, or the callee whose queue it is in. */
    int waitsOn() {
        return switch (waits()) {
            case ExoAbi.ENV_WAITS_EVENTS -> cur.blockMask;
            case ExoAbi.ENV_WAITS_CALLEE -> waitingOn.id;
            default -> 0;
        };
    }

    /** ENV_STATE_* as ENV_INFO reports it. */
    int state() {
        if (exited) return ExoAbi.ENV_STATE_EXITED;
        if (stopped) return ExoAbi.ENV_STATE_STOPPED;
        if (cur.blocked() || waitingOn != null) return ExoAbi.ENV_STATE_BLOCKED;
        return ExoAbi.ENV_STATE_RUNNABLE;
    }

    @Override
    public String toString() {
        return "env " + id;
    }
}
