package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.PageTable;
import xv6j.machine.PhysicalMemory;
import xv6j.machine.Trap;

/**
 * kernel-exo: an exokernel in the manner of Aegis and XOK. It multiplexes and protects the
 * machine's pages, disk blocks, CPU time, console and clock behind capabilities, and
 * implements no file, process, pid or path: library OSes build those in user space.
 *
 * <p>One lock guards all of it. No call ever waits inside the kernel, so there is no kernel
 * thread per environment: each hart runs {@link #cpuLoop} on a platform thread, which puts
 * an environment on the hart, runs it until it traps, handles the trap with the lock held,
 * and repeats (docs/exo.md explains why). Blocking only takes an environment off the run
 * queue; a protected control transfer switches the hart to the callee at once.
 *
 * <p>Other harts may be running user code while the lock holder changes page tables or
 * environments. Two rules keep that safe: a change that removes a translation bumps the
 * address space's generation and waits ({@link #shootdown}) until no hart still runs with
 * a TLB filled before it; a change to an environment on another hart first takes it off
 * that hart ({@link #steal}), whose trap is then discarded (its instruction simply runs
 * again later).
 */
public final class Exokernel {
    /** Live environment records (exited ones included until forgotten). */
    static final int MAX_ENVS = 1024;
    /** Revocation notices kept per environment; past that, one -1 says some were lost. */
    static final int MAX_NOTICES = 64;

    final Machine machine;
    final PhysicalMemory mem;
    final Pages pages;
    final ReentrantLock lock = new ReentrantLock(true);
    /** Signalled when something may have become runnable, or the machine halts. */
    private final Condition work = lock.newCondition();
    final TreeMap<Integer, Env> envs = new TreeMap<>();
    private int nextId = 1;
    /** ASIDs of live environments (Sv39 has 16 bits of them; at most MAX_ENVS live). */
    final java.util.BitSet asids = new java.util.BitSet();
    /** Ticks the environments have seen. */
    long ticks;
    final ConsoleInput input = new ConsoleInput();
    final Syscalls sys;
    final Cpu[] cpus;
    private final ThreadLocal<Cpu> currentCpu = new ThreadLocal<>();
    /** Environments whose translations were removed during the current operation. */
    private final Set<Env> shot = new LinkedHashSet<>();
    /** Every block transfer, when auditing (tests): the checker proves each was allowed. */
    List<DiskAccess> audit;
    /** Disk transfers before auditing started. */
    long auditBase;
    /** Messages to the console are also kept here when not null (tests). */
    List<String> messages;
    /** Run {@link Invariants} after every kernel entry, and panic if one is broken (tests). */
    private boolean checkEveryStep;
    private int idleCpus;
    private volatile boolean halted;
    private int status;

    /** One block transfer and the capability that allowed it, as it was then. */
    record DiskAccess(int envId, Cap cap, int handle, boolean heldThen, long block, boolean write) {}

    public Exokernel(Machine machine) {
        this.machine = machine;
        this.mem = machine.mem();
        this.pages = new Pages(mem);
        this.sys = new Syscalls(this);
        Hart[] harts = machine.harts();
        this.cpus = new Cpu[harts.length];
        for (int i = 0; i < harts.length; i++) cpus[i] = new Cpu(i, harts[i]);
    }

    // ---- environments ----

    /** A new stopped environment with an empty address space and table, or null (no memory, too many). */
    Env createEnv(int parentId) {
        if (envs.size() >= MAX_ENVS) return null;
        int id = nextId;
        long root = pages.allocTable(id);
        if (root == 0) return null;
        nextId++;
        int asid = asids.nextClearBit(0);
        asids.set(asid);
        Env e = new Env(id, parentId, root, asid, cpus.length);
        e.pt = new PageTable(mem, () -> {
            long pa = pages.allocTable(e.id);
            if (pa != 0) e.ptPages++;
            return pa;
        });
        envs.put(id, e);
        return e;
    }

