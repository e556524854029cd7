package xv6j.kernel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.PanicReport;
import xv6j.machine.Printable;

/**
 * The xv6 kernel: all its subsystems, wired to one machine. What xv6 keeps in global
 * variables lives here, so several kernels (say, in one test JVM) never share state.
 *
 * <p>{@link #run} boots: a scheduler thread per hart, the first process (which runs
 * /init), console input; then it waits until the machine halts and returns the status.
 */
public final class Kernel {
    private final Machine machine;

    final KAlloc kalloc;
    final Vm vm;
    final ProcTable procs;
    final Bio bio;
    final Log log;
    final FileSystem fs;
    final Itable itable;
    final Dir dir;
    final Namei namei;
    final FileTable files;
    final ConsoleDevice consoleDevice;
    final Exec exec;
    final Syscall syscalls;
    final UserTrap trap;
    private final Cpu[] cpus;
    final Pacer pacer;

    /** The tick count processes have seen (xv6's ticks), and what sleep() waits on. */
    private final ReentrantLock ticksLock = new ReentrantLock();
    private final Object ticksChan = new Object();
    private volatile long ticks;

    private final AtomicLong addressSpaces = new AtomicLong();

    private final Object haltLock = new Object();
    /** Prints the first panic: the machine's state printed once, however many harts fail. */
    private final PanicReport panicReport;
    private volatile boolean halting;
    private volatile boolean halted;
    private int status;

    public Kernel(Machine machine) {
        this.machine = machine;
        this.kalloc = new KAlloc(machine.mem());
        this.vm = new Vm(machine.mem(), kalloc);
        this.procs = new ProcTable(this);
        this.bio = new Bio(procs, machine.disk());
        this.log = new Log(this);
        this.fs = new FileSystem(this);
        this.itable = new Itable(this);
        this.dir = new Dir(this);
        this.namei = new Namei(this);
        this.files = new FileTable(this);
        this.consoleDevice = new ConsoleDevice(this, machine.console());
        this.files.devsw[Param.CONSOLE] = consoleDevice;
        this.exec = new Exec(this);
        this.syscalls = new Syscall(this);
        this.trap = new UserTrap(this);
        Hart[] harts = machine.harts();
        this.cpus = new Cpu[harts.length];
        for (int i = 0; i < harts.length; i++) cpus[i] = new Cpu(i, harts[i]);
        this.pacer = Pacer.of(this, cpus, machine.clock().deterministic());
        this.panicReport = new PanicReport("panic", machine, i -> {
            Proc p = cpus[i].proc;
            return p == null ? "" : String.format(" pid %d (%s) sz=0x%x", p.pid, Printable.of(p.name), p.sz);
        });
    }

    /** Boots, runs until the machine halts, and returns the exit status (0 for a clean halt). */
    public int run() throws InterruptedException {
        Console console = machine.console();
        console.onQuit(() -> halt(0));
        console.attach(new View(this));
        procs.userInit();
        Thread[] schedulers = new Thread[cpus.length];
        for (Cpu c : cpus) {
            schedulers[c.id] = Thread.ofPlatform().name("cpu" + c.id).daemon().start(() -> {
                try {
                    procs.scheduler(c);
                } catch (Throwable t) {
                    panic(t);
                }
            });
        }
        if (console.interactive()) console.startInterrupts(consoleDevice::intr);
        else console.startLines();

        for (Thread t : schedulers) t.join();
        console.stopInput();
        machine.disk().force();
        console.flush();
        synchronized (haltLock) {
            return status;
        }
    }

    // ---- halting ----

    /**
     * Asks the machine to stop: no new file-system calls start, calls in progress finish,
     * and the schedulers stop once the log is quiet, so the image is consistent.
     */
    void halt(int code) {
        synchronized (haltLock) {
            if (!halting) status = code;
            halting = true;
        }
        log.close();
        procs.kick();
    }

    boolean halting() {
        return halting;
    }

    /** True once the schedulers should stop: halting, and no transaction in progress. */
    boolean halted() {
        if (!halted && halting && log.quiet()) halted = true;
        return halted;
    }

    /**
     * A broken invariant (xv6's panic): print the message and the machine's state, and
     * stop the machine with status 1. The disk is left as the log left it.
     */
    void panic(Throwable t) {
        // A panic of xv6's says all in its message; anything else gets its Java frames.
        panicReport.report(t, t instanceof KernelPanic);
        synchronized (haltLock) {
            status = 1;
            halting = true;
            halted = true;
        }
        procs.kick();
    }

    // ---- time ----

    long ticks() {
        return ticks;
    }

    Object ticksChannel() {
        return ticksChan;
    }

    ReentrantLock ticksLock() {
        return ticksLock;
    }

    /** The timer interrupt (xv6's clockintr): catch up with the clock and wake sleepers. */
    void clockIntr() {
        long now = machine.clock().ticks();
        if (now == ticks) return;
        boolean moved = false;
        ticksLock.lock();
        try {
            if (now > ticks) {
                ticks = now;
                procs.wakeup(ticksChan);
                moved = true;
            }
        } finally {
            ticksLock.unlock();
        }
        if (moved) procs.scriptTick();
    }

    // ---- odds and ends ----

    Clock clock() {
        return machine.clock();
    }

    Console console() {
        return machine.console();
    }

    Disk disk() {
        return machine.disk();
    }

    int ncpu() {
        return cpus.length;
    }

    Cpu cpu(int id) {
        return cpus[id];
    }

    long newAddressSpace() {
        return addressSpaces.incrementAndGet();
    }

    /** Kernel messages go to the console, as xv6's printf. */
    void printf(String format, Object... args) {
        byte[] b = String.format(format, args).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        machine.console().write(b, 0, b.length);
        machine.console().flush();
    }

    /** The kernel at this moment, read-only (the live view, tests): see {@link Snapshot}. */
    public Snapshot snapshot() {
        return Snapshot.take(this);
    }

    Machine machine() {
        return machine;
    }

    /** Free physical pages (tests, the monitor). */
    public int freePages() {
        return kalloc.freePages();
    }

    /** Physical pages of the machine's memory. */
    int totalPages() {
        return machine.mem().pages();
    }
}
