package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.Test;

class CompressedInstructionTest {
    private final TestMachine m = new TestMachine();
    private static final long C = TestMachine.CODE;

    private void assertIllegal(int bits) {
        m.load(bits);
        assertEquals(new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, C, bits & 0xffff), m.run(), String.format("0x%04x", bits));
    }

    @Test
    void stackPointerFormsScaleTheirOffsets() {
        m.x[2] = TestMachine.DATA;
        m.x[5] = 0x1122_3344_5566_7788L;
        m.exec(c_sdsp(x5, 504), c_swsp(x5, 252), c_ldsp(x10, 504), c_lwsp(x11, 252), c_addi4spn(x12, 1020),
                c_addi16sp(-512), c_addi16sp(496));
        assertEquals(0x1122_3344_5566_7788L, m.mem.load64(TestMachine.DATA + 504));
        assertEquals(0x5566_7788, m.mem.load32(TestMachine.DATA + 252));
        assertEquals(0x1122_3344_5566_7788L, m.x[10]);
        assertEquals(0x5566_7788L, m.x[11]);
        assertEquals(TestMachine.DATA + 1020, m.x[12]);
        assertEquals(TestMachine.DATA - 16, m.x[2]);
    }

    @Test
    void registerPrimeFormsReachX8ToX15() {
        m.x[8] = TestMachine.DATA;
        m.x[15] = -2;
        m.exec(c_sd(x15, x8, 248), c_sw(x15, x8, 124), c_ld(x9, x8, 248), c_lw(x14, x8, 124));
        assertEquals(-2L, m.x[9]);
        assertEquals(-2L, m.x[14]);
        assertThrows(IllegalArgumentException.class, () -> c_lw(x16, x8, 0), "x16 is not encodable");
    }

    @Test
    void immediateForms() {
        m.x[9] = 100;
        m.exec(c_li(x10, -32), c_lui(x11, -1), c_lui(x12, 31), c_addi(x9, -1), c_addiw(x10, 31), c_slli(x9, 63),
                c_li(x13, 31), c_andi(x13, -16), c_li(x14, -1), c_srli(x14, 60), c_li(x15, -16), c_srai(x15, 2));
        assertEquals(-1L, m.x[10]);
        assertEquals(-4096L, m.x[11]);
        assertEquals(31L << 12, m.x[12]);
        assertEquals(Long.MIN_VALUE, m.x[9]); // 99 << 63: only bit 0 survives
        assertEquals(16L, m.x[13]);
        assertEquals(15L, m.x[14]);
        assertEquals(-4L, m.x[15]);
    }

    @Test
    void addiwSignExtendsAndIsRv64sReplacementForCJal() {
        m.x[8] = 0x7fff_ffffL;
        m.exec(c_addiw(x8, 1));
        assertEquals(0xffff_ffff_8000_0000L, m.x[8]);
    }

    @Test
    void registerRegisterForms() {
        m.x[8] = 0x0ff0;
        m.x[9] = 0x00ff;
        m.x[10] = 0x7fff_ffffL;
        m.x[11] = 1;
        m.x[12] = 5;
        m.x[13] = 7;
        m.exec(c_mv(x20, x8), c_sub(x20 - 12, x9), c_xor(x9, x8), c_or(x10, x11), c_and(x11, x13),
                c_addw(x12, x10), c_subw(x13, x10), c_add(x21, x8));
        assertEquals(0x0ff0 - 0x00ff, m.x[8]);
        assertEquals(0x0ff0L, m.x[20]);
        assertEquals(0x00ff ^ (0x0ff0 - 0x00ff), m.x[9]);
        assertEquals(0x7fff_ffffL, m.x[10]);
        assertEquals(1L, m.x[11]);
        assertEquals((long) (5 + 0x7fff_ffff), m.x[12]); // wraps to negative, sign-extended
        assertEquals((long) (7 - 0x7fff_ffff), m.x[13]);
        assertEquals(0x0ff0L - 0x00ff, m.x[21]);
    }

    @Test
    void jumpsAndBranches() {
        // c.j +4 skips a c.li; c.beqz/c.bnez taken and not; c.jalr links pc+2; c.jr returns.
        m.x[8] = 0;
        m.x[9] = 1;
        m.exec(c_j(4), c_li(x10, 1), c_beqz(x8, 4), c_li(x11, 1), c_bnez(x8, 4), c_li(x12, 1),
                c_bnez(x9, 4), c_li(x13, 1), auipc(x5, 0), addi(x5, x5, 12), c_jalr(x5), c_li(x14, 1), c_li(x15, 1));
        assertEquals(0L, m.x[10]);
        assertEquals(0L, m.x[11]);
        assertEquals(1L, m.x[12]);
        assertEquals(0L, m.x[13]);
        long jalrAt = C + 16 + 8;
        assertEquals(jalrAt + 2, m.x[1]);
        assertEquals(0L, m.x[14]);
        assertEquals(1L, m.x[15]);
    }

    @Test
    void cJrJumpsWithoutLinking() {
        m.x[6] = C + 4;
        m.exec(c_jr(x6), c_li(x10, 1), c_li(x11, 1));
        assertEquals(0L, m.x[10]);
        assertEquals(1L, m.x[11]);
        assertEquals(0L, m.x[1]);
    }

    @Test
    void floatingLoadsAndStoresCompressed() {
        m.x[2] = TestMachine.DATA;
        m.x[8] = TestMachine.DATA + 64;
        m.hart.f[9] = Double.doubleToRawLongBits(2.5);
        m.exec(c_fsdsp(x9, 8), c_fldsp(x1, 8), c_fsd(x9, x8, 16), c_fld(x10, x8, 16));
        assertEquals(Double.doubleToRawLongBits(2.5), m.mem.load64(TestMachine.DATA + 8));
        assertEquals(Double.doubleToRawLongBits(2.5), m.hart.f[1]);
        assertEquals(Double.doubleToRawLongBits(2.5), m.hart.f[10]);
    }

    @Test
    void ebreakReportsItsPc() {
        m.load(c_nop(), c_ebreak());
        assertEquals(new Trap(Trap.Cause.BREAKPOINT, C + 2, C + 2), m.run());
    }

    @Test
    void reservedEncodingsAreIllegalWithTheirSixteenBits() {
        assertIllegal(0x0000);                 // all zeros
        assertIllegal(c_addi4spn(x8, 0));      // nzuimm = 0
        assertIllegal(c_lui(x5, 0));           // nzimm = 0
        assertIllegal(c_addi16sp(0));          // nzimm = 0
        assertIllegal(c_lwsp(x0, 4));          // rd = 0
        assertIllegal(c_ldsp(x0, 8));          // rd = 0
        assertIllegal(c_jr(x0));               // rs1 = 0
        assertIllegal(c_addiw(x0, 1));         // rd = 0
        assertIllegal(0x8000);                 // quadrant 0, funct3 4: reserved
        assertIllegal(0x9c41 | 2 << 5);        // c.subw's sibling with funct2 = 10: reserved
    }

    @Test
    void hintsAreNoOps() {
        m.exec(c_li(x0, 5), c_addi(x0, 3), c_mv(x0, x5), c_add(x0, x5), c_slli(x0, 3), c_lui(x0, 1), c_addi(x9, 0));
        assertEquals(0L, m.x[0]);
    }

    @Test
    void everyHalfwordDecodesToACompressedOperationOrIllegal() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 3) == 3) continue;
            long d = Decoder.decode(h);
            assertEquals(1, Decoded.halfwords(d), String.format("0x%04x", h));
            if (Decoded.op(d) == Op.ILLEGAL) assertEquals(h, Decoded.imm(d));
        }
    }
}
