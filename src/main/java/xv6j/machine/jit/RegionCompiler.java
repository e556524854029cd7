package xv6j.machine.jit;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import xv6j.machine.Decoded;
import xv6j.machine.Mmu;
import xv6j.machine.Op;
import xv6j.machine.jit.RegionPlan.Kind;

/**
 * Writes a {@link RegionPlan} as the JVM class of a {@link Region}: one method,
 * {@code run(Hart h, long pageVa, int page, int slot, int budget)}, in which
 * <ul>
 * <li>each guest register the region uses is a JVM local (x0 is the constant 0), loaded
 * from {@code h.x} on entry and stored back on exit, so HotSpot's C2 keeps them in
 * machine registers;</li>
 * <li>branches and jumps that stay in the region are gotos, so a guest loop is a JVM
 * loop;</li>
 * <li>each block takes its length off the budget ({@link xv6j.machine.CompiledAccess#charge}),
 * which throws to one handler when the budget does not cover it: the region leaves
 * before the block, for the interpreter to finish the budget exactly;</li>
 * <li>loads and stores probe the hart's TLB inline (or, after an access of the same
 * block through the same base register, reuse its translation while they stay on its
 * page) and access {@code ram} with array bytecodes; one that misses (or would fault)
 * leaves the region before the access, for the interpreter to make (and raise its trap);
 * a store that drops the region's own page's code leaves after it;</li>
 * <li>everything a region does not compile ({@link Kind#STEP}) is an exit before it.</li>
 * </ul>
 * The slow paths are emitted after the main line, so the hot code is straight.
 */
final class RegionCompiler {
    /**
     * Bytecode a region's method may have. HotSpot never compiles a method past 8000 bytes
     * (HugeMethodLimit); C1 runs out of virtual registers on ours past about 5000; C1 and
     * C2 bail out of some past 3000 ("too many stack slots used"), leaving them to the
     * bytecode interpreter; and C2 stops inlining (the access helpers too) when a method
     * and what it inlines pass 8000. See docs/design.md for the measurements.
     */
    static final int MAX_CODE_BYTES = Integer.getInteger("xv6j.jit.maxbytes", 2500);
    /** The same for a merged region (see {@link Translator#MERGED_MAX_INSTRUCTIONS}). */
    static final int MERGED_MAX_CODE_BYTES = Integer.getInteger("xv6j.jit.mergebytes", 2500);

    /** The class file, or null if its method (codeBytes of bytecode) is too large. */
    record Result(byte[] classFile, int codeBytes) {}

    private static final String HART = "xv6j/machine/Hart", REGION = "xv6j/machine/jit/Region",
            MMU = "xv6j/machine/Mmu", PHYS = "xv6j/machine/PhysicalMemory", FLOAT_UNIT = "xv6j/machine/FloatUnit",
            ALU = "xv6j/machine/jit/Alu", ACCESS = "xv6j/machine/CompiledAccess", VARHANDLE = "java/lang/invoke/VarHandle";
    static final String RUN_DESC = "(L" + HART + ";JIII)J";

    // Locals of run.
    private static final int THIS = 0, H = 1, PAGE_VA = 2, PAGE = 4, SLOT = 5, LEFT = 6, X = 7, RAM = 8, LOAD_TLB = 9,
            STORE_TLB = 10, DECODED = 11, CTX = 12, EXIT_PC = 14, VA = 16, EXIT_SLOT = 18, TMP = 20, F = 22, IDX = 23,
            SHARED = 24, LOAD_HIGH = 25, STORE_HIGH = 26, FIRST_REG = 27;

    private final RegionPlan plan;
    private final MethodVisitor mv;
    private final Label[] labels = new Label[Decoded.PAGE_WORDS];
    private final int[] local = new int[32];
    /**
     * Accesses chained to an earlier one through the same base register in the same block
     * (see {@link #accessProbe}), per base register: the int local holding the ram index
     * of its last access in this block (with {@link #ORIGIN}, of the last that probed),
     * whether that is valid here, the offset that access had, and the alignment its index
     * is known to have.
     */
    private final int[] chainLocal = new int[32];
    private final boolean[] chained = new boolean[32];
    private final long[] chainImm = new long[32];
    private final int[] chainAlign = new int[32];
    /** Whether that index came from the store TLB (so a store may chain to it too). */
    private final boolean[] chainStores = new boolean[32];
    /** Whether accesses chain (-Dxv6j.jit.chain=false: each probes the TLB, as before round 11). */
    static final boolean CHAIN = !"false".equals(System.getProperty("xv6j.jit.chain"));
    /**
     * Whether a chain of accesses keeps its first access as its origin (with direct TLBs;
     * -Dxv6j.jit.origin=true): each later one is origin + its delta, tested on the origin's
     * page, so that the origin's page offset is computed once and each test is a compare
     * with a constant. 6% fewer x86 instructions on matrix, not faster beyond the noise of
     * the host it was timed on (docs/design.md, round 27): off, each access chains to the last.
     */
    static final boolean ORIGIN = "true".equals(System.getProperty("xv6j.jit.origin"));
    private final boolean[] written = new boolean[32];
    private final List<Runnable> outOfLine = new ArrayList<>();
    private final Label exitJump = new Label(), exitStep = new Label(), exitBudget = new Label(), exit = new Label(),
            dispatch = new Label(), budgetHandler = new Label(), slotJump = new Label(), slotStep = new Label(), slotBudget = new Label();

