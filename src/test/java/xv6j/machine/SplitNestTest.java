package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;

/**
 * A page whose hot code is too large for one method (two inner loops of 187 instructions
 * each in an outer loop with a call) runs in its nest split along its loops
 * (docs/design.md, round 22): each inner loop whole in a method of its own, so that it
 * runs its passes without leaving, and the hops between the methods (the loops' entries
 * and exits, the call and the return) are taken by the page's link; it ends exactly as
 * under the interpreter after every slice of odd budgets.
 */
class SplitNestTest {
    static final int PASSES = 300, INNER = 10;

    /** An inner loop of 185 instructions, its count (in x) and its branch back, counted from INNER. */
    private static void inner(List<Integer> p, int x, int salt) {
        int[] regs = {5, 6, 7, 8, 9, 11, 12, 13};
        p.add(addi(x, 0, INNER));
        int top = p.size();
        for (int k = 0; k < 185; k++) {
            int r = regs[(k + salt) % 8];
            p.add(k % 10 == 9 ? sd(r, 14, 8 * (k % 16)) : k % 10 == 4 ? ld(r, 14, 8 * ((k + salt) % 16)) : xori(r, r, k + salt));
        }
        p.add(addi(x, x, -1));
        p.add(bne(x, 0, -4 * (p.size() - top)));
    }

    /** The outer loop: inner loop A, a call of f, inner loop B, the count and the branch back; then ecall; then f. */
    static int[] program() {
        List<Integer> p = new ArrayList<>();
        inner(p, 15, 0);
        int call = p.size();
        p.add(0); // jal ra, f: below, once f's place is known
        inner(p, 16, 3);
        p.add(addi(10, 10, -1));
        p.add(bne(10, 0, -4 * p.size()));
        p.add(ecall());
        int f = p.size();
        p.set(call, jal(1, 4 * (f - call)));
        for (int k = 0; k < 20; k++) p.add(add(5 + k % 4, 5 + k % 4, 9 + k % 3));
        p.add(jalr(0, 1, 0));
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void twoLoopsTooLargeForOneMethodRunEachInAPieceOfTheirPagesNestAndEndAsTheInterpreterEnds() {
        TestMachine want = PageNestTest.machine(Engine.INTERPRETER, program(), PASSES);
        TestMachine got = PageNestTest.machine(Engine.EAGER, program(), PASSES);
        PageNestTest.runInSlices(want, got, 3000);
        assertEquals(Trap.Cause.ECALL, want.hart.run(10).cause(), "the loop ran to its end");
        var stats = got.mem.translator.stats();
        assertTrue(stats.nestPieces >= 2, "the nest was split: " + stats.nests + " nests, " + stats.nestPieces + " pieces");
        assertEquals(0, stats.failures, "the translator failed to compile a region");
        // Each inner loop is larger than a region (100 instructions): without its own piece
        // it leaves a region on every pass, 2 * INNER * PASSES hops. In pieces, only the
        // loops' entries and exits and the call hop: a few a pass.
        assertTrue(stats.hops < 6L * PASSES, "the loops hopped between regions " + stats.hops + " times in " + PASSES + " passes");
    }
}
