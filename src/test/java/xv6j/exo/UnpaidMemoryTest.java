package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Java memory the kernel keeps for an environment follows what its quota pays for now
 * (a record per capability and mapping), not the most it ever held. Its capability table,
 * a page's set of mappings and its set of CPU capabilities each kept the size they grew
 * to, so environments made one after another from one quota, each filling and emptying
 * them once, ran the JVM out of memory with their quota unused (red team 11). The loops
 * call the kernel without the checker after each call; it runs at the end.
 */
class UnpaidMemoryTest {
    static final int N = 20000;

    /**
     * A child given N copies of one of the first environment's capabilities (boot handle
     * what, with rights), which are then revoked; grown(child) is asked before.
     */
    private static Env filledAndEmptied(ExoFixture f, int what, int rights, Predicate<Env> grown) {
        long[] h = new long[1];
        Env c = f.child(f.boot, h);
        long copy = f.call(f.boot, SYS_capgrant, what, EXO_SELF, CAP_ALL, 0, 0, 0);
        for (int i = 0; i < N; i++) assertTrue(f.k.invoke(f.boot, SYS_capgrant, copy, h[0], rights, 0, 0, 0) >= 0);
        assertTrue(grown.test(c), "filled");
        assertEquals(N, f.call(f.boot, SYS_caprevoke, copy));
        assertEquals(0, c.caps.size());
        return c;
    }

    @Test
    void aCapabilityTableFilledAndEmptiedKeepsNoSlots() throws Exception {
        try (ExoFixture f = new ExoFixture("", 16)) {
            Env c = filledAndEmptied(f, EXO_BOOT_CONSOLE, CAP_W, x -> x.caps.slots() >= N);
            assertTrue(c.caps.slots() <= CapTable.CHUNK, "slots kept by an empty table: " + c.caps.slots());
        }
    }

    @Test
    void aTableKeepingItsHighestHandleKeepsAboutOneChunk() throws Exception {
        try (ExoFixture f = new ExoFixture("", 16)) {
            long[] h = new long[1];
            Env c = f.child(f.boot, h);
            for (int i = 0; i < N; i++) assertTrue(f.k.invoke(f.boot, SYS_capgrant, EXO_BOOT_CONSOLE, h[0], CAP_W, 0, 0, 0) >= 0);
            for (int i = 0; i < N - 1; i++) assertEquals(0, f.k.invoke(c, SYS_capfree, i));
            f.check();
            assertEquals(1, c.caps.size());
            assertTrue(c.caps.get(N - 1) != null, "the last handle is kept");
            // The index of chunks (one slot a chunk of 64) and the one chunk in use.
            assertTrue(c.caps.slots() <= 2 * N / CapTable.CHUNK + CapTable.CHUNK, "slots kept for one capability: " + c.caps.slots());
            assertEquals(0, f.call(c, SYS_capfree, N - 1));
            assertEquals(0, c.caps.size());
            assertEquals(0, f.call(f.boot, SYS_capgrant, EXO_BOOT_CONSOLE, h[0], CAP_W, 0, 0, 0), "handles are still given lowest first");
        }
    }

    @Test
    void aPageMappedAtManyAddressesAndUnmappedKeepsASmallSet() throws Exception {
        try (ExoFixture f = new ExoFixture("", 16)) {
            long page = f.page(f.boot, EXO_BOOT_MEMORY);
            Cap p = f.boot.caps.get(page);
            long va = 0x1000000;
            for (int i = 0; i < N; i++) assertEquals(0, f.k.invoke(f.boot, SYS_exo_map, EXO_SELF, va + 4096L * i, page, MAP_R));
            assertEquals(N, p.mappingCount());
            for (int i = 0; i < N - 1; i++) assertEquals(0, f.k.invoke(f.boot, SYS_exo_unmap, EXO_SELF, va + 4096L * i));
            f.check();
            assertEquals(1, p.mappingCount());
            assertTrue(p.mappings.room() < N / 100, "mappings its set has room for: " + p.mappings.room());
        }
    }

    @Test
    void cpuCapabilitiesRevokedLeaveASmallSet() throws Exception {
        try (ExoFixture f = new ExoFixture("", 16)) {
            Env c = filledAndEmptied(f, EXO_BOOT_CPU, CAP_X, x -> x.cpus.size() == N);
            assertEquals(0, c.cpus.size());
            assertTrue(c.cpus.room() < N / 100, "CPU capabilities its set has room for: " + c.cpus.room());
        }
    }
}
