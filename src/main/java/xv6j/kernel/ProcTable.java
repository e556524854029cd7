package xv6j.kernel;

import static xv6j.kernel.ProcState.RUNNABLE;
import static xv6j.kernel.ProcState.RUNNING;
import static xv6j.kernel.ProcState.SLEEPING;
import static xv6j.kernel.ProcState.UNUSED;
import static xv6j.kernel.ProcState.USED;
import static xv6j.kernel.ProcState.ZOMBIE;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.fs.Fs;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Printable;

/**
 * The process table and the scheduler, as xv6's proc.c.
 *
 * <p>One lock protects every process's state, chan, killed, xstate, pid and parent (as
 * xv6-x86's ptable.lock did). A scheduler thread per CPU picks RUNNABLE processes in
 * round-robin order and hands each its CPU; a process gives the CPU back by {@link #sched}
 * (from {@link #yield}, {@link #sleep} or {@link #exit}). Handing over is a pair of
 * semaphores, so exactly one thread runs per CPU, and with one CPU the whole kernel
 * runs one step at a time in a fixed order: that is what makes deterministic mode
 * deterministic.
 */
public final class ProcTable {
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a process becomes RUNNABLE or the machine should stop: wakes idle CPUs. */
    private final Condition work = lock.newCondition();
    /** The CPUs whose schedulers wait for work in {@link #idle}, where {@link #wakeIdleCpus} wakes them. */
    private final List<Cpu> waitingForWork = new ArrayList<>();

    private final Kernel k;
    final Proc[] proc = new Proc[Param.NPROC];
    private final ThreadLocal<Proc> current = new ThreadLocal<>();
    /** Where the search for the next pid starts (see {@link #newPid}); 1..Integer.MAX_VALUE. */
    int nextPid = 1;
    private Proc initProc;
    /** CPUs that found nothing to run. */
    private int idleCpus;
    /**
     * Starts the processes' kernel threads (virtual threads). A thread started on its own
     * is tracked by the JVM for as long as it lives, and a process still asleep when the
     * machine halts never ends: it would keep this kernel, and the machine's memory, from
     * being collected. Threads of an executor are tracked by the executor, which goes
     * with the kernel. (Never closed: close waits for its threads.)
     */
    private final Executor threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

    ProcTable(Kernel k) {
        this.k = k;
        for (int i = 0; i < proc.length; i++) proc[i] = new Proc(i);
    }

    /** The process whose kernel thread is running this code, or null (scheduler, boot). */
    public Proc myProc() {
        return current.get();
    }

    /**
     * Finds an UNUSED slot and makes it USED with a fresh pid and an empty page table.
     * Returns null if there is no free slot or no memory.
     */
    private Proc allocProc() {
        Proc p = null;
        lock.lock();
        try {
            for (Proc q : proc) {
                if (q.state == UNUSED) {
                    p = q;
                    break;
                }
            }
            if (p == null) return null;
            p.pid = newPid();
            p.state = USED;
        } finally {
            lock.unlock();
        }
        p.pagetable = k.vm.uvmCreate();
        if (p.pagetable == 0) {
            freeProc(p);
            return null;
        }
        p.addressSpace = k.newAddressSpace();
        p.trapframe.clear();
        return p;
    }

    /**
     * A pid no process has (a zombie's included) and no group is named by: positive, from
     * 1 up to Integer.MAX_VALUE and round again. It was a count, which after 2^31 forks
     * went negative, and after 2^32 reached 0, which fork returns to the child: the parent
     * would have taken itself for its child. A group outlives its leader's pid; a new
     * process given that pid would lead the group of the orphans left in it, and its ^C
     * or kill -g would reach them (Unix's rule, the same). NPROC slots, each naming at
     * most a pid and a group, so at most 2 * NPROC steps. Lock held.
     */
    private int newPid() {
        int pid = nextPid;
        while (pidInUse(pid)) pid = pid == Integer.MAX_VALUE ? 1 : pid + 1;
        nextPid = pid == Integer.MAX_VALUE ? 1 : pid + 1;
        return pid;
    }

