package xv6j.machine;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.PageLink;
import xv6j.machine.jit.Region;
import xv6j.machine.jit.Translator;

/**
 * A RISC-V RV64GC hart running user-mode code. The kernel (Java) plays supervisor mode:
 * it loads a process's registers into the hart, calls {@link #run}, and gets back a
 * {@link Trap} when the user code makes a system call, faults, or uses up its slice.
 *
 * <p>State is in plain fields and arrays so a kernel can save and restore it by copying
 * and generated code can use it directly.
 *
 * <p>How it runs: instructions are decoded once per physical page into {@link Decoded}
 * words kept in {@link PhysicalMemory#decoded}. Two loops execute them. The inner one,
 * {@link #executePage}, runs a page's words straight through, following branches that
 * stay on the page, with loads and stores that hit the {@link Mmu}'s TLBs inline; it
 * makes no calls and raises no traps, so the JIT can keep its state in registers. It
 * stops before anything else: a jump off the page, an instruction not yet decoded, a
 * TLB miss (or a misaligned or page-crossing access), a rare instruction (atomics, CSRs,
 * floating-point arithmetic, halfword stores, fences, ecall) or the end of its budget. The outer one,
 * {@link #run}, translates pc, finds the decoded page, and does what the inner loop left
 * ({@link #step}), where calls cost nothing that matters. Traps are returned values;
 * nothing is thrown.
 *
 * <p>Code that turns hot is translated to JVM bytecode (package {@code xv6j.machine.jit})
 * and {@link #run} enters it where the translator marked a region's first instruction
 * ({@link Op#ENTER}); compiled code returns at an instruction boundary, exactly as the
 * interpreter would stand there. {@link #setEngine} chooses per hart whether it does:
 * a debugger sets {@link Engine#INTERPRETER} to see every instruction.
 *
 * <p>A debugger attaches with {@link #setDebugHook}: {@link #run} then hands it the run,
 * and it drives the hart through {@link #execute} (see {@link DebugHook}). Without one,
 * the only cost is reading that field once per run.
 */
public final class Hart {
    /** CSR numbers (Zicsr, Zicntr, F). */
    public static final int CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003,
            CSR_CYCLE = 0xC00, CSR_TIME = 0xC01, CSR_INSTRET = 0xC02;

    public final int id;
    public final PhysicalMemory mem;
    public final Mmu mmu;

    /** Integer registers; x[0] is always 0. */
    public final long[] x = new long[32];
    /** Floating-point registers as raw bits; a single is NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    public long pc;
    /** The fcsr CSR: frm in bits 7:5, the accrued exception flags (NV DZ OF UF NX) in bits 4:0. */
    public int fcsr;
    /**
     * The round-to-nearest-even environment compiled code's floating point runs in
     * ({@link FloatUnit#arithmetic}): one per hart, so an operation allocates nothing.
     */
    final SoftFloat nearestEven = new SoftFloat(Rounding.RNE);
    /** Instructions retired (the instret and cycle CSRs). */
    public long instret;
    /**
     * The software context, as the debug specification's Sdtrig extension has it (the
     * scontext CSR, which its triggers can match): the kernel writes the id of the process or
     * environment whose user code it is about to run. The hart never reads it; a debugger
     * does, to tell one task from another.
     */
    public long scontext;

