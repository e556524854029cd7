package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import xv6j.harness.HarnessException;
import xv6j.harness.PageTable;
import xv6j.machine.jit.Engine;

/**
 * Compiled loads and stores through {@link DirectTlb}s (-Dxv6j.jit.direct=true) see what
 * they would through the TLB: an entry goes with every form of sfence.vma (a page remapped
 * or made read-only is seen at once), with the shootdown another hart's LR asks for (a
 * store then breaks the reservation), each address space has its own (switching satp
 * without a flush, as kernel-exo does, reads each space's frame), and a store to a page
 * with compiled code drops that code; and the differential test's random programs end as
 * under the interpreter. The flag is read once a JVM, so each test runs in a JVM of its
 * own: {@link #main} is the scenarios' side.
 */
@Timeout(300)
class DirectTlbTest {
    private static final long CODE = 0x10000;
    /**
     * Where the scenarios' data pages lie: in the low window, and in the high one, where
     * kernel-exo's LibOS keeps its pages (user/libos/layout.h's IPC_VA), so both are held
     * to the TLB's word.
     */
    private static final long[] DATA = {0x40000, 0x3F_0001_0000L};
    private static final int PAGES = 4, ASID = 1;
    private static final long AD = Mmu.PTE_A | Mmu.PTE_D, RWU = Mmu.PTE_R | Mmu.PTE_W | Mmu.PTE_U;

    @Test
    void compiledAccessesThroughDirectTlbsEndWhereTlbEntriesDo() throws Exception {
        String out = inOwnJvm(true, DirectTlbTest.class.getName());
        assertTrue(out.contains("every scenario held"), out);
    }

    @Test
    void randomProgramsEndTheSameThroughDirectTlbsUnderEveryEngine() throws Exception {
        String out = inOwnJvm(true, TranslatorDifferentialTest.class.getName(), String.valueOf(TranslatorDifferentialTest.SEED), "120");
        assertTrue(out.contains("every engine agreed"), out);
    }

    /** Round 27's chains from their origin (-Dxv6j.jit.origin=true), which only direct TLBs have. */
    @Test
    void randomProgramsAndChainsToAPagesEdgeEndTheSameWithChainsFromTheirOrigin() throws Exception {
        String out = inOwnJvm(List.of("-Dxv6j.jit.direct=true", "-Dxv6j.jit.origin=true"),
                TranslatorDifferentialTest.class.getName(), String.valueOf(TranslatorDifferentialTest.SEED), "60");
        assertTrue(out.contains("every engine agreed"), out);
    }

    @Test
    void tablesOfManyAddressSpacesMappedHighTakeNoMoreThanTheirMmusRoom() {
        // A guest mapping one page just under 4 GiB in each of 510 spaces would have 4 MiB a
        // table; past the room a table stays as it is and its pages are left to the TLB.
        DirectTlb.Room room = new DirectTlb.Room(3L << 20);
        DirectTlb[] tables = new DirectTlb[8];
        long held = 0;
        for (int i = 0; i < tables.length; i++) {
            tables[i] = new DirectTlb(room, i % 2 == 1);
            tables[i].fill(0xFFFF_F000L, 0x5000);
            held += tables[i].entries.length;
        }
        assertEquals(3L << 20, held, "tables held past the room");
        assertEquals(0x5000, tables[2].entries[0xFFFFF], "a table within the room maps its page");
        assertEquals(0, tables[3].entries.length, "a table past the room grew");
        tables[3].fill(0x1000, 0x6000); // (not even for a low page: the room is used up)
        assertEquals(0, tables[3].entries.length);
    }