    private boolean pidInUse(int pid) {
        for (Proc q : proc) if (q.state != UNUSED && (q.pid == pid || q.pgid == pid)) return true;
        return false;
    }

    /** Frees a process slot and everything it holds in memory. */
    private void freeProc(Proc p) {
        if (p.pagetable != 0) k.vm.uvmFree(p.pagetable, p.sz, p.lazyFrom);
        p.pagetable = 0;
        p.sz = 0;
        p.lazyFrom = Riscv.MAXVA;
        p.pid = 0;
        p.parent = null;
        p.forker = 0;
        p.pgid = 0;
        p.name = "";
        p.chan = null;
        p.killed = false;
        p.xstate = 0;
        p.thread = null;
        p.cpu = null;
        p.baton.drainPermits();
        p.state = UNUSED;
    }

    /** Starts a RUNNABLE process's kernel thread, which waits to be scheduled. */
    private void startThread(Proc p, boolean first) {
        threads.execute(() -> {
            p.thread = Thread.currentThread();
            p.thread.setName("pid " + p.pid);
            procMain(p, first);
        });
    }

    /** The first process: runs /init (exec'd by the kernel in its first moment, see forkRet). */
    void userInit() {
        Proc p = allocProc();
        if (p == null) throw new KernelPanic("userinit: no memory");
        initProc = p;
        p.pgid = p.pid; // the first group; every process is in it until one leaves
        p.name = "initcode";
        lock.lock();
        try {
            p.state = RUNNABLE;
            wakeIdleCpus();
        } finally {
            lock.unlock();
        }
        startThread(p, true);
    }

    /** The body of every process's kernel thread. */
    private void procMain(Proc p, boolean first) {
        current.set(p);
        p.baton.acquireUninterruptibly(); // wait for a scheduler to pick us
        try {
            forkRet(p, first);
            k.trap.userLoop(p);
        } catch (ProcExited e) {
            // exit() gave the CPU back; this thread has nothing left to do.
        } catch (Throwable t) {
            k.panic(t);
            // Give the CPU back, so its scheduler sees the machine has halted.
            while (lock.isHeldByCurrentThread()) lock.unlock();
            if (p.cpu != null) p.cpu.baton.release();
        }
    }

    /** A new process's first moment in the kernel (xv6's forkret). */
    private void forkRet(Proc p, boolean first) {
        if (first) {
            // File-system initialisation sleeps (it takes sleep-locks), so it must run in a
            // process, as in xv6.
            k.fs.init(p);
            p.cwd = k.namei.namei(p, "/");
            int argc = k.exec.exec(p, "/init", new String[] {"init"});
            if (argc < 0) noInit(p);
            p.trapframe.x[TrapFrame.A0] = argc;
        }
    }

    /**
     * /init cannot run: the image's fault, not the kernel's (a stale image make kept, one
     * cut or overwritten, another system's). The user is told what to do in one line, and
     * the machine halts with status 1; xv6's "panic: init: exec /init failed", with the
     * harts' state, told a user nothing. The first process never runs again.
     */
    private void noInit(Proc p) {
        k.log.beginOp(p);
        Inode ip = k.namei.namei(p, "/init");
        String why = "has no /init";
        if (ip != null) {
            k.itable.ilock(p, ip);
            why = ip.type == Fs.T_FILE ? "has an /init the xv6 kernel cannot load (not a RISC-V program linked for it)"
                    : "has an /init that is not a file";
            k.itable.iunlockput(p, ip);
        }
        k.log.endOp(p);
        k.printf("xv6: %s %s; %s%n", k.disk().path(), why, Disk.remake(k.disk().path()));
        k.halt(1);
        k.procs.yield(p);
        throw new KernelPanic("init: exec /init failed"); // (never: a halting machine runs no one)
    }