    // The block being emitted: its length, and how many of its instructions come before the current one.
    private int blockLength, inBlock;

    /**
     * How the code emitted so far ends: in a jump (NONE), falling through with an empty
     * operand stack (EMPTY), or with the budget on it (CARRY: a branch's way not taken).
     * In a region of {@link #WHOLE_FROM} instructions or more, every jump to a block
     * carries the budget on the operand stack, which the block's
     * {@link xv6j.machine.CompiledAccess#charge} takes, and a store's slow paths rejoin it
     * with a value there: HotSpot makes no on-stack replacement at a bytecode whose
     * operand stack is not empty, so such a region's loops are compiled only as part of
     * the whole method, entered by a call (docs/design.md, round 8: on-stack-replacement
     * compiles of large regions were half of C2's time, and the costliest).
     */
    private enum Fall { NONE, EMPTY, CARRY }
    private Fall falls = Fall.EMPTY;

    /**
     * Regions of this many instructions or more are compiled only whole (see {@link Fall});
     * a smaller one may be compiled on the stack, which is cheap for a small method and
     * gets a loop entered once into C2's code sooner.
     */
    static final int WHOLE_FROM = Integer.getInteger("xv6j.jit.wholefrom", 50);
    /** Whether this region carries the budget on the stack into its blocks. */
    private final boolean whole;

    /** Pushes the budget for a block, in a region compiled only whole. */
    private void carry() {
        if (whole) mv.visitVarInsn(ILOAD, LEFT);
    }

    /** Drops what {@link #carry} pushed. */
    private void drop() {
        if (whole) mv.visitInsn(POP);
    }

    private RegionCompiler(RegionPlan plan, MethodVisitor mv) {
        this.plan = plan;
        this.mv = mv;
        this.whole = plan.size >= WHOLE_FROM;
    }

    /** The class file, or none (null) if its method would be too large for HotSpot to compile. */
    static Result compile(RegionPlan plan, int maxCodeBytes) {
        return classOf("xv6j/machine/CompiledRegion", REGION, mv -> new RegionCompiler(plan, mv).emit(), maxCodeBytes);
    }

