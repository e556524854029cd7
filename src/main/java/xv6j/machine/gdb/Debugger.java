package xv6j.machine.gdb;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;
import xv6j.machine.DebugHook;
import xv6j.machine.Decoded;
import xv6j.machine.Decoder;
import xv6j.machine.Hart;
import xv6j.machine.Op;
import xv6j.machine.PhysicalMemory;
import xv6j.machine.Trap;
import xv6j.machine.jit.Engine;

/**
 * The debugger's hold on the harts: all-stop execution control, breakpoints, watchpoints
 * and single steps, for the GDB stub ({@link Session}) to drive.
 *
 * <p><b>All-stop.</b> When one hart stops (a breakpoint, a watchpoint, a step done, gdb's
 * Ctrl-C), every hart stops: each is told to, and parks in {@link #run} at its next look,
 * which comes within {@link #CHUNK} instructions. A hart the kernel is not running user
 * code on (it is in the kernel, or idle) counts as stopped, and parks if it enters user
 * code before gdb resumes. A parked hart is inside {@link Hart#run}: to its kernel the run
 * just takes long.
 *
 * <p><b>Two speeds.</b> A hart runs free, {@link #CHUNK} instructions at a time under its
 * own engine, unless something must see each instruction: a single step of the task it
 * runs, or breakpoints or watchpoints in an address space gdb follows. Then it runs one
 * instruction at a time in the interpreter, checking the breakpoints before each and the
 * watchpoints around each; so a breakpoint stops before its instruction and a watchpoint
 * after the access (as QEMU reports them to gdb), under whatever engine the machine uses.
 *
 * <p><b>No memory is written for a breakpoint</b>: they are addresses the hart compares pc
 * with. Nobody reading the program's memory sees them, and since every xv6 program is
 * linked at the same addresses, they apply only where gdb {@link Follow follows}.
 *
 * <p><b>Steps belong to tasks.</b> A step runs one instruction of the process (environment)
 * on the stepped hart, and stops after it. If that instruction traps, the kernel runs
 * other tasks meanwhile, and the step goes on when the same task (what the kernel writes
 * into {@link Hart#scontext}) next runs user code, on whichever hart: it ends after an
 * ecall's return (pc + 4), after the instruction retires if it is run again (a fault the
 * kernel or a LibOS handled), or at once in a new image (exec). Elsewhere (a LibOS's fault
 * handler, an upcall) the task runs one instruction at a time, breakpoints applying, until
 * it is back, as gdb steps over a Linux signal handler; or, after {@link #AWAY_LIMIT}
 * instructions there, the step ends where the task is.
 */
final class Debugger implements DebugHook {
    /**
     * Instructions a hart runs free between looks at whether it must stop: as many as
     * compiled code runs between looks for an interrupt (Hart.JIT_CHUNK), a few tens of
     * microseconds.
     */
    static final int CHUNK = 1 << 14;

    /** Why the machine stopped. */
    enum Reason { ATTACHED, BREAKPOINT, WATCH, READ_WATCH, ACCESS_WATCH, STEP, INTERRUPTED }

    /** The stop gdb is told of: on which hart, why, and (a watchpoint) the address accessed. */
    record Stop(int hart, Reason reason, long address) {}

    /** A watchpoint: gdb's Z2 (write), Z3 (read) or Z4 (access), over [address, address + length). */
    record Watch(int type, long address, long length) {}

    /** Whose address spaces breakpoints and watchpoints apply in. */
    sealed interface Follow permits All, Task, Running {}

    /** Every address space: a plain debugger's view. */
    record All() implements Follow {}

    /** The task (process, environment) of this id, as the kernel writes it to scontext. */
    record Task(long id) implements Follow {}

    /** Every address space that runs this program's code (a name, as ps shows it). */
    record Running(Program program) implements Follow {}

    /** Instructions a stepped task may run elsewhere (a handler) before the step ends there. */
    static final long AWAY_LIMIT = 1_000_000;

