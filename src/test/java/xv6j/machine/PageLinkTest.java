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
 * the page's link (round 16), and ends exactly where the interpreter alone would: every
 * instruction retired once, the budget's chunks resumed in the region that ran out.
 */
class PageLinkTest {
    static final int A = 2, B = 4; // slots of the loop's two instructions

    /** Runs one instruction of the loop, as compiled code would, entered only at its own slot. */
    abstract static class Half extends Region {
        final int at;
        /** Calls that ran the instruction; of every 64th, how many came from a link. */
        int calls, sampled, fromLink;

        Half(int at) { this.at = at; }

        /** The instruction; returns the slot it goes to. */
        abstract int execute(Hart h);

        @Override
        public long run(Hart h, long pageVa, int page, int slot, int budget) {
            if (slot != at) throw new AssertionError("entered at slot " + slot + ", not " + at);
            h.pageLeft = budget;
            if (budget < 1) {
                h.jitExit = Region.BUDGET;
                return pageVa + ((long) slot << 1);
            }
            if ((calls++ & 63) == 0 && sampled++ >= 0 && StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES).walk(s -> s.skip(1).findFirst())
                    .map(f -> f.getClassName().startsWith("xv6j.machine.CompiledLink")).orElse(false)) fromLink++;
            h.pageLeft = budget - 1;
            h.jitExit = Region.JUMP;
            return pageVa + ((long) execute(h) << 1);
        }
    }

    /** addi a0, a0, -1 at slot A, on to B. */
    static final class Decrement extends Half {
        Decrement() { super(A); }

        @Override int execute(Hart h) {
            h.x[10]--;
            return B;
        }
    }

    /** bne a0, zero, A at slot B, else on to the ecall. */
    static final class Branch extends Half {
        Branch() { super(B); }

        @Override int execute(Hart h) { return h.x[10] != 0 ? A : B + 2; }
    }

    @Test
    void aLoopOverTwoRegionsOfAPageHopsInCompiledCodeAndEndsExactly() {
        int n = 100_000; // 200,000 hops: the link is made after 65,536 taken by Hart.run, and chunks of 16384 run out
        TestMachine m = new TestMachine();
        // a0 += 0; loop: a0 -= 1; bne a0, zero, loop; ecall. The interpreter runs two of
        // these instructions: the page never turns hot, so only the two regions below run.
        m.load(addi(10, 10, 0), addi(10, 10, -1), bne(10, 0, -4), ecall());
        m.hart.setEngine(Engine.TRANSLATOR);
        int page = (int) ((TestMachine.CODE - PhysicalMemory.BASE) >>> 12);
        long[] words = m.mem.newDecoded(page);
        Decrement a = new Decrement();
        Branch b = new Branch();
        m.mem.translator.markForTesting(page, words, A, a);
        m.mem.translator.markForTesting(page, words, B, b);
        m.x[10] = n;

        Trap t = m.hart.run(10_000_000);

        assertEquals(new Trap(Trap.Cause.ECALL, TestMachine.CODE + 6 * 2, 0), t);
        assertEquals(0, m.x[10]);
        assertEquals(1 + 2L * n, m.hart.instret, "every instruction retired once");
        assertEquals(n, a.calls);
        assertEquals(n, b.calls);
        assertTrue(m.mem.translator.stats().links >= 1, "a link was made");
        assertTrue(a.fromLink > a.sampled / 2 && b.fromLink > b.sampled / 2, "most hops were taken in the page's link, not by Hart.run: "
                + a.fromLink + " of " + a.sampled + ", " + b.fromLink + " of " + b.sampled + " calls sampled");
    }
}
