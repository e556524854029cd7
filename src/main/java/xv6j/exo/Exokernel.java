package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Console;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.PanicReport;
import xv6j.machine.PhysicalMemory;

/**
 * kernel-exo: an exokernel in the manner of Aegis and XOK. It multiplexes and protects the
 * machine's pages, disk blocks, CPU time, console and clock behind capabilities, and
 * implements no file, process, pid or path: library OSes build those in user space.
 *
 * <p>This class wires the concepts of the Aegis paper together, one class each, as the
 * xv6 kernel has one per subsystem: {@link Environments}, {@link Capabilities} (and
 * their revocation), {@link SecureBindings}, {@link ProtectedControlTransfer},
 * {@link Upcalls}, {@link Events}, the {@link Scheduler} (the per-hart loop, time, idling),
 * {@link Devices}, and the {@link Syscalls} that reach them. One lock guards all of it;
 * harts run user code without it (docs/exo.md says why).
 */
public final class Exokernel {
    final Machine machine;
    final PhysicalMemory mem;
    final ReentrantLock lock = new ReentrantLock(true);
    final Cpu[] cpus;
    final Pages pages;
    /** The quota of all of RAM: the first environment's memory, and so every quota's ancestor. */
    final Quota ram;
    final UserMemory umem;
    final Devices devices;
    final Events events;
    final Scheduler sched;
    final Environments envs;
    final Capabilities caps;
    final SecureBindings bindings;
    final ProtectedControlTransfer pct;
    final Upcalls upcalls;
    final Syscalls sys;
    final Trace trace;

    /** Run {@link Invariants} after every this many kernel entries (0: never), and panic if one is broken (tests). */
    private long checkEvery;
    private long entries;
    private volatile boolean halted;
    /** Prints the first panic: the machine's state printed once, however many harts fail. */
    private final PanicReport panicReport;
    private int status;

    public Exokernel(Machine machine) {
        this.machine = machine;
        this.mem = machine.mem();
        Hart[] harts = machine.harts();
        this.cpus = new Cpu[harts.length];
        for (int i = 0; i < harts.length; i++) cpus[i] = new Cpu(i, harts[i]);
        this.pages = new Pages(mem);
        this.ram = new Quota(null, pages.npages);
        this.umem = new UserMemory(mem);
        this.devices = new Devices(this);
        this.events = new Events(this);
        this.sched = new Scheduler(this);
        this.envs = new Environments(this);
        this.caps = new Capabilities(this);
        this.bindings = new SecureBindings(this);
        this.pct = new ProtectedControlTransfer(this);
        this.upcalls = new Upcalls(this);
        this.sys = new Syscalls(this);
        this.trace = new Trace(this);
        this.panicReport = new PanicReport("exo panic", machine, i -> {
            Env root = cpus[i].root;
            return root == null ? "" : " thread of env " + root.id;
        });
    }

    /**
     * Creates the first environment with the boot handles of exo.h, each CAP_ALL: all of
     * RAM to allocate from, the whole disk, the console, the clock and the CPU. It is
     * stopped and has nothing mapped: the boot loader fills it in and starts it.
     */
    public Env createBootEnv() {
        lock.lock();
        try {
            Env e = envs.create(0, null);
            if (e == null || !envs.reserveRecords(e, 5)) throw new IllegalStateException("no memory for the first environment");
            caps.insert(e, CAP_MEMORY, CAP_ALL, pages.basePpn, pages.npages, null, ram, null);
            caps.insert(e, CAP_BLOCKS, CAP_ALL, 0, machine.disk().blocks(), null, null, null);
            caps.insert(e, CAP_CONSOLE, CAP_ALL, 0, 1, null, null, null);
            caps.insert(e, CAP_CLOCK, CAP_ALL, 0, 1, null, null, null);
            caps.insert(e, CAP_CPU, CAP_ALL, 0, SLICE_MAX, null, null, null);
            return e;
        } finally {
            lock.unlock();
        }
    }

    // ---- running and halting ----