    /**
     * A pending single step (see the class comment): of a task (hart -1), or of a hart that
     * runs none (task -1: it ends as the hart enters user code). Once the stepped
     * instruction at pc trapped (away), the step waits for the task in the address space
     * satp; ecall says how it trapped, left how many instructions it may run elsewhere.
     */
    private record Step(long task, int hart, boolean away, long pc, long satp, boolean ecall, long left) {
        static Step of(long task) {
            return new Step(task, -1, false, 0, 0, false, AWAY_LIMIT);
        }

        static Step ofHart(int hart) {
            return new Step(-1, hart, false, 0, 0, false, 0);
        }

        Step trapped(Trap t, long satp) {
            return away ? this : new Step(task, hart, true, t.pc(), satp, t.cause() == Trap.Cause.ECALL, left);
        }

        Step again() {
            return new Step(task, hart, false, pc, satp, ecall, left);
        }

        Step spent() {
            return new Step(task, hart, away, pc, satp, ecall, left - 1);
        }
    }

    /** A task's user state as it left user code on hart, the leftAt'th run to end (see {@link #leaves}). */
    record UserState(int hart, long leftAt, long[] x, long[] f, long pc, int fcsr, long satp, long scontext) {}

    /** What the debugger keeps for one hart. */
    static final class PerHart {
        /** Told to stop: parks at its next look. */
        volatile boolean stopped;
        /** The kernel asked for the hart back (requestInterrupt) while the debugger ran it. */
        volatile boolean kernelWants;
        /** In user code (inside {@link Debugger#run}): written by the hart's thread, read by gdb's. */
        volatile boolean inside;
        /** Guarded by the lock: parked in run, waiting for gdb. */
        boolean parked;
        /** Instructions this run retired before the current execute call (for the time CSR). */
        long offset;
        Engine engine;
        LongUnaryOperator time;
        final Program.Seen seen = new Program.Seen();
        /** Its task's registers when the hart last left user code, or null before it ran any (guarded by the lock). */
        UserState last;
        /** When it last left user code, by {@link Debugger#leaves}. */
        volatile long leftAt;
    }

    private final Hart[] harts;
    private final PhysicalMemory mem;
    private final PerHart[] per;
    /** Told whenever a hart records a stop or parks (from the hart's thread). */
    private final Runnable onPark;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** A gdb holds the harts; when not, runs pass straight through (see {@link #run}). Written under lock. */
    private volatile boolean attached;
    /** The machine halts: runs return at once (see {@link #freeze}). */
    private volatile boolean frozen;
    // Guarded by lock:
    private Stop stop;
    /** Counts runs ending, attached or not (see {@link PerHart#leftAt}). */
    private final AtomicLong leaves = new AtomicLong();
    /** How many tasks' last user states are kept, the latest (see {@link #lastStates}). */
    private static final int STATES_KEPT = 64;
    /** The tasks' user states as they last entered the kernel, by task (scontext); the latest kept. */
    private final java.util.LinkedHashMap<Long, UserState> lastStates = new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, UserState> eldest) {
            return size() > STATES_KEPT;
        }
    };
    /**
     * What a stop made with no hart in user code shows on the hart it names: a task's state
     * as it entered the kernel (see {@link #settled}); null if none.
     */
    private UserState shown;
    /** gdb's Ctrl-C is waiting for a hart to park, to name it in the stop. */
    private boolean interruptPending;
    /** When gdb's interrupt came (System.nanoTime), while interruptPending. */
    private long interruptedAt;
    /**
     * How long an interrupt that finds no hart in user code waits for one to come back to
     * it: a stop on a hart out of user code has no registers to show, and gdb, with no pc,
     * fails the command that was waiting ("PC register is not available"; a script ends
     * there, its kill never sent). A machine idle for longer is stopped all the same.
     */
    private static final long INTERRUPT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private volatile Step step;
    private volatile long[] breakpoints = new long[0];
    private volatile Watch[] watches = new Watch[0];
    private volatile Follow follow = new All();

    Debugger(Hart[] harts, PhysicalMemory mem, Runnable onPark) {
        this.harts = harts;
        this.mem = mem;
        this.onPark = onPark;
        this.per = new PerHart[harts.length];
        for (int i = 0; i < harts.length; i++) per[i] = new PerHart();
    }