    /**
     * What the hart must look at between chunks ({@link #INTERRUPT}, {@link #SHOOTDOWN}): one
     * volatile word, so the check costs one read however many reasons there are.
     */
    private volatile int attention;
    private static final int INTERRUPT = 1, SHOOTDOWN = 2;
    private static final VarHandle ATTENTION, ASKED;
    static {
        try {
            var l = java.lang.invoke.MethodHandles.lookup();
            ATTENTION = l.findVarHandle(Hart.class, "attention", int.class);
            ASKED = l.findVarHandle(Hart.class, "shootdownsAsked", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Shootdowns other harts asked of this one, and how many it has done (see {@link Reservations}). */
    private volatile long shootdownsAsked, shootdownsDone;
    /** True while {@link #execute} runs: only then must a shootdown wait for this hart. */
    private volatile boolean running;
    /** The time CSR, given the instructions retired so far in the current run. */
    private LongUnaryOperator time = inRun -> System.nanoTime() / 100; // 10 MHz, as QEMU's virt board

    // The LR reservation, kept by mem's Reservations under its lock: held (from LR to SC or
    // clearReservation; set and cleared only by this hart), valid (no store has broken it),
    // the ram index and size of the bytes reserved, and the value LR read.
    boolean reserved, reservationValid;
    int reservedIndex, reservedSize;
    long reservedValue;

    // A fault found by a slow path, for run to turn into a Trap.
    Trap.Cause faultCause;
    private long faultTval;

    /**
     * Where a page-crossing instruction runs: its decoded word in slot 0 and END elsewhere,
     * as if a page started at its pc, so whatever slot it jumps or falls through to
     * (relative to its own pc) leaves to the right pc.
     */
    private final long[] crossPage = new long[Decoded.PAGE_WORDS];

    // What executePage reads, as fields rather than locals: a deoptimization point then
    // needs only this, not a copy of each, which leaves the JIT registers to spare.
    // Compiled code (a Region, in this package) reads them too.
    final long[] ram;
    final Object[] decoded;
    final long[] loadTlb, storeTlb;
    /** The MMU's linear windows (see {@link LinearWindows}): compiled code's first try. */
    final LinearWindow loadData, loadStack, storeData, storeStack;

    /** How this hart runs code; read once per {@link #run}. */
    private volatile Engine engine = Engine.fromSystemProperty();
    /** The debugger attached, or null; read once per {@link #run}. */
    private volatile DebugHook debugHook;
    /** The translator shared by every hart on this memory. */
    private final Translator translator;

    public Hart(int id, PhysicalMemory mem) {
        this.id = id;
        this.mem = mem;
        this.mmu = new Mmu(mem);
        this.ram = mem.ram;
        this.decoded = mem.decoded;
        this.loadTlb = mmu.loadTlb;
        this.storeTlb = mmu.storeTlb;
        this.loadData = mmu.windows.loadData;
        this.loadStack = mmu.windows.loadStack;
        this.storeData = mmu.windows.storeData;
        this.storeStack = mmu.windows.storeStack;
        mmu.registers = x;
        this.translator = mem.translator;
        mem.attach(this);
        Arrays.fill(crossPage, Decoded.pack(Op.END, 0, 0, 0, 0, 0));
    }

    /**
     * Chooses how this hart runs code from its next {@link #run} on: {@link Engine#INTERPRETER}
     * forces interpretation (a debugger's breakpoints, single steps and watchpoints then see
     * every instruction); the others let it enter compiled code. Thread-safe.
     */
    public void setEngine(Engine engine) { this.engine = java.util.Objects.requireNonNull(engine); }

    public Engine engine() { return engine; }

    /** Attaches a debugger to this hart (null detaches it) from its next {@link #run} on. Thread-safe. */
    public void setDebugHook(DebugHook hook) { this.debugHook = hook; }

    /**
     * Thread-safe: makes a running {@link #run} return TIMER_INTERRUPT soon (within
     * {@link #CHUNK} instructions).
     */
    public void requestInterrupt() {
        ATTENTION.getAndBitwiseOr(this, INTERRUPT);
        DebugHook d = debugHook;
        if (d != null) d.interruptRequested(this);
    }

    /** Drops the LR/SC reservation (a kernel does this on every context switch). */
    public void clearReservation() {
        if (reserved) mem.reservations.release(this);
    }

    /**
     * Asks this hart to drop its store-TLB entries for pages {@link Reservations} marked;
     * returns the ticket {@link #shotDown} takes. Thread-safe.
     */
    long askShootdown() {
        long ticket = (long) ASKED.getAndAdd(this, 1L) + 1;
        ATTENTION.getAndBitwiseOr(this, SHOOTDOWN);
        return ticket;
    }

    /**
     * Whether the shootdown with this ticket is done, or need not be waited for: a hart
     * not in {@link #execute} does it before it next runs (execute's first look).
     */
    boolean shotDown(long ticket) {
        return shootdownsDone >= ticket || !running;
    }

    /** Does the shootdowns asked of this hart, if any; only on its own thread, between instructions. */
    void answerShootdown() {
        if ((attention & SHOOTDOWN) == 0) return;
        ATTENTION.getAndBitwiseAnd(this, ~SHOOTDOWN);
        long asked = shootdownsAsked;
        mmu.dropMarkedStoreEntries();
        shootdownsDone = asked;
    }

    /**
     * Sets what the time CSR (rdtime) reads. The function gets the instructions this hart
     * has retired in the current run, so a clock that counts instructions (deterministic
     * mode) can advance within a run, before the kernel accounts for it.
     */
    public void setTimeSource(LongUnaryOperator time) { this.time = time; }

    /** What the time CSR reads (see {@link #setTimeSource}). */
    public LongUnaryOperator timeSource() { return time; }

    /**
     * Instructions {@link #executePage} may run before {@link #run} looks again for an
     * interrupt request: bounds how long {@link #requestInterrupt} waits, while the inner
     * loop itself reads no volatile field.
     */
    static final int CHUNK = 1024;

    /**
     * Instructions compiled code may run before {@link #run} looks again for an interrupt
     * request: a region's loop checks nothing but its budget.
     */
    static final int JIT_CHUNK = 1 << 14;

    /** What executePage returns when a jump left the page for {@link #jumpTarget}. */
    private static final int LEFT_PAGE = Integer.MIN_VALUE;
    /**
     * Set by executePage and by compiled code when they return: the budget they left;
     * and where a jump off the page went (executePage) or why a region stopped ({@link Region#JUMP} ...).
     */
    int pageLeft;
    int jitExit;
    /** Set by a {@link PageLink} when it returns: the region that ran last, and the slot it was entered at. */
    Region jitRegion;
    int jitSlot;

    /** A {@link PageLink} took a hop from the region entered at slot to slot to: counted as {@link #run} counts its own. */
    void linkHop(int page, long[] words, int slot, int to) {
        translator.hopped(page, words, words[slot], slot, to, engine == Engine.EAGER);
    }

    /**
     * The memory's count of fence.i just after this hart's last one: a decoded page made
     * before it is made afresh before this hart runs it. Every store drops the decoded
     * page it writes, so pages made before it can be stale only where a page was made
     * while another hart stored into it (that store saw no page to drop, and the decoding
     * did not see the store yet). A page made after it, by any hart, read the count after
     * this hart moved it, so it decodes memory as this hart sees it at its fence.i. Only
     * the pages this hart runs are made again: a fence.i dropped every hart's decoded
     * and compiled code, and a loop of them (user/jitbait storm) slowed a translated
     * loop on another hart thirteenfold.
     */
    private long fencedAt;
    /** Where {@link #runAlone} left pc. */
    private long alonePc;
    private long jumpTarget;
    /**
     * The virtual address of the page (of slot 0) executePage runs. A field rather than a
     * local: the few instructions that need pc read it, and the loop's registers are left
     * to the values every instruction uses.
     */
    private long pageVa;

    /**
     * Runs user code from pc for at most budget instructions and returns why it stopped:
     * a synchronous exception (pc = the instruction, which has not retired and wrote
     * nothing), or TIMER_INTERRUPT (pc = the next instruction) when the budget is used up
     * or {@link #requestInterrupt} was called. Every trap drops the LR reservation.
     *
     * <p>This is the outer loop: it translates pc, finds the page's decoded words and lets
     * {@link #executePage} run them; what that leaves out (a first execution to decode, a
     * TLB miss, the rare instructions, every trap) is done here, where calls are cheap to
     * make because the hot loop is elsewhere.
     */
    public Trap run(long budget) {
        DebugHook d = debugHook;
        Trap t = d == null ? execute(budget) : d.run(this, budget);
        clearReservation();
        return t;
    }

    /**
     * Runs as {@link #run} does, but with no debugger in between, and keeps the LR
     * reservation when it returns: for a {@link DebugHook}, which may run one kernel run
     * as many calls of this (one instruction each, when it single-steps), and must not
     * break an LR/SC pair in two.
     */
    public Trap execute(long budget) {
        // Running: a shootdown now waits for this hart, which answers at every look at attention.
        running = true;
        try {
            return executeRunning(budget);
        } finally {
            running = false;
        }
    }

    private Trap executeRunning(long budget) {
        final Object[] decoded = mem.decoded;
        final long[] fetchTlb = mmu.fetchTlb;
        final long ctx = mmu.ctxKey;
        final Engine engine = this.engine;
        final Translator jit = engine == Engine.INTERPRETER ? null : translator;
        final boolean eager = engine == Engine.EAGER;
        // Whether Hart.run reports its hops for a page's link or nest (Translator.LINK, a
        // constant, is on when either flag is; off, only eager reports them).
        final boolean linking = Translator.LINK || eager;
        x[0] = 0;
        long pc = this.pc;
        long n = 0;
        // After compiled code stopped short of a block its budget did not cover, the
        // interpreter runs the rest of that budget: no region is entered before n gets here.
        long interpretTo = 0;
        Trap trap;
        loop:
        while (true) {
            if (n >= budget || attention != 0) {
                answerShootdown();
                if (n >= budget || (attention & INTERRUPT) != 0) {
                    ATTENTION.getAndBitwiseAnd(this, ~INTERRUPT);
                    trap = new Trap(Trap.Cause.TIMER_INTERRUPT, pc, 0);
                    break;
                }
            }
            int ti = ((int) (pc >>> 12) & Mmu.TLB_MASK) << 1;
            if (fetchTlb[ti] != ((pc & ~0xffeL) | ctx) && !fetchMiss(pc)) { // odd pc: always a miss
                trap = fault(pc);
                break;
            }
            final long pageVa = pc & ~0xfffL;
            final int base = (int) (pageVa + fetchTlb[ti + 1]);
            final int page = base >>> 12;
            long[] code = (long[]) decoded[page];
            if (code == null || code[Decoded.MADE_AT] < fencedAt) code = mem.newDecoded(page);
            int slot = (int) (pc & 0xfff) >>> 1;
            if (jit != null && n >= interpretTo) {
                long d = code[slot];
                if (Decoded.op(d) == Op.ENTER) {
                    Region r = jit.region(page, code, slot);
                    if (r != null) {
                        long from = n;
                        int chunk = (int) Math.min(budget - n, JIT_CHUNK);
                        int left = chunk;
                        int at = slot; // where r starts: slot (marked d), or one of its blocks after a chunk
                        boolean stuck = false;
                        while (true) {
                            int before = left;
                            PageLink link = linking && at == slot ? jit.link(page, code) : null;
                            if (link != null && link.marks[slot] == d) {
                                // The page's link takes the hops it can in compiled code, and says
                                // which region ran last, entered where (see PageLink).
                                pc = link.run(this, pageVa, page, slot, left);
                                r = jitRegion;
                                slot = jitSlot;
                                d = code[slot];
                            } else {
                                Region.prime(r, this, pageVa, page, at);
                                pc = r.run(this, pageVa, page, at, left);
                            }
                            left = pageLeft;
                            // A call that retired nothing and jumped must not be chained into again,
                            // or a region that cannot start at a marked slot would be called there
                            // for ever: the interpreter runs one instruction instead.
                            if (jitExit == Region.JUMP && left == before) {
                                stuck = true;
                                break;
                            }
                            if (jitExit == Region.BUDGET) {
                                // The chunk ran out, not the run's budget: on in the same region, from
                                // the block it stopped before, once interrupts are looked at. (Leaving
                                // would interpret to the next mark, and perhaps compile a region there.)
                                if (n + chunk >= budget || attention != 0 || decoded[page] != code) break;
                                n += chunk - left;
                                chunk = (int) Math.min(budget - n, JIT_CHUNK);
                                left = chunk;
                                at = (int) (pc & 0xfff) >>> 1;
                                continue;
                            }
                            if (jitExit != Region.JUMP || (pc & ~0xfffL) != pageVa) break;
                            int to = (int) (pc & 0xfff) >>> 1;
                            jit.hopped(page, code, d, slot, to, eager);
                            if (linking) jit.unlinked(page, code, eager);
                            // Elsewhere on the same page, still the same code: straight into the
                            // region marked there, within the same chunk of the budget.
                            if (left == 0 || decoded[page] != code || Decoded.op(d = code[to]) != Op.ENTER
                                    || (r = jit.region(page, code, to)) == null) break;
                            slot = at = to;
                        }
                        n += chunk - left;
                        jit.ran(page, n - from);
                        // The interpreter does what compiled code left: the instruction at
                        // pc (STEP), or the rest of a budget too short for the next block.
                        if (jitExit == Region.STEP || stuck) interpretTo = n + 1;
                        else if (jitExit == Region.BUDGET) interpretTo = n + pageLeft;
                        continue;
                    }
                } else if (jit.hot(page, eager) && jit.compile(page, code, slot, eager)) {
                    continue; // enter it
                }
            }
            int chunk = (int) Math.min(Math.min(budget - n, CHUNK), interpretTo > n ? interpretTo - n : CHUNK);
            int stop = executePage(code, slot, pageVa, chunk);
            n += chunk - pageLeft;
            if (jit != null) jit.interpreted(page, chunk - pageLeft);
            if (stop == LEFT_PAGE) {
                pc = jumpTarget;
                continue;
            }
            pc = pageVa + ((long) stop << 1);
            if (pageLeft == 0 || (stop & ~(Decoded.PAGE_SLOTS - 1)) != 0) continue; // out of budget, or off the page
            // The instruction at pc is one executePage leaves to us.
            long d = code[stop];
            switch (Decoded.op(d)) {
                case Op.DECODE -> code[stop] = Decoder.decodeAt(mem.ram, base + (stop << 1), stop == Decoded.PAGE_SLOTS - 1);
                case Op.CROSS -> {
                    long whole = crossFetch(pc, Decoded.imm(d));
                    if (whole < 0) {
                        trap = fault(pc);
                        break loop;
                    }
                    if ((trap = runAlone(Decoder.decode32((int) whole), pc, n)) != null) break loop;
                    n++;
                    pc = alonePc;
                }
                case Op.ENTER -> {
                    if (jit != null && n >= interpretTo) continue; // the loop enters the region
                    // Compiled code is not for now: run what the marked word stood for.
                    if ((trap = runAlone(translator.original(page, code, stop), pc, n)) != null) break loop;
                    n++;
                    pc = alonePc;
                }
                default -> {
                    // executePage stopped here at a slot it found undecoded, and another hart
                    // has decoded it since: an instruction of the hot loop's, for it to run.
                    if (!stepped(Decoded.op(d))) continue;
                    if ((trap = step(d, pc, n)) != null) break loop;
                    n++;
                    pc += 2L * Decoded.halfwords(d);
                }
            }
        }
        this.pc = pc;
        this.instret += n;
        return trap;
    }

    /**
     * Runs the one instruction d, at pc, from a page of its own whose slot 0 is at pc (see
     * {@link #crossPage}), so whatever slot it jumps or falls through to, relative to its
     * own pc, leaves to the right pc: for an instruction whose word is not on its page
     * (one that crosses pages, one under a region's entry mark).
     *
     * @return null when it retired, with {@link #alonePc} the next pc; else its trap
     */
    private Trap runAlone(long d, long pc, long retired) {
        crossPage[0] = d;
        int stop = executePage(crossPage, 0, pc, 1);
        if (stop == LEFT_PAGE) alonePc = jumpTarget;
        else if (pageLeft == 0) alonePc = pc + ((long) stop << 1);
        else {
            Trap t = step(d, pc, retired);
            if (t != null) return t;
            alonePc = pc + 2L * Decoded.halfwords(d);
        }
        return null;
    }

    /**
     * The interpreter's hot loop: executes the decoded words of one page from slot s on,
     * for at most budget instructions, following branches and jumps that stay on the page.
     * It makes no calls and raises no traps: an instruction it cannot finish alone (not yet
     * decoded, a TLB miss, anything rare) ends the loop before it runs, for {@link #run}
     * to do. That keeps this method small and its values in machine registers.
     *
     * @return the slot (relative to pageVa, perhaps off the page) of the next instruction,
     *         not yet run; or LEFT_PAGE after a jump elsewhere, to {@link #jumpTarget}.
     *         {@link #pageLeft} says how much of the budget is left.
     */
    private int executePage(long[] code, int s, long pageVa, int budget) {
        this.pageVa = pageVa;
        int left = budget;
        stop:
        for (; left > 0; left--) {
            final long d = code[s];
            final int rd = (int) (d >>> 10) & 31, rs1 = (int) (d >>> 15) & 31, rs2 = (int) (d >>> 20) & 31;
            final long imm = d >> 32;
            jump:
            {
                switch ((int) d & 0xff) {
                    case Op.NOP -> { }
                    case Op.LI, Op.LUI -> x[rd] = imm;
                    case Op.AUIPC -> x[rd] = this.pageVa + ((long) s << 1) + imm;
                    case Op.JAL -> {
                        x[rd] = this.pageVa + ((long) s << 1) + 4;
                        s += (int) (imm >> 1);
                        break jump;
                    }
                    case Op.J -> {
                        s += (int) (imm >> 1);
                        break jump;
                    }
                    case Op.JALR, Op.JR -> {
                        long target = (x[rs1] + imm) & ~1L;
                        if (rd != 0) x[rd] = this.pageVa + ((long) s << 1) + ((d >>> 7) & 6);
                        if ((target & ~0xfffL) == this.pageVa) {
                            s = (int) (target & 0xfff) >>> 1;
                            break jump;
                        }
                        jumpTarget = target;
                        pageLeft = left - 1;
                        return LEFT_PAGE;
                    }
                    case Op.BEQ -> { if (x[rs1] == x[rs2]) { s += (int) (imm >> 1); break jump; } }
                    case Op.BNE -> { if (x[rs1] != x[rs2]) { s += (int) (imm >> 1); break jump; } }
                    case Op.BLT -> { if (x[rs1] < x[rs2]) { s += (int) (imm >> 1); break jump; } }
                    case Op.BGE -> { if (x[rs1] >= x[rs2]) { s += (int) (imm >> 1); break jump; } }
                    case Op.BLTU -> { if (x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE) { s += (int) (imm >> 1); break jump; } }
                    case Op.BGEU -> { if (x[rs1] + Long.MIN_VALUE >= x[rs2] + Long.MIN_VALUE) { s += (int) (imm >> 1); break jump; } }
                    // Loads and stores hit their TLB or leave the loop: tag == page | context,
                    // with the low bits of the address that must be 0 for alignment kept in.
                    // Each memory access here is one call site the JIT must inline: one that
                    // had not run when it compiled this loop would stay a call, and a call in
                    // the loop costs every instruction. So the narrow and floating-point loads
                    // share one access, and the floating-point stores share the integer ones'
                    // (halfword stores, rare, go to step).
                    case Op.LB, Op.LH, Op.LW, Op.LBU, Op.LHU, Op.LWU, Op.FLW, Op.FLD -> {
                        long va = x[rs1] + imm;
                        int op = (int) d & 0xff;
                        // The load's funct3: size 1 << (f3 & 3), unsigned if f3 >= 4 (FLW: as LWU).
                        int f3 = op < Op.FLW ? op - Op.LB : op == Op.FLW ? 6 : 3;
                        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
                        if (loadTlb[i] != ((va & ~(0xfffL & (-1L << (f3 & 3)))) | mmu.ctxKey)) break stop;
                        // The doubleword holding it, shifted so its low bytes are the value (an
                        // aligned value never spans two).
                        int a = (int) (va + loadTlb[i + 1]);
                        long v = ram[a >>> 3] >>> ((a & 7) << 3);
                        int unused = 64 - (8 << (f3 & 3));
                        v = f3 < 4 ? v << unused >> unused : v << unused >>> unused;
                        if (op < Op.FLW) x[rd] = v;
                        else f[rd] = op == Op.FLW ? v | 0xffffffff00000000L : v; // NaN-box a single
                    }
                    case Op.LD -> {
                        long va = x[rs1] + imm;
                        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
                        if (loadTlb[i] != ((va & ~0xff8L) | mmu.ctxKey)) break stop;
                        x[rd] = ram[(int) (va + loadTlb[i + 1]) >>> 3];
                    }
                    // A store also drops the decoded code of the page it writes.
                    case Op.SB -> {
                        long va = x[rs1] + imm;
                        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
                        if (storeTlb[i] != ((va & ~0xfffL) | mmu.ctxKey)) break stop;
                        int a = (int) (va + storeTlb[i + 1]);
                        if (mem.shared) PhysicalMemory.putShared(ram, a, 1, x[rs2]);
                        else PhysicalMemory.put8(ram, a, x[rs2]);
                        if (decoded[a >>> 12] != null) decoded[a >>> 12] = null;
                    }
                    case Op.SW, Op.FSW -> {
                        long va = x[rs1] + imm;
                        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
                        if (storeTlb[i] != ((va & ~0xffcL) | mmu.ctxKey)) break stop;
                        int a = (int) (va + storeTlb[i + 1]);
                        long v = ((int) d & 0xff) == Op.SW ? x[rs2] : f[rs2];
                        if (mem.shared) PhysicalMemory.putShared(ram, a, 4, v);
                        else PhysicalMemory.put32(ram, a, v);
                        if (decoded[a >>> 12] != null) decoded[a >>> 12] = null;
                    }
                    case Op.SD, Op.FSD -> {
                        long va = x[rs1] + imm;
                        int i = ((int) (va >>> 12) & Mmu.TLB_MASK) << 1;
                        if (storeTlb[i] != ((va & ~0xff8L) | mmu.ctxKey)) break stop;
                        int a = (int) (va + storeTlb[i + 1]);
                        ram[a >>> 3] = ((int) d & 0xff) == Op.SD ? x[rs2] : f[rs2];
                        if (decoded[a >>> 12] != null) decoded[a >>> 12] = null;
                    }
                    case Op.ADDI -> x[rd] = x[rs1] + imm;
                    case Op.SLTI -> x[rd] = x[rs1] < imm ? 1 : 0;
                    case Op.SLTIU -> x[rd] = x[rs1] + Long.MIN_VALUE < imm + Long.MIN_VALUE ? 1 : 0;
                    case Op.XORI -> x[rd] = x[rs1] ^ imm;
                    case Op.ORI -> x[rd] = x[rs1] | imm;
                    case Op.ANDI -> x[rd] = x[rs1] & imm;
                    case Op.SLLI -> x[rd] = x[rs1] << imm;
                    case Op.SRLI -> x[rd] = x[rs1] >>> imm;
                    case Op.SRAI -> x[rd] = x[rs1] >> imm;
                    case Op.ADDIW -> x[rd] = (int) (x[rs1] + imm);
                    case Op.SLLIW -> x[rd] = (int) x[rs1] << imm;
                    case Op.SRLIW -> x[rd] = (int) x[rs1] >>> imm;
                    case Op.SRAIW -> x[rd] = (int) x[rs1] >> imm;
                    case Op.ADD -> x[rd] = x[rs1] + x[rs2];
                    case Op.SUB -> x[rd] = x[rs1] - x[rs2];
                    case Op.SLL -> x[rd] = x[rs1] << x[rs2];
                    case Op.SLT -> x[rd] = x[rs1] < x[rs2] ? 1 : 0;
                    case Op.SLTU -> x[rd] = x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE ? 1 : 0;
                    case Op.XOR -> x[rd] = x[rs1] ^ x[rs2];
                    case Op.SRL -> x[rd] = x[rs1] >>> x[rs2];
                    case Op.SRA -> x[rd] = x[rs1] >> x[rs2];
                    case Op.OR -> x[rd] = x[rs1] | x[rs2];
                    case Op.AND -> x[rd] = x[rs1] & x[rs2];
                    case Op.ADDW -> x[rd] = (int) (x[rs1] + x[rs2]);
                    case Op.SUBW -> x[rd] = (int) (x[rs1] - x[rs2]);
                    case Op.SLLW -> x[rd] = (int) x[rs1] << x[rs2];
                    case Op.SRLW -> x[rd] = (int) x[rs1] >>> x[rs2];
                    case Op.SRAW -> x[rd] = (int) x[rs1] >> x[rs2];
                    case Op.MUL -> x[rd] = x[rs1] * x[rs2];
                    case Op.MULW -> x[rd] = (int) x[rs1] * (int) x[rs2];
                    // The rest of M inline too (the library methods used are JIT intrinsics, never
                    // calls). Division by zero gives all ones and a remainder equal to the
                    // dividend; MIN / -1 gives MIN and remainder 0, as Java's / and % do.
                    // W forms work on the low 32 bits and sign-extend the 32-bit result.
                    case Op.MULH -> x[rd] = Math.multiplyHigh(x[rs1], x[rs2]);
                    case Op.MULHU -> x[rd] = Math.unsignedMultiplyHigh(x[rs1], x[rs2]);
                    // a signed * b unsigned: b's unsigned value is b + 2^64 when b < 0.
                    case Op.MULHSU -> x[rd] = Math.multiplyHigh(x[rs1], x[rs2]) + ((x[rs2] >> 63) & x[rs1]);
                    case Op.DIV -> x[rd] = x[rs2] == 0 ? -1 : x[rs1] / x[rs2];
                    case Op.DIVU -> x[rd] = x[rs2] == 0 ? -1 : Long.divideUnsigned(x[rs1], x[rs2]);
                    case Op.REM -> x[rd] = x[rs2] == 0 ? x[rs1] : x[rs1] % x[rs2];
                    case Op.REMU -> x[rd] = x[rs2] == 0 ? x[rs1] : Long.remainderUnsigned(x[rs1], x[rs2]);
                    case Op.DIVW -> x[rd] = (int) x[rs2] == 0 ? -1 : (int) x[rs1] / (int) x[rs2];
                    case Op.DIVUW -> x[rd] = (int) x[rs2] == 0 ? -1 : Integer.divideUnsigned((int) x[rs1], (int) x[rs2]);
                    case Op.REMW -> x[rd] = (int) x[rs2] == 0 ? (int) x[rs1] : (int) x[rs1] % (int) x[rs2];
                    case Op.REMUW -> x[rd] = (int) x[rs2] == 0 ? (int) x[rs1] : Integer.remainderUnsigned((int) x[rs1], (int) x[rs2]);
                    default -> { break stop; } // for run to do
                }
                // Fell through: the next instruction in sequence. A branch on the length,
                // not s += length: the processor predicts the branch and fetches the next
                // word at once, instead of waiting for this word's load to know where it is.
                if (Decoded.is32Bit(d)) s += 2;
                else s += 1;
                continue;
            }
            // A taken branch or jump, to slot s.
            if ((s & ~(Decoded.PAGE_SLOTS - 1)) != 0) {
                left--;
                break;
            }
        }
        pageLeft = left;
        return s;
    }

    /**
     * Whether {@link #step} executes op: every operation {@link #executePage} may stop at,
     * other than DECODE, END and CROSS, which {@link #run} handles. The rest (branches, the
     * ALU, M) only the hot loop runs.
     */
    private static boolean stepped(int op) {
        return switch (op) {
            case Op.LB, Op.LBU, Op.LH, Op.LHU, Op.LW, Op.LWU, Op.LD, Op.FLW, Op.FLD, Op.LOAD_X0,
                    Op.SB, Op.SH, Op.SW, Op.SD, Op.FSW, Op.FSD, Op.FP, Op.AMO, Op.CSR,
                    Op.FENCE, Op.FENCE_I, Op.ECALL, Op.EBREAK, Op.ILLEGAL -> true;
            default -> false;
        };
    }

    /**
     * Executes one instruction that {@link #executePage} leaves out, at pc, but does not
     * move pc: the loads and stores that missed their TLB (or cross a page, or are
     * misaligned), halfword stores, floating-point arithmetic, atomics, CSRs, fences and
     * the trapping instructions.
     *
     * @param retired instructions retired so far in this run (for the counter CSRs)
     * @return null when it retired, else the trap it raised (and nothing was written)
     */
    private Trap step(long d, long pc, long retired) {
        final int op = Decoded.op(d), rd = Decoded.rd(d), rs1 = Decoded.rs1(d), rs2 = Decoded.rs2(d);
        final long imm = d >> 32;
        switch (op) {
            case Op.LB, Op.LBU, Op.LH, Op.LHU, Op.LW, Op.LWU, Op.LD, Op.FLW, Op.FLD, Op.LOAD_X0 -> {
                int size = switch (op) {
                    case Op.LB, Op.LBU -> 1;
                    case Op.LH, Op.LHU -> 2;
                    case Op.LW, Op.LWU, Op.FLW -> 4;
                    case Op.LOAD_X0 -> 1 << (rs2 & 3);
                    default -> 8;
                };
                long v = load(x[rs1] + imm, size);
                if (faultCause != null) return fault(pc);
                switch (op) {
                    case Op.LB -> x[rd] = (byte) v;
                    case Op.LH -> x[rd] = (short) v;
                    case Op.LW -> x[rd] = (int) v;
                    case Op.LD, Op.LBU, Op.LHU, Op.LWU -> x[rd] = v;
                    case Op.FLW -> f[rd] = v | 0xffffffff00000000L; // NaN-box a single
                    case Op.FLD -> f[rd] = v;
                    default -> { } // LOAD_X0: the access was all
                }
            }
            case Op.SB, Op.SH, Op.SW, Op.SD, Op.FSW, Op.FSD -> {
                int size = switch (op) {
                    case Op.SB -> 1;
                    case Op.SH -> 2;
                    case Op.SW, Op.FSW -> 4;
                    default -> 8;
                };
                if (!store(x[rs1] + imm, size, op == Op.FSW || op == Op.FSD ? f[rs2] : x[rs2])) return fault(pc);
            }
            case Op.FP -> {
                if (!FloatUnit.execute(this, (int) imm)) return new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, pc, imm & 0xffffffffL);
            }
            case Op.AMO -> {
                if (!atomic((int) imm)) return fault(pc);
            }
            case Op.CSR -> {
                if (!csr((int) imm, retired)) return new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, pc, imm & 0xffffffffL);
            }
            case Op.FENCE -> VarHandle.fullFence();
            case Op.FENCE_I -> fencedAt = mem.fences.incrementAndGet();
            case Op.ECALL -> { return new Trap(Trap.Cause.ECALL, pc, 0); }
            case Op.EBREAK -> { return new Trap(Trap.Cause.BREAKPOINT, pc, pc); }
            case Op.ILLEGAL -> { return new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, pc, imm & 0xffffffffL); }
            default -> throw new IllegalStateException("bad decoded word " + Decoded.toString(d));
        }
        return null;
    }

