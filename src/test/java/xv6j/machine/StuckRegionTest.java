package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.bne;
import static xv6j.machine.Asm.ecall;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.Region;

/**
 * Hart.run chains from a region into the region marked where it jumped to on the same
 * page. A region that cannot start where it is marked leaves at once, retiring nothing,
 * with pc that same slot: chained into again and again, the hart would loop for ever
 * (a scratch build of docs/design.md's round 9 did). The interpreter must run the
 * instruction instead, and the program go on exactly.
 */
class StuckRegionTest {
    /** Retires nothing: jumps to where it was entered. */
    static final class Stuck extends Region {
        int entered;

        @Override
        public long run(Hart h, long pageVa, int page, int slot, int budget) {
            if (budget > 0) entered++;
            h.jitExit = budget > 0 ? Region.JUMP : Region.BUDGET;
            h.pageLeft = budget;
            return pageVa + ((long) slot << 1);
        }
    }

    @Test
    void aRegionThatRetiresNothingWhereItIsMarkedLeavesTheInstructionToTheInterpreter() {
        TestMachine m = new TestMachine();
        // a0 = 900; loop: a0 -= 1; bne a0, zero, loop; ecall. Few enough instructions
        // interpreted that the page does not turn hot and get a region of its own.
        m.load(addi(10, 0, 900), addi(10, 10, -1), bne(10, 0, -4), ecall());
        m.hart.setEngine(Engine.TRANSLATOR);
        int page = (int) ((TestMachine.CODE - PhysicalMemory.BASE) >>> 12);
        long[] words = m.mem.newDecoded(page);
        Stuck stuck = new Stuck();
        m.mem.translator.markForTesting(page, words, 2, stuck); // the loop's head, at CODE + 4

        Trap t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.hart.run(1_000_000));

        assertEquals(new Trap(Trap.Cause.ECALL, TestMachine.CODE + 12, 0), t);
        assertEquals(0, m.x[10]);
        assertEquals(1 + 2 * 900, m.hart.instret, "every instruction retired once, by the interpreter");
        assertTrue(stuck.entered >= 900, "the marked region was entered at each pass: " + stuck.entered);
    }
}