    /** Grows or shrinks user memory by n bytes (sbrk). Returns false if out of memory. */
    boolean growProc(Proc p, long n) {
        long sz = p.sz;
        if (n > 0) {
            if (sz + n > Riscv.MAXVA || sz + n < sz) return false;
            sz = k.vm.uvmAlloc(p.pagetable, sz, sz + n, Riscv.PTE_W);
            if (sz == 0) return false;
        } else if (n < 0) {
            // Shrinking below 0 leaves the size as it is and succeeds, as in xv6 (whose
            // uvmdealloc gets a wrapped, larger new size); its usertests count on it.
            if (sz + n < 0) return true;
            sz = k.vm.uvmDealloc(p.pagetable, sz, sz + n, p.lazyFrom);
            if (Riscv.pgRoundUp(sz) <= p.lazyFrom) p.lazyFrom = Riscv.MAXVA;   // no lazy page left
            // Mappings are gone: every hart that ran p may still hold them in its TLB, not
            // only this one, so p's page table becomes a new address space, which every
            // hart flushes for before running it.
            p.addressSpace = k.newAddressSpace();
        }
        p.sz = sz;
        return true;
    }

    /** Creates a child copying p. Returns the child's pid, or -1. */
    int fork(Proc p) {
        Proc np = allocProc();
        if (np == null) return -1;
        if (!k.vm.uvmCopy(p.pagetable, np.pagetable, p.sz, p.lazyFrom)) {
            lock.lock();
            try {
                freeProc(np);
            } finally {
                lock.unlock();
            }
            return -1;
        }
        np.sz = p.sz;
        np.lazyFrom = p.lazyFrom;
        np.trapframe.copyFrom(p.trapframe);
        np.trapframe.x[TrapFrame.A0] = 0; // fork returns 0 in the child
        for (int i = 0; i < Param.NOFILE; i++) {
            if (p.ofile[i] != null) np.ofile[i] = k.files.fileDup(p.ofile[i]);
        }
        np.cwd = k.itable.idup(p.cwd);
        np.name = p.name;
        int pid = np.pid;
        lock.lock();
        try {
            np.parent = p;
            np.forker = p.pid;
            np.pgid = p.pgid;
            // A kill that reached p while it forked reaches the child too: until now the
            // child had no parent, so ^C's walk over p's descendants could not find it, and
            // it would have outlived its parent as init's (a fork bomb's survivor). From
            // here on, the walk finds it.
            if (p.killed) np.killed = true;
            np.state = RUNNABLE;
            wakeIdleCpus();
        } finally {
            lock.unlock();
        }
        startThread(np, false);
        return pid;
    }

    /** Gives p's children to init. Caller holds lock. */
    private void reparent(Proc p) {
        for (Proc pp : proc) {
            if (pp.parent == p) {
                pp.parent = initProc;
                wakeup1(initProc);
            }
        }
    }

    /**
     * Ends the current process: it stays a ZOMBIE until its parent waits. Does not return:
     * the thread unwinds with {@link ProcExited} once the CPU is given back.
     */
    void exit(Proc p, int status) {
        if (p == initProc) throw new KernelPanic("init exiting");
        for (int fd = 0; fd < Param.NOFILE; fd++) {
            if (p.ofile[fd] != null) {
                File f = p.ofile[fd];
                p.ofile[fd] = null;
                k.files.fileClose(p, f);
            }
        }
        k.log.beginOp(p);
        k.itable.iput(p, p.cwd);
        k.log.endOp(p);
        p.cwd = null;

        lock.lock();
        reparent(p);
        wakeup1(p.parent); // the parent might be sleeping in wait()
        p.xstate = status;
        p.state = ZOMBIE;
        switchAway(p); // for good
        throw new ProcExited();
    }

