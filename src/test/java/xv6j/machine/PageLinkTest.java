package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.bne;
import static xv6j.machine.Asm.ecall;

import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.Region;

/**
 * A loop split over two regions of one page hops between them in compiled code, through
 * the page's link (docs/design.md, round 16), and ends exactly where the interpreter alone
 * would: every instruction retired once, and a chunk of the budget that ran out inside the
 * second region's second block resumed there, in that region.
 */
class PageLinkTest {
    // The loop: A = slot 2, a0 -= 1; B = slots 4-10, a1 += 3 in two blocks (4, 6 and 8, 10),
    // the second ending in bne a0, zero, A; the ecall at slot 12.
    static final int A = 2, B = 4, B2 = 8, ECALL = 12;

    /** A region as the translator would make it, checking where it is entered and from what. */
    abstract static class Fake extends Region {
        /** Calls that ran something; of every 64th, how many came from a link. */
        int calls, sampled, fromLink;

        /** Runs from slot with budget; sets h.pageLeft and h.jitExit and returns pc. */
        abstract long execute(Hart h, long pageVa, int slot, int budget);

        @Override
        public long run(Hart h, long pageVa, int page, int slot, int budget) {
            if (budget > 0 && (calls++ & 63) == 0) {
                sampled++;
                if (StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES).walk(s -> s.skip(1).findFirst())
                        .map(f -> f.getClassName().startsWith("xv6j.machine.CompiledLink")).orElse(false)) fromLink++;
            }
            return execute(h, pageVa, slot, budget);
        }

        static long stop(Hart h, long pageVa, int slot, int left, int why) {
            h.pageLeft = left;
            h.jitExit = why;
            return pageVa + ((long) slot << 1);
        }
    }

    /** addi a0, a0, -1; on to B. */
    static final class Decrement extends Fake {
        @Override long execute(Hart h, long pageVa, int slot, int budget) {
            if (slot != A) throw new AssertionError("A entered at slot " + slot);
            if (budget < 1) return stop(h, pageVa, A, budget, BUDGET);
            h.x[10]--;
            return stop(h, pageVa, B, budget - 1, JUMP);
        }
    }

    /** Two blocks of two: a1 += 1 twice; a1 += 1, bne a0, zero, A. Entered at either. */
    static final class Count extends Fake {
        @Override long execute(Hart h, long pageVa, int slot, int budget) {
            if (slot != B && slot != B2) throw new AssertionError("B entered at slot " + slot);
            if (slot == B) {
                if (budget < 2) return stop(h, pageVa, B, budget, BUDGET);
                h.x[11] += 2;
                budget -= 2;
            }
            if (budget < 2) return stop(h, pageVa, B2, budget, BUDGET);
            h.x[11]++;
            return stop(h, pageVa, h.x[10] != 0 ? A : ECALL, budget - 2, JUMP);
        }
    }

    @Test
    void aLoopOverTwoRegionsOfAPageHopsInCompiledCodeAndEndsExactly() {
        int n = 100_000; // 200,000 hops, 500,000 instructions, over chunks of 16384 = 5 * 3276 + 4
        TestMachine m = new TestMachine();
        // Run from the loop's head: the two regions below run the loop, the interpreter
        // the ecall. Engine.EAGER links a page after 3 hops Hart.run took there; the
        // translator only with -Dxv6j.jit.link=true.
        m.load(addi(10, 10, 0), addi(10, 10, -1), addi(11, 11, 1), addi(11, 11, 1), addi(11, 11, 1),
                bne(10, 0, -16), ecall());
        m.hart.setEngine(Engine.EAGER);
        m.hart.pc = TestMachine.CODE + 2 * A;
        int page = (int) ((TestMachine.CODE - PhysicalMemory.BASE) >>> 12);
        long[] words = m.mem.newDecoded(page);
        Decrement a = new Decrement();
        Count b = new Count();
        m.mem.translator.markForTesting(page, words, A, a);
        m.mem.translator.markForTesting(page, words, B, b);
        m.x[10] = n;

        Trap t = m.hart.run(10_000_000);

        assertEquals(new Trap(Trap.Cause.ECALL, TestMachine.CODE + 2 * ECALL, 0), t);
        assertEquals(0, m.x[10]);
        assertEquals(3L * n, m.x[11]);
        assertEquals(5L * n, m.hart.instret, "every instruction retired once");
        assertTrue(m.mem.translator.stats().links >= 1, "a link was made");
        assertTrue(a.fromLink > a.sampled / 2 && b.fromLink > b.sampled / 2, "most hops were taken in the page's link, not by Hart.run: "
                + a.fromLink + " of " + a.sampled + ", " + b.fromLink + " of " + b.sampled + " calls sampled");
    }
}