    /** Turns the recorded fault into a Trap at pc and clears it. */
    private Trap fault(long pc) {
        Trap t = new Trap(faultCause, pc, faultTval);
        faultCause = null;
        return t;
    }

    private void setFault(long result, Mmu.Access access, long va) {
        boolean page = result == Mmu.PAGE_FAULT;
        faultCause = switch (access) {
            case FETCH -> page ? Trap.Cause.INSTRUCTION_PAGE_FAULT : Trap.Cause.INSTRUCTION_ACCESS_FAULT;
            case LOAD -> page ? Trap.Cause.LOAD_PAGE_FAULT : Trap.Cause.LOAD_ACCESS_FAULT;
            case STORE -> page ? Trap.Cause.STORE_PAGE_FAULT : Trap.Cause.STORE_ACCESS_FAULT;
        };
        faultTval = va;
    }

    /** Fills the fetch TLB for pc, or records the fault. */
    private boolean fetchMiss(long pc) {
        if ((pc & 1) != 0) { // only the kernel can set an odd pc; jumps clear bit 0
            faultCause = Trap.Cause.INSTRUCTION_MISALIGNED;
            faultTval = pc;
            return false;
        }
        long pa = mmu.translate(pc, Mmu.Access.FETCH);
        if (pa < 0) {
            setFault(pa, Mmu.Access.FETCH, pc);
            return false;
        }
        return true;
    }

