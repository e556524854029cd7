package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.FloatTesting.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FloatUnit as the hart sees it: decoding, the register files, NaN-boxing, rounding-mode
 * selection, flag accrual, and illegal encodings that must leave every register alone.
 * The arithmetic's own edge cases are SoftFloat*Test's.
 */
class FloatUnitTest {
    private static final int S = 0, D = 1;
    private static final int RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;
    private static final int MADD = 0x43, MSUB = 0x47, NMSUB = 0x4B, NMADD = 0x4F;
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;

    private Hart hart;

    @BeforeEach
    void newHart() {
        hart = new Hart(0, new PhysicalMemory(PhysicalMemory.MIN_SIZE));
    }

    /** An OP-FP instruction word. */
    static int op(int funct5, int fmt, int rs2, int rs1, int rm, int rd) {
        return funct5 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm << 12 | rd << 7 | 0x53;
    }

    /** An R4-type fused multiply-add instruction word. */
    static int r4(int opcode, int rs3, int fmt, int rs2, int rs1, int rm, int rd) {
        return rs3 << 27 | fmt << 25 | rs2 << 20 | rs1 << 15 | rm << 12 | rd << 7 | opcode;
    }

    @Test
    void encodingHelpersMatchWhatTheAssemblerProduces() {
        // Words from clang -march=rv64gc and llvm-objdump (ft0-ft4 = f0-f4, fa0-fa2 = f10-f12, a0 = x10).
        assertEquals(0x00209053, op(0x00, S, 2, 1, RTZ, 0));          // fadd.s ft0, ft1, ft2, rtz
        assertEquals(0x02c5f553, op(0x00, D, 12, 11, DYN, 10));       // fadd.d fa0, fa1, fa2
        assertEquals(0x5a0231d3, op(0x0B, D, 0, 4, RUP, 3));          // fsqrt.d ft3, ft4, rup
        assertEquals(0x2020a053, op(0x04, S, 2, 1, 2, 0));            // fsgnjx.s ft0, ft1, ft2
        assertEquals(0x2a209053, op(0x05, D, 2, 1, 1, 0));            // fmax.d ft0, ft1, ft2
        assertEquals(0x4010a053, op(0x08, S, 1, 1, RDN, 0));          // fcvt.s.d ft0, ft1, rdn
        assertEquals(0x42008053, op(0x08, D, 0, 1, RNE, 0));          // fcvt.d.s ft0, ft1
        assertEquals(0xa2208553, op(0x14, D, 2, 1, 0, 10));           // fle.d a0, ft1, ft2
        assertEquals(0xa020a553, op(0x14, S, 2, 1, 2, 10));           // feq.s a0, ft1, ft2
        assertEquals(0xc030c553, op(0x18, S, 3, 1, RMM, 10));         // fcvt.lu.s a0, ft1, rmm
        assertEquals(0xd21500d3, op(0x1A, D, 1, 10, RNE, 1));         // fcvt.d.wu ft1, a0
        assertEquals(0xe0008553, op(0x1C, S, 0, 1, 0, 10));           // fmv.x.w a0, ft1
        assertEquals(0xe2009553, op(0x1C, D, 0, 1, 1, 10));           // fclass.d a0, ft1
        assertEquals(0xf20500d3, op(0x1E, D, 0, 10, 0, 1));           // fmv.d.x ft1, a0
        assertEquals(0x1a20804f, r4(NMADD, 3, D, 2, 1, RNE, 0));      // fnmadd.d ft0, ft1, ft2, ft3, rne
        assertEquals(0x1820f047, r4(MSUB, 3, S, 2, 1, DYN, 0));       // fmsub.s ft0, ft1, ft2, ft3
    }

    // ---- every instruction, wired to the right operation and operands ----

    @Test
    void arithmeticInstructionsTakeRs1ThenRs2() {
        hart.f[1] = d(6);
        hart.f[2] = d(4);
        exec(op(0x00, D, 2, 1, RNE, 3));
        assertEquals(d(10), hart.f[3]);
        exec(op(0x01, D, 2, 1, RNE, 3));
        assertEquals(d(2), hart.f[3]);
        exec(op(0x02, D, 2, 1, RNE, 3));
        assertEquals(d(24), hart.f[3]);
        exec(op(0x03, D, 2, 1, RNE, 3));
        assertEquals(d(1.5), hart.f[3]);
        exec(op(0x0B, D, 0, 2, RNE, 3));
        assertEquals(d(2), hart.f[3]);

        hart.f[1] = BOX | s(6);
        hart.f[2] = BOX | s(4);
        exec(op(0x01, S, 2, 1, RNE, 3));
        assertEquals(BOX | s(2), hart.f[3]);
        exec(op(0x03, S, 2, 1, RNE, 3));
        assertEquals(BOX | s(1.5f), hart.f[3]);
        exec(op(0x0B, S, 0, 2, RNE, 3));
        assertEquals(BOX | s(2), hart.f[3]);
        assertEquals(0, hart.fcsr);
    }

