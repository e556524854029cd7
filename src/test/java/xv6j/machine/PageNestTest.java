package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;

/**
 * A loop too large for one region (its page's unit holds 100 instructions), with a call
 * and a return on its page, runs in its page's nest (docs/design.md, round 20): the code
 * of the page's regions as one method, so that the loop's hops between regions are gotos
 * inside it, and it ends exactly as under the interpreter after every slice of odd
 * budgets (a nest's budget exits, chunks and loads and stores included).
 */
class PageNestTest {
    static final int PASSES = 3000;

    /** The loop: 70 instructions, a call of f, 70 more, the count and the branch back; then ecall; then f (20 and a return). */
    static int[] program() {
        List<Integer> p = new ArrayList<>();
        int[] regs = {5, 6, 7, 8, 9, 11, 12, 13};
        for (int k = 0; k < 70; k++) p.add(k % 10 == 9 ? sd(regs[k % 8], 14, 8 * (k % 16)) : addi(regs[k % 8], regs[k % 8], k + 1));
        int call = p.size();
        p.add(0); // jal ra, f: below, once f's place is known
        for (int k = 0; k < 70; k++) p.add(k % 10 == 4 ? ld(regs[k % 8], 14, 8 * (k % 16)) : xori(regs[k % 8], regs[k % 8], k));
        p.add(addi(10, 10, -1));
        p.add(bne(10, 0, -4 * p.size()));
        p.add(ecall());
        int f = p.size();
        p.set(call, jal(1, 4 * (f - call)));
        for (int k = 0; k < 20; k++) p.add(add(regs[k % 8], regs[k % 8], regs[(k + 3) % 8]));
        p.add(jalr(0, 1, 0));
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    static TestMachine machine(Engine engine) { return machine(engine, program(), PASSES); }

    /** A machine with program loaded to run passes times (x10) over the data at x14. */
    static TestMachine machine(Engine engine, int[] program, int passes) {
        TestMachine m = new TestMachine().load(program);
        m.hart.setEngine(engine);
        m.x[10] = passes;
        m.x[14] = TestMachine.DATA;
        return m;
    }

    /**
     * Runs want (the interpreter) and got in slices of odd budgets (chunk ends, budget
     * exits inside the nest), the first of first instructions and the last to the end,
     * and asserts after each that they stand the same: trap, registers, pc, instret and
     * the data they load and store.
     */
    static void runInSlices(TestMachine want, TestMachine got, long first) {
        long[] budgets = {first, 3 * Hart.JIT_CHUNK + 17, 777, 5, Hart.JIT_CHUNK - 3, 100_000_000};
        for (int i = 0; i < budgets.length; i++) {
            Trap t = want.hart.run(budgets[i]);
            assertEquals(t, got.hart.run(budgets[i]), "slice " + i + ": trap");
            assertArrayEquals(want.x, got.x, "slice " + i + ": registers");
            assertEquals(want.hart.pc, got.hart.pc, "slice " + i + ": pc");
            assertEquals(want.hart.instret, got.hart.instret, "slice " + i + ": instret");
            byte[] a = new byte[128], b = new byte[128];
            want.mem.read(TestMachine.DATA, a, 0, a.length);
            got.mem.read(TestMachine.DATA, b, 0, b.length);
            assertArrayEquals(a, b, "slice " + i + ": memory");
        }
    }

    @Test
    void aLoopOverSeveralRegionsRunsInItsPagesNestAndEndsAsTheInterpreterEnds() {
        TestMachine want = machine(Engine.INTERPRETER), got = machine(Engine.EAGER);
        runInSlices(want, got, 1000);
        assertEquals(Trap.Cause.ECALL, want.hart.run(10).cause(), "the loop ran to its end");
        var stats = got.mem.translator.stats();
        assertTrue(stats.nests >= 1, "a nest was made");
        // Without it the loop leaves a region at least once a pass (its unit holds 100 of
        // its 163 instructions): PASSES hops and more.
        assertTrue(stats.hops < PASSES / 10, "the loop hopped between regions " + stats.hops + " times in " + PASSES + " passes");
    }
}
