package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import org.junit.jupiter.api.Test;

/**
 * The handles where a capability table's chunks begin and end (63, 64, 65; 127, 128), and
 * its last (EXO_NCAP - 1) and one past it, as a program meets them (red team 12): a table
 * filled to EXO_NCAP refuses the next grant with E_FULL and loses nothing; a handle freed
 * is E_BADCAP to every later use, whether its chunk went with it or not; the lowest free
 * handle is given next, across chunk boundaries, up to the last; and a chunk emptied and
 * refilled comes back with none of its old capabilities. The checker runs at each step.
 */
class CapTableBoundaryTest {
    /**
     * A child whose table the first environment fills to EXO_NCAP with copies of its
     * console capability at handle h[1] (itself a copy, so that revoking it empties the table).
     */
    private static Env full(ExoFixture f, long[] h) {
        Env c = f.child(f.boot, h);
        h[1] = f.call(f.boot, SYS_capgrant, EXO_BOOT_CONSOLE, EXO_SELF, CAP_ALL, 0, 0, 0);
        for (int i = 0; i < EXO_NCAP; i++) assertEquals(i, f.k.invoke(f.boot, SYS_capgrant, h[1], h[0], CAP_W | CAP_GRANT, 0, 0, 0));
        f.check();
        return c;
    }

    @Test
    void handlesAtChunkBoundariesAndTheLastAreGivenFreedAndRefusedExactly() throws Exception {
        try (ExoFixture f = new ExoFixture("", 64)) {
            long[] h = new long[2];
            Env c = full(f, h);
            assertEquals(EXO_NCAP, c.caps.size());
            assertEquals(E_FULL, f.call(f.boot, SYS_capgrant, h[1], h[0], CAP_W | CAP_GRANT, 0, 0, 0), "a full table takes no more");
            assertEquals(E_FULL, f.call(c, SYS_capgrant, EXO_NCAP - 1, EXO_SELF, CAP_W, 0, 0, 0), "nor from its own owner");
            assertEquals(EXO_NCAP, c.caps.size());

            long[] edges = {63, 64, 65, 127, 128, EXO_NCAP - 1};
            for (long e : edges) {
                assertEquals(0, f.call(c, SYS_capfree, e), "free " + e);
                assertEquals(E_BADCAP, f.call(c, SYS_capfree, e), "freed " + e + " again");
                assertEquals(E_BADCAP, f.call(c, SYS_capgrant, e, EXO_SELF, CAP_W, 0, 0, 0), "grant from freed " + e);
                assertNull(c.caps.get(e));
            }
            for (long e : new long[] {EXO_NCAP, EXO_NCAP + 1, -1, Integer.MAX_VALUE, Long.MIN_VALUE})
                assertEquals(E_BADCAP, f.call(c, SYS_capfree, e), "no handle " + e);
            // Lowest first, across the chunks, up to the last.
            for (long e : edges) assertEquals(e, f.call(f.boot, SYS_capgrant, h[1], h[0], CAP_W | CAP_GRANT, 0, 0, 0));
            assertEquals(E_FULL, f.call(f.boot, SYS_capgrant, h[1], h[0], CAP_W | CAP_GRANT, 0, 0, 0));

            // A whole chunk (64..127) emptied goes; its handles are gone, and come back new.
            int before = c.caps.slots();
            for (int i = 64; i < 128; i++) assertEquals(0, f.k.invoke(c, SYS_capfree, i));
            f.check();
            assertEquals(before - CapTable.CHUNK, c.caps.slots(), "an empty chunk is given back");
            for (long e : new long[] {64, 100, 127}) {
                assertEquals(E_BADCAP, f.call(c, SYS_capfree, e), "handle " + e + " of a dropped chunk");
                assertNull(c.caps.get(e));
            }
            assertEquals(0, f.call(c, SYS_capgrant, 128, EXO_SELF, CAP_W, 0, 0, 0) - 64, "its first handle comes back first");
            assertEquals(CAP_W, c.caps.get(64).rights, "with the new capability, not an old one");
            assertEquals(E_BADCAP, f.call(c, SYS_capfree, 65));

            // Everything revoked at once: the table is empty and costs one chunk at most.
            assertEquals(EXO_NCAP - 64 + 1, f.call(f.boot, SYS_caprevoke, h[1]));
            assertEquals(0, c.caps.size());
            assertTrue(c.caps.slots() <= CapTable.CHUNK, "slots kept: " + c.caps.slots());
            assertEquals(0, f.call(f.boot, SYS_capgrant, h[1], h[0], CAP_W | CAP_GRANT, 0, 0, 0));
        }
    }
}