    /**
     * The class file of a final class name extending superName (a class with a public
     * constructor of no arguments), with that constructor and one method,
     * {@code run(Hart, long, int, int, int)}, whose code body writes: no class file
     * (null) if the code is past maxCodeBytes.
     */
    static Result classOf(String name, String superName, java.util.function.Consumer<MethodVisitor> body, int maxCodeBytes) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(V21, ACC_FINAL | ACC_SUPER, name, null, superName, null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, superName, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, "run", RUN_DESC, null, null);
        mv.visitCode();
        Label end = new Label();
        body.accept(mv);
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        if (end.getOffset() > maxCodeBytes) return new Result(null, end.getOffset());
        return new Result(cw.toByteArray(), end.getOffset());
    }

    // ---- the method --------------------------------------------------------------------

    private void emit() {
        allocateRegisters();
        prologue();
        int first = -1;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (plan.contains(s)) { first = s; break; }
        // Entered at its entry, or (a region that took in other regions' code) at another root.
        if (first == plan.entry) {
            Label other = new Label();
            mv.visitVarInsn(ILOAD, SLOT);
            push(plan.entry);
            mv.visitJumpInsn(IF_ICMPNE, other);
            outOfLine.add(() -> {
                mv.visitLabel(other);
                enterAt();
            });
            falls = Fall.EMPTY;
        } else {
            carry();
            mv.visitVarInsn(ILOAD, SLOT);
            push(plan.entry);
            mv.visitJumpInsn(IF_ICMPEQ, label(plan.entry));
            drop();
            enterAt();
            falls = Fall.NONE;
        }
        int[] order = includedSlots();
        for (int i = 0; i < order.length; i++) {
            int s = order[i];
            long d = plan.words[s];
            if (plan.leader[s]) {
                if (falls == Fall.EMPTY) carry(); // a block is entered with the budget on the stack
                mv.visitLabel(label(s));
                Arrays.fill(chained, false); // a block may be entered from anywhere
                blockLength = plan.blockLength[s];
                inBlock = 0;
                if (blockLength > 0) budgetCheck(s);
                else drop();
            } else if (falls == Fall.CARRY) {
                throw new IllegalStateException("a branch falls into the middle of a block at slot " + s);
            }
            falls = Fall.EMPTY;
            instruction(s, d, i + 1 < order.length ? order[i + 1] : -1);
            if (RegionPlan.kind(Decoded.op(d)) != Kind.STEP) inBlock++;
        }
        for (int i = 0; i < outOfLine.size(); i++) outOfLine.get(i).run(); // may add more
        epilogue();
    }

    /** exitPc = the entry's pc, then to its block by the indirect jumps' dispatch. */
    private void enterAt() {
        mv.visitVarInsn(LLOAD, PAGE_VA);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitInsn(I2L);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(LSHL);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, EXIT_PC);
        mv.visitJumpInsn(GOTO, dispatch);
    }

    private int[] includedSlots() {
        int n = 0;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (plan.contains(s)) n++;
        int[] order = new int[n];
        n = 0;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (plan.contains(s)) order[n++] = s;
        return order;
    }

    private Label label(int slot) {
        if (labels[slot] == null) labels[slot] = new Label();
        return labels[slot];
    }

    private void allocateRegisters() {
        boolean[] used = new boolean[32];
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            long d = plan.words[s];
            if (d == 0 || RegionPlan.kind(Decoded.op(d)) == Kind.STEP) continue;
            used[Decoded.rd(d)] = used[Decoded.rs1(d)] = used[Decoded.rs2(d)] = true;
            if (writesX(Decoded.op(d))) written[Decoded.rd(d)] = true;
        }
        int next = FIRST_REG;
        for (int r = 1; r < 32; r++) {
            if (!used[r]) continue;
            local[r] = next;
            next += 2;
        }
        for (int r = 0; r < 32; r++) if (used[r]) chainLocal[r] = next++;
        written[0] = false;
    }

    /** Whether op may write x[rd] (FP: fcvt to an integer, fmv.x, compares, fclass). */
    private static boolean writesX(int op) {
        return switch (op) {
            case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU, Op.J, Op.JR, Op.NOP, Op.LOAD_X0,
                 Op.SB, Op.SH, Op.SW, Op.SD, Op.FSW, Op.FSD, Op.FLW, Op.FLD, Op.FENCE -> false;
            default -> true;
        };
    }

    private void prologue() {
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "x", "[J");
        mv.visitVarInsn(ASTORE, X);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "f", "[J");
        mv.visitVarInsn(ASTORE, F);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "ram", "[J");
        mv.visitVarInsn(ASTORE, RAM);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "mem", "L" + PHYS + ";");
        mv.visitFieldInsn(GETFIELD, PHYS, "shared", "Z");
        mv.visitVarInsn(ISTORE, SHARED);
        if (Mmu.DIRECT) { // the address space's direct TLBs, in place of the hashed ones
            directTable("loadLow", "[I", LOAD_TLB);
            directTable("storeLow", "[I", STORE_TLB);
            directTable("loadHigh", "[[I", LOAD_HIGH);
            directTable("storeHigh", "[[I", STORE_HIGH);
        } else { // the hashed TLBs, and the context number their tags carry
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "mmu", "L" + MMU + ";");
            mv.visitFieldInsn(GETFIELD, MMU, "ctxKey", "J");
            mv.visitVarInsn(LSTORE, CTX);
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "loadTlb", "[J");
            mv.visitVarInsn(ASTORE, LOAD_TLB);
            mv.visitVarInsn(ALOAD, H);
            mv.visitFieldInsn(GETFIELD, HART, "storeTlb", "[J");
            mv.visitVarInsn(ASTORE, STORE_TLB);
        }
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "decoded", "[Ljava/lang/Object;");
        mv.visitVarInsn(ASTORE, DECODED);
        // Scratch locals start defined, so every merge point agrees on their types.
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, EXIT_PC);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, VA);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, IDX);
        for (int r = 1; r < 32; r++) {
            if (local[r] == 0) continue;
            mv.visitVarInsn(ALOAD, X);
            push(r);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, local[r]);
        }
    }

    /**
     * local = h.mmu.field: the current space's direct TLB's low table or high directory,
     * which the MMU keeps in its own fields (Mmu.loadLow), fixed during a call.
     */
    private void directTable(String field, String type, int local) {
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "mmu", "L" + MMU + ";");
        mv.visitFieldInsn(GETFIELD, MMU, field, type);
        mv.visitVarInsn(ASTORE, local);
    }

    /** The three ways out set the hart's jitExit; then the registers written go back to h.x. */
    private void epilogue() {
        indirectJumps();
        mv.visitLabel(budgetHandler); // from a block's charge, with its slot in exitSlot
        mv.visitInsn(POP);
        mv.visitJumpInsn(GOTO, slotBudget);
        slotToPc(slotJump, exitJump);
        slotToPc(slotStep, exitStep);
        slotToPc(slotBudget, exitBudget);
        exitStub(exitJump, Region.JUMP);
        exitStub(exitStep, Region.STEP);
        exitStub(exitBudget, Region.BUDGET);
        mv.visitLabel(exit);
        for (int r = 1; r < 32; r++) {
            if (!written[r] || local[r] == 0) continue;
            mv.visitVarInsn(ALOAD, X);
            push(r);
            mv.visitVarInsn(LLOAD, local[r]);
            mv.visitInsn(LASTORE);
        }
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitFieldInsn(PUTFIELD, HART, "pageLeft", "I");
        mv.visitVarInsn(LLOAD, EXIT_PC);
        mv.visitInsn(LRETURN);
    }

    /**
     * Where every jalr and jr goes with its target in exitPc: to the target's block if it
     * is on this page and starts one of the region's blocks, else out.
     */
    private void indirectJumps() {
        mv.visitLabel(dispatch);
        mv.visitVarInsn(LLOAD, EXIT_PC);
        mv.visitVarInsn(LLOAD, PAGE_VA);
        mv.visitInsn(LSUB);
        mv.visitVarInsn(LSTORE, VA);
        mv.visitVarInsn(LLOAD, VA);
        push(12);
        mv.visitInsn(LUSHR);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, exitJump);
        int n = 0;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (plan.contains(s) && plan.leader[s]) n++;
        int[] keys = new int[n];
        Label[] targets = new Label[n];
        n = 0;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            if (!plan.contains(s) || !plan.leader[s]) continue;
            keys[n] = s;
            targets[n++] = label(s);
        }
        Label none = new Label();
        carry(); // for the block (see Fall)
        mv.visitVarInsn(LLOAD, VA);
        mv.visitInsn(L2I);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IUSHR);
        mv.visitLookupSwitchInsn(none, keys, targets);
        mv.visitLabel(none);
        drop();
        mv.visitJumpInsn(GOTO, exitJump);
    }

    /** exitPc = pageVa + 2 * exitSlot, then on to the exit. */
    private void slotToPc(Label l, Label then) {
        mv.visitLabel(l);
        mv.visitVarInsn(LLOAD, PAGE_VA);
        mv.visitVarInsn(ILOAD, EXIT_SLOT);
        mv.visitInsn(I2L);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(LSHL);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, EXIT_PC);
        mv.visitJumpInsn(GOTO, then);
    }

    private void exitStub(Label l, int reason) {
        mv.visitLabel(l);
        mv.visitVarInsn(ALOAD, H);
        push(reason);
        mv.visitFieldInsn(PUTFIELD, HART, "jitExit", "I");
        mv.visitJumpInsn(GOTO, exit);
    }

    /**
     * Leaves with pc = the page's slot, giving back the budget of the block's instructions
     * from the k-th on. The exits named by a slot turn it into pc in one place.
     */
    private void leave(int slot, int giveBack, Label how) {
        push(slot);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        if (giveBack != 0) mv.visitIincInsn(LEFT, giveBack);
        mv.visitJumpInsn(GOTO, how == exitJump ? slotJump : how == exitStep ? slotStep : slotBudget);
    }

    /** Leaves before the current instruction at slot, which has not run. */
    private void leaveBefore(int slot) { leave(slot, blockLength - inBlock, exitStep); }

    /** Leaves after the current instruction, which ran, falling to next. */
    private void leaveAfter(int next) { leave(next, blockLength - inBlock - 1, exitJump); }

    /**
     * left = charge(left, length), or to the budget's handler with the block's slot in
     * exitSlot (see {@link xv6j.machine.CompiledAccess#charge} for why it throws).
     */
    private void budgetCheck(int slot) {
        Label start = new Label(), end = new Label();
        mv.visitTryCatchBlock(start, end, budgetHandler, ACCESS + "$OutOfBudget");
        push(slot);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitLabel(start);
        if (!whole) mv.visitVarInsn(ILOAD, LEFT); // else it is on the stack (see Fall)
        push(blockLength);
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, "charge", "(II)I", false);
        mv.visitLabel(end);
        mv.visitVarInsn(ISTORE, LEFT);
    }

    /** Goes to slot: its block if the region has it, else out of the region. */
    private void goTo(int slot) {
        if (falls != Fall.CARRY && plan.contains(slot)) carry();
        else if (falls == Fall.CARRY && !plan.contains(slot)) drop();
        if (plan.contains(slot)) mv.visitJumpInsn(GOTO, label(slot));
        else leave(slot, 0, exitJump);
        falls = Fall.NONE;
    }

    // ---- instructions ------------------------------------------------------------------

    private void instruction(int s, long d, int nextEmitted) {
        int op = Decoded.op(d), rd = Decoded.rd(d), rs1 = Decoded.rs1(d), rs2 = Decoded.rs2(d);
        long imm = Decoded.imm(d);
        int next = RegionPlan.next(s, d);
        switch (RegionPlan.kind(op)) {
            case STEP -> {
                leave(s, 0, exitStep);
                falls = Fall.NONE;
                return;
            }
            case BRANCH -> {
                branch(op, rs1, rs2, RegionPlan.target(s, d));
                falls = Fall.CARRY;
                if (next != nextEmitted) goTo(next);
                return;
            }
            case JUMP -> {
                if (op == Op.JAL) pcPlus(s, 2L * Decoded.halfwords(d), rd);
                goTo(RegionPlan.target(s, d));
                return;
            }
            case INDIRECT -> {
                get(rs1);
                push(imm);
                mv.visitInsn(LADD);
                push(~1L);
                mv.visitInsn(LAND);
                mv.visitVarInsn(LSTORE, EXIT_PC);
                if (op == Op.JALR) pcPlus(s, 2L * Decoded.halfwords(d), rd);
                mv.visitJumpInsn(GOTO, dispatch);
                falls = Fall.NONE;
                return;
            }
            case PLAIN -> plain(s, d, op, rd, rs1, rs2, imm, next);
        }
        if (next != nextEmitted) goTo(next);
    }

    private void plain(int s, long d, int op, int rd, int rs1, int rs2, long imm, int next) {
        switch (op) {
            case Op.NOP -> { }
            case Op.LI, Op.LUI -> { push(imm); set(rd); }
            case Op.AUIPC -> pcPlus(s, imm, rd);
            case Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, Op.FLW, Op.FLD, Op.LOAD_X0 -> load(s, op, rd, rs1, rs2, imm);
            case Op.SB, Op.SH, Op.SW, Op.SD, Op.FSW, Op.FSD -> store(s, op, rs1, rs2, imm, next);
            case Op.ADDI -> { get(rs1); push(imm); mv.visitInsn(LADD); set(rd); }
            case Op.SLTI -> { get(rs1); push(imm); alu("slt"); set(rd); }
            case Op.SLTIU -> { get(rs1); push(imm); alu("sltu"); set(rd); }
            case Op.XORI -> { get(rs1); push(imm); mv.visitInsn(LXOR); set(rd); }
            case Op.ORI -> { get(rs1); push(imm); mv.visitInsn(LOR); set(rd); }
            case Op.ANDI -> { get(rs1); push(imm); mv.visitInsn(LAND); set(rd); }
            case Op.SLLI -> { get(rs1); push((int) imm); mv.visitInsn(LSHL); set(rd); }
            case Op.SRLI -> { get(rs1); push((int) imm); mv.visitInsn(LUSHR); set(rd); }
            case Op.SRAI -> { get(rs1); push((int) imm); mv.visitInsn(LSHR); set(rd); }
            case Op.ADDIW -> { get(rs1); push(imm); mv.visitInsn(LADD); mv.visitInsn(L2I); mv.visitInsn(I2L); set(rd); }
            case Op.SLLIW -> { getInt(rs1); push((int) imm); mv.visitInsn(ISHL); mv.visitInsn(I2L); set(rd); }
            case Op.SRLIW -> { getInt(rs1); push((int) imm); mv.visitInsn(IUSHR); mv.visitInsn(I2L); set(rd); }
            case Op.SRAIW -> { getInt(rs1); push((int) imm); mv.visitInsn(ISHR); mv.visitInsn(I2L); set(rd); }
            case Op.ADD -> binary(LADD, rd, rs1, rs2);
            case Op.SUB -> binary(LSUB, rd, rs1, rs2);
            case Op.XOR -> binary(LXOR, rd, rs1, rs2);
            case Op.OR -> binary(LOR, rd, rs1, rs2);
            case Op.AND -> binary(LAND, rd, rs1, rs2);
            case Op.MUL -> binary(LMUL, rd, rs1, rs2);
            case Op.SLL -> shift(LSHL, rd, rs1, rs2);
            case Op.SRL -> shift(LUSHR, rd, rs1, rs2);
            case Op.SRA -> shift(LSHR, rd, rs1, rs2);
            case Op.SLT -> { get(rs1); get(rs2); alu("slt"); set(rd); }
            case Op.SLTU -> { get(rs1); get(rs2); alu("sltu"); set(rd); }
            case Op.ADDW -> wordOp(IADD, rd, rs1, rs2);
            case Op.SUBW -> wordOp(ISUB, rd, rs1, rs2);
            case Op.MULW -> wordOp(IMUL, rd, rs1, rs2);
            case Op.SLLW -> wordOp(ISHL, rd, rs1, rs2);
            case Op.SRLW -> wordOp(IUSHR, rd, rs1, rs2);
            case Op.SRAW -> wordOp(ISHR, rd, rs1, rs2);
            case Op.MULH -> { get(rs1); get(rs2); mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "multiplyHigh", "(JJ)J", false); set(rd); }
            case Op.MULHU -> { get(rs1); get(rs2); mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "unsignedMultiplyHigh", "(JJ)J", false); set(rd); }
            case Op.MULHSU -> { get(rs1); get(rs2); alu("mulhsu"); set(rd); }
            case Op.DIV -> { get(rs1); get(rs2); alu("div"); set(rd); }
            case Op.DIVU -> { get(rs1); get(rs2); alu("divu"); set(rd); }
            case Op.REM -> { get(rs1); get(rs2); alu("rem"); set(rd); }
            case Op.REMU -> { get(rs1); get(rs2); alu("remu"); set(rd); }
            case Op.DIVW -> { get(rs1); get(rs2); alu("divw"); set(rd); }
            case Op.DIVUW -> { get(rs1); get(rs2); alu("divuw"); set(rd); }
            case Op.REMW -> { get(rs1); get(rs2); alu("remw"); set(rd); }
            case Op.REMUW -> { get(rs1); get(rs2); alu("remuw"); set(rd); }
            case Op.FP -> floatingPoint(s, (int) imm, rd, rs1);
            case Op.FENCE -> mv.visitMethodInsn(INVOKESTATIC, VARHANDLE, "fullFence", "()V", false);
            default -> throw new IllegalStateException("not a plain instruction: " + Decoded.toString(d));
        }
    }

    private void binary(int insn, int rd, int rs1, int rs2) {
        get(rs1);
        get(rs2);
        mv.visitInsn(insn);
        set(rd);
    }

    private void shift(int insn, int rd, int rs1, int rs2) {
        get(rs1);
        getInt(rs2);
        mv.visitInsn(insn);
        set(rd);
    }

    /** A W operation: on the low 32 bits (a shift uses the low 5 bits of rs2, as Java's int shifts do). */
    private void wordOp(int insn, int rd, int rs1, int rs2) {
        getInt(rs1);
        getInt(rs2);
        mv.visitInsn(insn);
        mv.visitInsn(I2L);
        set(rd);
    }

    private void alu(String name) {
        mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(JJ)J", false);
    }

    /** rd = pageVa + slot * 2 + offset. */
    private void pcPlus(int s, long offset, int rd) {
        if (rd == 0) return;
        mv.visitVarInsn(LLOAD, PAGE_VA);
        push(((long) s << 1) + offset);
        mv.visitInsn(LADD);
        set(rd);
    }

    /** Compares and jumps to target with the budget on the stack, or falls through with it there (see Fall). */
    private void branch(int op, int rs1, int rs2, int target) {
        carry();
        get(rs1);
        if (op == Op.BLTU || op == Op.BGEU) { push(Long.MIN_VALUE); mv.visitInsn(LADD); }
        get(rs2);
        if (op == Op.BLTU || op == Op.BGEU) { push(Long.MIN_VALUE); mv.visitInsn(LADD); }
        mv.visitInsn(LCMP);
        int insn = switch (op) {
            case Op.BEQ -> IFEQ;
            case Op.BNE -> IFNE;
            case Op.BLT, Op.BLTU -> IFLT;
            default -> IFGE;
        };
        if (plan.contains(target)) {
            mv.visitJumpInsn(insn, label(target));
        } else {
            Label stub = new Label();
            mv.visitJumpInsn(insn, stub);
            outOfLine.add(() -> {
                mv.visitLabel(stub);
                drop();
                leave(target, 0, exitJump);
            });
        }
    }

    /** The size in bytes of a load's access. */
    private static int loadSize(int op, int rs2) {
        return switch (op) {
            case Op.LB, Op.LBU -> 1;
            case Op.LH, Op.LHU -> 2;
            case Op.LW, Op.LWU, Op.FLW -> 4;
            case Op.LOAD_X0 -> 1 << (rs2 & 3);
            default -> 8;
        };
    }

    /**
     * The TLB probe: va = rs1 + imm; idx = va's ram index if tlb maps it for an aligned
     * access of size bytes in this address space (see {@link xv6j.machine.CompiledAccess#probe}),
     * else to miss. The tag to match, (va & tagMask) | ctx, is made here so the probe
     * itself stays small enough for HotSpot to inline at every site.
     */
    private void probe(int tlb, int rs1, long imm, int size, Label miss, int idx) {
        address(rs1, imm);
        if (Mmu.DIRECT) {
            push(size - 1);
            mv.visitVarInsn(ALOAD, tlb);
            mv.visitVarInsn(ALOAD, highOf(tlb));
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, "direct2", "(JI[I[[I)I", false);
        } else {
            mv.visitInsn(DUP2);
            push(tagMask(size));
            mv.visitInsn(LAND);
            mv.visitVarInsn(LLOAD, CTX);
            mv.visitInsn(LOR);
            mv.visitVarInsn(ALOAD, tlb);
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, "probe", "(JJ[J)I", false);
        }
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, idx);
        mv.visitJumpInsn(IFLT, miss);
    }

    /** The local holding the high window's directory beside the low table in local tlb. */
    private static int highOf(int tlb) { return tlb == LOAD_TLB ? LOAD_HIGH : STORE_HIGH; }

    /** The bits of a va its TLB tag keeps for an aligned access of size bytes (see {@link Mmu}). */
    private static long tagMask(int size) {
        return ~(0xfffL & (-1L << Integer.numberOfTrailingZeros(size)));
    }

    /**
     * A load's or store's probe (tlb: LOAD_TLB or STORE_TLB), chained when it can be: when
     * an earlier access of this block went through the same base register, unchanged
     * since, by a delta that keeps this one aligned, its index plus the delta is this
     * one's, if that stays on the page ({@link xv6j.machine.CompiledAccess#near}), with no
     * TLB entry read; else the TLB is probed. A load may chain to a load or a store (a
     * page the store TLB maps is readable, and its walk set the accessed bit), a store
     * only to a store. The TLBs do not change during a call: a shootdown waits for the
     * hart to finish it (see {@link xv6j.machine.Reservations}). The index is left in
     * the base register's chain local, which is returned.
     */
    private int accessProbe(int tlb, int rs1, long imm, int size, Label miss) {
        if (!CHAIN) {
            probe(tlb, rs1, imm, size, miss, IDX);
            return IDX;
        }
        int idx = chainLocal[rs1];
        long delta = imm - chainImm[rs1];
        boolean store = tlb == STORE_TLB;
        if (chained[rs1] && size <= chainAlign[rs1] && delta % size == 0 && (!store || chainStores[rs1])) {
            if (ORIGIN && Mmu.DIRECT) {
                // From the chain's origin, which stays the chain's: every access of the
                // chain tests the origin's page offset against a constant of its own.
                mv.visitVarInsn(ILOAD, idx);
                push((int) (delta >= 0 ? 4096 - delta : -delta));
                address(rs1, imm);
                push(size - 1);
                mv.visitVarInsn(ALOAD, tlb);
                mv.visitVarInsn(ALOAD, highOf(tlb));
                mv.visitMethodInsn(INVOKESTATIC, ACCESS, delta >= 0 ? "nearUp" : "nearDown", "(IIJI[I[[I)I", false);
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, IDX);
                mv.visitJumpInsn(IFLT, miss);
                return IDX;
            }
            mv.visitVarInsn(ILOAD, idx);
            push((int) delta);
            address(rs1, imm);
            if (Mmu.DIRECT) {
                push(size - 1);
                mv.visitVarInsn(ALOAD, tlb);
                mv.visitVarInsn(ALOAD, highOf(tlb));
                mv.visitMethodInsn(INVOKESTATIC, ACCESS, "nearDirect", "(IIJI[I[[I)I", false);
            } else {
                push(tagMask(size));
                mv.visitVarInsn(LLOAD, CTX);
                mv.visitVarInsn(ALOAD, tlb);
                mv.visitMethodInsn(INVOKESTATIC, ACCESS, "near", "(IIJJJ[J)I", false);
            }
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, idx);
            mv.visitJumpInsn(IFLT, miss);
        } else {
            probe(tlb, rs1, imm, size, miss, idx);
        }
        chained[rs1] = true;
        chainImm[rs1] = imm;
        chainAlign[rs1] = size; // either way the index is aligned for size
        chainStores[rs1] = store; // a load's slow path probed the load TLB
        return idx;
    }

    /** Pushes ram[idx >>> 3], the doubleword holding the access (its ram index in the local idx). */
    private void doubleword(int idx) {
        mv.visitVarInsn(ALOAD, RAM);
        mv.visitVarInsn(ILOAD, idx);
        mv.visitInsn(ICONST_3);
        mv.visitInsn(IUSHR);
    }

    private void load(int s, int op, int rd, int rs1, int rs2, long imm) {
        int size = loadSize(op, rs2);
        Label miss = new Label();
        int idx = accessProbe(LOAD_TLB, rs1, imm, size, miss);
        // A miss (not in the TLB, misaligned, or a fault) leaves before the load, for the
        // interpreter to make it: no call on the slow path, so the region's method stays
        // small and C2 keeps no spill code at every access.
        int k = inBlock, len = blockLength;
        outOfLine.add(() -> {
            mv.visitLabel(miss);
            leave(s, len - k, exitStep);
        });
        if (op == Op.LOAD_X0) return;
        doubleword(idx);
        mv.visitInsn(LALOAD);
        if (size < 8) { // shifted down by its offset in the doubleword (a long shifts by the count's low 6 bits)
            mv.visitVarInsn(ILOAD, idx);
            mv.visitInsn(ICONST_3);
            mv.visitInsn(ISHL);
            mv.visitInsn(LUSHR);
        }
        // The value's bytes are in the low end, perhaps with the doubleword's others above.
        switch (op) {
            case Op.LB -> { mv.visitInsn(L2I); mv.visitInsn(I2B); mv.visitInsn(I2L); }
            case Op.LBU -> { push(0xffL); mv.visitInsn(LAND); }
            case Op.LH -> { mv.visitInsn(L2I); mv.visitInsn(I2S); mv.visitInsn(I2L); }
            case Op.LHU -> { mv.visitInsn(L2I); mv.visitInsn(I2C); mv.visitInsn(I2L); }
            case Op.LW -> { mv.visitInsn(L2I); mv.visitInsn(I2L); }
            case Op.LWU -> { push(0xffffffffL); mv.visitInsn(LAND); }
            case Op.FLW -> { push(0xffffffffL); mv.visitInsn(LAND); push(0xffffffff00000000L); mv.visitInsn(LOR); } // NaN-boxed
            default -> { } // LD, FLD
        }
        if (op == Op.FLW || op == Op.FLD) {
            mv.visitVarInsn(LSTORE, TMP);
            mv.visitVarInsn(ALOAD, F);
            push(rd);
            mv.visitVarInsn(LLOAD, TMP);
            mv.visitInsn(LASTORE);
        } else {
            set(rd);
        }
    }

    private void store(int s, int op, int rs1, int rs2, long imm, int next) {
        int size = switch (op) {
            case Op.SB -> 1;
            case Op.SH -> 2;
            case Op.SW, Op.FSW -> 4;
            default -> 8;
        };
        boolean fp = op == Op.FSW || op == Op.FSD;
        Label miss = new Label(), stored = new Label(), shared = new Label(), code = new Label(), done = new Label();
        int idx = accessProbe(STORE_TLB, rs1, imm, size, miss);
        // The slow paths below come back here and to done by backward jumps: with a value
        // on the stack, as a block's, so that HotSpot does not make an on-stack replacement there.
        carry();
        if (size == 8) {
            doubleword(idx);
            storeValue(fp, rs2);
            mv.visitInsn(LASTORE);
        } else {
            mv.visitVarInsn(ILOAD, SHARED);
            mv.visitJumpInsn(IFNE, shared);
            mv.visitVarInsn(ALOAD, RAM);
            mv.visitVarInsn(ILOAD, idx);
            storeValue(fp, rs2);
            mv.visitMethodInsn(INVOKESTATIC, PHYS, size == 1 ? "put8" : size == 2 ? "put16" : "put32", "([JIJ)V", false);
        }
        mv.visitLabel(stored);
        // A page with decoded code loses it; the region's own page: leave after the store.
        mv.visitVarInsn(ALOAD, DECODED);
        mv.visitVarInsn(ILOAD, idx);
        push(12);
        mv.visitInsn(IUSHR);
        mv.visitInsn(AALOAD);
        mv.visitJumpInsn(IFNONNULL, code);
        mv.visitLabel(done);
        drop();
        int k = inBlock, len = blockLength;
        outOfLine.add(() -> {
            if (size < 8) {
                mv.visitLabel(shared);
                mv.visitVarInsn(ALOAD, RAM);
                mv.visitVarInsn(ILOAD, idx);
                push(size);
                storeValue(fp, rs2);
                mv.visitMethodInsn(INVOKESTATIC, PHYS, "putShared", "([JIIJ)V", false);
                mv.visitJumpInsn(GOTO, stored);
            }
            mv.visitLabel(code);
            mv.visitVarInsn(ALOAD, DECODED);
            mv.visitVarInsn(ILOAD, idx);
            push(12);
            mv.visitInsn(IUSHR);
            mv.visitVarInsn(ILOAD, PAGE);
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, "codeWritten", "([Ljava/lang/Object;II)I", false);
            mv.visitJumpInsn(IFEQ, done);
            drop();
            leave(next, len - k - 1, exitJump);
            // A miss (not in the TLB, misaligned, a fault, the LR reservation's page) leaves
            // before the store, for the interpreter to make, as a load's does.
            mv.visitLabel(miss);
            leave(s, len - k, exitStep);
        });
    }

    /** Pushes rs1 + imm. */
    private void address(int rs1, long imm) {
        get(rs1);
        if (imm != 0) { push(imm); mv.visitInsn(LADD); }
    }

    private void storeValue(boolean fp, int rs2) {
        if (fp) {
            mv.visitVarInsn(ALOAD, F);
            push(rs2);
            mv.visitInsn(LALOAD);
        } else {
            get(rs2);
        }
    }

    /**
     * An OP-FP or fused multiply-add: the hart's FloatUnit runs it on h.f and h.x, so the
     * integer registers it may read or write (rs1, rd) go to h.x first and rd comes back.
     * An illegal one leaves for the interpreter to raise.
     */
    private void floatingPoint(int s, int insn, int rd, int rs1) {
        String arithmetic = arithmeticHelper(insn);
        if (arithmetic == null) { // it may read or write an x register: they go through h.x
            spill(rs1);
            spill(rd);
        }
        mv.visitVarInsn(ALOAD, H);
        push(insn);
        mv.visitMethodInsn(INVOKESTATIC, FLOAT_UNIT, arithmetic != null ? arithmetic : "execute", "(L" + HART + ";I)Z", false);
        Label illegal = new Label();
        mv.visitJumpInsn(IFEQ, illegal);
        if (arithmetic == null && rd != 0 && local[rd] != 0) {
            mv.visitVarInsn(ALOAD, X);
            push(rd);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, local[rd]);
            chained[rd] = false;
        }
        int k = inBlock, len = blockLength;
        outOfLine.add(() -> {
            mv.visitLabel(illegal);
            leave(s, len - k, exitStep);
        });
    }

    /**
     * The FloatUnit method for insn if it is an arithmetic operation on f registers alone
     * (FADD, FSUB, FMUL, FDIV and the fused multiply-adds, single or double), which has a
     * fast path for round to nearest even; null for the rest (moves, compares and
     * conversions that touch x registers; other formats), which go through execute.
     */
    private static String arithmeticHelper(int insn) {
        if ((insn >>> 25 & 3) > 1) return null;
        return switch (insn & 0x7F) {
            case 0x53 -> insn >>> 27 <= 3 ? "arithmetic" : null;
            case 0x43, 0x47, 0x4B, 0x4F -> "fusedMultiplyAdd";
            default -> null;
        };
    }

    private void spill(int r) {
        if (r == 0 || local[r] == 0) return;
        mv.visitVarInsn(ALOAD, X);
        push(r);
        mv.visitVarInsn(LLOAD, local[r]);
        mv.visitInsn(LASTORE);
    }

    // ---- operands ----------------------------------------------------------------------

    private void get(int r) {
        if (r == 0) mv.visitInsn(LCONST_0);
        else mv.visitVarInsn(LLOAD, local[r]);
    }

    private void getInt(int r) {
        get(r);
        mv.visitInsn(L2I);
    }

    private void set(int r) {
        chained[r] = false;
        if (r == 0) mv.visitInsn(POP2);
        else mv.visitVarInsn(LSTORE, local[r]);
    }

    private void push(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private void push(long v) {
        if (v == 0) mv.visitInsn(LCONST_0);
        else if (v == 1) mv.visitInsn(LCONST_1);
        else mv.visitLdcInsn(v);
    }
}