    /**
     * The whole 32-bit instruction at pc, whose upper half starts the next page, or -1
     * with the fault recorded (tval = the address of the half that faulted).
     */
    private long crossFetch(long pc, int low) {
        long pa = mmu.translate(pc + 2, Mmu.Access.FETCH);
        if (pa < 0) {
            setFault(pa, Mmu.Access.FETCH, pc + 2);
            return -1;
        }
        int high = (int) PhysicalMemory.read(mem.ram, (int) (pa - PhysicalMemory.BASE), 2);
        return ((long) high << 16 | low) & 0xffffffffL;
    }

    /**
     * Loads size bytes at va, zero-extended, when the fast path missed: a TLB miss, a
     * misaligned access, or one that crosses into the next page (both pages are
     * translated; the fault, if any, names the part that faulted). On a fault, records it
     * and returns 0.
     */
    long load(long va, int size) {
        long pa = mmu.translate(va, Mmu.Access.LOAD);
        if (pa < 0) {
            setFault(pa, Mmu.Access.LOAD, va);
            return 0;
        }
        long[] ram = mem.ram;
        int a = (int) (pa - PhysicalMemory.BASE);
        int inPage = PhysicalMemory.PAGE_SIZE - (int) (va & 0xfff);
        if (inPage >= size) return PhysicalMemory.read(ram, a, size);
        long va2 = va + inPage;
        long pa2 = mmu.translate(va2, Mmu.Access.LOAD);
        if (pa2 < 0) {
            setFault(pa2, Mmu.Access.LOAD, va2);
            return 0;
        }
        int a2 = (int) (pa2 - PhysicalMemory.BASE);
        long v = 0;
        for (int k = size - 1; k >= 0; k--) v = v << 8 | PhysicalMemory.read(ram, k < inPage ? a + k : a2 + k - inPage, 1);
        return v;
    }