    @Test
    void fusedInstructionsNegateAsTheirNamesSay() {
        hart.f[1] = d(2);
        hart.f[2] = d(3);
        hart.f[3] = d(1);
        exec(r4(MADD, 3, D, 2, 1, RNE, 4));
        assertEquals(d(7), hart.f[4]);
        exec(r4(MSUB, 3, D, 2, 1, RNE, 4));
        assertEquals(d(5), hart.f[4]);
        exec(r4(NMSUB, 3, D, 2, 1, RNE, 4));
        assertEquals(d(-5), hart.f[4]);
        exec(r4(NMADD, 3, D, 2, 1, RNE, 4));
        assertEquals(d(-7), hart.f[4]);
        hart.f[1] = BOX | s(2);
        hart.f[2] = BOX | s(3);
        hart.f[3] = BOX | s(1);
        exec(r4(NMADD, 3, S, 2, 1, DYN, 4));
        assertEquals(BOX | s(-7), hart.f[4]);
        exec(r4(MSUB, 3, S, 2, 1, RNE, 4));
        assertEquals(BOX | s(5), hart.f[4]);
    }

    @Test
    void signInjectionWorksOnRawBits() {
        hart.f[1] = 0x7ff0_0000_0000_0001L;                          // a signaling NaN stays as it is
        hart.f[2] = d(-1);
        exec(op(0x04, D, 2, 1, 0, 3));                               // fsgnj
        assertEquals(0xfff0_0000_0000_0001L, hart.f[3]);
        exec(op(0x04, D, 2, 1, 1, 3));                               // fsgnjn
        assertEquals(0x7ff0_0000_0000_0001L, hart.f[3]);
        exec(op(0x04, D, 2, 3, 2, 3));                               // fsgnjx: + xor - = -
        assertEquals(0xfff0_0000_0000_0001L, hart.f[3]);
        hart.f[4] = BOX | s(-2.5f);
        exec(op(0x04, S, 4, 4, 2, 5));                               // fabs.s
        assertEquals(BOX | s(2.5f), hart.f[5]);
        assertEquals(0, hart.fcsr);
    }

    @Test
    void minMaxAndComparisonsWriteTheirResults() {
        hart.f[1] = BOX | s(1);
        hart.f[2] = BOX | s(2);
        exec(op(0x05, S, 2, 1, 0, 3));
        assertEquals(BOX | s(1), hart.f[3]);
        exec(op(0x05, S, 2, 1, 1, 3));
        assertEquals(BOX | s(2), hart.f[3]);
        exec(op(0x14, S, 2, 1, 1, 10));                              // flt.s f1 < f2
        assertEquals(1, hart.x[10]);
        exec(op(0x14, S, 1, 2, 1, 10));                              // flt.s f2 < f1
        assertEquals(0, hart.x[10]);
        exec(op(0x14, S, 1, 1, 0, 10));                              // fle.s
        assertEquals(1, hart.x[10]);
        exec(op(0x14, S, 2, 1, 2, 10));                              // feq.s
        assertEquals(0, hart.x[10]);
        hart.f[4] = d(-0.0);
        hart.f[5] = d(0.0);
        exec(op(0x14, D, 5, 4, 2, 11));                              // feq.d -0 == +0
        assertEquals(1, hart.x[11]);
        exec(op(0x05, D, 5, 4, 1, 6));                               // fmax.d
        assertEquals(d(0.0), hart.f[6]);
    }

    @Test
    void conversionsToIntegersSignExtendWordResults() {
        hart.f[1] = d(3e9);
        exec(op(0x18, D, 1, 1, RTZ, 10));                            // fcvt.wu.d
        assertEquals(0xffff_ffff_b2d0_5e00L, hart.x[10]);
        exec(op(0x18, D, 0, 1, RTZ, 10));                            // fcvt.w.d: out of range
        assertEquals(0x7fff_ffffL, hart.x[10]);
        assertEquals(NV, hart.fcsr);
        exec(op(0x18, D, 2, 1, RTZ, 10));                            // fcvt.l.d
        assertEquals(3_000_000_000L, hart.x[10]);
        hart.f[2] = BOX | s(-2.5f);
        exec(op(0x18, S, 2, 2, RNE, 11));                            // fcvt.l.s
        assertEquals(-2, hart.x[11]);
        exec(op(0x18, S, 3, 2, RNE, 11));                            // fcvt.lu.s: negative
        assertEquals(0, hart.x[11]);
        assertEquals(NV | NX, hart.fcsr);
    }

