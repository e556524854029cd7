package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.Test;

class IntegerInstructionTest {
    private final TestMachine m = new TestMachine();

    @Test
    void addiOfMinusOneGivesAllOnesAndX0StaysZero() {
        m.exec(addi(x1, x0, -1), addi(x0, x1, 5), add(x2, x0, x0));
        assertEquals(-1L, m.x[1]);
        assertEquals(0L, m.x[0]);
        assertEquals(0L, m.x[2]);
    }

    @Test
    void addWrapsOnSignedOverflow() {
        m.x[1] = Long.MAX_VALUE;
        m.x[2] = 1;
        m.exec(add(x3, x1, x2), sub(x4, x3, x2), addw(x5, x1, x2));
        assertEquals(Long.MIN_VALUE, m.x[3]);
        assertEquals(Long.MAX_VALUE, m.x[4]);
        assertEquals(0L, m.x[5]); // 0xffffffff + 1 in 32 bits
    }

    @Test
    void everyWFormSignExtendsItsResult() {
        m.x[1] = 0x7fff_ffffL;
        m.x[2] = 1;
        m.x[3] = 0x1_8000_0000L;
        m.exec(addw(x10, x1, x2), addiw(x11, x1, 1), subw(x12, x0, x2), sllw(x13, x2, x0),
                slliw(x14, x2, 31), srlw(x15, x3, x0), srliw(x16, x3, 0), sraw(x17, x3, x2),
                sraiw(x18, x3, 4), mulw(x19, x1, x1), addiw(x20, x3, 0));
        assertEquals(0xffff_ffff_8000_0000L, m.x[10]);
        assertEquals(0xffff_ffff_8000_0000L, m.x[11]);
        assertEquals(-1L, m.x[12]);
        assertEquals(1L, m.x[13]);
        assertEquals(0xffff_ffff_8000_0000L, m.x[14]);
        assertEquals(0xffff_ffff_8000_0000L, m.x[15]); // srlw by 0 still sign-extends bit 31
        assertEquals(0xffff_ffff_8000_0000L, m.x[16]);
        assertEquals(0xffff_ffff_c000_0000L, m.x[17]);
        assertEquals(0xffff_ffff_f800_0000L, m.x[18]);
        assertEquals(1L, m.x[19]); // 0x7fffffff^2 = 0x3fffffff00000001
        assertEquals(0xffff_ffff_8000_0000L, m.x[20]); // sext.w
    }

    @Test
    void shiftsBy63AndMaskedShiftAmounts() {
        m.x[1] = Long.MIN_VALUE;
        m.x[2] = 63;
        m.x[3] = 64 + 3;   // shifts use the low 6 bits: 3
        m.x[4] = 32 + 2;   // W shifts use the low 5 bits: 2
        m.exec(srli(x10, x1, 63), srai(x11, x1, 63), slli(x12, x2, 63), srl(x13, x1, x2), sra(x14, x1, x2),
                sll(x15, x2, x3), sllw(x16, x2, x4), srlw(x17, x1, x4), srl(x18, x1, x3));
        assertEquals(1L, m.x[10]);
        assertEquals(-1L, m.x[11]);
        assertEquals(Long.MIN_VALUE, m.x[12]);
        assertEquals(1L, m.x[13]);
        assertEquals(-1L, m.x[14]);
        assertEquals(63L << 3, m.x[15]);
        assertEquals(63L << 2, m.x[16]);
        assertEquals(0L, m.x[17]); // low word of MIN_VALUE is 0
        assertEquals(Long.MIN_VALUE >>> 3, m.x[18]);
    }

