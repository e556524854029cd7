package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RevocationTest {
    ExoFixture f;
    Env boot;

    @BeforeEach
    void setUp() {
        f = new ExoFixture();
        boot = f.boot;
        f.mapPage(boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    /** A child with memory and a scratch page of its own, and the parent's handle for it in h[0]. */
    Env envWithScratch(long[] h) {
        Env e = f.child(boot, h);
        long mem = f.giveMemory(boot, h[0]);
        f.mapPage(e, mem, ExoFixture.SCRATCH);
        return e;
    }

    @Test
    void pageGrantedThroughThreeEnvironmentsIsUnmappedEverywhereByOneRevoke() {
        long[] ha = new long[1], hb = new long[1], hc = new long[1];
        Env a = envWithScratch(ha);
        Env b = envWithScratch(hb);
        Env c = envWithScratch(hc);
        // Each environment may pass capabilities to the next (an env capability with W).
        long aToB = f.call(boot, SYS_capgrant, hb[0], ha[0], CAP_W, 0, 0);
        long bToC = f.call(boot, SYS_capgrant, hc[0], hb[0], CAP_W, 0, 0);

        long p = f.page(boot, EXO_BOOT_MEMORY);
        long ppn = boot.caps.get(p).first;
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, 0x100000, p, MAP_R | MAP_W));
        long pa = f.call(boot, SYS_capgrant, p, ha[0], CAP_R | CAP_W | CAP_GRANT, 0, 0);
        assertEquals(0, f.call(a, SYS_exo_map, EXO_SELF, 0x200000, pa, MAP_R | MAP_W));
        long pb = f.call(a, SYS_capgrant, pa, aToB, CAP_R | CAP_GRANT, 0, 0);
        assertEquals(0, f.call(b, SYS_exo_map, EXO_SELF, 0x300000, pb, MAP_R));
        long pc = f.call(b, SYS_capgrant, pb, bToC, CAP_R, 0, 0);
        assertEquals(0, f.call(c, SYS_exo_map, EXO_SELF, 0x400000, pc, MAP_R));
        assertEquals(E_RIGHTS, f.call(c, SYS_exo_map, EXO_SELF, 0x500000, pc, MAP_R | MAP_W), "rights shrank on the way");
        assertEquals(4, f.call(boot, SYS_exo_pagerefs, p));

        f.write(boot, 0x100000, "shared".getBytes());
        assertEquals("shared", new String(f.read(c, 0x400000, 6)));

        assertEquals(3, f.call(boot, SYS_caprevoke, p));

        assertEquals(1, f.call(boot, SYS_exo_pagerefs, p), "only the root's own mapping is left");
        for (Env e : new Env[] {a, b, c}) {
            f.k.lock.lock();
            try {
                e.pt.forEachLeaf(e.pagetable, (va, ptePa, pte) -> assertTrue((pte >>> 10) != ppn, e + " still maps the page at " + va));
            } finally {
                f.k.lock.unlock();
            }
        }
        long[][] lost = {{a.id, pa}, {b.id, pb}, {c.id, pc}};
        for (long[] l : lost) {
            Env e = f.k.env((int) l[0]);
            assertEquals(1, f.call(e, SYS_exo_notices, ExoFixture.SCRATCH, 10), e + " got one notice");
            assertEquals(l[1], f.readInt(e, ExoFixture.SCRATCH), e + "'s notice names the handle it lost");
            assertEquals(E_BADCAP, f.call(e, SYS_capinfo, l[1], ExoFixture.SCRATCH));
            assertEquals(EV_NOTICE, f.call(e, SYS_exosched, EXOSCHED_BLOCK, EV_NOTICE | EV_CHILD, 0), "EV_NOTICE was pending");
        }
        assertEquals(0, f.call(boot, SYS_exo_notices, ExoFixture.SCRATCH, 10), "the revoker lost nothing");
    }

    @Test
    void revokingMemoryTakesBackThePagesAllocatedFromIt() {
        long[] h = new long[1];
        Env e = f.child(boot, h);
        long mem = f.giveMemory(boot, h[0]);
        int free0 = f.k.freePages();
        long p1 = f.mapPage(e, mem, 0x1000);
        long p2 = f.mapPage(e, mem, 0x2000);
        assertEquals(free0 - 4, f.k.freePages(), "two pages and two page-table pages");
        // Revoke boot memory's derivations: that includes the boot env's own scratch page.
        long n = f.call(boot, SYS_caprevoke, EXO_BOOT_MEMORY);
        assertEquals(4, n, "the child's memory, its two pages, and boot's scratch page");
        assertNull(e.caps.get(p1));
        assertNull(e.caps.get(p2));
        assertEquals(-1, f.k.umem.translate(e, 0x1000, 0));
        // Free again: the three pages, the page tables they were the last entries of (the
        // child's two, and boot's two of its scratch page), and the child's page of records.
        assertEquals(free0 - 4 + 3 + 2 + 2 + 1, f.k.freePages());
        assertEquals(1, e.ptPages, "the child keeps its root table");
    }

    @Test
    void revokingACallersEnvCapabilityCancelsItsWaitingCall() {
        long[] hs = new long[1], hc = new long[1], hw = new long[1];
        Env server = f.child(boot, hs);
        Env first = f.child(boot, hc);
        Env second = f.child(boot, hw);
        assertEquals(0, f.call(server, SYS_pct_register, 0x1000, 0x2000, PCT_ANY));
        long c1 = f.call(boot, SYS_capgrant, hs[0], hc[0], CAP_X, 0, 0);
        long c2 = f.call(boot, SYS_capgrant, hs[0], hw[0], CAP_X, 0, 0);
        f.call(first, SYS_pct_call, c1, 1, 2, 3, 4, 5, 6);
        assertTrue(server.caller == first);
        f.call(second, SYS_pct_call, c2, 7, 7, 7, 7, 7, 7);
        assertTrue(second.waitingOn == server);
        assertEquals(2, f.call(boot, SYS_caprevoke, hs[0]));
        assertNull(second.waitingOn);
        assertEquals(E_BADCAP, second.cur.regs.x[A0], "the waiting call fails");
        assertTrue(server.caller == first, "a call in progress completes");
    }

    /**
     * A name of an environment, granted on and then freed by its holder, stays in the tree
     * for the two names derived from it, and a revocation above reaches them. (The checker,
     * which every call here runs, took the freed one for naming another environment than
     * its parent: red team 11's fuzzing of grant chains.)
     */
    @Test
    void aFreedEnvironmentNameWithTwoDerivedStaysTheirPlaceholderAndRevocationReachesThem() {
        long[] ht = new long[1], hb = new long[1];
        Env target = f.child(boot, ht);
        Env b = f.child(boot, hb);
        long name = f.call(boot, SYS_capgrant, ht[0], hb[0], CAP_ALL, 0, 0);
        long one = f.call(b, SYS_capgrant, name, EXO_SELF, CAP_R, 0, 0);
        long two = f.call(b, SYS_capgrant, name, EXO_SELF, CAP_X, 0, 0);
        assertEquals(0, f.call(b, SYS_capfree, name));
        assertEquals(target.id, b.caps.get(one).target.id);
        assertEquals(2, f.call(boot, SYS_caprevoke, ht[0]));
        assertNull(b.caps.get(one));
        assertNull(b.caps.get(two));
        assertFalse(target.exited, "its maker still names it");
    }
}