    @Test
    void conversionsFromIntegersReadTheRightWidth() {
        hart.x[5] = 0xffff_ffff_ffff_fffeL;
        exec(op(0x1A, D, 0, 5, RNE, 1));                             // fcvt.d.w
        assertEquals(d(-2), hart.f[1]);
        exec(op(0x1A, D, 1, 5, RNE, 1));                             // fcvt.d.wu
        assertEquals(d(4294967294.0), hart.f[1]);
        exec(op(0x1A, S, 2, 5, RNE, 1));                             // fcvt.s.l
        assertEquals(BOX | s(-2), hart.f[1]);
        exec(op(0x1A, D, 3, 5, RTZ, 1));                             // fcvt.d.lu: 2^64 - 2, truncated
        assertEquals(0x43ef_ffff_ffff_ffffL, hart.f[1]);
        assertEquals(NX, hart.fcsr);
        exec(op(0x1A, S, 0, 0, RDN, 2));                             // fcvt.s.w from x0: +0, no flags
        assertEquals(BOX, hart.f[2]);
    }

    @Test
    void conversionsBetweenFormats() {
        hart.f[1] = d(1.0 / 3);
        exec(op(0x08, S, 1, 1, RTZ, 2));                             // fcvt.s.d
        assertEquals(BOX | 0x3eaa_aaaaL, hart.f[2]);
        exec(op(0x08, D, 0, 2, RNE, 3));                             // fcvt.d.s
        assertEquals(d((double) Float.intBitsToFloat(0x3eaa_aaaa)), hart.f[3]);
        assertEquals(NX, hart.fcsr);
    }

    @Test
    void movesCopyBitsAndBoxOrSignExtendSingles() {
        hart.x[1] = 0x1234_5678_8000_0001L;
        exec(op(0x1E, S, 0, 1, 0, 2));                               // fmv.w.x
        assertEquals(0xffff_ffff_8000_0001L, hart.f[2]);
        exec(op(0x1C, S, 0, 2, 0, 3));                               // fmv.x.w
        assertEquals(0xffff_ffff_8000_0001L, hart.x[3]);
        hart.x[4] = 0x7ff0_0000_0000_0001L;                          // a signaling NaN, untouched
        exec(op(0x1E, D, 0, 4, 0, 5));                               // fmv.d.x
        exec(op(0x1C, D, 0, 5, 0, 6));                               // fmv.x.d
        assertEquals(0x7ff0_0000_0000_0001L, hart.x[6]);
        assertEquals(0, hart.fcsr);
    }

    @Test
    void classifyWritesTheMask() {
        hart.f[1] = d(Double.NEGATIVE_INFINITY);
        exec(op(0x1C, D, 0, 1, 1, 10));
        assertEquals(1, hart.x[10]);
        hart.f[1] = BOX | 0x7f80_0001L;
        exec(op(0x1C, S, 0, 1, 1, 10));
        assertEquals(1 << 8, hart.x[10]);
    }

    // ---- NaN-boxing ----

    @Test
    void singleResultsAreNaNBoxed() {
        hart.f[1] = BOX | s(1.5f);
        hart.f[2] = BOX | s(2.25f);
        exec(op(0x00, S, 2, 1, RNE, 3));
        assertEquals(0xffff_ffff_4070_0000L, hart.f[3]);
    }

    @Test
    void anImproperlyBoxedSingleReadsAsTheCanonicalNaN() {
        hart.f[1] = s(1.5f);                                         // upper half zero: not boxed
        hart.f[2] = BOX | s(-1f);
        exec(op(0x00, S, 2, 1, RNE, 3));
        assertEquals(BOX | 0x7fc0_0000L, hart.f[3]);
        exec(op(0x04, S, 2, 1, 0, 3));                               // fsgnj.s takes rs1's magnitude: the NaN
        assertEquals(BOX | 0xffc0_0000L, hart.f[3]);
        exec(op(0x04, S, 1, 2, 1, 3));                               // fsgnjn.s: rs2 is +NaN, so negative
        assertEquals(BOX | s(-1f), hart.f[3]);
        exec(op(0x1C, S, 0, 1, 1, 10));                              // fclass.s: quiet NaN
        assertEquals(1 << 9, hart.x[10]);
        exec(op(0x08, D, 0, 1, RNE, 4));                             // fcvt.d.s
        assertEquals(0x7ff8_0000_0000_0000L, hart.f[4]);
        exec(op(0x14, S, 1, 1, 2, 10));                              // feq.s: quiet, no flag
        assertEquals(0, hart.x[10]);
        assertEquals(0, hart.fcsr);
        exec(op(0x14, S, 2, 1, 0, 10));                              // fle.s: signaling
        assertEquals(NV, hart.fcsr);
        hart.f[5] = 0x0000_0000_bf80_0000L;
        exec(op(0x1C, S, 0, 5, 0, 11));                              // fmv.x.w moves the low bits regardless
        assertEquals(0xffff_ffff_bf80_0000L, hart.x[11]);
    }

