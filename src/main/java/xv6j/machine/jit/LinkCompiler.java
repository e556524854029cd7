package xv6j.machine.jit;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import xv6j.machine.Decoded;

/**
 * Writes the class of a {@link PageLink}: one method, {@code run(Hart h, long pageVa, int
 * page, int slot, int budget)}, a loop of
 * <pre>
 *   switch (slot) { case s: r = the region marked at s; ... }   // a case per marked slot
 *   Region.prime(r, ...); pc = r.run(h, pageVa, page, slot, left); left = h.pageLeft;
 *   on to the slot pc is at if h.jitExit == JUMP, the call retired something, budget is
 *   left, pc is on the page, its decoded words are the same and the mark there is as made
 * </pre>
 * where each region's call is its own call site on a constant receiver: the class's
 * class data is the page's regions (a hidden class cannot name another, so it reaches
 * them by {@code MethodHandles.classDataAt}, a dynamic constant HotSpot folds).
 */
final class LinkCompiler {
    private LinkCompiler() {}

    private static final String HART = "xv6j/machine/Hart", REGION = "xv6j/machine/jit/Region",
            LINK = "xv6j/machine/jit/PageLink";
    private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

    // Locals of run.
    private static final int THIS = 0, H = 1, PAGE_VA = 2, PAGE = 4, SLOT = 5, LEFT = 6, WORDS = 7, MARKS = 8, PC = 9,
            BEFORE = 11, R = 12, DECODED = 13, TO = 14;

    /** Bytecode past which the class is not made (HotSpot compiles no method past 8000). */
    static final int MAX_CODE_BYTES = 7000;

    /**
     * The class file of a link over marks (per slot; 0: none), each mark naming by its imm
     * an index into the class data's regions; null if its method would be too large.
     */
    static byte[] compile(long[] marks) {
        return RegionCompiler.classOf("xv6j/machine/CompiledLink", LINK, mv -> emit(mv, marks), MAX_CODE_BYTES).classFile();
    }

    /** Pushes region, h, pageVa, page and slot: the first arguments of its run and of Region.prime. */
    private static void regionAt(MethodVisitor mv, ConstantDynamic region) {
        mv.visitLdcInsn(region);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(LLOAD, PAGE_VA);
        mv.visitVarInsn(ILOAD, PAGE);
        mv.visitVarInsn(ILOAD, SLOT);
    }

    private static void emit(MethodVisitor mv, long[] marks) {
        // The regions marked, and a case for each.
        int keys = 0, regions = 0;
        for (long m : marks) if (m != 0) { keys++; regions = Math.max(regions, (int) Decoded.imm(m) + 1); }
        int[] slots = new int[keys];
        Label[] cases = new Label[keys];
        Label[] regionCase = new Label[regions];
        keys = 0;
        for (int s = 0; s < marks.length; s++) {
            if (marks[s] == 0) continue;
            int k = (int) Decoded.imm(marks[s]);
            if (regionCase[k] == null) regionCase[k] = new Label();
            slots[keys] = s;
            cases[keys++] = regionCase[k];
        }
        Label dispatch = new Label(), after = new Label(), ret = new Label();

        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "decoded", "[Ljava/lang/Object;");
        mv.visitVarInsn(ASTORE, DECODED);
        mv.visitVarInsn(ALOAD, DECODED);
        mv.visitVarInsn(ILOAD, PAGE);
        mv.visitInsn(AALOAD);
        mv.visitTypeInsn(CHECKCAST, "[J");
        mv.visitVarInsn(ASTORE, WORDS);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, LINK, "marks", "[J");
        mv.visitVarInsn(ASTORE, MARKS);
        mv.visitInsn(ACONST_NULL);
        mv.visitVarInsn(ASTORE, R);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, PC);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, BEFORE);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, TO);

        // The caller found slot marked as in marks.
        mv.visitLabel(dispatch);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitLookupSwitchInsn(ret, slots, cases); // default: unreachable (a slot is taken only if marked as here)

        for (int k = 0; k < regions; k++) {
            if (regionCase[k] == null) continue;
            ConstantDynamic region = new ConstantDynamic("_", "L" + REGION + ";", CLASS_DATA_AT, k);
            mv.visitLabel(regionCase[k]);
            mv.visitLdcInsn(region);
            mv.visitVarInsn(ASTORE, R);
            regionAt(mv, region);
            mv.visitMethodInsn(INVOKESTATIC, REGION, "prime", "(L" + REGION + ";L" + HART + ";JII)V", false);
            mv.visitVarInsn(ILOAD, LEFT);
            mv.visitVarInsn(ISTORE, BEFORE);
            regionAt(mv, region); // a constant receiver: a direct call
            mv.visitVarInsn(ILOAD, LEFT);
            mv.visitMethodInsn(INVOKEVIRTUAL, REGION, "run", RegionCompiler.RUN_DESC, false);
            mv.visitVarInsn(LSTORE, PC);
            mv.visitJumpInsn(GOTO, after);
        }

        // As Hart.run decides whether to chain: only a jump that retired something, with
        // budget left, to elsewhere on the same page, still the same code and marks.
        mv.visitLabel(after);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "pageLeft", "I");
        mv.visitVarInsn(ISTORE, LEFT);
        mv.visitVarInsn(ALOAD, H);
        mv.visitFieldInsn(GETFIELD, HART, "jitExit", "I");
        mv.visitJumpInsn(IFNE, ret); // Region.JUMP is 0
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitVarInsn(ILOAD, BEFORE);
        mv.visitJumpInsn(IF_ICMPEQ, ret);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitJumpInsn(IFEQ, ret);
        mv.visitVarInsn(LLOAD, PC);
        mv.visitLdcInsn(~0xfffL);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LLOAD, PAGE_VA);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, ret);
        mv.visitVarInsn(LLOAD, PC);
        mv.visitInsn(L2I);
        mv.visitLdcInsn(0xfff);
        mv.visitInsn(IAND);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IUSHR);
        mv.visitVarInsn(ISTORE, TO);
        mv.visitVarInsn(ALOAD, DECODED);
        mv.visitVarInsn(ILOAD, PAGE);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ALOAD, WORDS);
        mv.visitJumpInsn(IF_ACMPNE, ret);
        mv.visitVarInsn(ALOAD, WORDS);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(ALOAD, MARKS);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitInsn(LALOAD);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, ret);
        // Taken: counted for merges as Hart.run counts it, then on.
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, PAGE);
        mv.visitVarInsn(ALOAD, WORDS);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitMethodInsn(INVOKEVIRTUAL, HART, "linkHop", "(I[JII)V", false);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitVarInsn(ISTORE, SLOT);
        mv.visitJumpInsn(GOTO, dispatch);

        // Back to Hart.run, which goes on from the last region's exit.
        mv.visitLabel(ret);
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ALOAD, R);
        mv.visitFieldInsn(PUTFIELD, HART, "jitRegion", "L" + REGION + ";");
        mv.visitVarInsn(ALOAD, H);
        mv.visitVarInsn(ILOAD, SLOT);
        mv.visitFieldInsn(PUTFIELD, HART, "jitSlot", "I");
        mv.visitVarInsn(LLOAD, PC);
        mv.visitInsn(LRETURN);
    }
}
