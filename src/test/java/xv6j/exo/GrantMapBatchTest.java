package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * exo_grantmap (a grant and a mapping in one call) and exo_batch (several calls in one
 * crossing): each checks exactly what the calls it stands for check, a failure changes
 * nothing (grantmap) or leaves a state the caller can read from the results (batch), and
 * neither lets anyone do more than the single calls would.
 */
class GrantMapBatchTest {
    /** Where the batches' arrays go: the second half of the boot environment's scratch page. */
    static final long ARRAY = ExoFixture.SCRATCH + 0x800;
    static final long UNTOUCHED = 0x5eed;

    ExoFixture f;
    Env boot;
    Env child;
    long childH;

    @BeforeEach
    void setUp() {
        f = new ExoFixture();
        boot = f.boot;
        f.mapPage(boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
        long[] h = new long[1];
        child = f.child(boot, h);
        childH = h[0];
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    /** Writes calls (each {num, a0..a5}) at va in e, every ret set to UNTOUCHED; runs exo_batch on them. */
    long batch(Env e, long va, long[]... calls) {
        ByteBuffer b = ByteBuffer.allocate(calls.length * CALL_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long[] c : calls) {
            for (int i = 0; i < 7; i++) b.putLong(i < c.length ? c[i] : 0);
            b.putLong(UNTOUCHED);
        }
        f.write(e, va, b.array());
        return f.call(e, SYS_exo_batch, va, calls.length);
    }

    long ret(Env e, long va, int i) {
        return f.readLong(e, va + (long) i * CALL_SIZE + CALL_SIZE - 8);
    }

    @Test
    void grantMapGivesAMappedPageWithTheRightsAskedAndNoMore() {
        long p = f.mapPage(boot, EXO_BOOT_MEMORY, 0x20000);
        f.write(boot, 0x20000, "shared".getBytes());
        long h = f.call(boot, SYS_exo_grantmap, p, childH, CAP_R | CAP_GRANT, 0x7000, MAP_R);
        assertTrue(h >= 0, "grantmap: " + h);
        Cap c = child.caps.get(h);
        assertEquals(CAP_PAGE, c.type);
        assertEquals(CAP_R | CAP_GRANT, c.rights);
        assertEquals(boot.caps.get(p).first, c.first);
        assertEquals("shared", new String(f.read(child, 0x7000, 6)));
        // perm 0: a grant and no mapping.
        long g = f.call(boot, SYS_exo_grantmap, p, childH, CAP_R, 0x8000, 0);
        assertTrue(g >= 0);
        assertNull(child.mappings.get(0x8000L));
        // The child's own capability, not the granter's, carries the mapping: revoking the
        // granter's source takes it away.
        assertEquals(2, f.call(boot, SYS_caprevoke, p));
        assertNull(child.mappings.get(0x7000L));
    }

    @Test
    void grantMapRefusesWhatCapgrantOrExoMapWouldRefuse() {
        long p = f.page(boot, EXO_BOOT_MEMORY);
        long weak = f.call(boot, SYS_capgrant, p, EXO_SELF, CAP_R | CAP_W, 0, 0, 0); // no CAP_GRANT
        long readOnly = f.call(boot, SYS_capgrant, p, EXO_SELF, CAP_R | CAP_GRANT, 0, 0, 0);
        long callOnly = f.call(boot, SYS_capgrant, childH, EXO_SELF, CAP_R | CAP_X, 0, 0, 0);
        int caps = child.caps.size();
        assertEquals(E_BADCAP, f.call(boot, SYS_exo_grantmap, 999, childH, CAP_R, 0x7000, MAP_R), "forged handle");
        assertEquals(E_BADCAP, f.call(boot, SYS_exo_grantmap, -7, childH, CAP_R, 0x7000, MAP_R), "negative handle");
        assertEquals(E_TYPE, f.call(boot, SYS_exo_grantmap, EXO_BOOT_MEMORY, childH, CAP_R, 0x7000, MAP_R), "not a page");
        assertEquals(E_RIGHTS, f.call(boot, SYS_exo_grantmap, weak, childH, CAP_R, 0x7000, MAP_R), "no CAP_GRANT");
        assertEquals(E_RIGHTS, f.call(boot, SYS_exo_grantmap, readOnly, childH, CAP_R | CAP_W, 0x7000, MAP_R),
                "rights beyond the source's");
        assertEquals(E_RIGHTS, f.call(boot, SYS_exo_grantmap, readOnly, childH, CAP_R, 0x7000, MAP_R | MAP_W),
                "a mapping beyond the rights granted");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, 0x20 | CAP_R, 0x7000, MAP_R), "unknown rights");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, CAP_ALL, 0x7000, MAP_W), "W without R");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, CAP_ALL, 0x7000, 8), "unknown perm");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, CAP_ALL, EXO_UTOP, MAP_R), "at UTOP");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, CAP_ALL, 0x7001, MAP_R), "misaligned");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_grantmap, p, childH, CAP_ALL, -4096, MAP_R), "negative va");
        assertEquals(E_RIGHTS, f.call(boot, SYS_exo_grantmap, p, callOnly, CAP_R, 0x7000, MAP_R),
                "CAP_X on an environment does not fill its table");
        assertEquals(E_TYPE, f.call(boot, SYS_exo_grantmap, p, p, CAP_R, 0x7000, MAP_R), "a page is not an environment");
        assertEquals(caps, child.caps.size(), "nothing granted");
        assertTrue(child.mappings.isEmpty(), "nothing mapped");
        // A foreign handle: the page the boot gave the child is the child's, under the
        // child's number; the child cannot pass it on without CAP_GRANT, nor map it writable.
        long given = f.call(boot, SYS_exo_grantmap, p, childH, CAP_R, 0x7000, MAP_R);
        assertEquals(E_RIGHTS, f.call(child, SYS_exo_grantmap, given, EXO_SELF, CAP_R, 0x9000, MAP_R));
        assertEquals(E_RIGHTS, f.call(child, SYS_exo_map, EXO_SELF, 0x9000, given, MAP_R | MAP_W));
    }

    @Test
    void grantMapThatCannotPayForItsPageTablesLeavesNoCapabilityBehind() {
        // A child whose quota holds its own two pages and one page of records: the
        // capability's record fits, the mapping's page tables do not.
        long m = f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, EXO_ENV_PAGES + 1);
        long envh = f.call(boot, SYS_capalloc, CAP_ENV, 0, m, 0);
        assertTrue(envh >= 0);
        Env poor = boot.caps.get(envh).target;
        long p = f.page(boot, EXO_BOOT_MEMORY);
        assertTrue(f.call(boot, SYS_capgrant, p, envh, CAP_R, 0, 0, 0) >= 0, "a record it can pay for");
        int caps = poor.caps.size();
        int records = poor.records;
        long used = boot.caps.get(m).quota.used;
        assertEquals(E_NOMEM, f.call(boot, SYS_exo_grantmap, p, envh, CAP_R, 0x7000, MAP_R));
        assertEquals(caps, poor.caps.size(), "the capability went with the mapping it could not pay for");
        assertEquals(records, poor.records);
        assertEquals(used, boot.caps.get(m).quota.used);
    }

    @Test
    void aBatchRunsInOrderAndStopsAtTheFirstFailureSayingWhere() {
        long before = boot.caps.size();
        long n = batch(boot, ARRAY,
                new long[] {SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0},
                new long[] {SYS_capgrant, EXO_BOOT_CONSOLE, childH, CAP_W, 0, 0, 0},
                new long[] {SYS_capfree, 999},
                new long[] {SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0});
        assertEquals(2, n, "two succeeded");
        long page = ret(boot, ARRAY, 0);
        assertEquals(CAP_PAGE, boot.caps.get(page).type);
        assertEquals(CAP_CONSOLE, child.caps.get(ret(boot, ARRAY, 1)).type);
        assertEquals(E_BADCAP, ret(boot, ARRAY, 2), "the failure, where it happened");
        assertEquals(UNTOUCHED, ret(boot, ARRAY, 3), "not run");
        assertEquals(before + 1, boot.caps.size(), "the first took effect, the last did not run");
        // The caller undoes what took effect, in one more batch.
        assertEquals(1, batch(boot, ARRAY, new long[] {SYS_capfree, page}, new long[] {SYS_capfree, 999}));
        assertEquals(before, boot.caps.size());
        // All succeed: n, and every result in place (a grant and a mapping through it).
        long q = f.page(boot, EXO_BOOT_MEMORY);
        assertEquals(3, batch(boot, ARRAY,
                new long[] {SYS_exo_map, EXO_SELF, 0x30000, q, MAP_R | MAP_W},
                new long[] {SYS_exo_grantmap, q, childH, CAP_R, 0x7000, MAP_R},
                new long[] {SYS_exo_unmap, EXO_SELF, 0x30000}));
        assertEquals(0, ret(boot, ARRAY, 0));
        assertEquals(CAP_R, child.caps.get(ret(boot, ARRAY, 1)).rights);
        assertNotNull(child.mappings.get(0x7000L));
        assertNull(boot.mappings.get(0x30000L));
    }

    @Test
    void aBatchOfCallsThatBlockOrSwitchOrNestRunsNothing() {
        long before = boot.caps.size();
        for (int num : new int[] {SYS_exo_batch, SYS_pct_call, SYS_pct_return, SYS_exosched, SYS_env_ctl, SYS_exo_resume,
                SYS_caprevoke, SYS_exo_disk, 0x1ff, -1}) {
            long n = batch(boot, ARRAY, new long[] {num, ARRAY, 1, 0, 0, 0, 0},
                    new long[] {SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0});
            assertEquals(0, n, "call 0x" + Integer.toHexString(num));
            assertEquals(E_INVAL, ret(boot, ARRAY, 0));
            assertEquals(UNTOUCHED, ret(boot, ARRAY, 1));
        }
        assertEquals(before, boot.caps.size());
        assertFalse(boot.exited);
    }

    @Test
    void absurdCountsAndArraysOutsideTheCallersMemoryRunNothing() {
        long before = boot.caps.size();
        long[] alloc = {SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0};
        batch(boot, ARRAY, alloc); // the array holds a real call from here on
        for (long n : new long[] {-1, EXO_BATCH_MAX + 1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32})
            assertEquals(E_INVAL, f.call(boot, SYS_exo_batch, ARRAY, n), "n " + n);
        assertEquals(0, f.call(boot, SYS_exo_batch, ARRAY, 0));
        // Arrays not (all) in the caller's memory: nothing runs, not even the part it holds.
        long lastLine = ExoFixture.SCRATCH + 4096 - CALL_SIZE;
        f.write(boot, lastLine, f.read(boot, ARRAY, CALL_SIZE));
        assertEquals(1, f.call(boot, SYS_exo_batch, lastLine, 1), "the last element of the page is in it");
        for (long[] a : new long[][] {{lastLine, 2}, {ExoFixture.SCRATCH - CALL_SIZE, 2}, {0, 1}, {-1, 1},
                {EXO_UTOP - CALL_SIZE, 1}, {EXO_MAXVA, 1}, {Long.MIN_VALUE, 1}, {Long.MAX_VALUE - 8, 1}})
            assertEquals(E_FAULT, f.call(boot, SYS_exo_batch, a[0], a[1]), "array at 0x" + Long.toHexString(a[0]));
        assertEquals(before + 2, boot.caps.size(), "only the two batches that could ran");
        // Another environment's memory: the child has nothing mapped at the boot's array.
        assertEquals(E_FAULT, f.call(child, SYS_exo_batch, ARRAY, 1));
        // A page mapped read-only: the results could not be written, so nothing runs.
        long ro = f.call(boot, SYS_capgrant, f.page(boot, EXO_BOOT_MEMORY), EXO_SELF, CAP_R, 0, 0, 0);
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, 0x40000, ro, MAP_R));
        int caps = boot.caps.size();
        assertEquals(E_FAULT, f.call(boot, SYS_exo_batch, 0x40000, 1));
        assertEquals(caps, boot.caps.size());
    }

    @Test
    void aBatchThatUnmapsItsOwnArrayEndsAfterThatCall() {
        long p = f.mapPage(boot, EXO_BOOT_MEMORY, 0x50000);
        long n = batch(boot, 0x50000,
                new long[] {SYS_exo_unmap, EXO_SELF, 0x50000},
                new long[] {SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0});
        assertEquals(1, n, "the unmap ran; the rest did not");
        assertNull(boot.mappings.get(0x50000L));
        assertEquals(0, boot.caps.get(p).mappingCount());
    }

    @Test
    void aBatchCanDoNoMoreToAnotherEnvironmentThanItsCallsCould() {
        // The child's own page, mapped in the child; the boot holds a handle on the child
        // with CAP_X only, and guesses the child's handle numbers.
        long cm = f.giveMemory(boot, childH);
        long cp = f.mapPage(child, cm, 0x6000);
        f.write(child, 0x6000, "mine".getBytes());
        long callOnly = f.call(boot, SYS_capgrant, childH, EXO_SELF, CAP_X, 0, 0, 0);
        String before = child.caps.size() + " " + child.mappings.keySet();
        long n = batch(boot, ARRAY,
                new long[] {SYS_exo_unmap, callOnly, 0x6000},
                new long[] {SYS_exo_map, callOnly, 0x9000, cp, MAP_R},
                new long[] {SYS_capfree, cp});
        assertEquals(0, n);
        assertEquals(E_RIGHTS, ret(boot, ARRAY, 0));
        for (long[] c : new long[][] {{SYS_exo_map, callOnly, 0x9000, cp, MAP_R}, {SYS_capgrant, cp, callOnly, CAP_R, 0, 0, 0},
                {SYS_exo_grantmap, EXO_BOOT_PAGES, callOnly, CAP_R, 0x6000, MAP_R}, {SYS_exo_unmap, callOnly, 0x6000},
                {SYS_capgrant, EXO_BOOT_MEMORY, callOnly, CAP_ALL, 0, 0, 0}}) {
            assertEquals(0, batch(boot, ARRAY, c));
            assertTrue(ret(boot, ARRAY, 0) < 0, "refused: " + ret(boot, ARRAY, 0));
        }
        assertEquals(before, child.caps.size() + " " + child.mappings.keySet());
        assertEquals("mine", new String(f.read(child, 0x6000, 4)));
    }
}