    /** Thrown through a process's kernel thread after exit() has given up its CPU. */
    static final class ProcExited extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProcExited() {
            super(null, null, false, false);
        }
    }

    /**
     * Waits for a child to exit; copies its status to user address addr unless addr is 0.
     * Returns its pid, or -1 if p has no children, was killed, or addr is bad.
     */
    int waitChild(Proc p, long addr) {
        lock.lock();
        try {
            for (;;) {
                boolean haveKids = false;
                for (Proc pp : proc) {
                    if (pp.parent != p) continue;
                    haveKids = true;
                    if (pp.state == ZOMBIE) {
                        int pid = pp.pid;
                        if (addr != 0 && !copyOutInt(p, addr, pp.xstate)) return -1;
                        freeProc(pp);
                        p.listenedAt = p.ticksRun;
                        return pid;
                    }
                }
                if (!haveKids || p.killed) return -1;
                sleep(p, p, lock);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean copyOutInt(Proc p, long addr, int v) {
        byte[] b = {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
        return k.vm.copyOut(p, addr, b, 0, 4);
    }

    /**
     * Marks the process with this pid killed; it exits at its next kernel entry or exit.
     * init cannot be killed (-1): it must outlive every orphan, and its exit is a panic.
     */
    int kill(int pid) {
        lock.lock();
        try {
            for (Proc p : proc) {
                if (p.pid == pid && p.state != UNUSED) {
                    if (p == initProc) return -1;
                    p.killed = true;
                    if (p.state == SLEEPING) {
                        p.state = RUNNABLE;
                        wakeIdleCpus();
                    } else if (p.state == RUNNING && p.cpu != null) {
                        p.cpu.hart.requestInterrupt(); // make it notice now, not at the next tick
                    }
                    return 0;
                }
            }
            return -1;
        } finally {
            lock.unlock();
        }
    }

    void setKilled(Proc p) {
        lock.lock();
        try {
            p.killed = true;
        } finally {
            lock.unlock();
        }
    }

    boolean killed(Proc p) {
        lock.lock();
        try {
            return p.killed;
        } finally {
            lock.unlock();
        }
    }

    // ---- giving up the CPU ----

    /**
     * Gives up the CPU (xv6's sched). The caller holds lock and has already changed
     * p.state; lock is held again on return, when a scheduler has picked p again (perhaps
     * on another CPU).
     */
    private void sched(Proc p) {
        if (!lock.isHeldByCurrentThread()) throw new KernelPanic("sched: lock not held");
        if (lock.getHoldCount() != 1) throw new KernelPanic("sched: locks");
        if (p.state == RUNNING) throw new KernelPanic("sched: running");
        switchAway(p);
        p.baton.acquireUninterruptibly();
        lock.lock();
    }

    /**
     * Hands p's CPU to the next RUNNABLE process, chosen as the CPU's scheduler would
     * choose it, or back to the scheduler when there is none. xv6 always switches to the
     * scheduler, which then switches to the next process; switching straight to it saves
     * a thread hand-over per context switch and decides exactly the same. Releases lock.
     */
    private void switchAway(Proc p) {
        Cpu c = p.cpu;
        Proc next = k.halting() ? null : pickRunnable(c);
        if (next != null) {
            run(c, next);
            lock.unlock();
            next.baton.release();
        } else {
            c.proc = null;
            k.pacer.idle(c);
            lock.unlock();
            c.baton.release();
        }
    }

    /** The next RUNNABLE process in round-robin order after the last one c ran, or null. Lock held. */
    private Proc pickRunnable(Cpu c) {
        for (int i = 0; i < proc.length; i++) {
            Proc q = proc[(c.nextSlot + i) % proc.length];
            if (q.state == RUNNABLE) return q;
        }
        return null;
    }

    /** Makes p the process running on c. Lock held. */
    private void run(Cpu c, Proc p) {
        c.nextSlot = (p.slot + 1) % proc.length;
        p.state = RUNNING;
        p.cpu = c;
        c.proc = p;
        p.sliceStart = k.ticks();
    }

    /** Gives up the CPU for one scheduling round. */
    void yield(Proc p) {
        lock.lock();
        try {
            p.state = RUNNABLE;
            wakeIdleCpus();
            sched(p);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Atomically releases lk and sleeps on chan; reacquires lk when woken. lk may be the
     * process table's own lock.
     */
    public void sleep(Proc p, Object chan, ReentrantLock lk) {
        sleep(p, chan, lk, false);
    }

    /**
     * sleep for a wait that a kill ends (a pipe, the console, sleep(n)): returns false at
     * once, without sleeping, if p has been killed. The caller's own look at killed is not
     * enough: a kill between that look and the sleep finds p not yet SLEEPING, so nothing
     * would wake it (a writer blocked on a full pipe whose killer then waits for it with
     * the read end open would wait for ever). Here the look is under the table's lock, as
     * kill's change is.
     */
    boolean sleepUnlessKilled(Proc p, Object chan, ReentrantLock lk) {
        return sleep(p, chan, lk, true);
    }

    private boolean sleep(Proc p, Object chan, ReentrantLock lk, boolean unlessKilled) {
        if (p == null) throw new KernelPanic("sleep outside a process");
        if (lk != lock) {
            lock.lock();
            lk.unlock();
        }
        boolean slept = !(unlessKilled && p.killed);
        if (slept) {
            p.chan = chan;
            p.untilKilled = unlessKilled;
            p.state = SLEEPING;
            sched(p);
            p.chan = null;
        }
        if (lk != lock) {
            lock.unlock();
            lk.lock();
        }
        return slept;
    }

    /** Wakes every process sleeping on chan. Must not be called with lock held by a sleeper-to-be. */
    public void wakeup(Object chan) {
        lock.lock();
        try {
            wakeup1(chan);
        } finally {
            lock.unlock();
        }
    }

    /** wakeup with lock held. */
    private void wakeup1(Object chan) {
        boolean any = false;
        for (Proc p : proc) {
            if (p.state == SLEEPING && p.chan == chan) {
                p.state = RUNNABLE;
                any = true;
            }
        }
        if (any) wakeIdleCpus();
    }

    // ---- the scheduler ----

    /**
     * Each CPU's scheduler loop (xv6's scheduler()): run RUNNABLE processes in turn until
     * the machine halts. An idle CPU asks the kernel for the next event (input, a tick).
     * Processes pass the CPU among themselves ({@link #switchAway}); the CPU comes back
     * here when none is runnable.
     */
    void scheduler(Cpu c) {
        k.pacer.start(c);
        lock.lock();
        try {
            while (!k.halted()) {
                Proc p = pickRunnable(c);
                if (p == null) {
                    idle(c);
                    continue;
                }
                run(c, p);
                k.pacer.busy(c);
                lock.unlock();
                p.baton.release();          // swtch to p ...
                c.baton.acquireUninterruptibly(); // ... until no process wants this CPU
                lock.lock();
            }
        } finally {
            work.signalAll(); // the other CPUs stop too
            k.pacer.stop();
            lock.unlock();
        }
    }

    /**
     * Nothing to run on this CPU. When no CPU runs anything, the machine is idle and CPU 0
     * brings the next event; other CPUs wait for work. When the CPUs take turns, the one
     * whose turn it is brings the event, and the others' turns pass. Called and returns
     * with lock held.
     */
    private void idle(Cpu c) {
        k.pacer.idle(c); // (it may have been woken for a process another CPU took)
        idleCpus++;
        waitingForWork.add(c);
        try {
            if (k.pacer instanceof Turns turns) {
                if (noneRunnable()) {
                    machineIdle();
                } else {
                    lock.unlock();
                    try {
                        turns.pass(c);
                    } finally {
                        lock.lock();
                    }
                }
            } else if (c.id == 0 && idleCpus == k.ncpu() && noneRunnable()) {
                machineIdle();
            } else {
                work.await(20, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            k.halt(0);
        } finally {
            waitingForWork.remove(c);
            idleCpus--;
        }
    }

    /**
     * A process may have become runnable: every CPU waiting for work looks. Each is busy
     * from now, for the pacer, not from when its scheduler's thread runs: the host may not
     * run it for milliseconds, and a CPU woken for init must hold back a hart forking
     * orphans meanwhile (issue 11). One that finds nothing goes idle again. Lock held.
     */
    private void wakeIdleCpus() {
        for (Cpu c : waitingForWork) k.pacer.busy(c);
        work.signalAll();
    }

    /** Whether some process waits for a CPU. */
    boolean anyRunnable() {
        lock.lock();
        try {
            for (Proc p : proc) if (p.state == RUNNABLE) return true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean noneRunnable() {
        for (Proc p : proc) if (p.state == RUNNING || p.state == RUNNABLE) return false;
        return true;
    }

    /**
     * Every process sleeps. What can wake one: console input, or time passing. With a batch
     * console, a line of the script is "typed" when a process waits to read one; otherwise
     * time moves to the next tick if a process waits for time; otherwise nothing can ever
     * happen again, and the machine halts (the script is done). With a terminal, wait for
     * a key or the next tick. Lock held.
     */
    private void machineIdle() throws InterruptedException {
        String deadlock = deadlock();
        if (!deadlock.isEmpty()) {
            // Not even a halt could end it: a halt waits for the log to be quiet.
            k.panic(new KernelPanic("deadlock:" + deadlock));
            return;
        }
        boolean reader = false;
        boolean timer = false;
        for (Proc p : proc) {
            if (p.state != SLEEPING) continue;
            if (p.chan == k.consoleDevice.readChannel()) reader = true;
            if (p.chan == k.ticksChannel()) timer = true;
        }
        if (!k.console().interactive() && (reader || !timer)) {
            byte[] line;
            lock.unlock();
            try {
                synchronized (script) {
                    line = k.console().lineForIdleMachine(timer, k.clock().deterministic());
                    if (line != null) k.consoleDevice.intr(line);
                }
            } finally {
                lock.lock();
            }
            if (line != null) return;
            if (!timer) {
                // With a process waiting for input, the script ends as a terminal closing
                // would (those waiting on that process, as `cat | wc`'s wc, wait for it).
                // Without one, a process asleep on anything but a child waits for
                // something no process will ever do: a lost wake-up, or a pipe its own
                // side holds open. Say who and what, and do not call it a clean end.
                String stuck = reader ? "" : stuck();
                if (stuck.isEmpty()) {
                    k.halt(0);
                } else {
                    k.printf("kernel: the script is done and nothing can wake%s\n", stuck);
                    k.halt(1);
                }
                return;
            }
        }
        if (timer) {
            long target = k.ticks() + 1;
            long nanos = k.clock().advanceTo(target);
            if (nanos > 0) {
                work.awaitNanos(nanos);
                return;
            }
            lock.unlock();
            try {
                k.clockIntr();
            } finally {
                lock.lock();
            }
            return;
        }
        work.await(100, TimeUnit.MILLISECONDS); // a terminal: wait for a key
    }

    /** Held while a line of the script is taken and typed, so that two never cross. */
    private final Object script = new Object();

    /**
     * A tick, with a batch console: the script's next line is also typed, while other
     * processes run, for a process that has waited for it long enough
     * (Console.lineForWaitingReader), as a user types at the prompt while a background job
     * computes (before, `spin &` held the script's next line until it ended).
     */
    void scriptTick() {
        Console c = k.console();
        if (c.interactive() || c.ended()) return;
        synchronized (script) {
            boolean reader = false;
            lock.lock();
            try {
                for (Proc p : proc) reader |= p.state == SLEEPING && p.chan == k.consoleDevice.readChannel();
            } finally {
                lock.unlock();
            }
            try {
                byte[] line = c.lineForWaitingReader(reader, k.machine().instructionsRetired(), k.clock().deterministic());
                if (line != null) k.consoleDevice.intr(line);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The sleepers that wait for something other than a child or a line of input, as
     * " pid 7 (fsrace) waiting for pipe read,..." ("" if none): with every process asleep,
     * these wait for ever. Lock held.
     */
    private String stuck() {
        StringBuilder sb = new StringBuilder();
        for (Proc p : proc) {
            if (p.state != SLEEPING || p.chan == p || p.chan == k.consoleDevice.readChannel()) continue;
            waiter(sb, p, Snapshot.waitsOn(k, p));
        }
        return sb.toString();
    }

    /** Adds " pid 7 (ls) waiting for what" to a list of sleepers (", " after the first). */
    private static void waiter(StringBuilder sb, Proc p, String what) {
        sb.append(sb.isEmpty() ? " " : ", ").append("pid ").append(p.pid).append(" (").append(Printable.of(p.name)).append(") waiting for ").append(what);
    }

    /**
     * With every process asleep, the sleepers on a sleep-lock, as " pid 7 (ls) waiting for
     * sleeplock inode held by pid 6 (rm), ..." ("" if none). Disk I/O is synchronous, so a
     * sleep-lock is only ever held for a while by a process that runs: at idle its holder
     * is asleep too, and neither will ever run again (a deadlock in the kernel, a bug). So
     * is the log's holder: a process in a transaction sleeps only on a sleep-lock, so
     * those waiting for the log are named too, when one of them is there. Lock held.
     */
    private String deadlock() {
        StringBuilder sb = new StringBuilder();
        for (Proc p : proc) {
            if (p.state != SLEEPING || !(p.chan instanceof SleepLock s)) continue;
            Proc h = s.holder();
            waiter(sb, p, s + " held by " + (h == null || h.state == UNUSED ? "no process" : "pid " + h.pid + " (" + Printable.of(h.name) + ")"));
        }
        if (sb.isEmpty()) return "";
        for (Proc p : proc) {
            if (p.state == SLEEPING && p.chan == k.log) waiter(sb, p, "the log");
        }
        return sb.toString();
    }

    /** Wakes idle CPUs (a process became runnable outside the table, or the machine halts). */
    void kick() {
        lock.lock();
        try {
            wakeIdleCpus();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Prints a process listing to the console (^P), as xv6's procdump, but with each name
     * {@link Printable}: xv6 prints p->name raw, trusting a debugging aid's reader to
     * cope; here a name holding ESC sequences could drive the user's terminal.
     */
    void procDump(StringBuilder out) {
        lock.lock();
        try {
            out.append('\n');
            for (Proc p : proc) {
                if (p.state == UNUSED) continue;
                String st = switch (p.state) {
                    case USED -> "used";
                    case SLEEPING -> "sleep ";
                    case RUNNABLE -> "runble";
                    case RUNNING -> "run   ";
                    case ZOMBIE -> "zombie";
                    case UNUSED -> "unused";
                };
                out.append(p.pid).append(' ').append(st).append(' ').append(Printable.of(p.name)).append('\n');
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * ^C at the console: kills the foreground of the process with this pid in slot p: every
     * live descendant of p, and every other live process in p's group (an orphan of the
     * command p ran: `forktest bomb orphans`), never p itself, its ancestors (the shells
     * below it) or init. All at once, under the lock, so none can fork a survivor
     * meanwhile (a child being forked gets its parent's kill, see fork). Returns how many
     * live descendants p has (those killed before included): 0 when p has gone, or waits
     * for nothing, as a shell at its prompt does, whatever orphans of its group it had.
     */
    int interrupt(Proc p, int pid) {
        lock.lock();
        try {
            if (p.pid != pid || p.state == UNUSED || p.state == ZOMBIE) return 0;
            java.util.List<Integer> pids = new java.util.ArrayList<>();
            int descendants = 0;
            for (Proc q : proc) {
                if (q.state == UNUSED || q.state == ZOMBIE || q == initProc || q == p) continue;
                if (ancestor(p, q)) {
                    pids.add(q.pid);
                    descendants++;
                } else if (q.pgid == p.pgid && !ancestor(q, p)) {
                    pids.add(q.pid);
                }
            }
            for (int d : pids) kill(d); // the lock is reentrant; killing twice is harmless
            return descendants;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The console's way out (the monitor's kill -g and killall, as Linux's SysRq e): kills
     * every live process but init whose group is pgid, or every live process but init when
     * pgid is 0, all under the lock, so none forks a survivor meanwhile (a child being
     * forked gets its parent's kill). No program escapes it: setpgid and orphaning change
     * the group and the parent, neither of which killall looks at. init then reaps the
     * orphans and, when the shell was among them, starts a new one. Returns how many.
     */
    int killGroup(int pgid) {
        lock.lock();
        try {
            int n = 0;
            for (Proc q : proc) {
                if (q.state == UNUSED || q.state == ZOMBIE || q == initProc || (pgid != 0 && q.pgid != pgid)) continue;
                kill(q.pid);
                n++;
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Whether pid is init's (which no kill reaches). */
    boolean isInit(int pid) {
        lock.lock();
        try {
            return initProc != null && initProc.pid == pid;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a is one of q's ancestors, by the parents of now. Lock held. */
    private static boolean ancestor(Proc a, Proc q) {
        for (Proc b = q.parent; b != null; b = b.parent) if (b == a) return true;
        return false;
    }

    /**
     * setpgid(pid, pgid), as Unix's without sessions: puts the process pid (0: the caller),
     * which must be the caller or one of its children, in the group pgid (0: pid's own),
     * which must be pid itself (a new group, led by it), the group it is in already, or a
     * group the caller or a live child of the caller is in, never init's. Unix confines the
     * groups one may join to the caller's session; here the caller's family stands for it:
     * a shell leads a group, starts a command in a group of its own, and (with job control)
     * puts a pipeline's later processes in its first one's, and needs nothing else. init's
     * group holds whatever left no group of its own. init stays in its group. 0, or -1.
     * (Unix also refuses a child that has exec'd; this does not: the shell and its child
     * both set the child's group, so either may be first.)
     */
    int setpgid(Proc caller, int pid, int pgid) {
        lock.lock();
        try {
            Proc t = pid == 0 ? caller : live(pid);
            if (t == null || (t != caller && t.parent != caller) || t == initProc || pgid < 0) return -1;
            if (pgid == 0) pgid = t.pid;
            if (pgid != t.pid && pgid != t.pgid && !mayJoin(caller, pgid)) return -1;
            t.pgid = pgid;
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** The live process pid, or null. Lock held. */
    private Proc live(int pid) {
        for (Proc q : proc) if (q.pid == pid && q.state != UNUSED && q.state != ZOMBIE) return q;
        return null;
    }

    /** Whether caller may put itself or a child in group pgid: not init's, and the caller or a live child of it is in it. Lock held. */
    private boolean mayJoin(Proc caller, int pgid) {
        if (initProc != null && pgid == initProc.pgid) return false;
        for (Proc q : proc)
            if (q.state != UNUSED && q.state != ZOMBIE && q.pgid == pgid && (q == caller || q.parent == caller)) return true;
        return false;
    }

    /** getpgrp(): the caller's group. */
    int getpgrp(Proc p) {
        lock.lock();
        try {
            return p.pgid;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a (with pid aPid, still that process) is alive and a descendant of b (with
     * pid bPid), by the parents of now: an orphan handed to init descends from init only.
     */
    boolean descends(Proc a, int aPid, Proc b, int bPid) {
        lock.lock();
        try {
            return alive(a, aPid) && alive(b, bPid) && ancestor(b, a);
        } finally {
            lock.unlock();
        }
    }

    /** Whether p is still the live process pid (a slot is reused). */
    boolean alive(Proc p, int pid) {
        lock.lock();
        try {
            return p.pid == pid && p.state != UNUSED && p.state != ZOMBIE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether p (with pid, still that process) lives as a shell does: asleep reading the
     * console (on chan readChan) or waiting for a child (wait sleeps on the process
     * itself, and only while a child lives), or on its way between the two, having
     * claimed the console, taken a line or seen a child end within the last grace ticks of
     * its own time. A process asleep in any other wait that only a kill ends (sleep(n), a
     * pipe) is no shell, however recently it listened: asleep it gains no time of its own,
     * so the grace alone would keep it a shell for as long as it sleeps (nor is one in
     * sleep(n) that a tick has up for a moment to look at the time). One in the
     * kernel's own short waits (a sleep-lock, the log) is judged by the grace, as a shell
     * running its cd may be there.
     */
    boolean readsOrWaits(Proc p, int pid, Object readChan, long grace) {
        lock.lock();
        try {
            if (p.pid != pid) return false;
            if (p.state == SLEEPING && (p.chan == readChan || p.chan == p)) return true;
            if (p.state == SLEEPING && p.untilKilled) return false;
            if (p.inSleepCall) return false; // woken by a tick, about to sleep again
            return p.ticksRun - p.listenedAt <= grace;
        } finally {
            lock.unlock();
        }
    }

    /** Whether p was forked by init (a shell init started, not an orphan it adopted). */
    boolean forkedByInit(Proc p) {
        lock.lock();
        try {
            return initProc != null && p.forker == initProc.pid;
        } finally {
            lock.unlock();
        }
    }

    /** Number of processes not UNUSED (tests, leak checks). */
    int countUsed() {
        lock.lock();
        try {
            int n = 0;
            for (Proc p : proc) if (p.state != UNUSED) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }
}
