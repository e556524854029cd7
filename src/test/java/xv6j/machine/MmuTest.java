package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static xv6j.machine.Asm.*;
import static xv6j.machine.Mmu.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xv6j.harness.PageTable;

/** Sv39 translation by a hart running user code: permissions, A/D, superpages, faults, TLB flushes. */
class MmuTest {
    private static final long B = PhysicalMemory.BASE;
    private static final long CODE_VA = 0x1000, DATA_VA = 0x2000, CODE_PA = B + 0x1000, DATA_PA = B + 0x2000;
    private static final long URX = PTE_U | PTE_R | PTE_X, URW = PTE_U | PTE_R | PTE_W;

    private final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    private final Hart hart = new Hart(0, mem);
    private final Mmu mmu = hart.mmu;
    private PageTable pt;

    @BeforeEach
    void setUp() throws Exception {
        pt = new PageTable(mem, B + 0x20_0000);
        pt.map(CODE_VA, CODE_PA, URX);
        pt.map(DATA_VA, DATA_PA, URW);
        mmu.setSatp(pt.satp(1));
        mmu.flush();
    }

    /** Runs insns at CODE_VA up to a final ecall; returns the trap. */
    private Trap run(int... insns) {
        int[] all = java.util.Arrays.copyOf(insns, insns.length + 1);
        all[insns.length] = ecall();
        byte[] b = Asm.bytes(all);
        mem.write(CODE_PA, b, 0, b.length);
        hart.pc = CODE_VA;
        return hart.run(10_000);
    }

    private Trap ecallAfter(int n) { return new Trap(Trap.Cause.ECALL, CODE_VA + 4L * n, 0); }

    private long loadVia(long va) {
        hart.x[1] = va;
        Trap t = run(ld(x10, x1, 0));
        assertEquals(ecallAfter(1), t);
        return hart.x[10];
    }

    @Test
    void userCodeRunsThroughPageTables() {
        mem.store64(DATA_PA + 8, 1234);
        hart.x[1] = DATA_VA;
        assertEquals(ecallAfter(3), run(ld(x10, x1, 8), addi(x10, x10, 1), sd(x10, x1, 16)));
        assertEquals(1235L, mem.load64(DATA_PA + 16));
    }