    /** Boots: runs the CPUs until the machine halts; returns the status (0 for a clean halt). */
    public int run() throws InterruptedException {
        Console console = machine.console();
        console.onQuit(() -> halt(0));
        console.attach(new View(this));
        Thread[] threads = new Thread[cpus.length];
        for (Cpu c : cpus) {
            threads[c.id] = Thread.ofPlatform().name("exo-cpu" + c.id).start(() -> {
                try {
                    sched.cpuLoop(c);
                } catch (Throwable t) {
                    panic(t);
                }
            });
        }
        if (console.interactive()) {
            console.startInterrupts(ch -> {
                lock.lock();
                try {
                    if (ch < 0) halt(0); // the terminal went away
                    else devices.keyTyped((byte) ch);
                } finally {
                    lock.unlock();
                }
            });
        } else {
            console.startLines();
        }
        for (Thread t : threads) t.join();
        console.stopInput();
        machine.disk().force();
        console.flush();
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the machine with a status: every CPU leaves its loop. */
    public void halt(int code) {
        lock.lock();
        try {
            stop(code);
        } finally {
            lock.unlock();
        }
    }

    /** halt, with the lock held. The first status given is the one run returns. */
    void stop(int code) {
        if (!halted) status = code;
        halted = true;
        sched.wakeAll();
    }

    boolean halted() {
        return halted;
    }

    /**
     * A broken kernel invariant: message and machine state on the console (the first
     * panic's only: {@link PanicReport}), status 1. Every panic halts the machine.
     */
    private void panic(Throwable t) {
        // Nothing kernel-exo says in a message of its own stands alone: every panic gets its frames.
        panicReport.report(t, false);
        lock.lock();
        try {
            status = 1;
            halted = true;
            sched.wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What every kernel entry ends with, before the lock is released: other harts leave
     * address spaces that lost translations, and (in tests) every invariant is checked.
     */
    void endOfOperation() {
        bindings.shootdown();
        sched.settle();
        if (checkEvery > 0 && ++entries % checkEvery == 0) {
            List<String> bad = Invariants.checkLocked(this);
            if (!bad.isEmpty()) throw new IllegalStateException("invariants broken:\n  " + String.join("\n  ", bad));
        }
    }

    // ---- for tests and the launcher ----

    /**
     * Makes every kernel entry (system call, fault, timer) end with a check of every
     * invariant; a broken one panics the machine with the list. Slow: for tests.
     */
    public void checkInvariantsAfterEveryStep(boolean on) {
        checkInvariantsEvery(on ? 1 : 0);
    }

    /** As {@link #checkInvariantsAfterEveryStep}, after every n-th kernel entry (0: never): for long runs. */
    public void checkInvariantsEvery(long n) {
        lock.lock();
        try {
            checkEvery = n;
        } finally {
            lock.unlock();
        }
    }

    /** Starts recording every block transfer, for {@link Invariants} (tests). */
    public void startAudit() {
        lock.lock();
        try {
            devices.startAudit();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes env e execute system call num with a0.. = args, as if its hart had trapped on an
     * ecall at e's pc, and returns e's a0 afterwards. For tests: no user code runs.
     */
    public long invoke(Env e, int num, long... args) {
        lock.lock();
        try {
            if (e.exited) throw new IllegalStateException(e + " has exited");
            Regs r = e.cur.regs;
            for (int i = 0; i < args.length; i++) r.x[A0 + i] = args[i];
            r.x[A7] = num;
            sys.dispatch(e);
            bindings.shootdown();
            sched.settle();
            return e.cur.regs.x[A0];
        } finally {
            lock.unlock();
        }
    }

    /** What the kernel holds now, taken under its lock: a read-only copy (the monitor, tests, tools). */
    public Snapshot snapshot() {
        return Snapshot.take(this, 0, 0);
    }

    /** The environment with this id, if it is still known (tests, boot). */
    public Env env(int id) {
        lock.lock();
        try {
            return envs.get(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The kernel at this moment, read-only (the live view, tests), with [peekVa,
     * peekVa+peekLen) of every live environment's memory: see {@link Snapshot}.
     */
    public Snapshot snapshot(long peekVa, int peekLen) {
        return Snapshot.take(this, peekVa, peekLen);
    }

    /** Keeps a record of the kernel's last events from now on, for snapshots (the live view). */
    public void traceEvents() {
        lock.lock();
        try {
            trace.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Kernel crossings so far, by system call number (exo_sysnum.h; a batch counts once):
     * how many times user code trapped into the kernel for each call (tests, measurements).
     */
    public long[] crossings() {
        lock.lock();
        try {
            return sys.crossings.clone();
        } finally {
            lock.unlock();
        }
    }

    /** Free physical pages (tests). */
    public int freePages() {
        lock.lock();
        try {
            return pages.freeCount();
        } finally {
            lock.unlock();
        }
    }
}