    @Test
    void doubleOperandsAreNotUnboxed() {
        hart.f[1] = BOX | s(1f);                                     // a boxed single is a negative NaN as a double
        hart.f[2] = d(1);
        exec(op(0x00, D, 2, 1, RNE, 3));
        assertEquals(0x7ff8_0000_0000_0000L, hart.f[3]);
    }

    // ---- registers, flags and rounding modes ----

    @Test
    void integerResultsToX0AreDroppedButTheirFlagsAccrue() {
        hart.f[1] = 0x7ff8_0000_0000_0000L;
        exec(op(0x18, D, 0, 1, RNE, 0));                             // fcvt.w.d x0, NaN
        exec(op(0x14, D, 1, 1, 1, 0));                               // flt.d x0
        exec(op(0x1C, D, 0, 1, 1, 0));                               // fclass.d x0
        exec(op(0x1C, D, 0, 1, 0, 0));                               // fmv.x.d x0
        assertEquals(0, hart.x[0]);
        assertEquals(NV, hart.fcsr);
    }

    @Test
    void flagsAccrueAndTheRoundingModeFieldIsKept() {
        hart.fcsr = RUP << 5 | NX;
        hart.f[1] = d(1);
        hart.f[2] = d(0);
        exec(op(0x03, D, 2, 1, DYN, 3));
        assertEquals(RUP << 5 | NX | DZ, hart.fcsr);
        assertEquals(d(Double.POSITIVE_INFINITY), hart.f[3]);
    }

    @Test
    void dynamicRoundingUsesFrmAndAStaticModeOverridesIt() {
        hart.f[1] = d(1);
        hart.f[2] = d(3);
        hart.fcsr = RUP << 5;
        exec(op(0x03, D, 2, 1, DYN, 3));
        assertEquals(0x3fd5_5555_5555_5556L, hart.f[3]);
        exec(op(0x03, D, 2, 1, RTZ, 3));
        assertEquals(0x3fd5_5555_5555_5555L, hart.f[3]);
        hart.fcsr = RDN << 5;
        exec(op(0x03, S, 2, 1, DYN, 3));                             // f1, f2 hold doubles: as singles
        assertEquals(BOX | 0x7fc0_0000L, hart.f[3]);                 // they are unboxed, so NaN
        hart.f[1] = BOX | s(-1);
        hart.f[2] = BOX | s(3);
        exec(op(0x03, S, 2, 1, DYN, 3));
        assertEquals(BOX | 0xbeaa_aaabL, hart.f[3]);                 // -1/3 rounded down
        exec(op(0x03, S, 2, 1, RMM, 3));
        assertEquals(BOX | 0xbeaa_aaabL, hart.f[3]);
        exec(op(0x03, S, 2, 1, RTZ, 3));
        assertEquals(BOX | 0xbeaa_aaaaL, hart.f[3]);
    }

    @Test
    void pcIsNotTouched() {
        hart.pc = 0x1234;
        exec(op(0x00, D, 2, 1, RNE, 3));
        illegal(op(0x00, D, 2, 1, 5, 3));
        assertEquals(0x1234, hart.pc);
    }

    // ---- illegal encodings ----

