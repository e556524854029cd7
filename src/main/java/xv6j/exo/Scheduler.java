package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Hart;
import xv6j.machine.HartTurns;
import xv6j.machine.HartsAbreast;
import xv6j.machine.Trap;

/**
 * The CPU: each hart runs {@link #cpuLoop} on a platform thread of its own. It picks a
 * thread of control, puts the registers of the environment that executes for it on the
 * hart, runs it for the rest of its slice, takes the lock, handles the trap, and repeats.
 * There is no kernel thread per environment: no call ever waits inside the kernel
 * (docs/exo.md, decision 1).
 *
 * <p>Whose turn it is: time is divided along the derivation tree of CPU capabilities.
 * Each capability's turns go round robin to its holder's thread (if it is the holder's
 * run capability, the first with CAP_X it got) and to each capability derived from it
 * under which some thread can run now (the others could not use a turn, and are left out
 * of the round: Cap.members, kept by {@link #settle} as threads block, wake, stop, call
 * and end); so an environment that hands CPU to many others divides its own share only,
 * and capabilities no thread can run on now cost nobody's turn. A turn whose
 * thread waits for a busy callee runs the call that callee serves instead ("helping"), so
 * a callee is never held up by the slices of the caller it serves. Turns are counted in
 * ticks (deficit round robin): a turn that lasted n ticks (a slice of n, EXOSCHED_SLICE)
 * owes n-1 turns at every level of the tree it was taken through, which it passes up in
 * the rounds that follow, so a long slice buys no more time than a short one, only fewer
 * switches. How long a share's slices may be is its capability's (count, capgrant).
 *
 * <p>Time is the kernel's: the ticks environments see advance after every trap, whatever
 * caused it, and slices end by them; when nothing can run the machine waits for a key or
 * the next tick, or halts.
 *
 * <p>In deterministic time on several harts the harts take turns ({@link HartTurns}): a
 * CPU gives the turn up at the top of its loop once its quantum is spent, or when it finds
 * nothing to run, and waits for it holding no lock; so one CPU at a time does anything,
 * in an order the machine's state decides, and runs repeat exactly. In the host's time
 * on several harts they are kept abreast ({@link HartsAbreast}), as xv6's are: a CPU
 * holding a thread is busy, and one that has got ahead of the slowest busy CPU waits,
 * holding the thread but not the lock, before it runs user code again; so a LibOS server
 * or init on a hart the host has stopped does not fall behind its clients.
 */
final class Scheduler {
    private final Exokernel k;
    /** Signalled when something may have become runnable, or the machine halts. */
    private final Condition work;
    private final ThreadLocal<Cpu> currentCpu = new ThreadLocal<>();
    /** The root of the tree of CPU capabilities: every root CPU capability hangs under it. In no table. */
    final Cap cpuTop = new Cap(CAP_CPU, CAP_ALL, 0, SLICE_MAX, null, null, null, -1);
    /** Ticks the environments have seen. */
    long ticks;
    private int idleCpus;
    /** The most steps (members looked at, rounds begun or ended) one {@link #pick} has taken: what its walk costs at worst. */
    long longestPick;
    /** The most steps (members and their waiters looked at) one {@link #spread} has taken. */
    long longestSpread;
    /** Whose turn the last {@link #pick} found: the holder of the capability it came from, and that capability. */
    private Env turnOf;
    private Cap turnCap;
    /** The harts' turns, in deterministic time on several harts; else null. */
    private final HartTurns turns;
    /** The harts kept abreast, in the host's time on several harts; else null. */
    final HartsAbreast abreast;
    /** Per CPU: its thread waits for work in {@link #idle}, where a {@link #kick} wakes it. */
    private final boolean[] waitsForWork;

    Scheduler(Exokernel k) {
        this.k = k;
        this.work = k.lock.newCondition();
        boolean several = k.cpus.length > 1, deterministic = k.machine.clock().deterministic();
        this.turns = several && deterministic ? new HartTurns(k.cpus.length) : null;
        this.abreast = several && !deterministic ? new HartsAbreast(k.cpus.length, k::halted) : null;
        this.waitsForWork = new boolean[k.cpus.length];
    }