    /**
     * Stores the low size bytes of v at va when the fast path missed. A store that crosses
     * into the next page translates both pages before writing a byte, so a fault on
     * either leaves memory untouched. Drops decoded code of the pages written. A store to
     * a page with a reservation is made under {@link Reservations}' lock and breaks the
     * reservations it overlaps (this hart's too).
     */
    boolean store(long va, int size, long v) {
        long pa = mmu.translate(va, Mmu.Access.STORE);
        if (pa < 0) {
            setFault(pa, Mmu.Access.STORE, va);
            return false;
        }
        long[] ram = mem.ram;
        int a = (int) (pa - PhysicalMemory.BASE);
        int inPage = PhysicalMemory.PAGE_SIZE - (int) (va & 0xfff);
        Reservations res = mem.reservations;
        if (inPage >= size) {
            if (res.marked(a >>> PhysicalMemory.PAGE_SHIFT)) {
                synchronized (res) {
                    PhysicalMemory.write(ram, a, size, v, mem.shared);
                    res.stored(a, size);
                }
            } else {
                PhysicalMemory.write(ram, a, size, v, mem.shared);
            }
            codeWritten(a);
            return true;
        }
        long va2 = va + inPage;
        long pa2 = mmu.translate(va2, Mmu.Access.STORE);
        if (pa2 < 0) {
            setFault(pa2, Mmu.Access.STORE, va2);
            return false;
        }
        int a2 = (int) (pa2 - PhysicalMemory.BASE);
        if (res.marked(a >>> PhysicalMemory.PAGE_SHIFT) || res.marked(a2 >>> PhysicalMemory.PAGE_SHIFT)) {
            synchronized (res) {
                storeAcross(a, a2, inPage, size, v);
                res.stored(a, inPage);
                res.stored(a2, size - inPage);
            }
        } else {
            storeAcross(a, a2, inPage, size, v);
        }
        codeWritten(a);
        codeWritten(a2);
        return true;
    }