    @ParameterizedTest
    @ValueSource(ints = {5, 6})
    void reservedStaticRoundingModesAreIllegal(int rm) {
        illegal(op(0x00, D, 2, 1, rm, 3));                           // fadd.d
        illegal(op(0x0B, S, 0, 1, rm, 3));                           // fsqrt.s
        illegal(op(0x08, D, 0, 1, rm, 3));                           // fcvt.d.s: exact, still decoded as usual
        illegal(op(0x1A, D, 0, 1, rm, 3));                           // fcvt.d.w: exact, too
        illegal(op(0x18, S, 0, 1, rm, 3));                           // fcvt.w.s
        illegal(r4(MADD, 4, D, 2, 1, rm, 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void dynamicRoundingWithAReservedFrmIsIllegal(int frm) {
        hart.fcsr = frm << 5;
        illegal(op(0x00, S, 2, 1, DYN, 3));
        illegal(op(0x08, S, 1, 1, DYN, 3));                          // fcvt.s.d
        illegal(op(0x1A, S, 3, 1, DYN, 3));                          // fcvt.s.lu
        illegal(r4(NMSUB, 4, S, 2, 1, DYN, 3));
        // A static mode does not look at frm.
        hart.f[1] = d(1);
        exec(op(0x00, D, 1, 1, RNE, 3));
        assertEquals(d(2), hart.f[3]);
    }

    @Test
    void instructionsWithoutARoundingModeIgnoreAReservedFrm() {
        hart.fcsr = 7 << 5;
        hart.f[1] = d(1);
        hart.f[2] = d(2);
        exec(op(0x04, D, 2, 1, 0, 3));                               // fsgnj.d
        exec(op(0x05, D, 2, 1, 0, 3));                               // fmin.d
        exec(op(0x14, D, 2, 1, 1, 10));                              // flt.d
        exec(op(0x1C, D, 0, 1, 1, 10));                              // fclass.d
        exec(op(0x1C, D, 0, 1, 0, 10));                              // fmv.x.d
        exec(op(0x1E, S, 0, 10, 0, 4));                              // fmv.w.x
        assertEquals(7 << 5, hart.fcsr);
    }

    @Test
    void unknownEncodingsAreIllegalAndWriteNothing() {
        illegal(op(0x00, 2, 2, 1, RNE, 3));                          // fmt H
        illegal(op(0x00, 3, 2, 1, RNE, 3));                          // fmt Q
        illegal(r4(MADD, 4, 2, 2, 1, RNE, 3));                       // fmadd.h
        for (int funct5 : new int[] {0x06, 0x07, 0x09, 0x0A, 0x0C, 0x10, 0x15, 0x19, 0x1B, 0x1D, 0x1F})
            illegal(op(funct5, D, 0, 1, RNE, 3));
        illegal(op(0x0B, D, 1, 1, RNE, 3));                          // fsqrt with rs2 != 0
        illegal(op(0x04, D, 2, 1, 3, 3));                            // fsgnj funct3 3
        illegal(op(0x05, D, 2, 1, 2, 3));                            // fmin/fmax funct3 2
        illegal(op(0x14, D, 2, 1, 3, 3));                            // compare funct3 3
        illegal(op(0x18, D, 4, 1, RNE, 3));                          // fcvt.int.d, rs2 4
        illegal(op(0x1A, S, 5, 1, RNE, 3));                          // fcvt.s.int, rs2 5
        illegal(op(0x08, S, 0, 1, RNE, 3));                          // fcvt.s.s
        illegal(op(0x08, D, 1, 1, RNE, 3));                          // fcvt.d.d
        illegal(op(0x08, S, 2, 1, RNE, 3));                          // fcvt.s.h
        illegal(op(0x1C, S, 0, 1, 2, 3));                            // fmv.x.w funct3 2
        illegal(op(0x1C, S, 1, 1, 0, 3));                            // fmv.x.w rs2 1
        illegal(op(0x1C, D, 1, 1, 1, 3));                            // fclass.d rs2 1
        illegal(op(0x1E, S, 0, 1, 1, 3));                            // fmv.w.x funct3 1
        illegal(op(0x1E, D, 1, 1, 0, 3));                            // fmv.d.x rs2 1
        illegal(0x0000_2007);                                        // flw: not this unit's opcode
    }

    private void exec(int insn) {
        assertTrue(FloatUnit.execute(hart, insn), () -> String.format("0x%08x should execute", insn));
    }

    /** Executes an illegal instruction with every register set, and checks nothing changed. */
    private void illegal(int insn) {
        for (int i = 1; i < 32; i++) {
            hart.x[i] = 0x1111_0000L * i;
            hart.f[i] = i % 2 == 0 ? BOX | s(i) : d(i);
        }
        long[] x = hart.x.clone(), f = hart.f.clone();
        int fcsr = hart.fcsr;
        long pc = hart.pc;
        assertFalse(FloatUnit.execute(hart, insn), () -> String.format("0x%08x should be illegal", insn));
        assertArrayEquals(x, hart.x);
        assertArrayEquals(f, hart.f);
        assertEquals(fcsr, hart.fcsr);
        assertEquals(pc, hart.pc);
    }
}
