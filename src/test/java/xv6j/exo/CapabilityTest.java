package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xv6j.machine.PhysicalMemory;

class CapabilityTest {
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

    @Test
    void firstEnvironmentHoldsTheBootHandlesWithAllRights() {
        long ramPages = f.machine.mem().pages();
        assertArrayEquals(new long[] {CAP_MEMORY, CAP_ALL, PhysicalMemory.BASE >>> 12, ramPages}, f.capinfo(boot, EXO_BOOT_MEMORY));
        assertArrayEquals(new long[] {CAP_BLOCKS, CAP_ALL, 0, ExoFixture.DISK_BLOCKS}, f.capinfo(boot, EXO_BOOT_DISK));
        assertArrayEquals(new long[] {CAP_CONSOLE, CAP_ALL, 0, 1}, f.capinfo(boot, EXO_BOOT_CONSOLE));
        assertArrayEquals(new long[] {CAP_CLOCK, CAP_ALL, 0, 1}, f.capinfo(boot, EXO_BOOT_CLOCK));
        assertArrayEquals(new long[] {CAP_CPU, CAP_ALL, 0, SLICE_MAX}, f.capinfo(boot, EXO_BOOT_CPU));
        assertEquals(1, f.call(boot, SYS_exo_envid));
    }

    @Test
    void capallocPageGivesAZeroedPageWithTheMemoryCapabilitysRights() {
        long h = f.page(boot, EXO_BOOT_MEMORY);
        long[] info = f.capinfo(boot, h);
        assertEquals(CAP_PAGE, info[0]);
        assertEquals(CAP_ALL, info[1]);
        long pa = info[2] << 12;
        assertEquals(0, f.machine.mem().load64(pa));
        // A page from a memory capability without W cannot be mapped writable.
        long ro = f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_R, 0, 0);
        long p = f.page(boot, ro);
        assertEquals(CAP_R, f.capinfo(boot, p)[1]);
        assertEquals(E_RIGHTS, f.call(boot, SYS_exo_map, EXO_SELF, 0x20000, p, MAP_R | MAP_W));
    }

    @Test
    void hintedPageIsGivenWhenFreeAndBusyWhenTaken() {
        long ppn = (PhysicalMemory.BASE >>> 12) + 200;
        long h = f.call(boot, SYS_capalloc, CAP_PAGE, ppn, EXO_BOOT_MEMORY, 0);
        assertTrue(h >= 0);
        assertEquals(ppn, f.capinfo(boot, h)[2]);
        assertEquals(E_BUSY, f.call(boot, SYS_capalloc, CAP_PAGE, ppn, EXO_BOOT_MEMORY, 0));
        assertEquals(E_RANGE, f.call(boot, SYS_capalloc, CAP_PAGE, 5, EXO_BOOT_MEMORY, 0));
        assertEquals(E_INVAL, f.call(boot, SYS_capalloc, CAP_PAGE, -7, EXO_BOOT_MEMORY, 0));
        long small = f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, ppn, 1);
        assertEquals(E_NOMEM, f.call(boot, SYS_capalloc, CAP_PAGE, -1, small, 0), "its only page is taken");
    }

    @Test
    void capallocRefusesWrongTypesAndUnknownKinds() {
        assertEquals(E_TYPE, f.call(boot, SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_DISK, 0));
        assertEquals(E_BADCAP, f.call(boot, SYS_capalloc, CAP_PAGE, -1, 999, 0));
        for (long type : new long[] {0, CAP_MEMORY, CAP_CPU, CAP_CONSOLE, CAP_CLOCK, 8, -1, Long.MAX_VALUE})
            assertEquals(E_INVAL, f.call(boot, SYS_capalloc, type, 0, EXO_BOOT_MEMORY, 1), "type " + type);
    }

    @Test
    void capallocBlocksDerivesASubRangeWithTheSourcesRights() {
        long h = f.call(boot, SYS_capalloc, CAP_BLOCKS, 10, EXO_BOOT_DISK, 5);
        assertArrayEquals(new long[] {CAP_BLOCKS, CAP_ALL, 10, 5}, f.capinfo(boot, h));
        assertEquals(E_RANGE, f.call(boot, SYS_capalloc, CAP_BLOCKS, 12, h, 5));
        assertEquals(E_INVAL, f.call(boot, SYS_capalloc, CAP_BLOCKS, -1, h, 1));
        assertEquals(E_INVAL, f.call(boot, SYS_capalloc, CAP_BLOCKS, 10, h, 0));
        assertEquals(E_RANGE, f.call(boot, SYS_capalloc, CAP_BLOCKS, Long.MAX_VALUE, h, Long.MAX_VALUE));
        assertEquals(1, f.call(boot, SYS_caprevoke, EXO_BOOT_DISK), "revoking the disk revokes the sub-range");
        assertNull(f.capinfo(boot, h));
    }

    @Test
    void handlesNeverReceivedAreBadHandlesWhateverTheirNumber() {
        for (long h : new long[] {5 + 2, 100, EXO_NCAP, -2, Integer.MAX_VALUE, 1L << 40, Long.MIN_VALUE})
            assertEquals(E_BADCAP, f.call(boot, SYS_capinfo, h, ExoFixture.SCRATCH), "handle " + h);
    }

    @Test
    void anotherEnvironmentsHandleNumbersNameNothingOfItsInYourTable() {
        long[] ch = new long[1];
        Env child = f.child(boot, ch);
        long page = f.page(boot, EXO_BOOT_MEMORY);
        // The child's table is empty: the parent's numbers mean nothing there.
        for (long h = 0; h <= page; h++) {
            assertEquals(E_BADCAP, f.call(child, SYS_capfree, h));
            assertEquals(E_BADCAP, f.call(child, SYS_exo_map, EXO_SELF, 0x1000, h, MAP_R));
            assertEquals(E_BADCAP, f.call(child, SYS_exo_cons_write, h, 0, 0));
        }
        assertEquals(E_BADCAP, f.call(child, SYS_env_ctl, ch[0], ENV_DESTROY, 0));
        assertFalse(boot.exited);
    }

    @Test
    void grantedRightsOnlyShrink() {
        long[] ch = new long[1];
        Env child = f.child(boot, ch);
        long p = f.page(boot, EXO_BOOT_MEMORY);
        long r = f.call(boot, SYS_capgrant, p, ch[0], CAP_R | CAP_GRANT, 0, 0);
        assertTrue(r >= 0);
        long[] back = new long[1];
        // The child cannot hand out more than it has, nor grant without CAP_GRANT.
        long childSelf = f.call(boot, SYS_capgrant, ch[0], ch[0], CAP_W, 0, 0);
        back[0] = childSelf;
        assertEquals(E_RIGHTS, f.call(child, SYS_capgrant, r, EXO_SELF, CAP_R | CAP_W, 0, 0));
        long r2 = f.call(child, SYS_capgrant, r, EXO_SELF, CAP_R, 0, 0);
        assertTrue(r2 >= 0);
        assertEquals(E_RIGHTS, f.call(child, SYS_capgrant, r2, EXO_SELF, CAP_R, 0, 0), "r2 has no CAP_GRANT");
        assertEquals(E_INVAL, f.call(boot, SYS_capgrant, p, EXO_SELF, 0x20, 0, 0));
        assertEquals(E_INVAL, f.call(boot, SYS_capgrant, p, EXO_SELF, -1, 0, 0));
    }

    @Test
    void grantedRangesMustLieInsideTheSource() {
        long base = PhysicalMemory.BASE >>> 12;
        long pages = f.machine.mem().pages();
        assertEquals(E_RANGE, f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, base - 1, 2));
        assertEquals(E_RANGE, f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, base + pages, 1));
        assertEquals(E_RANGE, f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, base + 1, Long.MAX_VALUE));
        assertEquals(E_INVAL, f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, -1, 1));
        assertEquals(E_INVAL, f.call(boot, SYS_capgrant, EXO_BOOT_DISK, EXO_SELF, CAP_ALL, 0, -1));
        long d = f.call(boot, SYS_capgrant, EXO_BOOT_DISK, EXO_SELF, CAP_R, 3, 4);
        assertArrayEquals(new long[] {CAP_BLOCKS, CAP_R, 3, 4}, f.capinfo(boot, d));
    }

    @Test
    void freedHandleIsBadAndWhatWasDerivedFromItStaysRevocableFromAbove() {
        long mid = f.call(boot, SYS_capgrant, EXO_BOOT_DISK, EXO_SELF, CAP_ALL, 0, 10);
        long leaf = f.call(boot, SYS_capgrant, mid, EXO_SELF, CAP_R, 2, 2);
        assertEquals(0, f.call(boot, SYS_capfree, mid));
        assertEquals(E_BADCAP, f.call(boot, SYS_capfree, mid));
        assertEquals(E_BADCAP, f.call(boot, SYS_caprevoke, mid));
        assertTrue(f.capinfo(boot, leaf) != null);
        assertEquals(1, f.call(boot, SYS_caprevoke, EXO_BOOT_DISK), "leaf now hangs off the disk capability");
        assertNull(f.capinfo(boot, leaf));
    }

    @Test
    void pageIsFreeOnlyWhenItsLastCapabilityGoes() {
        int free0 = f.k.freePages();
        long p = f.page(boot, EXO_BOOT_MEMORY);
        long copy = f.call(boot, SYS_capgrant, p, EXO_SELF, CAP_R, 0, 0);
        assertEquals(free0 - 1, f.k.freePages());
        assertEquals(0, f.call(boot, SYS_capfree, p));
        assertEquals(free0 - 1, f.k.freePages(), "copy still names it");
        assertEquals(0, f.call(boot, SYS_capfree, copy));
        assertEquals(free0, f.k.freePages());
    }

    @Test
    void capfreeRemovesTheMappingsMadeThroughIt() {
        long p = f.page(boot, EXO_BOOT_MEMORY);
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, 0x40000, p, MAP_R));
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, 0x80000, p, MAP_R));
        assertEquals(2, f.call(boot, SYS_exo_pagerefs, p));
        assertEquals(0, f.call(boot, SYS_capfree, p));
        assertEquals(-1, f.k.umem.translate(boot, 0x40000, 0));
        assertEquals(-1, f.k.umem.translate(boot, 0x80000, 0));
    }

    @Test
    void revokeNeedsTheRevokeRightAndGrantNeedsTheGrantRight() {
        long p = f.page(boot, EXO_BOOT_MEMORY);
        long weak = f.call(boot, SYS_capgrant, p, EXO_SELF, CAP_R, 0, 0);
        assertEquals(E_RIGHTS, f.call(boot, SYS_caprevoke, weak));
        assertEquals(E_RIGHTS, f.call(boot, SYS_capgrant, weak, EXO_SELF, CAP_R, 0, 0));
        assertEquals(1, f.call(boot, SYS_caprevoke, p));
        assertNull(f.capinfo(boot, weak));
    }
}