    /**
     * Creates the first environment with the boot handles of exo.h, each CAP_ALL: all of
     * RAM to allocate from, the whole disk, the console, the clock and the CPU. It is
     * stopped and has nothing mapped: the boot loader fills it in and starts it.
     */
    public Env createBootEnv() {
        lock.lock();
        try {
            Env e = createEnv(0);
            if (e == null) throw new IllegalStateException("no memory for the first environment");
            insertCap(e, CAP_MEMORY, CAP_ALL, pages.basePpn, pages.npages, null, null);
            insertCap(e, CAP_BLOCKS, CAP_ALL, 0, machine.disk().blocks(), null, null);
            insertCap(e, CAP_CONSOLE, CAP_ALL, 0, 1, null, null);
            insertCap(e, CAP_CLOCK, CAP_ALL, 0, 1, null, null);
            insertCap(e, CAP_CPU, CAP_ALL, 0, 1, null, null);
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Destroys e with an exit status: unwinds the protected control transfers it takes part
     * in (its caller's call fails with E_DEAD), frees every capability it holds (and so its
     * mappings; what others derived from them stays), and its page-table pages. It lingers,
     * EXITED, while a capability names it. msg, if not null, goes to the console.
     */
    void destroy(Env e, int status, String msg) {
        if (e.exited) return;
        if (msg != null) printf("%s%n", msg);
        Env root = e.root();
        steal(root.innermost());
        if (e.callee != null) abandon(e.callee);
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
        for (Cap c : e.caps.all()) freeCap(c);
        if (!e.mappings.isEmpty()) throw new IllegalStateException(e + " still has mappings after losing its capabilities");
        List<Long> tables = new ArrayList<>();
        e.pt.forEachTablePage(e.pagetable, tables::add);
        for (long pa : tables) pages.freeTable(pa);
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
        if (parent != null && !parent.exited) raise(parent, EV_CHILD);
        if (caller != null) serveWaiters(caller);
        maybeForget(e);
        kick();
    }

    /** Forgets an exited environment once no capability names it. */
    private void maybeForget(Env e) {
        if (e.exited && e.refs == 0) envs.remove(e.id);
    }

    // ---- capabilities ----

    /** Puts a new capability in owner's table (which must have room) under the lowest free handle. */
    Cap insertCap(Env owner, int type, int rights, long first, long count, Env target, Cap parent) {
        int h = owner.caps.nextHandle();
        if (h < 0) throw new IllegalStateException("insertCap: table full");
        Cap c = new Cap(type, rights, first, count, target, owner, h);
        owner.caps.put(c);
        if (parent != null) {
            c.parent = parent;
            parent.children.add(c);
        }
        switch (type) {
            case CAP_PAGE -> pages.capRef(first);
            case CAP_ENV -> {
                target.refs++;
                owner.envCaps.merge(target, 1, Integer::sum);
            }
            case CAP_CPU -> {
                if ((rights & CAP_X) != 0) {
                    owner.cpuCaps++;
                    kick();
                }
            }
            default -> {}
        }
        return c;
    }

    /**
     * Takes a capability out of its table with everything bound through it: mappings (and
     * then perhaps the page), the callers waiting through it. Tree links to its children
     * are the caller's business. With notice, the owner is told (revocation).
     */
    private void removeCap(Cap c, boolean notice) {
        c.live = false;
        Env owner = c.owner;
        owner.caps.remove(c);
        if (c.parent != null) {
            c.parent.children.remove(c);
            c.parent = null;
        }
        switch (c.type) {
            case CAP_PAGE -> {
                for (Mapping m : c.mappings) clearPte(m);
                c.mappings.clear();
                pages.capUnref(c.first);
            }
            case CAP_ENV -> {
                Env t = c.target;
                t.refs--;
                if (owner.envCaps.merge(t, -1, Integer::sum) == 0) owner.envCaps.remove(t);
                if (owner.waitCap == c) {
                    // A call waiting through it is a pending transfer made through it: it fails.
                    owner.waitingOn.waiters.remove(owner);
                    owner.waitingOn = null;
                    owner.waitCap = null;
                    owner.cur.regs.x[A0] = E_BADCAP;
                    kick();
                }
                maybeForget(t);
            }
            case CAP_CPU -> {
                if ((c.rights & CAP_X) != 0 && --owner.cpuCaps == 0) {
                    Env running = owner.innermost();
                    if (running.cpu != null) running.cpu.hart.requestInterrupt();
                }
            }
            default -> {}
        }
        if (notice) notice(owner, c.handle);
    }

    /** capfree: removes c; what was derived from it is now derived from its parent. */
    void freeCap(Cap c) {
        Cap parent = c.parent;
        for (Cap child : c.children) {
            child.parent = parent;
            if (parent != null) parent.children.add(child);
        }
        c.children.clear();
        removeCap(c, false);
    }

    /** caprevoke: removes everything derived from c, transitively; returns how many. */
    int revoke(Cap c) {
        List<Cap> doomed = new ArrayList<>();
        ArrayDeque<Cap> todo = new ArrayDeque<>(c.children);
        while (!todo.isEmpty()) {
            Cap d = todo.poll();
            doomed.add(d);
            todo.addAll(d.children);
        }
        for (Cap d : doomed) {
            d.children.clear();
            removeCap(d, true);
        }
        return doomed.size();
    }

    /** Queues a revocation notice for e (bounded), with EV_NOTICE and perhaps an upcall. */
    private void notice(Env e, int handle) {
        if (e.exited) return;
        if (e.notices.size() < MAX_NOTICES - 1) e.notices.add(handle);
        else if (e.notices.size() == MAX_NOTICES - 1) e.notices.add(-1);
        if ((e.upcallMask & UPCALL_NOTICE) != 0) e.noticeUpcallDue = true;
        raise(e, EV_NOTICE);
    }

    // ---- secure bindings ----

    /** Maps page (one of target's capabilities) at va; replaces an older mapping. */
    long map(Env target, long va, Cap page, int perm) {
        long ptePa = target.pt.walk(target.pagetable, va, true);
        if (ptePa == 0) return E_NOMEM;
        Mapping old = target.mappings.get(va);
        if (old != null) {
            old.cap().mappings.remove(old);
            clearPte(old);
        }
        long flags = PageTable.PTE_V | PageTable.PTE_U | PageTable.PTE_A;
        if ((perm & MAP_R) != 0) flags |= PageTable.PTE_R;
        if ((perm & MAP_W) != 0) flags |= PageTable.PTE_W | PageTable.PTE_D;
        if ((perm & MAP_X) != 0) flags |= PageTable.PTE_X;
        mem.store64(ptePa, PageTable.pa2pte(Pages.pa(page.first)) | flags);
        Mapping m = new Mapping(target, va, page);
        target.mappings.put(va, m);
        page.mappings.add(m);
        pages.mapRefs[pages.index(page.first)]++;
        return 0;
    }

    void unmap(Env target, long va) {
        Mapping m = target.mappings.get(va);
        if (m == null) return;
        m.cap().mappings.remove(m);
        clearPte(m);
    }

    /** Removes a mapping's entry and record (not from its capability's list). */
    private void clearPte(Mapping m) {
        Env e = m.env();
        long ptePa = e.pt.walk(e.pagetable, m.va(), false);
        if (ptePa == 0 || (mem.load64(ptePa) & PageTable.PTE_V) == 0)
            throw new IllegalStateException("mapping without a page-table entry: " + e + " va 0x" + Long.toHexString(m.va()));
        mem.store64(ptePa, 0);
        e.mappings.remove(m.va());
        pages.mapRefs[pages.index(m.cap().first)]--;
        long before = e.gen;
        e.gen++;
        shot.add(e);
        // This CPU's own hart (idle now: we hold the lock on its thread) drops just the one
        // entry (sfence.vma va, asid), so a space that unmaps its own pages does not lose
        // its whole TLB; other CPUs flush the space when they next run it.
        Cpu me = currentCpu.get();
        if (me != null) {
            me.hart.mmu.flush(m.va(), e.asid);
            if (e.tlbGen[me.id] == before) e.tlbGen[me.id] = e.gen;
        }
    }

    /**
     * Waits until no other hart runs an address space that lost translations in this
     * operation with a TLB filled before that (it flushes when it next enters user mode:
     * see runUser). Called before the lock is released after every operation.
     */
    void shootdown() {
        if (shot.isEmpty()) return;
        Cpu me = currentCpu.get();
        for (Env e : shot) {
            for (Cpu c : cpus) {
                if (c != me && c.tlbEnv == e && c.userPhase) {
                    c.hart.requestInterrupt();
                    waitOffHart(c);
                }
            }
        }
        shot.clear();
    }

    private static void waitOffHart(Cpu c) {
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

    // ---- protected control transfer ----

    static boolean busy(Env s) {
        return s.caller != null || s.callee != null;
    }

    /** Starts c's call into s (which is free): s's own activation is saved, the call's begins at its entry. */
    void startCall(Env c, Env s) {
        steal(s);
        Activation a = new Activation();
        a.regs.copyFrom(s.cur.regs);
        a.regs.pc = s.pctEntry;
        a.regs.x[SP] = s.pctStack & -16L;
        a.regs.x[A0] = c.id;
        System.arraycopy(c.cur.regs.x, A1, a.regs.x, A1, 6);
        s.own = s.cur;
        s.cur = a;
        s.caller = c;
        c.callee = s;
        kick();
    }

    /** Ends s's call: the caller gets a0 = 0 and s's a1..a6; s's own activation comes back. */
    void endCall(Env s) {
        Env c = s.caller;
        Regs cr = c.cur.regs;
        cr.x[A0] = 0;
        System.arraycopy(s.cur.regs.x, A1, cr.x, A1, 6);
        s.cur = s.own;
        s.own = null;
        s.caller = null;
        c.callee = null;
        raise(s, EV_PCT);
        serveWaiters(s);
        serveWaiters(c);
    }

    /** The caller of t's call is gone: t's call activation is dropped and its own one resumes. */
    private void abandon(Env t) {
        if (t.callee != null) abandon(t.callee);
        steal(t);
        t.cur = t.own;
        t.own = null;
        if (t.caller != null) t.caller.callee = null;
        t.caller = null;
        tryWake(t, t.cur);
        serveWaiters(t);
    }

    /** If s is free and callers wait, starts the first one's call. */
    void serveWaiters(Env s) {
        while (!s.exited && !busy(s) && !s.waiters.isEmpty()) {
            Env w = s.waiters.poll();
            w.waitingOn = null;
            w.waitCap = null;
            if (!Syscalls.accepts(s, w)) {
                w.cur.regs.x[A0] = E_REFUSED;
                kick();
                continue;
            }
            startCall(w, s);
        }
    }

    // ---- events ----

    /** An event for e: kept pending, and wakes e's current activation if it waits for it. */
    void raise(Env e, int ev) {
        e.events |= ev;
        tryWake(e, e.cur);
    }

    /** Wakes a BLOCKed activation of e if an event it waits for is pending; returns true if so. */
    boolean tryWake(Env e, Activation a) {
        if (a == null || a.blockMask == 0) return false;
        int got = e.events & a.blockMask;
        if ((a.blockMask & EV_CONSOLE) != 0 && input.available() > 0) got |= EV_CONSOLE;
        if (got == 0) return false;
        e.events &= ~got;
        a.regs.x[A0] = got;
        a.blockMask = 0;
        kick();
        return true;
    }

    /** Wakes every activation sleeping on physical word pa (EXOSCHED_WAKE); returns how many. */
    int wake(long pa) {
        int n = 0;
        for (Env e : envs.values()) {
            for (Activation a : new Activation[] {e.cur, e.own}) {
                if (a != null && a.waitPa == pa) {
                    a.waitPa = -1;
                    n++;
                }
            }
        }
        if (n > 0) kick();
        return n;
    }

    /** Bytes typed (or a line of the batch script): raw, for exo_cons_read. */
    void consoleInput(byte[] b) {
        for (byte x : b) input.add(x);
        for (Env e : envs.values()) if (!e.exited) tryWake(e, e.cur);
    }

    /** The timer (xv6's clockintr): on a new tick, EV_TICK for all and EXOSCHED_WAITs end. */
    void clockIntr() {
        long now = machine.clock().ticks();
        if (now <= ticks) return;
        ticks = now;
        for (Env e : envs.values()) {
            if (e.exited) continue;
            if (e.own != null) e.own.waitPa = -1;
            e.cur.waitPa = -1;
            raise(e, EV_TICK);
        }
        kick();
    }

    // ---- user memory ----

    /** The physical address of user address va in e if mapped with all of pteBits, else -1. */
    long translate(Env e, long va, long pteBits) {
        long pte = e.pt.lookup(e.pagetable, va & -PageTable.PGSIZE);
        if ((pte & (PageTable.PTE_V | PageTable.PTE_U | pteBits)) != (PageTable.PTE_V | PageTable.PTE_U | pteBits))
            return -1;
        return PageTable.pte2pa(pte) + (va & (PageTable.PGSIZE - 1));
    }

    /** True if [va, va+len) is all mapped in e with pteBits. */
    boolean accessible(Env e, long va, long len, long pteBits) {
        if (len < 0 || va < 0 || va + len < va || va + len > EXO_UTOP) return false;
        for (long p = va & -PageTable.PGSIZE; p < va + len; p += PageTable.PGSIZE) {
            if (translate(e, p, pteBits) < 0) return false;
        }
        return true;
    }

    /** Copies len bytes from e's memory at va, or returns null if any of it is not readable. */
    byte[] copyIn(Env e, long va, int len) {
        if (!accessible(e, va, len, PageTable.PTE_R)) return null;
        byte[] out = new byte[len];
        int off = 0;
        while (off < len) {
            long a = va + off;
            int n = (int) Math.min(len - off, PageTable.PGSIZE - (a & (PageTable.PGSIZE - 1)));
            mem.read(translate(e, a, PageTable.PTE_R), out, off, n);
            off += n;
        }
        return out;
    }

    /** Copies b to e's memory at va, all or nothing: false if any of it is not writable. */
    boolean copyOut(Env e, long va, byte[] b) {
        if (!accessible(e, va, b.length, PageTable.PTE_W)) return false;
        int off = 0;
        while (off < b.length) {
            long a = va + off;
            int n = (int) Math.min(b.length - off, PageTable.PGSIZE - (a & (PageTable.PGSIZE - 1)));
            mem.write(translate(e, a, PageTable.PTE_W), b, off, n);
            off += n;
        }
        return true;
    }

    // ---- devices ----

    /**
     * Moves one block between the disk and a page, recording it when auditing. A write
     * with force is durable when this returns; without, at the disk's next force.
     */
    void blockIo(Env e, Cap blocks, long blockno, Cap page, long off, boolean write, boolean force) {
        Disk d = machine.disk();
        byte[] buf = new byte[EXO_BSIZE];
        long pa = Pages.pa(page.first) + off;
        if (audit != null)
            audit.add(new DiskAccess(e.id, blocks, blocks.handle, e.caps.get(blocks.handle) == blocks, blockno, write));
        if (write) {
            mem.read(pa, buf, 0, EXO_BSIZE);
            d.write((int) blockno, buf);
            if (force) d.force();
        } else {
            d.read((int) blockno, buf);
            mem.write(pa, buf, 0, EXO_BSIZE);
        }
    }

    void printf(String format, Object... args) {
        String s = String.format(format, args);
        if (messages != null) messages.add(s.strip());
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        Console c = machine.console();
        c.write(b, 0, b.length);
        c.flush();
    }

    // ---- upcalls ----

    /**
     * Pushes a struct exo_frame of e's current registers on its upcall stack and points e at
     * its handler. If the stack is not writable, e is destroyed; returns false then.
     */
    boolean upcall(Env e, int kind, long cause, long tval) {
        Activation a = e.cur;
        long frame = (e.upcallStack - FRAME_SIZE) & -16L;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(FRAME_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(a.regs.encode()).putLong(kind).putLong(cause).putLong(tval);
        if (frame < 0 || !copyOut(e, frame, b.array())) {
            destroy(e, -1, String.format("exo: env %d: upcall stack 0x%x is not writable (upcall for cause %d at pc 0x%x, address 0x%x): destroyed",
                    e.id, e.upcallStack, cause, a.regs.pc, tval));
            return false;
        }
        a.inHandler = true;
        a.regs.pc = e.upcallHandler;
        a.regs.x[SP] = frame;
        a.regs.x[A0] = frame;
        return true;
    }

    /** A fault of e's current activation: its fault handler, or death with a one-line message. */
    void fault(Env e, Trap t) {
        if ((e.upcallMask & UPCALL_FAULT) != 0 && !e.cur.inHandler) {
            upcall(e, UPCALL_FAULT, t.cause().code, t.tval());
            return;
        }
        destroy(e, -1, String.format("exo: env %d: %s at pc 0x%x, address 0x%x%s: destroyed", e.id,
                t.cause().describe(), t.pc(), t.tval(), e.cur.inHandler ? " in its fault handler" : ""));
    }

    /** Starts recording every block transfer, for {@link Invariants} (tests). */
    public void startAudit() {
        lock.lock();
        try {
            audit = new ArrayList<>();
            auditBase = machine.disk().reads() + machine.disk().writes();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes every kernel entry (system call, fault, timer) end with a check of every
     * invariant; a broken one panics the machine with the list. Slow: for tests.
     */
    public void checkInvariantsAfterEveryStep(boolean on) {
        lock.lock();
        try {
            checkEveryStep = on;
        } finally {
            lock.unlock();
        }
    }

    private void check() {
        List<String> bad = Invariants.checkLocked(this);
        if (!bad.isEmpty()) throw new IllegalStateException("invariants broken:\n  " + String.join("\n  ", bad));
    }

    // ---- the test-facing system-call entry ----

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
            shootdown();
            return e.cur.regs.x[A0];
        } finally {
            lock.unlock();
        }
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

    // ---- scheduling ----

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
        for (Env e : envs.tailMap(c.lastPicked, false).values()) if (runnable(e)) return pickFound(c, e);
        for (Env e : envs.headMap(c.lastPicked, true).values()) if (runnable(e)) return pickFound(c, e);
        return null;
    }

    private static Env pickFound(Cpu c, Env e) {
        c.lastPicked = e.id;
        return e;
    }

    void kick() {
        work.signalAll();
    }

    /** Boots: runs the CPUs until the machine halts; returns the status (0 for a clean halt). */
    public int run() throws InterruptedException {
        Console console = machine.console();
        console.onQuit(() -> halt(0));
        Thread[] threads = new Thread[cpus.length];
        for (Cpu c : cpus) {
            threads[c.id] = Thread.ofPlatform().name("exo-cpu" + c.id).start(() -> {
                try {
                    cpuLoop(c);
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
                    else consoleInput(new byte[] {(byte) ch});
                } finally {
                    lock.unlock();
                }
            });
        } else {
            console.startLines();
        }
        for (Thread t : threads) t.join();
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
            if (!halted) status = code;
            halted = true;
            for (Cpu c : cpus) c.hart.requestInterrupt();
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A broken kernel invariant: message and machine state on the console, status 1. */
    private void panic(Throwable t) {
        StringBuilder sb = new StringBuilder("\nexo panic: ").append(t).append('\n');
        for (StackTraceElement el : t.getStackTrace()) {
            if (el.getClassName().startsWith("xv6j.")) sb.append("    at ").append(el).append('\n');
        }
        for (Cpu c : cpus) {
            sb.append(String.format("cpu%d: pc=0x%x", c.id, c.hart.pc));
            if (c.root != null) sb.append(" thread of env ").append(c.root.id);
            sb.append('\n');
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        machine.console().write(b, 0, b.length);
        machine.console().flush();
        lock.lock();
        try {
            status = 1;
            halted = true;
            for (Cpu c : cpus) c.hart.requestInterrupt();
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A hart's life: pick a thread, run its innermost environment, handle the trap, repeat. */
    private void cpuLoop(Cpu c) throws InterruptedException {
        currentCpu.set(c);
        lock.lock();
        try {
            while (!halted) {
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
                        upcall(e, UPCALL_NOTICE, 0, e.notices.peek());
                        shootdown();
                        if (checkEveryStep) check();
                        continue;
                    }
                }
                Trap t = runUser(c, e);
                if (t == null) continue; // taken off the hart by another CPU
                switch (t.cause()) {
                    case ECALL -> sys.dispatch(e);
                    case TIMER_INTERRUPT -> {
                        clockIntr();
                        if (ticks >= root.sliceEnd) sliceEnd(c, root, e);
                    }
                    default -> fault(e, t);
                }
                shootdown();
                if (checkEveryStep) check();
            }
        } finally {
            c.root = null;
            work.signalAll();
            lock.unlock();
        }
    }

    /** The slice is over: a slice upcall and one grace tick if e asked for it, else preemption. */
    private void sliceEnd(Cpu c, Env root, Env e) {
        if (!root.sliceGrace && (e.upcallMask & UPCALL_SLICE) != 0 && !e.cur.inHandler) {
            if (upcall(e, UPCALL_SLICE, CAUSE_TIMER, 0)) {
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
        lock.unlock();
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
            t = h.run(machine.clock().budget());
            machine.clock().retired(h.instret - before);
            regs.save(h);
        } finally {
            c.userPhase = false;
            lock.lock();
        }
        if (e.cpu != c || e.epoch != epoch) return null;
        e.cpu = null;
        return t;
    }

    /**
     * Nothing to run on this CPU. When no CPU runs anything the machine is idle and CPU 0
     * brings the next event; other CPUs wait for work. Called and returns with the lock held.
     */
    private void idle(Cpu c) throws InterruptedException {
        idleCpus++;
        try {
            if (c.id == 0 && idleCpus == cpus.length && noneRunnable()) machineIdle();
            else work.await(20, TimeUnit.MILLISECONDS);
        } finally {
            idleCpus--;
        }
    }

    private boolean noneRunnable() {
        for (Env e : envs.values()) if (e.cpu != null || runnable(e)) return false;
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
        for (Env e : envs.values()) {
            if (!wouldRun(e)) continue;
            if ((e.cur.blockMask & EV_CONSOLE) != 0) reader = true;
            if ((e.cur.blockMask & EV_TICK) != 0) timer = true;
        }
        Console console = machine.console();
        if (!console.interactive() && (reader || !timer)) {
            byte[] line;
            lock.unlock();
            try {
                line = console.nextLine();
            } finally {
                lock.lock();
            }
            if (line != null) {
                consoleInput(line);
                return;
            }
            if (!timer) {
                halted = true;
                for (Cpu o : cpus) o.hart.requestInterrupt();
                work.signalAll();
                return;
            }
        }
        if (timer) {
            long nanos = machine.clock().advanceTo(ticks + 1);
            if (nanos > 0) work.awaitNanos(nanos);
            else clockIntr();
            return;
        }
        work.await(100, TimeUnit.MILLISECONDS); // a terminal: wait for a key
    }

    /** The CPU handling the current system call, or null (tests); its thread may be told to yield. */
    Cpu currentCpu() {
        return currentCpu.get();
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
