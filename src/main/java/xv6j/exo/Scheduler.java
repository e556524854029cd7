package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import xv6j.machine.Console;
import xv6j.machine.Hart;
import xv6j.machine.Trap;

/**
 * The CPU: each hart runs {@link #cpuLoop} on a platform thread of its own. It picks a
 * thread of control, puts the registers of the environment that executes for it on the
 * hart, runs it for the rest of its slice, takes the lock, handles the trap, and repeats.
 * There is no kernel thread per environment: no call ever waits inside the kernel
 * (docs/exo.md, decision 1).
 *
 * <p>Time (the ticks environments see) and the slices it cuts are here too, and so is
 * idling: when nothing can run, the machine waits for a key or the next tick, or halts.
 */
final class Scheduler {
    private final Exokernel k;
    /** Signalled when something may have become runnable, or the machine halts. */
    private final Condition work;
    private final ThreadLocal<Cpu> currentCpu = new ThreadLocal<>();
    /** Ticks the environments have seen. */
    long ticks;
    private int idleCpus;

    Scheduler(Exokernel k) {
        this.k = k;
        this.work = k.lock.newCondition();
    }

    /** The CPU handling the current system call, or null (tests); its thread may be told to yield. */
    Cpu currentCpu() {
        return currentCpu.get();
    }

    void kick() {
        work.signalAll();
    }

    /** Wakes every CPU's thread to see that the machine has halted. */
    void wakeAll() {
        for (Cpu c : k.cpus) c.hart.requestInterrupt();
        work.signalAll();
    }

    /**
     * True if root's thread can run now: root is not serving a call, is not stopped, holds
     * CPU, and the environment that would execute (the innermost callee) waits for nothing
     * and is on no hart.
     */
    boolean runnable(Env root) {
        if (root.exited || root.caller != null || root.stopped || root.cpuCaps == 0) return false;
        Env x = root.innermost();
        return x.cpu == null && !x.exited && !x.stopped && !x.cur.blocked() && x.waitingOn == null;
    }

    /** The next runnable root after the last one this CPU picked (round robin by id), or null. */
    private Env pick(Cpu c) {
        for (Env e : k.envs.byId().tailMap(c.lastPicked, false).values()) if (runnable(e)) return pickFound(c, e);
        for (Env e : k.envs.byId().headMap(c.lastPicked, true).values()) if (runnable(e)) return pickFound(c, e);
        return null;
    }

    private static Env pickFound(Cpu c, Env e) {
        c.lastPicked = e.id;
        return e;
    }