    /** The CPU handling the current system call, or null (tests); its thread may be told to yield. */
    Cpu currentCpu() {
        return currentCpu.get();
    }

    /** Runs r on this thread as c's thread (tests: device work c is left to do, done when the test says). */
    void runAs(Cpu c, Runnable r) {
        Cpu was = currentCpu.get();
        currentCpu.set(c);
        try {
            r.run();
        } finally {
            currentCpu.set(was);
        }
    }

    /**
     * Something may have become runnable: every CPU waiting for work looks. Each is busy
     * from now, for the pacer, not from when its thread runs: the host may not run it for
     * milliseconds, and a thread that wakes to init's turn must hold back a hart forking
     * orphans meanwhile (issue 11). One that finds nothing goes idle again. Lock held.
     */
    void kick() {
        if (abreast != null) for (Cpu c : k.cpus) if (waitsForWork[c.id]) abreast.busy(c.id);
        work.signalAll();
    }

    /** Wakes every CPU's thread to see that the machine has halted. */
    void wakeAll() {
        for (Cpu c : k.cpus) c.hart.requestInterrupt();
        work.signalAll();
    }

    // ---- whose turn ----

    /**
     * What a turn of e's thread runs: e's own chain of calls if its innermost environment
     * can run now, or (helping) the chain serving the callee it waits for; null if neither
     * can, or another CPU runs it. e must not itself be serving a call (its thread is then
     * its caller's).
     */
    Env whoToRun(Env e) {
        settle();
        if (!e.runsNow) return null;
        // The waits lead to a chain that can run (runsNow says so: no ring), each hop to another environment.
        for (int hops = 0;; hops++) {
            Env x = e.innermost();
            if (x.cpu != null) return null;
            if (x.waitingOn == null) return e;
            if (hops > k.envs.size()) throw new IllegalStateException("a thread that can run waits in a ring: " + e);
            e = x.waitingOn.root();
        }
    }

    // ---- who can run now: the members of the rounds ----

    /** Environments whose thread may no longer be able to run now, or may be again: to settle. */
    private final ArrayList<Env> unsettled = new ArrayList<>();
    /** settle's work list: the roots whose waiters it has yet to look at. */
    private final ArrayDeque<Env> settling = new ArrayDeque<>();
    private long walks;

    /**
     * e, or the chain of calls it is part of, may have changed whether its thread can run
     * now: it blocked or woke, stopped or started, called, began or ended a wait for a
     * callee, or ended. Settled before the scheduler next looks ({@link #settle}).
     */
    void changed(Env e) {
        if (e.unsettled) return;
        e.unsettled = true;
        unsettled.add(e);
    }

    /**
     * As {@link #changed}, and the chain e belongs to now is another than the one those
     * waiting for its callees waited for (a call began, ended or was cut): each of those is
     * looked at again, whatever e's own chain finds.
     */
    void regrouped(Env e) {
        changed(e);
        e.regrouped = true;
    }

    /**
     * Brings every thread's runsNow, and so the rounds' members, up to date with what
     * changed. Each changed thread is walked from scratch (its chain, and the chains it
     * waits for); those waiting for its chain (helping it) follow it, and so on, only as far
     * as the answer changes. So what a change costs is the threads whose answer it changes,
     * each with the CPU capabilities above it that join or leave a round.
     */
    void settle() {
        while (!unsettled.isEmpty()) {
            Env e = unsettled.removeLast();
            e.unsettled = false;
            boolean force = e.regrouped;
            e.regrouped = false;
            Env r = e.exited ? e : e.root();
            if (r != e) setRunsNow(e, false); // it serves a call: its thread is its caller's now
            boolean now = canRunNow(r);
            if (now == r.runsNow && !force) {
                recount(r); // the capability it runs on may be another (a call began or ended)
                continue;
            }
            setRunsNow(r, now);
            settling.add(r);
            spread();
        }
    }

    /**
     * Those waiting for the chains of the roots in settling follow them, as far as their
     * answer changes: the waiters of the members each root keeps (Env.waitedInChain), so a
     * long chain no one waits for costs nothing here.
     */
    private void spread() {
        long steps = 0;
        while (!settling.isEmpty()) {
            for (Env x : settling.poll().waitedInChain) {
                steps++;
                for (Env w : x.waiters) {
                    steps++;
                    Env d = w.root();
                    boolean v = helps(d);
                    if (v != d.runsNow) {
                        setRunsNow(d, v);
                        settling.add(d);
                    }
                }
            }
        }
        if (steps > longestSpread) longestSpread = steps;
    }

