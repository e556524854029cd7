package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.harness.HarnessException;
import xv6j.harness.PageTable;
import xv6j.machine.jit.Engine;

/**
 * Compiled loads and stores through a linear window (see {@link LinearWindows}) end
 * wherever a TLB entry would: a window goes with every form of sfence.vma (so a page
 * remapped or made read-only is seen at once), with a shootdown another hart's LR asks
 * for (so a store through it breaks the reservation), and a store through it to a page
 * with compiled code drops that code. Each program runs under {@link Engine#EAGER} on a
 * page table whose code and data pages are physically consecutive, A and D set, so one
 * walk makes a window over all of them; each test checks the window is there first.
 */
class LinearWindowTest {
    private static final long CODE = 0x10000, DATA = 0x40000, PAGE1 = DATA + 0x1000;
    private static final int PAGES = 8, ASID = 1;
    private static final long AD = Mmu.PTE_A | Mmu.PTE_D, RWU = Mmu.PTE_R | Mmu.PTE_W | Mmu.PTE_U;

    private final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    private final PageTable pt;
    private final long[] frames = new long[PAGES];

    private static boolean wasEnabled;

    @BeforeAll
    static void windowsOn() {
        wasEnabled = LinearWindows.enabled();
        LinearWindows.enable(true);
        xv6j.machine.jit.Translator.emptyCodeCache(); // no region compiled without them
    }

    @AfterAll
    static void windowsAsBefore() {
        LinearWindows.enable(wasEnabled);
    }

    LinearWindowTest() throws HarnessException {
        pt = new PageTable(mem, PhysicalMemory.BASE + 0x10_0000, mem.end());
        pt.map(CODE, pt.allocPage(), RWU | Mmu.PTE_X | AD);
        for (int p = 0; p < PAGES; p++) pt.map(DATA + 4096L * p, frames[p] = pt.allocPage(), RWU | AD);
    }

    /** A hart in the address space, its program at CODE + at, x10 = DATA, x11 = PAGE1, x13 = CODE. */
    private Hart hart(int id, long at, int... program) {
        Hart h = new Hart(id, mem);
        h.setEngine(Engine.EAGER);
        h.mmu.setSatp(pt.satp(ASID));
        h.mmu.flush();
        byte[] b = Asm.bytes(program);
        for (int i = 0; i < b.length; i++) mem.store8(pt.walk(CODE + at + i), b[i]);
        h.x[10] = DATA;
        h.x[11] = PAGE1;
        h.x[13] = CODE;
        return h;
    }

    private static Trap runFrom(Hart h, long at) {
        h.pc = CODE + at;
        return h.run(10_000);
    }

    private static void assertEcall(Trap t) {
        assertEquals(Trap.Cause.ECALL, t.cause(), () -> "stopped at " + t);
    }

    /** Whether the hart's load (or store) windows hold PAGE1 in a run of more than one page. */
    private static boolean windowed(Hart h, boolean store) {
        long[] w = store ? h.mmu.windows.store : h.mmu.windows.load;
        for (int at = 0; at < LinearWindows.WORDS; at += 3)
            if (Long.compareUnsigned(PAGE1 - w[at], w[at + 1]) < 0 && w[at + 1] > 4096) return true;
        return false;
    }

    enum Flush {
        ALL { void on(Mmu m) { m.flush(); } },
        VA { void on(Mmu m) { m.flush(PAGE1); } },
        ASID_ALL { void on(Mmu m) { m.flushAsid(ASID); } },
        VA_IN_ASID { void on(Mmu m) { m.flush(PAGE1, ASID); } }; // what kernel-exo's unmap does (SecureBindings)

        abstract void on(Mmu m);
    }