    @Test
    void fetchNeedsExecutePermission() throws Exception {
        pt.map(CODE_VA, CODE_PA, PTE_U | PTE_R);
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_PAGE_FAULT, CODE_VA, CODE_VA), run());
    }

    @Test
    void loadNeedsReadPermissionEvenOnExecutablePages() throws Exception {
        pt.map(DATA_VA, DATA_PA, PTE_U | PTE_X);
        hart.x[1] = DATA_VA + 8;
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, DATA_VA + 8), run(ld(x10, x1, 0)));
    }

    @Test
    void storeNeedsWritePermission() throws Exception {
        pt.map(DATA_VA, DATA_PA, PTE_U | PTE_R);
        hart.x[1] = DATA_VA + 16;
        assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE_VA + 4, DATA_VA + 16), run(ld(x10, x1, 0), sd(x0, x1, 0)));
    }

    @Test
    void everyAccessNeedsTheUserBit() throws Exception {
        pt.map(DATA_VA, DATA_PA, PTE_R | PTE_W | PTE_X);
        hart.x[1] = DATA_VA;
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, DATA_VA), run(ld(x10, x1, 0)));
        assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE_VA, DATA_VA), run(sd(x10, x1, 0)));
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_PAGE_FAULT, DATA_VA, DATA_VA), run(jalr(x0, x1, 0)));
    }

    @Test
    void amoNeedsWritePermission() throws Exception {
        pt.map(DATA_VA, DATA_PA, PTE_U | PTE_R);
        hart.x[1] = DATA_VA;
        assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE_VA, DATA_VA), run(amo(AMOADD, false, false, 3, x10, x1, x0)));
        assertEquals(ecallAfter(1), run(lr_d(x10, x1)));
    }

    @Test
    void loadSetsAccessedAndStoreSetsDirty() throws Exception {
        assertEquals(0L, pt.pte(DATA_VA) & (PTE_A | PTE_D));
        loadVia(DATA_VA);
        assertEquals(PTE_A, pt.pte(DATA_VA) & (PTE_A | PTE_D));
        assertEquals(PTE_A, pt.pte(CODE_VA) & (PTE_A | PTE_D), "the fetch set A of the code page");
        hart.x[1] = DATA_VA;
        run(sd(x0, x1, 0));
        assertEquals(PTE_A | PTE_D, pt.pte(DATA_VA) & (PTE_A | PTE_D));
    }

    @Test
    void translationCachedByALoadDoesNotLetAStoreSkipSettingDirty() throws Exception {
        pt.map(DATA_VA, DATA_PA, URW | PTE_A); // A already set: a load needs no update
        loadVia(DATA_VA);
        hart.x[1] = DATA_VA;
        run(sd(x0, x1, 0));
        assertEquals(PTE_D, pt.pte(DATA_VA) & PTE_D);
    }

    @Test
    void gigapageAndMegapageTranslate() throws Exception {
        pt.mapAt(2, 0x4000_0000L, B, URW);           // 1 GiB at 1 GiB -> all of RAM
        pt.mapAt(1, 0x20_0000L, B + 0x20_0000L, URW); // 2 MiB
        mem.store64(B + 0x12_3450, 77);
        mem.store64(B + 0x21_0008, 88);
        assertEquals(77L, loadVia(0x4012_3450L));
        assertEquals(88L, loadVia(0x21_0008L));
    }

    @Test
    void misalignedSuperpagesFault() throws Exception {
        pt.mapAt(1, 0x20_0000L, B + 0x1000, URW);
        pt.mapAt(2, 0x4000_0000L, B + 0x20_0000, URW);
        hart.x[1] = 0x20_0000L;
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, 0x20_0000L), run(ld(x10, x1, 0)));
        hart.x[1] = 0x4000_0000L;
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, 0x4000_0000L), run(ld(x10, x1, 0)));
    }

    @Test
    void reservedEncodingsFault() throws Exception {
        long[] bad = {
            PTE_U | PTE_W,                         // W without R
            PTE_U | PTE_W | PTE_X,                 // W without R
            URW | 1L << 54,                        // reserved bit 54
            URW | 1L << 63,                        // N (Svnapot) is not implemented
            URW | 1L << 61,                        // PBMT is not implemented
        };
        for (long bits : bad) {
            mmu.flush();
            pt.map(DATA_VA, DATA_PA, bits);
            hart.x[1] = DATA_VA;
            assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, DATA_VA), run(ld(x10, x1, 0)), Long.toHexString(bits));
        }
    }

    @Test
    void nonLeafWithAccessedDirtyOrUserFaults() throws Exception {
        long va = 0x40_0000L; // its own level-1 pointer
        pt.map(va, DATA_PA, URW);
        long pointer = pt.pteAddress(va, 1);
        long good = mem.load64(pointer);
        for (long bit : new long[] {PTE_A, PTE_D, PTE_U}) {
            mmu.flush();
            mem.store64(pointer, good | bit);
            hart.x[1] = va;
            assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, va), run(ld(x10, x1, 0)));
        }
        mmu.flush();
        mem.store64(pointer, good);
        assertEquals(ecallAfter(1), run(ld(x10, x1, 0)));
    }

    @Test
    void pointerAtLevelZeroFaults() throws Exception {
        long pte = pt.pteAddress(DATA_VA, 0);
        mem.store64(pte, (DATA_PA >>> 12) << 10 | PTE_V); // V only: a pointer, but there is no level below
        hart.x[1] = DATA_VA;
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, DATA_VA), run(ld(x10, x1, 0)));
    }

    @Test
    void nonCanonicalAddressesFault() {
        for (long va : new long[] {1L << 38, 1L << 39, 0x8000_0000_0000_0000L, 0xffff_ffc0_0000_0000L - 1}) {
            hart.x[1] = va;
            assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE_VA, va), run(sd(x0, x1, 0)), Long.toHexString(va));
        }
    }

    @Test
    void pageTablesOrPagesOutsideRamGiveAccessFaults() throws Exception {
        pt.map(DATA_VA, 0x1000_0000L, URW); // a leaf pointing below RAM
        hart.x[1] = DATA_VA;
        assertEquals(new Trap(Trap.Cause.LOAD_ACCESS_FAULT, CODE_VA, DATA_VA), run(ld(x10, x1, 0)));
        assertEquals(new Trap(Trap.Cause.STORE_ACCESS_FAULT, CODE_VA, DATA_VA), run(sd(x10, x1, 0)));
        long va = 0x1_0000_0000L; // root slot 4
        mem.store64(pt.pteAddress(va, 2), (0x4000_0000L >>> 12) << 10 | PTE_V); // pointer outside RAM
        hart.x[1] = va;
        assertEquals(new Trap(Trap.Cause.LOAD_ACCESS_FAULT, CODE_VA, va), run(ld(x10, x1, 0)));
        mmu.setSatp(SATP_MODE_SV39 << 60 | 0x10); // root page outside RAM
        hart.pc = CODE_VA;
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_ACCESS_FAULT, CODE_VA, CODE_VA), hart.run(10));
    }

    @Test
    void staleTranslationPersistsUntilFlushByVa() throws Exception {
        long other = B + 0x3000;
        mem.store64(DATA_PA, 1);
        mem.store64(other, 2);
        assertEquals(1L, loadVia(DATA_VA));
        pt.map(DATA_VA, other, URW);
        assertEquals(1L, loadVia(DATA_VA), "the TLB still holds the old translation");
        mmu.flush(DATA_VA + 0x800);
        assertEquals(2L, loadVia(DATA_VA));
    }

    @Test
    void flushByAsidLeavesOtherAsidsAndGlobalMappings() throws Exception {
        long other = B + 0x3000, gva = 0x5000, gpa = B + 0x5000, gother = B + 0x6000;
        pt.map(gva, gpa, URW | PTE_G);
        mem.store64(DATA_PA, 1);
        mem.store64(other, 2);
        mem.store64(gpa, 3);
        mem.store64(gother, 4);
        assertEquals(1L, loadVia(DATA_VA));
        assertEquals(3L, loadVia(gva));
        pt.map(DATA_VA, other, URW);
        pt.map(gva, gother, URW | PTE_G);
        mmu.flushAsid(2);
        assertEquals(1L, loadVia(DATA_VA), "asid 2's flush leaves asid 1");
        mmu.flushAsid(1);
        assertEquals(2L, loadVia(DATA_VA));
        assertEquals(3L, loadVia(gva), "a global mapping survives an asid flush");
        mmu.flush(gva, 1);
        assertEquals(3L, loadVia(gva), "and a flush of its va in one asid");
        mmu.flush();
        assertEquals(4L, loadVia(gva));
    }

    @Test
    void flushByVaForgetsAWholeSuperpage() throws Exception {
        pt.mapAt(1, 0x20_0000L, B + 0x20_0000L, URW);
        mem.store64(B + 0x2f_f000L, 5);
        assertEquals(5L, loadVia(0x2f_f000L));
        pt.mapAt(1, 0x20_0000L, B + 0x00_0000L, URW);
        mmu.flush(0x20_0000L); // the superpage's first page; the cached entry is for its last
        mem.store64(B + 0x0f_f000L, 6);
        assertEquals(6L, loadVia(0x2f_f000L));
    }

    @Test
    void switchingAddressSpacesNeedsNoFlush() throws Exception {
        PageTable second = new PageTable(mem, B + 0x30_0000);
        second.map(CODE_VA, CODE_PA, URX);
        second.map(DATA_VA, B + 0x3000, URW);
        mem.store64(DATA_PA, 1);
        mem.store64(B + 0x3000, 2);
        assertEquals(1L, loadVia(DATA_VA));
        mmu.setSatp(second.satp(2));
        assertEquals(2L, loadVia(DATA_VA));
        mmu.setSatp(pt.satp(1));
        assertEquals(1L, loadVia(DATA_VA));
    }

    @Test
    void misalignedLoadAndStoreAcrossPagesWork() throws Exception {
        pt.map(DATA_VA + 0x1000, B + 0x7000, URW);
        hart.x[1] = DATA_VA + 0xffd;
        hart.x[2] = 0x0102_0304_0506_0708L;
        assertEquals(ecallAfter(3), run(sd(x2, x1, 0), ld(x10, x1, 0), lw(x11, x1, 1)));
        assertEquals(0x0102_0304_0506_0708L, hart.x[10]);
        assertEquals(0x0506_0708L >>> 8 | 0x04L << 24, hart.x[11]);
        assertEquals(0x08, mem.load8(DATA_PA + 0xffd));
        assertEquals(0x01, mem.load8(B + 0x7004));
    }

    @Test
    void storeAcrossIntoAnUnmappedPageFaultsAndWritesNothing() {
        hart.x[1] = DATA_VA + 0xffc;
        hart.x[2] = -1;
        assertEquals(new Trap(Trap.Cause.STORE_PAGE_FAULT, CODE_VA, DATA_VA + 0x1000), run(sd(x2, x1, 0)));
        assertEquals(0, mem.load32(DATA_PA + 0xffc));
        assertEquals(new Trap(Trap.Cause.LOAD_PAGE_FAULT, CODE_VA, DATA_VA + 0x1000), run(lw(x10, x1, 2)));
    }

    @Test
    void misalignedAccessInsideAPageWorks() {
        hart.x[1] = DATA_VA + 3;
        hart.x[2] = 0x1122_3344_5566_7788L;
        assertEquals(ecallAfter(3), run(sd(x2, x1, 0), lh(x10, x1, 1), lwu(x11, x1, 3)));
        assertEquals(0x6677L, hart.x[10]);
        assertEquals(0x2233_4455L, hart.x[11]);
    }

    @Test
    void unsupportedSatpModeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> mmu.setSatp(9L << 60));
    }

    @Test
    void translateReportsFaultsAsNegativeValues() throws Exception {
        assertEquals(PAGE_FAULT, mmu.translate(0x9000, Access.LOAD));
        assertEquals(DATA_PA + 5, mmu.translate(DATA_VA + 5, Access.STORE));
        assertNotEquals(0L, pt.pte(DATA_VA) & PTE_D);
    }
}