    /** True if x, the innermost environment of a chain, is not kept from running by its end or its own stop. */
    private static boolean alive(Env x) {
        return !x.exited && !(x.stopped && !x.serving()); // a stopped environment's own code does not run; a call it serves does (exo.h)
    }

    /**
     * Whether root r's thread can run now, from scratch: the chain it runs, and, while its
     * innermost environment waits for a busy callee, the chains it would help in turn; a
     * ring of threads waiting for each other cannot run.
     */
    private boolean canRunNow(Env r) {
        long mark = ++walks;
        for (Env y = r;;) {
            if (y.exited || y.caller != null) return false;
            y.walkMark = mark;
            Env x = y.innermost();
            if (!alive(x)) return false;
            if (x.waitingOn == null) return !x.cur.blocked();
            y = x.waitingOn.root();
            if (y.walkMark == mark || y.held > 0) return false;
        }
    }

    /**
     * Whether root d's thread can run now, its innermost environment waiting for a chain whose
     * answer is settled: that chain can run, and no CPU holds it (a turn of d's would find
     * nothing to run until it is let go).
     */
    private static boolean helps(Env d) {
        if (d.exited || d.caller != null) return false;
        Env x = d.innermost();
        if (!alive(x)) return false;
        if (x.waitingOn == null) return !x.cur.blocked();
        Env t = x.waitingOn.root();
        return t.runsNow && t.held == 0;
    }

    /**
     * c holds root's thread now (null: none). On several harts the threads helping the chain
     * it holds leave the rounds until it is let go, so a pick on another CPU does not pass
     * over each of them. On one hart no other CPU picks meanwhile, and the CPU lets go before
     * it picks: there they stay (moving them out and back would cost each of its switches
     * a step per helper, paid by whoever runs next).
     */
    private void hold(Cpu c, Env root) {
        c.helped = null;
        Env was = c.root;
        if (was == root) return;
        c.root = root;
        if (k.cpus.length == 1) return;
        settle();
        if (was != null && --was.held == 0) heldChanged(was);
        if (root != null && root.held++ == 0) heldChanged(root);
    }

    /** A CPU took or let go of root t's thread: those helping its chain leave or rejoin the rounds (settled). */
    private void heldChanged(Env t) {
        if (!t.runsNow) return; // they do not help a chain that cannot run, held or not
        settling.add(t);
        spread();
    }

    private void setRunsNow(Env r, boolean now) {
        r.runsNow = now;
        recount(r);
    }

    /**
     * Counts r's thread in the round of the capability it runs on, if it can run now, and in
     * no other: after its answer or its run capability changed.
     */
    void recount(Env r) {
        Cap want = r.runsNow ? r.threadCap() : null;
        Cap was = r.countedIn;
        if (want == was) return;
        r.countedIn = want;
        if (want != null) {
            want.counts = r;
            want.holderRuns(1); // first, so that rounds above both stay as they are
        }
        if (was != null) {
            if (was.counts == r) was.counts = null;
            was.holderRuns(-1);
        }
    }

    /** True if root's thread can run now in a turn of its own. */
    boolean runnable(Env root) {
        return root.threadCap() != null && whoToRun(root) == root;
    }

    /** True if c may go on running root: the thread can run, and c runs it in a turn of root's or helping. */
    private boolean canContinue(Cpu c, Env root) {
        return whoToRun(root) == root && (c.helping || root.threadCap() != null);
    }

    /**
     * One level of the walk down the tree of CPU capabilities: a capability's round, its
     * members being its holder's thread (pos null) and each capability derived from it
     * under which some thread runs (Cap.members: the others cannot run and are not in it),
     * starting where its last round stopped (cap.rr). Members that owe turns pass them up;
     * if no one else could run, a second pass goes to those alone, ignoring their debts
     * (the others were looked at already and found no one).
     */
    private static final class Round {
        final Cap cap;
        final Cap start;
        Cap pos;
        boolean begun;
        /** The members that passed their turn up for turns they owed, in order (null: the holder's thread). */
        List<Cap> owing;
        /** In the second pass: the index in owing of pos; -1 in the first. */
        int again = -1;