    @ParameterizedTest
    @EnumSource(Flush.class)
    void aPageRemappedIsReadFromItsNewFrameAfterEachFormOfSfenceVma(Flush flush) throws HarnessException {
        Hart h = hart(0, 0, ld(x6, x11, 0), ecall());
        mem.store64(pt.walk(PAGE1), 0x1111);
        assertEcall(runFrom(h, 0)); // the walk makes the window
        assertTrue(windowed(h, false), "no load window over the data");
        assertEcall(runFrom(h, 0)); // through the window
        assertEquals(0x1111, h.x[6]);
        long other = pt.allocPage();
        mem.store64(other, 0x2222);
        pt.map(PAGE1, other, RWU | AD);
        flush.on(h.mmu);
        assertEcall(runFrom(h, 0));
        assertEquals(0x2222, h.x[6], "a compiled load read the page's old frame after sfence.vma");
    }

    @Test
    void aStoreToAPageMadeReadOnlyFaultsAfterSfenceVma() throws HarnessException {
        Hart h = hart(0, 0, sd(x7, x11, 0), ecall());
        h.x[7] = 5;
        assertEcall(runFrom(h, 0));
        assertTrue(windowed(h, true), "no store window over the data");
        h.x[7] = 6;
        assertEcall(runFrom(h, 0));
        assertEquals(6, mem.load64(pt.walk(PAGE1)));
        pt.map(PAGE1, frames[1], Mmu.PTE_R | Mmu.PTE_U | AD);
        h.mmu.flush(PAGE1);
        h.x[7] = 7;
        assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE, PAGE1), runFrom(h, 0));
        assertEquals(6, mem.load64(pt.walk(PAGE1)), "a compiled store wrote a read-only page");
    }

    @Test
    void aStoreThroughAWindowToItsOwnCodeRunsTheNewCode() {
        // sw x5, 8(x13) rewrites the addi at CODE + 8; the code page is in the window.
        Hart h = hart(0, 0, sw(x5, x13, 8), addi(x0, x0, 0), addi(x6, x0, 1), ecall());
        h.x[5] = addi(x6, x0, 7);
        assertEcall(runFrom(h, 0));
        assertEquals(7, h.x[6]);
        assertTrue(Long.compareUnsigned(CODE - h.mmu.windows.store[0], h.mmu.windows.store[1]) < 0
                || Long.compareUnsigned(CODE - h.mmu.windows.store[3], h.mmu.windows.store[4]) < 0, "no store window over the code");
        h.x[5] = addi(x6, x0, 42);
        assertEcall(runFrom(h, 0)); // compiled again, the store through the window
        assertEquals(42, h.x[6], "compiled code ran the instruction a store through a window replaced");
    }

    @Test
    void anotherHartsLrShootsDownAStoreWindowSoItsStoresBreakTheReservation() {
        Hart writer = hart(1, 0, sd(x7, x11, 0), ecall());
        Hart reserver = hart(0, 0x100, lr_d(x6, x11), ecall());
        hart(2, 0x200, sc_d(x8, x9, x11), ecall()); // (writes the SC's code; this hart does nothing)
        writer.x[7] = 1;
        assertEcall(runFrom(writer, 0));
        assertTrue(windowed(writer, true), "no store window over the data");
        assertEcall(runFrom(writer, 0)); // through the window
        // execute, not run: the reservation outlives the ecall (as it does under a debugger).
        reserver.pc = CODE + 0x100;
        assertEcall(reserver.execute(10_000)); // LR marks the page: the writer is asked to drop its entries
        assertEquals(1, reserver.x[6]);
        writer.x[7] = 2;
        assertEcall(runFrom(writer, 0)); // answers first, then stores: the slow path, which breaks the reservation
        assertFalse(windowed(writer, true), "a store window over a page marked for LR/SC outlived the shootdown");
        reserver.x[9] = 3;
        reserver.pc = CODE + 0x200;
        assertEcall(reserver.execute(10_000));
        assertNotEquals(0, reserver.x[8], "SC succeeded after another hart stored to its reservation through a window");
        assertEquals(2, mem.load64(pt.walk(PAGE1)));
    }
}