    int harts() {
        return harts.length;
    }

    Hart hart(int i) {
        return harts[i];
    }

    PhysicalMemory memory() {
        return mem;
    }

    // ---- attaching ----------------------------------------------------------------

    /**
     * Takes hold of every hart, stopped: each parks before its next user instruction. A
     * hart in user code when this is called is asked back ({@link Hart#requestInterrupt}),
     * and the stop does not settle until it has parked.
     */
    void attach() {
        lock.lock();
        try {
            if (attached) return;
            attached = true;
            stop = null;
            shown = null;
            interruptPending = false;
            step = null;
            for (int i = 0; i < harts.length; i++) {
                Hart h = harts[i];
                PerHart st = per[i];
                st.stopped = true;
                st.kernelWants = false;
                if (!st.inside && h.instret > 0) snapshot(h, st); // (its last user state: the kernel's copy is not ours to read)
                st.engine = h.engine();
                LongUnaryOperator time = h.timeSource();
                st.time = time;
                // One kernel run may be many execute calls: time counts from the run's start.
                h.setTimeSource(inRun -> time.applyAsLong(inRun + st.offset));
                h.setDebugHook(this);
            }
        } finally {
            lock.unlock();
        }
        // A run passing through ends soon, and the next one parks. (A hart that sets inside
        // after this read then reads attached, set above, and parks: no run slips through.)
        for (int i = 0; i < harts.length; i++) if (per[i].inside) harts[i].requestInterrupt();
    }