        Round(Cap cap) {
            this.cap = cap;
            this.start = this.pos = cap.rr;
        }

        boolean ignoreDebts() {
            return again >= 0;
        }

        /** The member after pos in the round. */
        Cap following() {
            return pos == null ? cap.firstMember : pos.nextMember;
        }

        /** True when the pass has looked at every member it goes to. */
        boolean over() {
            return again >= 0 ? again == owing.size() : begun && pos == start;
        }

        /** pos passes its turn up for a turn it owed. */
        void owe() {
            if (owing == null) owing = new ArrayList<>();
            owing.add(pos);
        }

        /** To the next member this pass goes to. */
        void advance() {
            if (again < 0) pos = following();
            else if (++again < owing.size()) pos = owing.get(again);
        }

        /** The second pass, to the members that owed turns, ignoring their debts. */
        void goAgain() {
            again = 0;
            pos = owing.get(0);
        }
    }

    /**
     * The root to run in the next turn, round robin down the tree of CPU capabilities: at
     * each capability its holder's thread, then each derived capability's share, in turn;
     * a member that cannot run passes its turn on. Null if none can run. (A walk with a
     * stack of its own: the tree may be as deep as an environment's quota allows.)
     *
     * <p>Only the run capabilities of threads that can run now, and those above them, are
     * members of rounds (Cap.members, settled first), and a round's second pass descends
     * only into members its first passed for debts: so a pick looks at each capability on
     * the paths from the top down to threads that can run now at most once (its round at
     * most twice), and capabilities no thread runs on, or only threads that are stopped,
     * blocked or waiting for a chain that cannot run, cost no one's turn anything, nor (on
     * several harts) those helping a chain another CPU holds ({@link #hold}). What is
     * passed over still: a thread another CPU holds, at most one a hart.
     */
    private Env pick() {
        settle();
        ArrayDeque<Round> path = new ArrayDeque<>();
        path.push(new Round(cpuTop));
        for (long steps = 1; !path.isEmpty(); steps++) {
            if (steps > longestPick) longestPick = steps;
            Round r = path.peek();
            if (r.over()) { // no one could run
                if (r.owing != null && !r.ignoreDebts()) {
                    r.goAgain(); // only members that owe turns could: no one else wants them
                    continue;
                }
                path.pop();
                if (!path.isEmpty()) path.peek().advance();
                continue;
            }
            r.begun = true;
            if (r.pos != null) {
                if (!r.ignoreDebts() && r.pos.debt > 0) { // it owes turns: this one goes to the next member
                    r.pos.debt--;
                    r.owe();
                    r.advance();
                    continue;
                }
                path.push(new Round(r.pos)); // the share of the capability derived
                continue;
            }
            Env holder = r.cap.counts;
            Env run = holder != null && holder.countedIn == r.cap ? whoToRun(holder) : null;
            if (run != null && !free(run)) run = null; // another CPU's, waiting for its turn
            if (run != null && !r.ignoreDebts() && r.cap.holderDebt > 0) {
                r.cap.holderDebt--;
                r.owe();
                run = null;
            }
            if (run == null) {
                r.advance();
                continue;
            }
            turnOf = holder;
            turnCap = r.cap;
            for (Round level : path) level.cap.rr = level.following(); // each round goes on after this turn
            return run;
        }
        return null;
    }

    /**
     * True if no CPU runs root. A CPU runs a thread between runs of user code too; it lets
     * go of the lock then only when the harts take turns (while it waits for its turn).
     */
    private boolean free(Env root) {
        for (Cpu c : k.cpus) if (c.root == root) return false;
        return true;
    }

    /**
     * A turn taken through capability turn has ended after used ticks: each tick beyond the
     * first is a turn owed at every level of the tree the turn came through (its holder's
     * thread in turn's own round, each share in its parent's). Debts are bounded by the
     * longest slice, so time no one else wanted is not held against a thread later.
     */
    private static void charge(Cap turn, long used) {
        if (turn == null || used <= 1) return;
        int extra = (int) Math.min(used - 1, SLICE_MAX);
        turn.holderDebt = Math.min(turn.holderDebt + extra, SLICE_MAX);
        for (Cap x = turn; x.parent != null; x = x.parent) x.debt = Math.min(x.debt + extra, SLICE_MAX);
    }