    @Test
    void theHighWindowHoldsTheTop4GibOfTheUserHalfAndNothingBesideIt() {
        DirectTlb t = new DirectTlb(new DirectTlb.Room(DirectTlb.ROOM), true);
        long top = 1L << 38;
        for (long va : new long[] {DirectTlb.HIGH_BASE - 4096, top, -4096L, 0xFFFF_FFC0_0000_0000L}) t.fill(va, 0x7000);
        List<Long> held = new ArrayList<>();
        t.forEach((va, ram) -> held.add(va));
        assertEquals(List.of(), held, "a page outside both windows was held");
        for (long va : new long[] {DirectTlb.HIGH_BASE - 4096, top, -4096L, 0xFFFF_FFC0_0000_0000L})
            assertTrue(CompiledAccess.direct2(va, 0, t.entries, t.high) < 0, Long.toHexString(va));
        t.fill(DirectTlb.HIGH_BASE, 0x5000);
        t.fill(top - 4096, 0x6000);
        t.forEach((va, ram) -> held.add(va));
        assertEquals(List.of(DirectTlb.HIGH_BASE, top - 4096), held);
        assertEquals(0x5008, CompiledAccess.direct2(DirectTlb.HIGH_BASE + 8, 7, t.entries, t.high));
        assertEquals(0x6ff8, CompiledAccess.direct2(top - 8, 7, t.entries, t.high));
        assertTrue(CompiledAccess.direct2(top - 12, 7, t.entries, t.high) < 0, "a misaligned access hit");
        t.clear(top - 4096);
        assertTrue(CompiledAccess.direct2(top - 8, 7, t.entries, t.high) < 0, "sfence.vma va left a high page");
        t.clear();
        assertTrue(CompiledAccess.direct2(DirectTlb.HIGH_BASE, 7, t.entries, t.high) < 0, "sfence.vma left a high page");
    }

    @Test
    void anLrShootdownVisitsTheEntriesFilledNotTheRangeAnotherSpaceSpans() {
        // A raw environment's table with a page at 64 KiB and one just under 4 GiB, and a high
        // page: every LR's shootdown scanned the whole range between (1,048,560 entries) and
        // each chunk (512); now the three entries filled. The marked page's entries still go.
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        Hart h = new Hart(0, mem);
        DirectTlb t = new DirectTlb(new DirectTlb.Room(DirectTlb.ROOM), true);
        t.fill(0x10000, 0x5000);
        t.fill(0xFFFF_F000L, 0x6000);
        t.fill(DirectTlb.HIGH_BASE + 0x3000, 0x6000);
        mem.reservations.loadReserved(h, 0x6000, 8); // marks ram page 6
        t.dropMarked(mem.reservations);
        assertEquals(3, t.dropVisited, "entries an LR's shootdown looked at");
        List<Long> held = new ArrayList<>();
        t.forEach((va, ram) -> held.add(va));
        assertEquals(List.of(0x10000L), held, "the marked page's entries outlived the shootdown, or another went");
        // Past FILLED_MAX fills the list stops, and the next shootdown clears the table: once.
        for (int i = 0; i <= DirectTlb.FILLED_MAX; i++) t.fill(0x10000L + 4096L * i, 0x5000);
        t.dropMarked(mem.reservations);
        held.clear();
        t.forEach((va, ram) -> held.add(va));
        assertEquals(List.of(), held, "a table past its list was not cleared");
        t.fill(0xFFFF_F000L, 0x7000);
        t.dropMarked(mem.reservations);
        assertEquals(1, t.dropVisited, "after the clear, the fills since");
    }

    @Test
    void highWindowChunksAreMadeOnlyWithinTheMmusRoom() {
        // The directory and one chunk fit; a second chunk (2 MiB further) does not, and its page is left to the TLB.
        DirectTlb t = new DirectTlb(new DirectTlb.Room((DirectTlb.HIGH_PAGES >>> DirectTlb.CHUNK_BITS) + DirectTlb.CHUNK), true);
        t.fill(DirectTlb.HIGH_BASE + 0x10000, 0x5000);
        t.fill(DirectTlb.HIGH_BASE + 0x200000, 0x6000);
        t.fill(DirectTlb.HIGH_BASE + 0x11000, 0x7000); // the first chunk's: still room
        assertEquals(0x5000, CompiledAccess.direct2(DirectTlb.HIGH_BASE + 0x10000, 0, t.entries, t.high));
        assertEquals(0x7000, CompiledAccess.direct2(DirectTlb.HIGH_BASE + 0x11000, 0, t.entries, t.high));
        assertTrue(CompiledAccess.direct2(DirectTlb.HIGH_BASE + 0x200000, 0, t.entries, t.high) < 0, "a chunk was made past the room");
    }

    private static String inOwnJvm(boolean direct, String main, String... args) throws Exception {
        return inOwnJvm(List.of("-Dxv6j.jit.direct=" + direct), main, args);
    }

