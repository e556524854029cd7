package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.Test;

/** ecall, ebreak, illegal instructions, the CSRs, fences, budgets and interrupts. */
class SystemInstructionTest {
    private final TestMachine m = new TestMachine();
    private static final long C = TestMachine.CODE;

    private void assertIllegal(int bits) {
        m.load(bits);
        assertEquals(new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, C, bits & 0xffffffffL), m.run(), String.format("0x%08x", bits));
        assertEquals(C, m.hart.pc);
    }

    @Test
    void ecallStopsAtItselfWithoutRetiring() {
        m.load(addi(x1, x0, 1), ecall(), addi(x1, x0, 2));
        assertEquals(new Trap(Trap.Cause.ECALL, C + 4, 0), m.run());
        assertEquals(C + 4, m.hart.pc);
        assertEquals(1L, m.hart.instret);
        m.hart.pc += 4; // as the kernel does
        m.run();
        assertEquals(2L, m.x[1]);
    }

    @Test
    void ebreakGivesBreakpointWithPcAsTval() {
        m.load(addi(x0, x0, 0), ebreak());
        assertEquals(new Trap(Trap.Cause.BREAKPOINT, C + 4, C + 4), m.run());
    }

    @Test
    void unknownAndPrivilegedEncodingsAreIllegal() {
        assertIllegal(0xffffffff);
        assertIllegal(0x10200073);              // sret
        assertIllegal(0x30200073);              // mret
        assertIllegal(0x10500073);              // wfi
        assertIllegal(0x12000073);              // sfence.vma
        assertIllegal(0x00004073);              // SYSTEM funct3 4
        assertIllegal(r(0x20, 2, 1, 1, 3, 0x33)); // sub's funct7 with sll's funct3
        assertIllegal(r(0x02, 2, 1, 0, 3, 0x33)); // unknown funct7
        assertIllegal(0x0000706b);              // custom-2
        assertIllegal(i(0, 1, 7, 3, 0x03));     // load funct3 7
        assertIllegal(s(0, 2, 1, 4, 0x23));     // store funct3 4
        assertIllegal(i(0, 1, 2, 3, 0x67));     // jalr funct3 2
        assertIllegal(b(8, 2, 1, 2));           // branch funct3 2
        assertIllegal(amo(0b00101, false, false, 3, 1, 2, 3)); // amocas: not here
        assertIllegal(amo(AMOADD, false, false, 1, 1, 2, 3));  // AMO of 2 bytes
        assertIllegal(i(0, 1, 1, 3, 0x07));     // flh: no Zfh
    }

    @Test
    void trapWritesNothing() {
        m.x[1] = 7;
        m.load(addi(x1, x0, 5), 0xffffffff);
        assertEquals(Trap.Cause.ILLEGAL_INSTRUCTION, m.run().cause());
        assertEquals(5L, m.x[1]);
        assertEquals(1L, m.hart.instret);
    }

    @Test
    void floatCsrsReadAndWriteTheirFieldsOfFcsr() {
        m.exec(csrrwi(x10, Hart.CSR_FCSR, 0), addi(x1, x0, 0xff), csrrw(x11, Hart.CSR_FCSR, x1),
                csrrs(x12, Hart.CSR_FFLAGS, x0), csrrs(x13, Hart.CSR_FRM, x0), csrrci(x14, Hart.CSR_FFLAGS, 3),
                csrrwi(x15, Hart.CSR_FRM, 2), csrrs(x16, Hart.CSR_FCSR, x0), addi(x2, x0, -1), csrrw(x0, Hart.CSR_FCSR, x2));
        assertEquals(0L, m.x[10]);
        assertEquals(0L, m.x[11]);
        assertEquals(0x1fL, m.x[12]);
        assertEquals(7L, m.x[13]);
        assertEquals(0x1fL, m.x[14]);
        assertEquals(7L, m.x[15]);
        assertEquals(2L << 5 | 0x1c, m.x[16]);
        assertEquals(0xff, m.hart.fcsr, "fcsr keeps only its 8 bits");
    }

    @Test
    void countersAreReadOnlyAndCountRetiredInstructions() {
        m.hart.setTimeSource(inRun -> 12345);
        m.exec(addi(x0, x0, 0), csrrs(x10, Hart.CSR_INSTRET, x0), csrrs(x11, Hart.CSR_CYCLE, x0),
                csrrs(x12, Hart.CSR_TIME, x0), csrrsi(x13, Hart.CSR_INSTRET, 0), csrrc(x14, Hart.CSR_INSTRET, x0));
        assertEquals(1L, m.x[10]);
        assertEquals(2L, m.x[11]);
        assertEquals(12345L, m.x[12]);
        assertEquals(4L, m.x[13]);
        assertEquals(5L, m.x[14]);
        assertIllegal(csrrw(x10, Hart.CSR_INSTRET, x0));  // csrrw always writes
        assertIllegal(csrrs(x10, Hart.CSR_CYCLE, x1));    // rs1 != x0 writes
        assertIllegal(csrrsi(x10, Hart.CSR_TIME, 1));     // uimm != 0 writes
        assertIllegal(csrrwi(x0, Hart.CSR_TIME, 0));
        assertIllegal(csrrs(x10, 0xC03, x0));              // hpmcounter3: absent
        assertIllegal(csrrs(x10, 0x100, x0));              // sstatus: privileged
    }

    @Test
    void fenceIMakesRewrittenCodeVisible() {
        // Run "addi x10, x0, 1" at T once, then overwrite it with "addi x10, x0, 2", fence.i, run again.
        long t = C + 0x100;
        int newInsn = addi(x10, x0, 2);
        m.x[5] = t;
        m.x[6] = newInsn;
        m.loadAt(t, addi(x10, x0, 1), jalr(x0, x1, 0));
        m.load(jal(x1, 0x100), addi(x11, x10, 0), sw(x6, x5, 0), fence_i(), jalr(x1, x5, 0), ecall());
        assertEquals(Trap.Cause.ECALL, m.run().cause());
        assertEquals(1L, m.x[11]);
        assertEquals(2L, m.x[10]);
    }

    @Test
    void budgetStopsAfterExactlyThatManyInstructions() {
        m.load(addi(x1, x1, 1), jal(x0, -4));
        Trap t = m.hart.run(1001);
        assertEquals(Trap.Cause.TIMER_INTERRUPT, t.cause());
        assertEquals(1001L, m.hart.instret);
        assertEquals(501L, m.x[1]);
        assertEquals(C + 4, t.pc());
        assertEquals(C + 4, m.hart.pc);
        assertEquals(new Trap(Trap.Cause.TIMER_INTERRUPT, C + 4, 0), m.hart.run(0), "a zero budget runs nothing");
        assertEquals(1001L, m.hart.instret);
    }

    @Test
    void requestInterruptFromAnotherThreadStopsAnEndlessLoop() throws Exception {
        m.load(addi(x1, x1, 1), jal(x0, -4));
        Thread t = new Thread(() -> {
            try { Thread.sleep(50); } catch (InterruptedException e) { }
            m.hart.requestInterrupt();
        });
        t.start();
        Trap trap = m.hart.run(Long.MAX_VALUE);
        t.join();
        assertEquals(Trap.Cause.TIMER_INTERRUPT, trap.cause());
        assertTrue(m.x[1] > 0);
        // Cleared when returned: the next run goes on until its budget.
        long before = m.hart.instret;
        assertEquals(Trap.Cause.TIMER_INTERRUPT, m.hart.run(10).cause());
        assertEquals(before + 10, m.hart.instret);
    }

    @Test
    void instructionCrossingIntoTheNextPageRuns() {
        long at = C + 0x1000 - 2; // a 32-bit addi whose upper half starts the next page
        m.loadAt(at, addi(x10, x0, 42), ecall());
        assertEquals(new Trap(Trap.Cause.ECALL, at + 4, 0), m.run());
        assertEquals(42L, m.x[10]);
    }

    @Test
    void branchInAPageCrossingInstructionGoesToItsTarget() {
        long at = C + 0x1000 - 2;
        m.x[1] = 1;
        m.loadAt(at + 12, ecall());
        m.loadAt(at, bne(x1, x0, 12), ebreak());
        assertEquals(new Trap(Trap.Cause.ECALL, at + 12, 0), m.run());
    }

    @Test
    void loadInAPageCrossingInstructionMissesTheTlbAndStillRuns() {
        long at = C + 0x1000 - 2; // nothing has touched DATA yet: the load takes the slow path
        m.mem.store64(TestMachine.DATA, 0x1122_3344_5566_7788L);
        m.x[5] = TestMachine.DATA;
        m.loadAt(at, ld(x10, x5, 0), ecall());
        assertEquals(new Trap(Trap.Cause.ECALL, at + 4, 0), m.run());
        assertEquals(0x1122_3344_5566_7788L, m.x[10]);
        assertEquals(1L, m.hart.instret);
    }

    @Test
    void jalrInAPageCrossingInstructionLinksAndLeaves() {
        long at = C + 0x1000 - 2;
        m.x[5] = C + 0x40;
        m.loadAt(C + 0x40, ecall());
        m.loadAt(at, jalr(x1, x5, 0));
        assertEquals(new Trap(Trap.Cause.ECALL, C + 0x40, 0), m.run());
        assertEquals(at + 4, m.x[1]);
    }

    @Test
    void budgetCountsInstructionsThatTakeTheSlowPath() {
        // ld misses the TLB the first time; fence and csrr always leave the fast loop.
        m.x[5] = TestMachine.DATA;
        m.load(ld(x10, x5, 0), fence(), addi(x1, x1, 1), csrrs(x11, Hart.CSR_INSTRET, x0), jal(x0, -16));
        Trap t = m.hart.run(11);
        assertEquals(new Trap(Trap.Cause.TIMER_INTERRUPT, C + 4, 0), t);
        assertEquals(11L, m.hart.instret);
        assertEquals(2L, m.x[1]);
        assertEquals(8L, m.x[11], "the second csrr reads instret: eight instructions before it");
    }

    @Test
    void oddPcIsAMisalignedFetch() {
        m.hart.pc = C + 1;
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_MISALIGNED, C + 1, C + 1), m.hart.run(10));
    }

    @Test
    void fetchOutsideRamIsAnAccessFault() {
        m.hart.pc = 0x1000;
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_ACCESS_FAULT, 0x1000, 0x1000), m.hart.run(10));
    }

    @Test
    void storeToDecodedCodeOnAnotherPageIsSeenEvenWithoutFenceI() {
        long t = C + 0x2000; // a routine on its own page, run once so it is decoded
        m.x[5] = t;
        m.x[6] = addi(x10, x0, 2);
        m.loadAt(t, addi(x10, x0, 1), jalr(x0, x1, 0));
        m.load(jalr(x1, x5, 0), addi(x11, x10, 0), sw(x6, x5, 0), jalr(x1, x5, 0), ecall());
        assertEquals(Trap.Cause.ECALL, m.run().cause());
        assertEquals(1L, m.x[11]);
        assertEquals(2L, m.x[10]);
    }

    @Test
    void flwNanBoxesAndFswStoresTheLow32Bits() {
        m.mem.store32(TestMachine.DATA, Float.floatToRawIntBits(1.5f));
        m.x[1] = TestMachine.DATA;
        m.hart.f[3] = 0x1234_5678_3fc0_0000L; // not a boxed single: fsw stores the low word anyway
        m.exec(flw(x2, x1, 0), fsw(x3, x1, 8), fld(x4, x1, 0), fsd(x4, x1, 16));
        assertEquals(0xffff_ffff_3fc0_0000L, m.hart.f[2]);
        assertEquals(0x3fc0_0000, m.mem.load32(TestMachine.DATA + 8));
        assertEquals(0, m.mem.load32(TestMachine.DATA + 12));
        assertEquals(m.mem.load64(TestMachine.DATA), m.mem.load64(TestMachine.DATA + 16));
    }
}