    /** The slice a turn of holder's through cap lasts: its own choice, within what the capability allows. */
    private static long slice(Env holder, Cap cap) {
        return Math.min(holder.sliceTicks, cap.count);
    }

    /**
     * True if some thread could run now, or runs: the rounds count some thread, or a CPU
     * holds one that can run (those helping it are out of the rounds meanwhile, and it may
     * have no CPU capability of its own). Asked only while no CPU runs user code.
     */
    private boolean anyRunnable() {
        settle();
        if (cpuTop.members > 0) return true;
        for (Cpu c : k.cpus) if (c.root != null && c.root.runsNow) return true;
        return false;
    }

    // ---- the per-hart loop ----

    /** A hart's life: pick a thread, run its innermost environment, handle the trap, repeat. */
    void cpuLoop(Cpu c) throws InterruptedException {
        currentCpu.set(c);
        if (turns != null) turns.await(c.id);
        k.lock.lock();
        try {
            while (!k.halted()) {
                if (turns != null && turns.spent(c.id)) {
                    passTurn(c);
                    continue;
                }
                Env root = c.root;
                if (root == null || c.yield || !canContinue(c, root)) {
                    Env next = c.next;
                    long rest = root != null ? root.sliceEnd : 0;
                    // A turn has one grace tick after one slice upcall, whoever holds it then:
                    // a target that began without it relayed one turn for ever with its donor,
                    // each upcall one more tick (user/exo/slicerelay.c).
                    boolean grace = root != null && root.sliceGrace;
                    c.next = null;
                    c.yield = false;
                    hold(c, null);
                    c.helping = false;
                    // A turn of root's own thread is over (not taken by a call): calls kept back for it go on.
                    if (root != null && !root.serving() && !root.exited) k.pct.ownTurnOver(root);
                    if (next != null && runnable(next)) {
                        root = next;
                        root.sliceEnd = rest; // directed yield: the rest of the donor's slice, in the donor's turn
                    } else {
                        grace = false;
                        charge(c.turn, ticks - c.turnStart);
                        c.turn = null;
                        root = pick();
                        if (root == null) {
                            idle(c);
                            continue;
                        }
                        c.helping = root != turnOf;
                        c.turn = turnCap;
                        c.turnStart = ticks;
                        root.sliceEnd = ticks + slice(turnOf, turnCap);
                    }
                    root.sliceGrace = grace;
                    hold(c, root);
                    if (c.helping) c.helped = turnOf;
                }
                Env e = root.innermost();
                if (e.noticeUpcallDue && !e.cur.inHandler) { // (in a handler, it waits for exo_resume)
                    e.noticeUpcallDue = false;
                    if ((e.upcallMask & UPCALL_NOTICE) != 0 && !e.notices.isEmpty()) {
                        k.upcalls.upcall(e, UPCALL_NOTICE, 0, e.notices.peek());
                        k.endOfOperation();
                        if (c.deviceWork != null) deviceWork(c); // (the line of its death, if its stack failed it)
                        continue;
                    }
                }
                if (abreast != null) {
                    abreast.busy(c.id); // (if it was idle, or waited for a device)
                    if (abreast.ahead(c.id)) {
                        keepAbreast(c);
                        continue; // (its thread may have stopped or blocked meanwhile)
                    }
                }
                long before = k.machine.clock().ticks();
                Trap t = runUser(c, e);
                if (t == null) continue; // taken off the hart by another CPU
                // It ran into another tick: one of its own time (ENV_INFO's ticks), and of the
                // thread whose turn it helps. One a run, however long its host thread waited.
                if (c.clockTicks > before) {
                    root.ticksRun++;
                    if (c.helped != null) c.helped.ticksRun++;
                }
                // The clock first, whatever the trap: a program that traps often must not stop time.
                if (c.clockTicks > ticks) tick(c.clockTicks);
                switch (t.cause()) {
                    case ECALL -> k.sys.dispatch(e);
                    case TIMER_INTERRUPT -> {}
                    default -> k.upcalls.fault(e, t);
                }
                // After the trap: a rest's end may start a call in root, in place of its activation.
                if (c.clockTicks > before) k.pct.ranIntoTick(root);
                if (c.root == root && !c.yield && ticks >= root.sliceEnd && canContinue(c, root))
                    sliceEnd(c, root, root.innermost());
                k.endOfOperation();
                if (c.deviceWork != null) deviceWork(c);
                // After a run of user code, never before one: each turn runs something.
                if (turns != null && c.root != null && workForAnIdleCpu()) passTurn(c);
            }
        } finally {
            if (c.deviceWork != null) deviceWork(c); // (a line the machine's end overtook)
            hold(c, null);
            work.signalAll();
            if (turns != null) turns.stop();
            if (abreast != null) abreast.idle(c.id);
            k.lock.unlock();
        }
    }

