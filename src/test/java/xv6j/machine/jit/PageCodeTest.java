package xv6j.machine.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import xv6j.machine.Decoded;

/**
 * A page's count of hops takes what a link reports as it comes. A link says which slot its
 * last region was entered at; by the time the hart reads the word there, another hart may
 * have taken the mark away, and the word is an instruction whose imm (-240, say) names no
 * region. That once threw ArrayIndexOutOfBoundsException out of the hart on kernel-exo
 * (`exo panic`, LibosUsertestsTest under the eager engine, two harts).
 */
class PageCodeTest {
    @Test
    void aHopCountedForANegativeOrUnknownRegionIndexIsIgnored() {
        PageCode p = new PageCode(0, new long[Decoded.PAGE_WORDS], new long[512]);
        p.add(new Region() {
            @Override
            public long run(xv6j.machine.Hart h, long pageVa, int page, int slot, int budget) {
                throw new AssertionError("never run");
            }
        });
        assertEquals(0, p.hop(-240, 5), "no region has index -240");
        assertEquals(0, p.hop(7, 5), "nor 7, on a page of one region");
        assertEquals(1, p.hop(0, 5), "region 0's first hop");
        assertEquals(4, p.hopsTo(5), "the three hops above counted at slot 5 whatever their region, and this one");
    }
}
