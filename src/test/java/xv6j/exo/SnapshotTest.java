package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xv6j.machine.KernelView;

/** The snapshot the monitor (and a live view) reads: what it says matches the kernel's own state. */
class SnapshotTest {
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

    private static Snapshot.Capability cap(Snapshot s, Env holder, long handle) {
        for (Snapshot.Capability c : s.capabilitiesOf(holder.id)) if (c.handle() == handle) return c;
        return null;
    }

    @Test
    void environmentsCapabilitiesTheirDerivationAndPagesAreAsTheKernelHoldsThem() {
        long[] h = new long[1];
        Env child = f.child(boot, h);
        long mem = f.call(boot, SYS_capgrant, EXO_BOOT_MEMORY, h[0], CAP_R | CAP_W | CAP_GRANT, 0, 0, 32);
        long page = f.mapPage(child, mem, 0x1000);
        assertEquals(0, f.call(child, SYS_pct_register, 0x2000, 0x3000, PCT_KNOWN));
        long blocks = f.call(boot, SYS_capgrant, EXO_BOOT_DISK, h[0], CAP_R, 8, 4, 0);

        Snapshot s = f.k.snapshot();
        Snapshot.Environment c = s.environment(child.id);
        assertEquals(boot.id, c.parentId());
        assertEquals("stopped", c.state());
        assertEquals(0x2000, c.pctEntry());
        assertTrue(c.pctKnown());
        assertEquals(child.quota.used, c.quotaUsed(), "its kernel memory, from its payer's quota");
        Snapshot.Capability m = cap(s, child, mem);
        assertEquals(CAP_MEMORY, m.type());
        assertEquals(32, m.quotaLimit());
        assertEquals(boot.id, m.parentEnv());
        assertEquals(EXO_BOOT_MEMORY, m.parentHandle());
        Snapshot.Capability p = cap(s, child, page);
        assertEquals(CAP_PAGE, p.type());
        assertEquals(mem, p.parentHandle(), "a page comes from the memory capability it was allocated from");
        assertEquals(List.of(0x1000L), p.mappings().stream().map(Snapshot.Binding::va).toList());
        Snapshot.Capability b = cap(s, child, blocks);
        assertEquals(8, b.first());
        assertEquals(4, b.count());
        assertEquals(CAP_R, b.rights());
        assertEquals(child.id, cap(s, boot, h[0]).target());

        int pageIndex = (int) (p.first() - s.basePpn());
        assertFalse(s.free().get(pageIndex), "a page a capability names is in use");
        long tables = java.util.Arrays.stream(s.tables()).filter(owner -> owner == child.id).count();
        assertEquals(child.ptPages, tables);
        assertEquals(f.k.freePages(), s.freePages());

        // Revoked: the child's memory and its page are gone from the next snapshot, and the page is free.
        f.call(boot, SYS_caprevoke, EXO_BOOT_MEMORY);
        Snapshot after = f.k.snapshot();
        assertNull(cap(after, child, mem));
        assertNull(cap(after, child, page));
        assertTrue(after.free().get(pageIndex));
    }

    @Test
    void everyEventHasAName() {
        assertEquals("pct,child,console,tick,notice,key", Snapshot.eventNames(EV_ALL));
        assertEquals("child,key", Snapshot.eventNames(EV_CHILD | EV_KEY));
    }

    @Test
    void theMonitorsViewListsEnvironmentsAndCapabilities() {
        long[] h = new long[1];
        Env child = f.child(boot, h);
        f.call(boot, SYS_capgrant, EXO_BOOT_CONSOLE, h[0], CAP_W, 0, 0, 0);
        KernelView v = new View(f.k);
        assertEquals("environment", v.taskNoun());
        assertTrue(v.tasks().stream().anyMatch(t -> t.id() == child.id && t.parent() == boot.id && t.state().equals("stopped")));
        List<KernelView.Capability> caps = v.capabilities(child.id).orElseThrow();
        assertEquals(1, caps.size());
        assertEquals("console", caps.get(0).type());
        assertEquals("-W---", caps.get(0).rights());
        assertTrue(caps.get(0).names().contains("from env " + boot.id + " handle " + EXO_BOOT_CONSOLE), caps.get(0).names());
        assertEquals(f.k.freePages(), v.memory().freePages());
    }
}