    /** The bytes of a store that crosses from ram index a's page into a2's, inPage of them on the first. */
    private void storeAcross(int a, int a2, int inPage, int size, long v) {
        for (int k = 0; k < size; k++, v >>>= 8) PhysicalMemory.write(ram, k < inPage ? a + k : a2 + k - inPage, 1, v, mem.shared);
    }

    /** After this hart wrote at ram index a: the page's decoded code is stale. */
    private void codeWritten(int a) {
        mem.decoded[a >>> PhysicalMemory.PAGE_SHIFT] = null;
    }

    /**
     * LR, SC and the AMOs (word and doubleword; aq and rl accepted: every atomic here is
     * sequentially consistent). AMOs are VarHandle read-modify-writes on the shared ram,
     * atomic across harts.
     *
     * <p>LR/SC is exact across harts: the reservation set is the bytes LR read, and SC fails
     * if any store reached them after the LR, by this hart, another hart (any engine, any
     * store path, an AMO, another's SC), the kernel or a disk read, even one that put the
     * value back (A, B, A); a store beside them leaves the reservation alone. How, and what
     * it costs, is in {@link Reservations}. A constrained LR/SC loop succeeds unless another
     * hart keeps storing to the very bytes it reserved; a trap drops the reservation, as
     * does {@link #clearReservation}.
     *
     * <p>Misaligned addresses: the A chapter says a misaligned LR/SC/AMO raises an
     * address-misaligned or an access-fault exception, the access fault being for "a
     * memory access that would otherwise be able to complete except for the misalignment,
     * if the misaligned access should not be emulated". These are not emulated, so: the
     * address is translated first (page faults take priority), then a misaligned LR raises
     * a load access fault and a misaligned SC or AMO a store/AMO access fault.
     */
    private boolean atomic(int insn) {
        int rd = (insn >>> 7) & 31, rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31, f5 = insn >>> 27;
        int size = ((insn >>> 12) & 7) == 2 ? 4 : 8;
        long va = x[rs1];
        Mmu.Access access = f5 == 0b00010 ? Mmu.Access.LOAD : Mmu.Access.STORE;
        long pa = mmu.translate(va, access);
        if (pa < 0) {
            setFault(pa, access, va);
            return false;
        }
        if ((va & (size - 1)) != 0) {
            faultCause = access == Mmu.Access.LOAD ? Trap.Cause.LOAD_ACCESS_FAULT : Trap.Cause.STORE_ACCESS_FAULT;
            faultTval = va;
            return false;
        }
        int a = (int) (pa - PhysicalMemory.BASE);
        long src = x[rs2];
        Reservations res = mem.reservations;
        long result;
        if (f5 == 0b00010) { // LR
            result = res.loadReserved(this, a, size);
        } else if (f5 == 0b00011) { // SC
            boolean ok = res.storeConditional(this, a, size, src);
            if (ok) mem.decoded[a >>> PhysicalMemory.PAGE_SHIFT] = null;
            result = ok ? 0 : 1;
        } else if (res.marked(a >>> PhysicalMemory.PAGE_SHIFT)) {
            synchronized (res) {
                result = amo(f5, a, size, src);
                res.stored(a, size);
            }
            codeWritten(a);
        } else {
            result = amo(f5, a, size, src);
            codeWritten(a);
        }
        if (rd != 0) x[rd] = result;
        return true;
    }