    /** A hart's life: pick a thread, run its innermost environment, handle the trap, repeat. */
    void cpuLoop(Cpu c) throws InterruptedException {
        currentCpu.set(c);
        k.lock.lock();
        try {
            while (!k.halted()) {
                Env root = c.root;
                if (root == null || c.yield || !runnable(root)) {
                    Env next = c.next;
                    long rest = root != null ? root.sliceEnd : 0;
                    c.next = null;
                    c.yield = false;
                    c.root = null;
                    if (next != null && runnable(next)) {
                        root = next;
                        root.sliceEnd = rest; // directed yield: the rest of the donor's slice
                    } else {
                        root = pick(c);
                        if (root == null) {
                            idle(c);
                            continue;
                        }
                        root.sliceEnd = ticks + root.sliceTicks;
                    }
                    root.sliceGrace = false;
                    c.root = root;
                }
                Env e = root.innermost();
                if (e.noticeUpcallDue && !e.cur.inHandler) { // (in a handler, it waits for exo_resume)
                    e.noticeUpcallDue = false;
                    if ((e.upcallMask & UPCALL_NOTICE) != 0 && !e.notices.isEmpty()) {
                        k.upcalls.upcall(e, UPCALL_NOTICE, 0, e.notices.peek());
                        k.endOfOperation();
                        continue;
                    }
                }
                Trap t = runUser(c, e);
                if (t == null) continue; // taken off the hart by another CPU
                switch (t.cause()) {
                    case ECALL -> k.sys.dispatch(e);
                    case TIMER_INTERRUPT -> {
                        clockIntr();
                        if (ticks >= root.sliceEnd) sliceEnd(c, root, e);
                    }
                    default -> k.upcalls.fault(e, t);
                }
                k.endOfOperation();
            }
        } finally {
            c.root = null;
            work.signalAll();
            k.lock.unlock();
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
        Regs regs = e.cur.regs;
        k.lock.unlock();
        Trap t;
        try {
            // The TLB keeps each address space's entries under its ASID. Those of e go
            // (sfence.vma x0, asid) when e lost translations since they were made, or when
            // this CPU has not run e yet (they would be a previous holder's of the ASID).
            if (c.tlbEnv != e || c.tlbGen != e.gen) {
                c.tlbEnv = e; // (a volatile write before reading gen: see shootdown)
                long g = e.gen;
                h.mmu.setSatp(e.satp());
                if (e.tlbGen[c.id] != g) {
                    h.mmu.flushAsid(e.asid);
                    e.tlbGen[c.id] = g;
                }
                c.tlbGen = g;
            }
            h.clearReservation();
            long before = h.instret;
            t = h.run(k.machine.clock().budget());
            k.machine.clock().retired(h.instret - before);
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

    /** The timer (xv6's clockintr): on a new tick, EV_TICK for all and EXOSCHED_WAITs end. */
    void clockIntr() {
        long now = k.machine.clock().ticks();
        if (now <= ticks) return;
        ticks = now;
        k.events.tick();
    }

    // ---- idling ----

    /**
     * Nothing to run on this CPU. When no CPU runs anything the machine is idle and CPU 0
     * brings the next event; other CPUs wait for work. Called and returns with the lock held.
     */
    private void idle(Cpu c) throws InterruptedException {
        idleCpus++;
        try {
            if (c.id == 0 && idleCpus == k.cpus.length && noneRunnable()) machineIdle();
            else work.await(20, TimeUnit.MILLISECONDS);
        } finally {
            idleCpus--;
        }
    }

    private boolean noneRunnable() {
        for (Env e : k.envs.values()) if (e.cpu != null || runnable(e)) return false;
        return true;
    }

    /** True if e's current activation would run once woken: it is what its thread executes, and the thread may run. */
    private static boolean wouldRun(Env e) {
        Env root = e.root();
        return !e.exited && !e.stopped && !root.stopped && root.cpuCaps > 0 && root.innermost() == e;
    }

    /**
     * Every environment is blocked, stopped or exited. What can wake one: console input, or
     * time. With a batch console, a line of the script is "typed" when an environment waits
     * for input (so runs are deterministic); otherwise time moves to the next tick if an
     * environment waits for one; otherwise nothing can ever happen again and the machine
     * halts. With a terminal, wait for a key or the next tick. Lock held.
     */
    private void machineIdle() throws InterruptedException {
        boolean reader = false;
        boolean timer = false;
        for (Env e : k.envs.values()) {
            if (!wouldRun(e)) continue;
            if ((e.cur.blockMask & EV_CONSOLE) != 0) reader = true;
            if ((e.cur.blockMask & EV_TICK) != 0) timer = true;
        }
        Console console = k.machine.console();
        if (!console.interactive() && (reader || !timer)) {
            byte[] line;
            k.lock.unlock();
            try {
                line = console.nextLine();
            } finally {
                k.lock.lock();
            }
            if (line != null) {
                k.devices.consoleInput(line);
                return;
            }
            if (!timer) {
                k.stop(0);
                return;
            }
        }
        if (timer) {
            long nanos = k.machine.clock().advanceTo(ticks + 1);
            if (nanos > 0) work.awaitNanos(nanos);
            else clockIntr();
            return;
        }
        work.await(100, TimeUnit.MILLISECONDS); // a terminal: wait for a key
    }
}