    /**
     * True if a thread no CPU holds could run while some CPU holds none: ending the turn
     * lets that CPU pick it up, as an idle hart would at once. (Asked only by a CPU that
     * holds one, so the idle CPU is another.)
     */
    private boolean workForAnIdleCpu() {
        boolean idleCpu = false;
        for (Cpu d : k.cpus) idleCpu |= d.root == null;
        if (!idleCpu) return false;
        for (Env e : k.envs.values()) if (runnable(e) && free(e)) return true;
        return false;
    }

    /**
     * The system call c's thread just made returns only once a device is done (Devices: the
     * disk on stable storage, bytes out on the console): the host's fsync or write, waited
     * for without the lock, so that it holds up only that thread. c keeps the thread
     * meanwhile (c.root), as a CPU waiting for its turn does, so no other CPU runs it before
     * the device is done; what another CPU may do to it meanwhile (stop, destroy, read its
     * registers) needs no wait, for it is not on the hart. What the device moves was copied
     * under the lock, before: from the pages then, so a revocation never races a transfer.
     */
    private void deviceWork(Cpu c) {
        Runnable work = c.deviceWork;
        c.deviceWork = null;
        if (abreast != null) abreast.idle(c.id); // (a CPU waiting for a device holds nobody back)
        k.lock.unlock();
        try {
            work.run();
        } finally {
            k.lock.lock();
        }
    }

    /**
     * c got ahead of the slowest busy CPU: it waits, keeping its thread (c.root) as it does
     * for a device, without the lock, so the laggard can take it.
     */
    private void keepAbreast(Cpu c) {
        k.lock.unlock();
        try {
            abreast.keepAbreast(c.id);
        } finally {
            k.lock.lock();
        }
    }

    /**
     * Ends c's turn (lock held): the next CPU with a thread of its own, or any CPU when some
     * thread could run, gets it; c waits for its next turn without the lock.
     */
    private void passTurn(Cpu c) {
        boolean runnable = anyRunnable();
        k.lock.unlock();
        try {
            turns.pass(c.id, d -> runnable || k.cpus[d].root != null);
        } finally {
            k.lock.lock();
        }
    }

    /** The slice is over: a slice upcall and one grace tick if e asked for it, else preemption. */
    private void sliceEnd(Cpu c, Env root, Env e) {
        if (!root.sliceGrace && (e.upcallMask & UPCALL_SLICE) != 0 && !e.cur.inHandler) {
            if (k.upcalls.upcall(e, UPCALL_SLICE, CAUSE_TIMER, 0)) {
                root.sliceGrace = true;
                root.sliceEnd = ticks + 1;
            }
            return;
        }
        c.yield = true;
    }