    private long amo(int f5, int a, int size, long src) {
        return size == 4 ? Amo.word(f5, ram, a, (int) src) : Amo.doubleword(f5, ram, a, src);
    }

    /**
     * The Zicsr instructions on the CSRs a user-mode hart has: fflags, frm, fcsr
     * (read-write) and cycle, time, instret (read-only). csrrw/csrrwi always write;
     * csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 do not, so they may read a
     * read-only CSR. Writing a read-only CSR or naming any other CSR is illegal.
     *
     * @param retired instructions retired so far in this run (instret reads exclude this one)
     * @return false for an illegal instruction, with nothing written
     */
    private boolean csr(int insn, long retired) {
        int rd = (insn >>> 7) & 31, f3 = (insn >>> 12) & 7, rs1 = (insn >>> 15) & 31, csr = insn >>> 20;
        long src = f3 >= 5 ? rs1 : x[rs1];
        boolean write = (f3 & 3) == 1 || rs1 != 0;
        long old;
        switch (csr) {
            case CSR_FFLAGS -> old = fcsr & 0x1f;
            case CSR_FRM -> old = (fcsr >>> 5) & 7;
            case CSR_FCSR -> old = fcsr & 0xff;
            case CSR_CYCLE, CSR_INSTRET -> old = instret + retired;
            case CSR_TIME -> old = write ? 0 : time.applyAsLong(retired);
            default -> { return false; }
        }
        if (write) {
            long v = switch (f3 & 3) {
                case 1 -> src;
                case 2 -> old | src;
                default -> old & ~src;
            };
            switch (csr) {
                case CSR_FFLAGS -> fcsr = (fcsr & ~0x1f) | (int) (v & 0x1f);
                case CSR_FRM -> fcsr = (fcsr & 0x1f) | (int) (v & 7) << 5;
                case CSR_FCSR -> fcsr = (int) (v & 0xff);
                default -> { return false; } // read-only
            }
        }
        if (rd != 0) x[rd] = old;
        return true;
    }
}