    @Test
    void shiftImmediateWithBit5IsIllegalForWForms() {
        int bad = slliw(x1, x1, 0) | 1 << 25; // shamt[5] set
        m.load(bad);
        assertEquals(new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, TestMachine.CODE, bad & 0xffffffffL), m.run());
    }

    @Test
    void comparisonsSignedAndUnsigned() {
        m.x[1] = -1;
        m.x[2] = 1;
        m.exec(slt(x10, x1, x2), sltu(x11, x1, x2), slti(x12, x1, 0), sltiu(x13, x2, -1), sltiu(x14, x0, 1),
                xori(x15, x1, 0x0f0), ori(x16, x2, -2048), andi(x17, x1, 0x7ff), xor(x18, x1, x2), or(x19, x2, x2),
                and(x20, x1, x2));
        assertEquals(1L, m.x[10]);
        assertEquals(0L, m.x[11]);
        assertEquals(1L, m.x[12]);
        assertEquals(1L, m.x[13]); // -1 as unsigned is the largest
        assertEquals(1L, m.x[14]); // seqz
        assertEquals(~0xf0L, m.x[15]);
        assertEquals(-2047L, m.x[16]);
        assertEquals(0x7ffL, m.x[17]);
        assertEquals(-2L, m.x[18]);
        assertEquals(1L, m.x[19]);
        assertEquals(1L, m.x[20]);
    }

    @Test
    void luiSignExtendsAndAuipcAddsPc() {
        m.exec(lui(x1, 0x80000), lui(x2, 0x12345), auipc(x3, 0), auipc(x4, 0xfffff));
        assertEquals(0xffff_ffff_8000_0000L, m.x[1]);
        assertEquals(0x1234_5000L, m.x[2]);
        assertEquals(TestMachine.CODE + 8, m.x[3]);
        assertEquals(TestMachine.CODE + 12 - 4096, m.x[4]);
    }

    @Test
    void everyBranchTakenAndNotTaken() {
        // Each branch skips an addi that would set a failure bit when it is taken correctly.
        m.x[1] = -1;
        m.x[2] = 1;
        m.exec(
                beq(x1, x1, 8), ori(x10, x10, 1),
                bne(x1, x2, 8), ori(x10, x10, 2),
                blt(x1, x2, 8), ori(x10, x10, 4),
                bge(x2, x1, 8), ori(x10, x10, 8),
                bltu(x2, x1, 8), ori(x10, x10, 16),
                bgeu(x1, x2, 8), ori(x10, x10, 32),
                bge(x1, x1, 8), ori(x10, x10, 64),
                bgeu(x1, x1, 8), ori(x10, x10, 128),
                // not taken: each falls through to set its bit in x11
                beq(x1, x2, 8), ori(x11, x11, 1),
                bne(x1, x1, 8), ori(x11, x11, 2),
                blt(x2, x1, 8), ori(x11, x11, 4),
                bge(x1, x2, 8), ori(x11, x11, 8),
                bltu(x1, x2, 8), ori(x11, x11, 16),
                bgeu(x2, x1, 8), ori(x11, x11, 32));
        assertEquals(0L, m.x[10]);
        assertEquals(63L, m.x[11]);
    }

    @Test
    void backwardBranchLoops() {
        m.exec(addi(x1, x0, 100), addi(x2, x2, 3), addi(x1, x1, -1), bne(x1, x0, -8));
        assertEquals(300L, m.x[2]);
        assertEquals(1 + 3 * 100L, m.hart.instret); // the ecall that stopped it did not retire
    }

    @Test
    void jalLinksAndJalrClearsBitZero() {
        long c = TestMachine.CODE;
        m.x[5] = c + 17; // odd: jalr clears bit 0 -> c + 16
        m.exec(jal(x1, 8), addi(x10, x0, 1), jalr(x2, x5, 0), addi(x11, x0, 1), addi(x12, x0, 1));
        assertEquals(c + 4, m.x[1]);
        assertEquals(c + 12, m.x[2]); // link of the jalr at c + 8
        assertEquals(0L, m.x[10]);
        assertEquals(0L, m.x[11]);
        assertEquals(1L, m.x[12]);
    }

    @Test
    void jalrReadsRs1BeforeWritingRd() {
        long c = TestMachine.CODE;
        m.x[1] = c + 8;
        m.exec(jalr(x1, x1, 0), addi(x10, x0, 1), addi(x11, x0, 1));
        assertEquals(c + 4, m.x[1]);
        assertEquals(0L, m.x[10]);
        assertEquals(1L, m.x[11]);
    }

    @Test
    void loadsSignOrZeroExtend() {
        m.mem.store64(TestMachine.DATA, 0x8182_8384_8586_8788L);
        m.x[1] = TestMachine.DATA;
        m.exec(lb(x10, x1, 0), lbu(x11, x1, 0), lh(x12, x1, 0), lhu(x13, x1, 0), lw(x14, x1, 0),
                lwu(x15, x1, 0), ld(x16, x1, 0), lb(x17, x1, 7), lw(x18, x1, 4));
        assertEquals(0xffff_ffff_ffff_ff88L, m.x[10]);
        assertEquals(0x88L, m.x[11]);
        assertEquals(0xffff_ffff_ffff_8788L, m.x[12]);
        assertEquals(0x8788L, m.x[13]);
        assertEquals(0xffff_ffff_8586_8788L, m.x[14]);
        assertEquals(0x8586_8788L, m.x[15]);
        assertEquals(0x8182_8384_8586_8788L, m.x[16]);
        assertEquals(0xffff_ffff_ffff_ff81L, m.x[17]);
        assertEquals(0xffff_ffff_8182_8384L, m.x[18]);
    }

    @Test
    void narrowLoadsOfTheLastBytesOfRamWork() {
        long last = m.mem.end() - 8; // the fast path reads 8 bytes from the address: past RAM's end here
        m.mem.store64(last, 0x8182_8384_8586_8788L);
        m.x[1] = last;
        // The first load fills the TLB; the others hit it.
        m.exec(ld(x9, x1, 0), lbu(x10, x1, 7), lb(x11, x1, 7), lhu(x12, x1, 6), lw(x13, x1, 4), lwu(x14, x1, 4));
        assertEquals(0x81L, m.x[10]);
        assertEquals(0xffff_ffff_ffff_ff81L, m.x[11]);
        assertEquals(0x8182L, m.x[12]);
        assertEquals(0xffff_ffff_8182_8384L, m.x[13]);
        assertEquals(0x8182_8384L, m.x[14]);
    }

    @Test
    void storesWriteOnlyTheirWidth() {
        m.x[1] = TestMachine.DATA;
        m.x[2] = 0x1122_3344_5566_7788L;
        m.exec(sd(x2, x1, 0), sb(x0, x1, 0), sh(x0, x1, 2), sw(x2, x1, 8), addi(x3, x1, 16), sd(x2, x3, -8));
        assertEquals(0x1122_3344_0000_7700L, m.mem.load64(TestMachine.DATA));
        assertEquals(0x1122_3344_5566_7788L, m.mem.load64(TestMachine.DATA + 8));
    }

    @Test
    void loadIntoX0StillAccessesMemory() {
        m.x[1] = 0x10; // below RAM: an access fault even though the value is dropped
        m.load(lw(x0, x1, 0));
        assertEquals(new Trap(Trap.Cause.LOAD_ACCESS_FAULT, TestMachine.CODE, 0x10), m.run());
    }
}