    /**
     * Runs e on c's hart until it traps. Releases the lock meanwhile. Returns the trap, or
     * null if another CPU took e off the hart in between (see {@link #steal}).
     */
    private Trap runUser(Cpu c, Env e) {
        Hart h = c.hart;
        e.cpu = c;
        long epoch = e.epoch;
        c.userPhase = true;
        e.cur.regs.restore(h);
        h.scontext = e.id; // who runs, for a debugger (gdb's threads, monitor follow)
        Regs regs = e.cur.regs;
        k.lock.unlock();
        Trap t;
        try {
            // The TLB keeps each address space's entries under its ASID. Those of e go
            // (sfence.vma x0, asid) when e lost translations since they were made, or when
            // this CPU has not run e yet (they would be a previous holder's of the ASID),
            // or when e shares its ASID and this CPU ran another since (they may be theirs).
            if (c.tlbEnv != e || c.tlbGen != e.gen) {
                c.tlbEnv = e; // (a volatile write before reading gen: see shootdown)
                long g = e.gen;
                h.mmu.setSatp(e.satp());
                if (!e.tlbCurrentOn(c.id, g)) {
                    h.mmu.flushAsid(e.asid);
                    e.tlbGen[c.id] = g;
                }
                c.tlbGen = g;
            }
            h.clearReservation();
            long before = h.instret;
            long budget = k.machine.clock().budget();
            t = h.run(turns != null ? turns.budget(c.id, budget) : abreast != null ? abreast.budget(budget) : budget);
            c.clockTicks = k.machine.clock().retired(h.instret - before);
            if (turns != null) turns.retired(c.id, h.instret - before, t);
            if (abreast != null) abreast.afterUser(c.id, h.instret - before, t);
            regs.save(h);
        } finally {
            c.userPhase = false;
            k.lock.lock();
        }
        if (e.cpu != c || e.epoch != epoch) return null;
        e.cpu = null;
        return t;
    }