    private static String inOwnJvm(List<String> flags, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss8m", "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    // ---- the scenarios, in a JVM with the flag on ----------------------------------------

    public static void main(String[] args) throws HarnessException {
        if (!Mmu.DIRECT) throw new IllegalStateException("run with -Dxv6j.jit.direct=true");
        for (long data : DATA) {
            for (Scenarios.Flush f : Scenarios.Flush.values()) new Scenarios(data).aPageRemappedIsReadFromItsNewFrameAfter(f);
            new Scenarios(data).aStoreToAPageMadeReadOnlyFaultsAfterSfenceVma();
            new Scenarios(data).aGlobalPageKeepsItsEntryThroughAnAsidFlushAsItsTlbEntryDoes();
            new Scenarios(data).eachAddressSpaceReadsItsOwnFrameAcrossSatpSwitchesWithoutAFlush();
            new Scenarios(data).aStoreToItsOwnCodeRunsTheNewCode();
            new Scenarios(data).anotherHartsLrDropsAStoreEntrySoTheStoreBreaksTheReservation();
        }
        System.out.println("every scenario held");
    }

    /** One run of the scenarios, with the data pages at data. */
    private static final class Scenarios {
        private final PhysicalMemory mem = new PhysicalMemory(4 << 20);
        private final PageTable pt;
        private final long[] frames = new long[PAGES];
        /** The data pages' first address, and the second page's, which the scenarios use. */
        private final long data, page1;

        private Scenarios(long data) throws HarnessException {
            this.data = data;
            page1 = data + 0x1000;
            pt = new PageTable(mem, PhysicalMemory.BASE + 0x10_0000);
            pt.map(CODE, pt.allocPage(), RWU | Mmu.PTE_X | AD);
            for (int p = 0; p < PAGES; p++) pt.map(data + 4096L * p, frames[p] = pt.allocPage(), RWU | AD);
        }

        /** A hart in the address space, compiling every entry, its program at CODE + at, x11 = page1, x13 = CODE. */
        private Hart hart(int id, long at, int... program) {
            Hart h = new Hart(id, mem);
            h.setEngine(Engine.EAGER);
            h.mmu.setSatp(pt.satp(ASID));
            h.mmu.flush();
            byte[] b = Asm.bytes(program);
            for (int i = 0; i < b.length; i++) mem.store8(pt.walk(CODE + at + i), b[i]);
            h.x[11] = page1;
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

        /**
         * Whether the current address space's load (or store) direct TLB maps va's page, in
         * either window, as compiled code sees it: through the arrays the MMU publishes
         * (Mmu.loadLow and its kind), which a region reads at its entry.
         */
        private static boolean mapped(Hart h, long va, boolean store) {
            Mmu m = h.mmu;
            return CompiledAccess.direct2(va, 0, store ? m.storeLow : m.loadLow, store ? m.storeHigh : m.loadHigh) >= 0;
        }

        enum Flush {
            ALL { void on(Mmu m, long va) { m.flush(); } },
            VA { void on(Mmu m, long va) { m.flush(va); } },
            ASID_ALL { void on(Mmu m, long va) { m.flushAsid(ASID); } },
            VA_IN_ASID { void on(Mmu m, long va) { m.flush(va, ASID); } }; // what kernel-exo's unmap does (SecureBindings)

            abstract void on(Mmu m, long va);
        }

        void aPageRemappedIsReadFromItsNewFrameAfter(Flush flush) throws HarnessException {
            Hart h = hart(0, 0, ld(x6, x11, 0), ecall());
            mem.store64(pt.walk(page1), 0x1111);
            assertEcall(runFrom(h, 0)); // the walk fills the entry
            assertTrue(mapped(h, page1, false), "no direct entry for the data");
            assertEcall(runFrom(h, 0)); // through it
            assertEquals(0x1111, h.x[6]);
            long other = pt.allocPage();
            mem.store64(other, 0x2222);
            pt.map(page1, other, RWU | AD);
            flush.on(h.mmu, page1);
            assertEcall(runFrom(h, 0));
            assertEquals(0x2222, h.x[6], "a compiled load of " + Long.toHexString(page1) + " read the page's old frame after sfence.vma (" + flush + ")");
        }

        void aStoreToAPageMadeReadOnlyFaultsAfterSfenceVma() throws HarnessException {
            Hart h = hart(0, 0, sd(x7, x11, 0), ecall());
            h.x[7] = 5;
            assertEcall(runFrom(h, 0));
            assertTrue(mapped(h, page1, true), "no direct store entry for the data");
            h.x[7] = 6;
            assertEcall(runFrom(h, 0));
            assertEquals(6, mem.load64(pt.walk(page1)));
            pt.map(page1, frames[1], Mmu.PTE_R | Mmu.PTE_U | AD);
            h.mmu.flush(page1);
            h.x[7] = 7;
            assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE, page1), runFrom(h, 0));
            assertEquals(6, mem.load64(pt.walk(page1)), "a compiled store wrote a read-only page");
        }

        /**
         * sfence.vma x0, asid spares global pages; the TLB keeps them, so the direct TLB must
         * too, or compiled code would leave its region at that page on every access (exact, slow).
         */
        void aGlobalPageKeepsItsEntryThroughAnAsidFlushAsItsTlbEntryDoes() throws HarnessException {
            pt.map(page1, frames[1], RWU | AD | Mmu.PTE_G);
            Hart h = hart(0, 0, ld(x6, x11, 0), ecall());
            mem.store64(frames[1], 0x3333);
            assertEcall(runFrom(h, 0));
            assertTrue(mapped(h, page1, false), "no direct entry for the global page");
            h.mmu.flushAsid(ASID);
            assertTrue(mapped(h, page1, false), "an ASID flush dropped a global page's direct entry, which its TLB entry outlives");
            assertEcall(runFrom(h, 0));
            assertEquals(0x3333, h.x[6]);
        }

        void eachAddressSpaceReadsItsOwnFrameAcrossSatpSwitchesWithoutAFlush() throws HarnessException {
            PageTable pt2 = new PageTable(mem, PhysicalMemory.BASE + 0x20_0000);
            long code2 = pt2.allocPage(), data2 = pt2.allocPage();
            pt2.map(CODE, code2, RWU | Mmu.PTE_X | AD);
            pt2.map(page1, data2, RWU | AD);
            Hart h = hart(0, 0, ld(x6, x11, 0), ecall());
            for (int i = 0; i < 8; i++) mem.store8(code2 + i, mem.load8(pt.walk(CODE + i)));
            mem.store64(pt.walk(page1), 0x1111);
            mem.store64(data2, 0x2222);
            for (int round = 0; round < 3; round++) {
                h.mmu.setSatp(pt.satp(ASID));
                assertEcall(runFrom(h, 0));
                assertEquals(0x1111, h.x[6], "the first space read another's frame");
                h.mmu.setSatp(pt2.satp(ASID + 1));
                assertEcall(runFrom(h, 0));
                assertEquals(0x2222, h.x[6], "the second space read another's frame");
            }
            assertTrue(mapped(h, page1, false), "no direct entry in the second space");
        }

        void aStoreToItsOwnCodeRunsTheNewCode() {
            // sw x5, 8(x13) rewrites the addi at CODE + 8.
            Hart h = hart(0, 0, sw(x5, x13, 8), addi(x0, x0, 0), addi(x6, x0, 1), ecall());
            h.x[5] = addi(x6, x0, 7);
            assertEcall(runFrom(h, 0));
            assertEquals(7, h.x[6]);
            assertTrue(mapped(h, CODE, true), "no direct store entry for the code");
            h.x[5] = addi(x6, x0, 42);
            assertEcall(runFrom(h, 0)); // compiled again, the store through the direct entry
            assertEquals(42, h.x[6], "compiled code ran the instruction a store replaced");
        }

        void anotherHartsLrDropsAStoreEntrySoTheStoreBreaksTheReservation() {
            Hart writer = hart(1, 0, sd(x7, x11, 0), ecall());
            Hart reserver = hart(0, 0x100, lr_d(x6, x11), ecall());
            hart(2, 0x200, sc_d(x8, x9, x11), ecall()); // (writes the SC's code; this hart does nothing)
            writer.x[7] = 1;
            assertEcall(runFrom(writer, 0));
            assertTrue(mapped(writer, page1, true), "no direct store entry for the data");
            assertEcall(runFrom(writer, 0)); // through it
            // execute, not run: the reservation outlives the ecall (as it does under a debugger).
            reserver.pc = CODE + 0x100;
            assertEcall(reserver.execute(10_000)); // LR marks the page: the writer is asked to drop its entries
            assertEquals(1, reserver.x[6]);
            writer.x[7] = 2;
            assertEcall(runFrom(writer, 0)); // answers first, then stores: the slow path, which breaks the reservation
            assertFalse(mapped(writer, page1, true), "a direct store entry for a page marked for LR/SC outlived the shootdown");
            reserver.x[9] = 3;
            reserver.pc = CODE + 0x200;
            assertEcall(reserver.execute(10_000));
            assertNotEquals(0, reserver.x[8], "SC succeeded after another hart stored to its reservation");
            assertEquals(2, mem.load64(pt.walk(page1)));
        }
    }
}