    /**
     * Lets go of every hart: breakpoints, watchpoints and steps are forgotten and the
     * machine runs on. The hook stays, passing runs through (two volatile writes and a read
     * a run), so that a later {@link #attach} knows which harts are in user code.
     */
    void detach() {
        lock.lock();
        try {
            if (!attached) return;
            attached = false;
            breakpoints = new long[0];
            watches = new Watch[0];
            step = null;
            follow = new All();
            stop = null;
            shown = null;
            lastStates.clear(); // (no run is kept while detached: they would go stale)
            for (int i = 0; i < harts.length; i++) {
                harts[i].setTimeSource(per[i].time);
                harts[i].setEngine(per[i].engine);
                per[i].stopped = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The machine is asked to halt (gdb's kill, Ctrl-A x): from now on no user instruction
     * runs. Parked harts, and every run after, return to the kernel at once, which sees its
     * halt and stops cleanly.
     */
    void freeze() {
        frozen = true;
        detach();
        lock.lock();
        try {
            for (PerHart p : per) p.stopped = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Detaches and takes the hook off the harts: the machine no longer has a debug port (it halted). */
    void release() {
        detach();
        for (Hart h : harts) h.setDebugHook(null);
    }

    // ---- the hart's side --------------------------------------------------------------

    @Override
    public void interruptRequested(Hart h) {
        per[h.id].kernelWants = true;
    }

    @Override
    public Trap run(Hart h, long budget) {
        PerHart st = per[h.id];
        if (frozen) {
            h.execute(0); // (answers a pending interrupt request)
            return timer(h);
        }
        st.inside = true;
        if (!attached) { // no gdb: the run passes through
            try {
                return h.execute(budget);
            } finally {
                st.kernelWants = false; // (a request came back with this run's end)
                st.leftAt = leaves.incrementAndGet();
                st.inside = false;
                if (attached) ranWhileAttaching();
            }
        }
        long start = h.instret;
        boolean interpreting = false;
        try {
            boolean entering = true;
            boolean followed = false, known = false;
            while (true) {
                if (st.stopped) {
                    if (!park(h, st) || frozen) return timer(h);
                    known = false; // gdb may have changed what is followed
                }
                if (!known) {
                    followed = follows(h, st);
                    known = true;
                }
                if (entering) {
                    entering = false;
                    if (stepEndsOnEntry(h)) continue; // it parks at the top
                }
                if (st.kernelWants) {
                    st.kernelWants = false;
                    h.execute(0); // takes the hart's own request flag: it is answered now
                    return timer(h);
                }
                long done = h.instret - start;
                if (done >= budget) return timer(h);
                Step s = step;
                boolean stepping = s != null && s.hart() < 0 && s.task() == h.scontext;
                if (stepping && s.away()) {
                    // The stepped instruction trapped: where is its task now?
                    long pc = h.pc;
                    if (h.mmu.satp() != s.satp() || s.ecall() && pc == s.pc() + 4 || s.left() <= 0) {
                        step = null;
                        stopHere(h, Reason.STEP, 0);
                        continue;
                    }
                    if (pc == s.pc()) step = s = s.again(); // run again: a step once it retires
                }
                long[] bps = breakpoints;
                Watch[] ws = watches;
                st.offset = done;
                if (stepping || followed && (bps.length > 0 || ws.length > 0)) {
                    if (!interpreting) {
                        h.setEngine(Engine.INTERPRETER); // every instruction seen, whatever the machine's engine
                        interpreting = true;
                    }
                    long pc = h.pc;
                    if (followed && Arrays.binarySearch(bps, pc) >= 0) {
                        stopHere(h, Reason.BREAKPOINT, pc);
                        continue;
                    }
                    long[] access = followed && ws.length > 0 ? access(h) : null;
                    Trap t = h.execute(1);
                    if (t.cause() != Trap.Cause.TIMER_INTERRUPT) {
                        if (stepping) step = s.trapped(t, h.mmu.satp()); // goes on when the task is back
                        return t;
                    }
                    if (h.instret - start == done) return t; // the kernel's request came first
                    if (access != null) {
                        Watch w = hit(ws, access);
                        if (w != null) {
                            Reason r = w.type() == 2 ? Reason.WATCH : w.type() == 3 ? Reason.READ_WATCH : Reason.ACCESS_WATCH;
                            stopHere(h, r, Math.max(access[0], w.address()));
                            continue;
                        }
                    }
                    if (stepping && s.away()) {
                        step = s.spent(); // (the task runs a handler: on, one instruction at a time)
                    } else if (stepping) {
                        step = null;
                        stopHere(h, Reason.STEP, 0);
                    }
                } else {
                    if (interpreting) {
                        h.setEngine(st.engine);
                        interpreting = false;
                    }
                    int chunk = (int) Math.min(budget - done, CHUNK);
                    Trap t = h.execute(chunk);
                    if (t.cause() != Trap.Cause.TIMER_INTERRUPT || h.instret - start - done < chunk) return t;
                }
            }
        } finally {
            st.offset = 0;
            if (interpreting) h.setEngine(st.engine);
            lock.lock();
            try {
                st.leftAt = leaves.incrementAndGet();
                snapshot(h, st);
                st.inside = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Keeps h's registers as it leaves user code, for gdb to see while it is elsewhere. Lock held. */
    private void snapshot(Hart h, PerHart st) {
        st.last = new UserState(h.id, st.leftAt, h.x.clone(), h.f.clone(), h.pc, h.fcsr, h.mmu.satp(), h.scontext);
        lastStates.remove(h.scontext); // (re-inserted: the eldest, dropped first, is the longest out of user code)
        lastStates.put(h.scontext, st.last);
    }

    /** A run that passed through ended while gdb attached: the stop may have settled now. */
    private void ranWhileAttaching() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onPark.run();
    }

    private static Trap timer(Hart h) {
        return new Trap(Trap.Cause.TIMER_INTERRUPT, h.pc, 0);
    }

    private boolean follows(Hart h, PerHart st) {
        return switch (follow) {
            case All a -> true;
            case Task t -> h.scontext == t.id();
            case Running r -> r.program().runsIn(new AddressSpace(mem, h.mmu.satp()), st.seen);
        };
    }

    /** A step of a hart that ran no user code ends as the hart enters user code. */
    private boolean stepEndsOnEntry(Hart h) {
        Step s = step;
        if (s == null || s.hart() != h.id) return false;
        step = null;
        stopHere(h, Reason.STEP, 0);
        return true;
    }

    /** Records that h stopped (unless another hart's stop came first) and tells every hart to stop. */
    private void stopHere(Hart h, Reason reason, long address) {
        lock.lock();
        try {
            if (stop == null) stop = new Stop(h.id, reason, address);
            for (PerHart p : per) p.stopped = true;
        } finally {
            lock.unlock();
        }
        onPark.run();
    }

    /**
     * Waits while h is told to stop. Returns false if the hart's thread was interrupted
     * (its kernel is shutting down): the run then ends at once.
     */
    private boolean park(Hart h, PerHart st) {
        lock.lock();
        try {
            st.parked = true;
            if (stop == null && attached)
                stop = new Stop(h.id, interruptPending ? Reason.INTERRUPTED : Reason.ATTACHED, 0);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        onPark.run();
        lock.lock();
        try {
            while (st.stopped) changed.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            st.parked = false;
            lock.unlock();
        }
    }

    // ---- watchpoints ------------------------------------------------------------------

    /**
     * The memory access the instruction at h.pc is about to make: {address, size, 1 if it
     * reads, 1 if it writes}; null if it makes none (or cannot be fetched: it will fault).
     */
    private long[] access(Hart h) {
        AddressSpace space = new AddressSpace(mem, h.mmu.satp());
        byte[] b = new byte[4];
        int got = space.read(h.pc, b, 4);
        if (got < 2 || (b[0] & 3) == 3 && got < 4) return null;
        int bits = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
        long d = Decoder.decode(bits);
        int op = Decoded.op(d);
        long base = h.x[Decoded.rs1(d)];
        long at = base + Decoded.imm(d);
        return switch (op) {
            case Op.LB, Op.LBU -> new long[] {at, 1, 1, 0};
            case Op.LH, Op.LHU -> new long[] {at, 2, 1, 0};
            case Op.LW, Op.LWU, Op.FLW -> new long[] {at, 4, 1, 0};
            case Op.LD, Op.FLD -> new long[] {at, 8, 1, 0};
            case Op.LOAD_X0 -> new long[] {at, 1L << (Decoded.rs2(d) & 3), 1, 0};
            case Op.SB -> new long[] {at, 1, 0, 1};
            case Op.SH -> new long[] {at, 2, 0, 1};
            case Op.SW, Op.FSW -> new long[] {at, 4, 0, 1};
            case Op.SD, Op.FSD -> new long[] {at, 8, 0, 1};
            case Op.AMO -> {
                int insn = Decoded.imm(d), f5 = insn >>> 27;
                long size = ((insn >>> 12) & 7) == 2 ? 4 : 8;
                // LR reads, SC writes, the AMOs do both; all at x[rs1].
                yield new long[] {base, size, f5 == 0b00011 ? 0 : 1, f5 == 0b00010 ? 0 : 1};
            }
            default -> null;
        };
    }

    private static Watch hit(Watch[] ws, long[] access) {
        for (Watch w : ws) {
            boolean kind = switch (w.type()) {
                case 2 -> access[3] != 0;
                case 3 -> access[2] != 0;
                default -> true;
            };
            if (kind && access[0] < w.address() + w.length() && w.address() < access[0] + access[1]) return w;
        }
        return null;
    }

    // ---- gdb's side ---------------------------------------------------------------------

    /** gdb's Ctrl-C: stop every hart. The stop names the first hart to park. */
    void interrupt() {
        lock.lock();
        try {
            if (!interruptPending) interruptedAt = System.nanoTime();
            interruptPending = true;
            for (PerHart p : per) p.stopped = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stop, once it has settled: every hart told to stop, and each one in user code
     * parked (or force: a hart that would not park is not waited for forever). Null while
     * the machine runs or a hart is still on its way to parking.
     */
    Stop settled(boolean force) {
        lock.lock();
        try {
            for (PerHart p : per) if (!p.stopped) return null;
            // A hart that stopped at a breakpoint, a watchpoint or a step's end parks next,
            // a few lines of Java on: wait for it even when forced. Until it parks gdb would
            // be shown the registers it had when it last left user code (a breakpoint that
            // "stopped" at an earlier run's last pc, under load, once the grace was spent).
            if (stop != null && madeInUserCode(stop.reason()) && per[stop.hart()].inside && !per[stop.hart()].parked)
                return null;
            int parked = -1;
            for (int i = 0; i < per.length; i++) {
                if (per[i].inside && !per[i].parked && !force) return null;
                if (per[i].parked && parked < 0) parked = i;
            }
            // An interrupt waits a moment for a hart in the kernel to come back to user code
            // and park there (grind's workers, making system calls, are in and out of it).
            if (stop == null && parked < 0 && interruptPending && System.nanoTime() - interruptedAt < INTERRUPT_GRACE_NANOS)
                return null;
            // No hart parked (none was in user code): the machine is stopped all the same.
            if (stop == null && (force || parked < 0)) {
                int hart = Math.max(parked, 0);
                boolean anyInside = false;
                for (PerHart p : per) anyInside |= p.inside;
                if (!anyInside) {
                    shown = waitingTask();
                    if (shown != null) hart = shown.hart();
                }
                stop = new Stop(hart, interruptPending ? Reason.INTERRUPTED : Reason.ATTACHED, 0);
            }
            return stop;
        } finally {
            lock.unlock();
        }
    }

    /**
     * With every hart idle, the task a stop shows: the one gdb follows that entered the
     * kernel last, else the last to enter it; null if no task ran user code yet. gdb is
     * shown it stopped at the system call it waits in (init in wait, the shell in read),
     * as gdb on a Unix shows a process blocked in one, with the symbols of the program it
     * follows; with no pc at all gdb failed the command that waited ("PC register is not
     * available"). Lock held.
     */
    private UserState waitingTask() {
        UserState latest = null, followed = null;
        for (UserState u : lastStates.values()) {
            if (latest == null || u.leftAt() > latest.leftAt()) latest = u;
            boolean f = switch (follow) {
                case All a -> true;
                case Task t -> u.scontext() == t.id();
                case Running r -> r.program().runsIn(new AddressSpace(mem, u.satp()), new Program.Seen());
            };
            if (f && (followed == null || u.leftAt() > followed.leftAt())) followed = u;
        }
        return followed != null ? followed : latest;
    }

    /** True for the stops only a hart in user code makes ({@link #stopHere}), on its way to park. */
    private static boolean madeInUserCode(Reason r) {
        return r != Reason.ATTACHED && r != Reason.INTERRUPTED;
    }

    /**
     * Waits (up to timeout) for the stop to settle, and returns it. When no hart has run
     * user code yet (a machine stopped at boot, its kernel still starting), it first waits
     * for one to arrive, so gdb's first look is at the first user instruction.
     */
    Stop awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (true) {
                boolean seen = false;
                for (PerHart p : per) seen |= p.last != null || p.inside;
                if (seen) {
                    Stop s = settled(false);
                    if (s != null) return s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return settled(true);
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** What gdb asks of one hart when it resumes. */
    enum Action { STAY, CONTINUE, STEP }

    /** Resumes the harts as gdb asks (vCont); at most one steps. */
    void resume(Action[] actions) {
        lock.lock();
        try {
            stop = null;
            shown = null;
            interruptPending = false;
            step = null;
            for (int i = 0; i < per.length; i++) {
                PerHart p = per[i];
                if (actions[i] == Action.STAY) continue;
                if (actions[i] == Action.STEP && step == null)
                    step = p.parked ? Step.of(harts[i].scontext) : Step.ofHart(i);
                p.stopped = false;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True if hart i is parked in user code, so its registers are live and may be written. */
    boolean parked(int i) {
        lock.lock();
        try {
            return per[i].parked;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hart i's registers as gdb numbers them (x0..x31, pc, f0..f31, fflags, frm, fcsr: 68),
     * live if it is parked, else as it last left user code.
     */
    long[] registers(int i) {
        lock.lock();
        try {
            Hart h = harts[i];
            boolean live = per[i].parked;
            UserState u = live ? null : state(i);
            long[] r = new long[68];
            if (!live && u == null) return r; // (no user code ran yet)
            System.arraycopy(live ? h.x : u.x(), 0, r, 0, 32);
            r[0] = 0;
            r[32] = live ? h.pc : u.pc();
            System.arraycopy(live ? h.f : u.f(), 0, r, 33, 32);
            int fcsr = live ? h.fcsr : u.fcsr();
            r[65] = fcsr & 0x1f;
            r[66] = (fcsr >>> 5) & 7;
            r[67] = fcsr & 0xff;
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Sets register n (numbered as {@link #registers}) of a parked hart; false if it is not parked. */
    boolean setRegister(int i, int n, long v) {
        lock.lock();
        try {
            if (!per[i].parked) return false;
            Hart h = harts[i];
            if (n > 0 && n < 32) h.x[n] = v;
            else if (n == 32) h.pc = v;
            else if (n >= 33 && n < 65) h.f[n - 33] = v;
            else if (n == 65) h.fcsr = (h.fcsr & ~0x1f) | (int) (v & 0x1f);
            else if (n == 66) h.fcsr = (h.fcsr & 0x1f) | (int) (v & 7) << 5;
            else if (n == 67) h.fcsr = (int) (v & 0xff);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The address space hart i runs (or last ran) user code in. */
    AddressSpace space(int i) {
        lock.lock();
        try {
            UserState u = state(i);
            return new AddressSpace(mem, per[i].parked || u == null ? harts[i].mmu.satp() : u.satp());
        } finally {
            lock.unlock();
        }
    }

    /** The task on hart i (scontext) if it is in user code, or the one it ran last; -1 if none yet. */
    long task(int i) {
        lock.lock();
        try {
            PerHart p = per[i];
            UserState u = state(i);
            return p.parked || p.inside ? harts[i].scontext : u != null ? u.scontext() : -1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if gdb is shown hart i's registers: it runs user code (parked there, when the
     * machine is stopped), or it is the idle hart a stop names, showing the registers its
     * task entered the kernel with ({@link #settled}).
     */
    boolean hasRegisters(int i) {
        lock.lock();
        try {
            return per[i].inside || shown != null && shown.hart() == i;
        } finally {
            lock.unlock();
        }
    }

    /** The user state hart i shows when not parked: the stop's (shown) on its hart, else its own last. Lock held. */
    private UserState state(int i) {
        return shown != null && shown.hart() == i ? shown : per[i].last;
    }

    /** True if hart i runs user code now (parked there, when the machine is stopped). */
    boolean inUser(int i) {
        lock.lock();
        try {
            return per[i].inside;
        } finally {
            lock.unlock();
        }
    }

    void addBreakpoint(long address) {
        lock.lock();
        try {
            if (Arrays.binarySearch(breakpoints, address) >= 0) return;
            long[] b = Arrays.copyOf(breakpoints, breakpoints.length + 1);
            b[b.length - 1] = address;
            Arrays.sort(b);
            breakpoints = b;
        } finally {
            lock.unlock();
        }
    }

    void removeBreakpoint(long address) {
        lock.lock();
        try {
            breakpoints = Arrays.stream(breakpoints).filter(a -> a != address).toArray();
        } finally {
            lock.unlock();
        }
    }

    void addWatch(Watch w) {
        lock.lock();
        try {
            Watch[] ws = Arrays.copyOf(watches, watches.length + 1);
            ws[ws.length - 1] = w;
            watches = ws;
        } finally {
            lock.unlock();
        }
    }

    void removeWatch(Watch w) {
        lock.lock();
        try {
            for (int i = 0; i < watches.length; i++) {
                if (watches[i].equals(w)) {
                    Watch[] ws = new Watch[watches.length - 1];
                    System.arraycopy(watches, 0, ws, 0, i);
                    System.arraycopy(watches, i + 1, ws, i, ws.length - i);
                    watches = ws;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    Follow follow() {
        return follow;
    }

    void follow(Follow f) {
        follow = f;
    }
}