    static void waitOffHart(Cpu c) {
        for (int spins = 0; c.userPhase; spins++) {
            if (spins < 1000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    /**
     * Takes e off another hart, if it is on one, so its registers here are current; that
     * hart discards its trap (the trapping instruction runs again when e next runs).
     */
    void steal(Env e) {
        Cpu c = e.cpu;
        if (c == null) return;
        c.hart.requestInterrupt();
        waitOffHart(c);
        e.cpu = null;
        e.epoch++;
    }

    // ---- time ----

    /** The timer (xv6's clockintr): catches up with the clock, if it has ticked. */
    void clockIntr() {
        long now = k.machine.clock().ticks();
        if (now > ticks) tick(now);
    }

    /** A new tick: EV_TICK for all (those blocked on it wake), and every EXOSCHED_WAIT ends. */
    private void tick(long now) {
        ticks = now;
        k.events.tick();
        scriptTick();
    }

    /**
     * A tick, with a batch console: the script's next line is also typed, while other
     * environments run, for a reader (EV_CONSOLE) that has waited for it long enough
     * (Console.lineForWaitingReader), as a user types at the prompt while a background job
     * computes (before, `spin &` held the script's next line until it ended). Lock held.
     */
    private void scriptTick() {
        Console console = k.machine.console();
        if (console.interactive() || console.ended()) return;
        boolean reader = false;
        for (Env e : k.events.keyWaiters()) reader |= wouldRun(e) && e.cur.blocked() && (e.cur.blockMask & EV_CONSOLE) != 0;
        try {
            byte[] line = console.lineForWaitingReader(reader, k.machine.instructionsRetired(), k.machine.clock().deterministic());
            if (line != null) k.devices.consoleInput(line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- idling ----

    /**
     * Nothing to run on this CPU. When no CPU runs anything the machine is idle and CPU 0
     * brings the next event; other CPUs wait for work. When the CPUs take turns, the one
     * whose turn it is brings the event, and the others' turns pass. Called and returns
     * with the lock held.
     */
    private void idle(Cpu c) throws InterruptedException {
        if (abreast != null) abreast.idle(c.id);
        idleCpus++;
        waitsForWork[c.id] = true;
        try {
            if (turns != null) {
                if (anyRunnable()) passTurn(c);
                else machineIdle();
            } else if (c.id == 0 && idleCpus == k.cpus.length && !anyRunnable()) machineIdle();
            else work.await(20, TimeUnit.MILLISECONDS);
        } finally {
            waitsForWork[c.id] = false;
            idleCpus--;
        }
    }

    /** True if e's current activation would run once woken: it is what its thread executes, and the thread has CPU. */
    private static boolean wouldRun(Env e) {
        Env root = e.root();
        return !e.exited && !(e.stopped && !e.serving()) && root.innermost() == e && root.threadCap() != null;
    }

    /** How many of those asleep for ever a halt names; the rest it counts. */
    private static final int STUCK_NAMED = 20;

    /**
     * Those asleep whose thread would run once woken, as " env 7 (waiting on the word at
     * pa 0x80123000), env 9 (blocked on events 0x10)" ("" if none): with nothing able to
     * run and no one waiting for a key or a tick, they wait for ever. One that waits for
     * EV_CHILD while a child of its own lives waits as a parent does (an /init waiting for
     * its children), and is named only through the children that are stuck. Lock held.
     */
    private String stuck() {
        Set<Integer> parents = new HashSet<>();
        for (Env e : k.envs.values()) if (!e.exited) parents.add(e.parentId);
        StringBuilder sb = new StringBuilder();
        int named = 0;
        for (Env e : k.envs.values()) {
            Activation a = e.cur;
            if (!a.blocked() || !wouldRun(e)) continue;
            if ((a.blockMask & EV_CHILD) != 0 && parents.contains(e.id)) continue;
            if (++named > STUCK_NAMED) continue; // (one line, however many)
            sb.append(sb.isEmpty() ? " " : ", ").append(k.envs.label(e.id));
            if (a.waitPa != -1) sb.append(String.format(" (waiting on the word at pa 0x%x)", a.waitPa));
            else sb.append(String.format(" (blocked on events 0x%x)", a.blockMask));
        }
        if (named > STUCK_NAMED) sb.append(String.format(" and %d more", named - STUCK_NAMED));
        return sb.toString();
    }

    /**
     * Every environment is blocked, stopped or exited. What can wake one: console input, or
     * time. With a batch console, a line of the script is "typed" when an environment waits
     * for input, EV_CONSOLE (so runs are deterministic); otherwise time moves to the next
     * tick if an environment waits for one; otherwise nothing can ever happen again and the
     * machine halts. At a terminal, a key is waited for (the clock ticking on meanwhile)
     * while an environment waits for input or listens for keys (EV_KEY: the LibOS's file
     * server, which takes ^C in for a shell waiting on its word); with neither, and no one
     * waiting for time, nothing a key could do would wake anyone, and the machine halts and
     * says so. A batch run asks only for readers: a listener would have it type its next
     * line before anyone asked for one. Lock held.
     */
    private void machineIdle() throws InterruptedException {
        boolean reader = false;
        boolean listener = false;
        boolean timer = false;
        for (Env e : k.events.keyWaiters()) {
            if (!wouldRun(e)) continue;
            reader |= (e.cur.blockMask & EV_CONSOLE) != 0;
            listener |= (e.cur.blockMask & EV_KEY) != 0;
        }
        for (Env e : k.events.tickWaiters()) timer |= wouldRun(e) && (e.cur.blockMask & EV_TICK) != 0;
        Console console = k.machine.console();
        Clock clock = k.machine.clock();
        if (!console.interactive() && (reader || !timer)) {
            byte[] line;
            k.lock.unlock();
            try {
                line = console.lineForIdleMachine(timer, clock.deterministic());
            } finally {
                k.lock.lock();
            }
            if (line != null) {
                k.devices.consoleInput(line);
                return;
            }
            if (!timer) {
                // With an environment waiting for input, the script ends as a terminal
                // closing would. Without one, those asleep wait for what no one will ever
                // do: a lost wake-up in some protocol. Say who, and do not call it a clean end.
                String stuck = reader ? "" : stuck();
                if (!stuck.isEmpty()) k.devices.printf("kernel-exo: the script is done and nothing can wake%s%n", stuck);
                k.stop(stuck.isEmpty() ? 0 : 1);
                return;
            }
        }
        if (console.interactive() && !reader && !listener && !timer) {
            k.devices.printf("%nkernel-exo: no environment can run, and none waits for a key or for time: the machine halted%n");
            k.stop(0);
            return;
        }
        if (timer || !clock.deterministic()) {
            // (a terminal on the virtual clock: time is instructions, and none run while we wait)
            long nanos = clock.advanceTo(ticks + 1);
            if (nanos > 0) work.awaitNanos(nanos);
            else clockIntr();
            return;
        }
        work.await(100, TimeUnit.MILLISECONDS); // a terminal: wait for a key
    }
}
