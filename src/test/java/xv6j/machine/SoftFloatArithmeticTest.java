package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.FloatFormat.DOUBLE;
import static xv6j.machine.FloatFormat.SINGLE;
import static xv6j.machine.FloatTesting.*;
import static xv6j.machine.Rounding.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Edge cases of add, sub, mul, div, sqrt and the fused multiply-adds, with expected bits
 * and flags worked out by hand from the RISC-V and IEEE 754 texts.
 */
class SoftFloatArithmeticTest {
    private static final long D_CANON = 0x7ff8_0000_0000_0000L, S_CANON = 0x7fc0_0000L;
    private static final long D_SNAN = 0x7ff0_0000_0000_0001L, S_SNAN = 0x7f80_0001L;
    private static final long D_MIN_NORMAL = 0x0010_0000_0000_0000L, D_MAX = 0x7fef_ffff_ffff_ffffL;
    private static final long D_INF = 0x7ff0_0000_0000_0000L, S_INF = 0x7f80_0000L;
    private static final long D_NEG = Long.MIN_VALUE;

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void exactCancellationGivesPlusZeroExceptMinusZeroRoundingDown(Rounding rm) {
        long zero = rm == RDN ? D_NEG : 0;
        assertEquals(result(zero, 0), run(rm, sf -> sf.sub(DOUBLE, d(1.5), d(1.5))));
        assertEquals(result(zero, 0), run(rm, sf -> sf.add(DOUBLE, d(-1.5), d(1.5))));
        assertEquals(result(rm == RDN ? 0x8000_0000L : 0, 0), run(rm, sf -> sf.sub(SINGLE, s(3e-40f), s(3e-40f))));
        assertEquals(result(zero, 0), run(rm, sf -> sf.fma(DOUBLE, d(1), d(1), d(1), false, true)));
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void zerosOfOneSignKeepItAndMixedZerosFollowTheMode(Rounding rm) {
        assertEquals(result(D_NEG, 0), run(rm, sf -> sf.add(DOUBLE, d(-0.0), d(-0.0))));
        assertEquals(result(D_NEG, 0), run(rm, sf -> sf.sub(DOUBLE, d(-0.0), d(0.0))));
        assertEquals(result(0, 0), run(rm, sf -> sf.add(DOUBLE, d(0.0), d(0.0))));
        assertEquals(result(rm == RDN ? D_NEG : 0, 0), run(rm, sf -> sf.add(DOUBLE, d(0.0), d(-0.0))));
        assertEquals(result(d(-2.5), 0), run(rm, sf -> sf.add(DOUBLE, d(-0.0), d(-2.5))));
    }

    @Test
    void infinityMinusInfinityIsInvalid() {
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.add(DOUBLE, D_INF, D_INF | D_NEG)));
        assertEquals(result(S_CANON, NV), run(RNE, sf -> sf.sub(SINGLE, S_INF, S_INF)));
        assertEquals(result(D_INF, 0), run(RNE, sf -> sf.add(DOUBLE, D_INF, D_INF)));
        assertEquals(result(D_INF | D_NEG, 0), run(RTZ, sf -> sf.add(DOUBLE, D_MAX, D_INF | D_NEG)));
    }

    @Test
    void nanOperandsGiveTheCanonicalNanAndOnlySignalingOnesRaiseInvalid() {
        long negativeQuietWithPayload = 0xfff8_0000_dead_beefL;
        assertEquals(result(D_CANON, 0), run(RNE, sf -> sf.add(DOUBLE, negativeQuietWithPayload, d(1))));
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.add(DOUBLE, d(1), D_SNAN)));
        assertEquals(result(S_CANON, NV), run(RNE, sf -> sf.mul(SINGLE, S_SNAN, s(0))));
        assertEquals(result(S_CANON, 0), run(RNE, sf -> sf.div(SINGLE, 0xffc0_1234L, s(0))));
        assertEquals(result(D_CANON, 0), run(RNE, sf -> sf.sqrt(DOUBLE, negativeQuietWithPayload)));
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.sqrt(DOUBLE, D_SNAN | D_NEG)));
    }

    @Test
    void zeroTimesInfinityIsInvalid() {
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.mul(DOUBLE, d(0), D_INF)));
        assertEquals(result(S_CANON, NV), run(RNE, sf -> sf.mul(SINGLE, S_INF | 0x8000_0000L, s(-0f))));
        assertEquals(result(D_INF | D_NEG, 0), run(RNE, sf -> sf.mul(DOUBLE, d(-1e-300), D_INF)));
    }

    @Test
    void divisionByZeroAndOtherSpecialQuotients() {
        assertEquals(result(D_INF, DZ), run(RNE, sf -> sf.div(DOUBLE, d(1), d(0))));
        assertEquals(result(D_INF | D_NEG, DZ), run(RNE, sf -> sf.div(DOUBLE, d(1), d(-0.0))));
        assertEquals(result(S_INF | 0x8000_0000L, DZ), run(RNE, sf -> sf.div(SINGLE, 1, 0x8000_0000L)));   // subnormal / -0
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.div(DOUBLE, d(0), d(-0.0))));
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.div(DOUBLE, D_INF, D_INF | D_NEG)));
        assertEquals(result(D_INF, 0), run(RNE, sf -> sf.div(DOUBLE, D_INF, d(0))));
        assertEquals(result(D_NEG, 0), run(RNE, sf -> sf.div(DOUBLE, d(-0.0), d(5))));
        assertEquals(result(D_NEG, 0), run(RNE, sf -> sf.div(DOUBLE, d(1), D_INF | D_NEG)));
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x3ff6a09e667f3bcd, 0x3fb504f3",
        "RTZ, 0x3ff6a09e667f3bcc, 0x3fb504f3",
        "RDN, 0x3ff6a09e667f3bcc, 0x3fb504f3",
        "RUP, 0x3ff6a09e667f3bcd, 0x3fb504f4",
        "RMM, 0x3ff6a09e667f3bcd, 0x3fb504f3",
    })
    void squareRootOfTwoRoundsPerMode(Rounding rm, String dbl, String sgl) {
        assertEquals(result(dbl, "NX"), run(rm, sf -> sf.sqrt(DOUBLE, d(2))));
        assertEquals(result(sgl, "NX"), run(rm, sf -> sf.sqrt(SINGLE, s(2))));
    }

    @Test
    void squareRootSpecialCases() {
        assertEquals(result(D_NEG, 0), run(RNE, sf -> sf.sqrt(DOUBLE, D_NEG)));            // sqrt(-0) = -0
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.sqrt(DOUBLE, d(-1))));
        assertEquals(result(S_CANON, NV), run(RNE, sf -> sf.sqrt(SINGLE, 0x8000_0001L))); // -subnormal
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.sqrt(DOUBLE, D_INF | D_NEG)));
        assertEquals(result(D_INF, 0), run(RNE, sf -> sf.sqrt(DOUBLE, D_INF)));
        assertEquals(result(d(2), 0), run(RUP, sf -> sf.sqrt(DOUBLE, d(4))));
        assertEquals(result(0x1e60_0000_0000_0000L, 0), run(RNE, sf -> sf.sqrt(DOUBLE, 1)));  // √2^-1074 = 2^-537
        assertEquals(result(s(0x1p-70f), 0), run(RNE, sf -> sf.sqrt(SINGLE, 0x0000_0200L)));  // √2^-140 = 2^-70
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x7ff0000000000000, 0xfff0000000000000",
        "RTZ, 0x7fefffffffffffff, 0xffefffffffffffff",
        "RDN, 0x7fefffffffffffff, 0xfff0000000000000",
        "RUP, 0x7ff0000000000000, 0xffefffffffffffff",
        "RMM, 0x7ff0000000000000, 0xfff0000000000000",
    })
    void overflowGivesInfinityOrTheLargestFiniteByModeAndSign(Rounding rm, String positive, String negative) {
        assertEquals(result(positive, "OF|NX"), run(rm, sf -> sf.add(DOUBLE, D_MAX, D_MAX)));
        assertEquals(result(negative, "OF|NX"), run(rm, sf -> sf.mul(DOUBLE, D_MAX | D_NEG, d(2))));
        long sPositive = hex(positive) == D_INF ? S_INF : 0x7f7f_ffffL;
        assertEquals(result(sPositive, OF | NX), run(rm, sf -> sf.mul(SINGLE, s(Float.MAX_VALUE), s(1.5f))));
    }

    @ParameterizedTest
    @CsvSource({
        // max + half an ulp of max: a tie, which RNE breaks upward (max's significand is odd)
        "RNE, 0x7c90000000000000, 0x7ff0000000000000, OF|NX",
        "RMM, 0x7c90000000000000, 0x7ff0000000000000, OF|NX",
        "RTZ, 0x7c90000000000000, 0x7fefffffffffffff, NX",
        "RDN, 0x7c90000000000000, 0x7fefffffffffffff, NX",
        "RUP, 0x7c90000000000000, 0x7ff0000000000000, OF|NX",
        // max + a quarter ulp: rounds back to max except upward
        "RNE, 0x7c80000000000000, 0x7fefffffffffffff, NX",
        "RMM, 0x7c80000000000000, 0x7fefffffffffffff, NX",
        "RUP, 0x7c80000000000000, 0x7ff0000000000000, OF|NX",
    })
    void overflowIsDecidedAfterRounding(Rounding rm, String addend, String expected, String flags) {
        assertEquals(result(expected, flags), run(rm, sf -> sf.add(DOUBLE, D_MAX, hex(addend))));
    }

    @ParameterizedTest
    @CsvSource({
        // (1 - 2^-53) × 2^-1022 = 2^-1022 - 2^-1075: exactly representable with 53 bits below
        // 2^-1022, so tiny in every mode; as a subnormal it is a tie.
        "RNE, 0x3fefffffffffffff, 0x0010000000000000, 0x0010000000000000, UF|NX",
        "RMM, 0x3fefffffffffffff, 0x0010000000000000, 0x0010000000000000, UF|NX",
        "RUP, 0x3fefffffffffffff, 0x0010000000000000, 0x0010000000000000, UF|NX",
        "RTZ, 0x3fefffffffffffff, 0x0010000000000000, 0x000fffffffffffff, UF|NX",
        "RDN, 0x3fefffffffffffff, 0x0010000000000000, 0x000fffffffffffff, UF|NX",
        // (1 - 2^-52)(1 + 2^-52) × 2^-1022 = 2^-1022 (1 - 2^-104): rounded to 53 bits with an
        // unbounded exponent it is 2^-1022, so not tiny when rounding to nearest or up.
        "RNE, 0x3feffffffffffffe, 0x0010000000000001, 0x0010000000000000, NX",
        "RMM, 0x3feffffffffffffe, 0x0010000000000001, 0x0010000000000000, NX",
        "RUP, 0x3feffffffffffffe, 0x0010000000000001, 0x0010000000000000, NX",
        "RTZ, 0x3feffffffffffffe, 0x0010000000000001, 0x000fffffffffffff, UF|NX",
        "RDN, 0x3feffffffffffffe, 0x0010000000000001, 0x000fffffffffffff, UF|NX",
        // The same two cases in single precision.
        "RNE, 0x3f7fffff, 0x00800000, 0x00800000, UF|NX",
        "RTZ, 0x3f7fffff, 0x00800000, 0x007fffff, UF|NX",
        "RNE, 0x3f7ffffe, 0x00800001, 0x00800000, NX",
        "RUP, 0x3f7ffffe, 0x00800001, 0x00800000, NX",
        "RDN, 0x3f7ffffe, 0x00800001, 0x007fffff, UF|NX",
    })
    void tininessIsDetectedAfterRounding(Rounding rm, String a, String b, String expected, String flags) {
        FloatFormat f = hex(a) >>> 32 == 0 ? SINGLE : DOUBLE;
        assertEquals(result(expected, flags), run(rm, sf -> sf.mul(f, hex(a), hex(b))));
        assertEquals(result(expected, flags), run(rm, sf -> sf.fma(f, hex(a), hex(b), 0, false, false)));
    }

    @Test
    void halvingTheLargestValueBelowTwiceTheSmallestNormalIsTinyThoughItRoundsUpToIt() {
        // 0x00ffffff / 2 = (1 - 2^-24) × 2^-126: 24 bits, so tiny after rounding; as a
        // subnormal it is a tie, which goes to the even neighbour 2^-126.
        assertEquals(result(0x0080_0000L, UF | NX), run(RNE, sf -> sf.div(SINGLE, 0x00ff_ffffL, s(2))));
        assertEquals(result(0x0080_0000L, UF | NX), run(RNE, sf -> sf.mul(SINGLE, 0x00ff_ffffL, s(0.5f))));
        assertEquals(result(D_MIN_NORMAL, UF | NX), run(RNE, sf -> sf.div(DOUBLE, 0x001f_ffff_ffff_ffffL, d(2))));
        assertEquals(result(0x007f_ffffL, UF | NX), run(RTZ, sf -> sf.div(SINGLE, 0x00ff_ffffL, s(2))));
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x0000000000000000, 0x8000000000000000",
        "RTZ, 0x0000000000000000, 0x8000000000000000",
        "RDN, 0x0000000000000000, 0x8000000000000001",
        "RUP, 0x0000000000000001, 0x8000000000000000",
        "RMM, 0x0000000000000001, 0x8000000000000001",
    })
    void halfTheSmallestSubnormalUnderflowsToZeroOrToItByMode(Rounding rm, String positive, String negative) {
        assertEquals(result(positive, "UF|NX"), run(rm, sf -> sf.mul(DOUBLE, 1, d(0.5))));
        assertEquals(result(negative, "UF|NX"), run(rm, sf -> sf.div(DOUBLE, 1 | D_NEG, d(2))));
    }

    @Test
    void exactSubnormalResultsRaiseNoUnderflow() {
        assertEquals(result(0x0008_0000_0000_0000L, 0), run(RNE, sf -> sf.mul(DOUBLE, D_MIN_NORMAL, d(0.5))));
        assertEquals(result(0x0040_0000L, 0), run(RTZ, sf -> sf.div(SINGLE, 0x0080_0000L, s(2))));
        assertEquals(result(D_MIN_NORMAL, 0), run(RNE, sf -> sf.add(DOUBLE, 0x000f_ffff_ffff_ffffL, 1)));
        assertEquals(result(3, 0), run(RDN, sf -> sf.sub(SINGLE, 0x0080_0000L, 0x007f_fffdL)));
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x3fd5555555555555, 0x3eaaaaab",
        "RTZ, 0x3fd5555555555555, 0x3eaaaaaa",
        "RDN, 0x3fd5555555555555, 0x3eaaaaaa",
        "RUP, 0x3fd5555555555556, 0x3eaaaaab",
        "RMM, 0x3fd5555555555555, 0x3eaaaaab",
    })
    void oneThirdRoundsPerMode(Rounding rm, String dbl, String sgl) {
        assertEquals(result(dbl, "NX"), run(rm, sf -> sf.div(DOUBLE, d(1), d(3))));
        assertEquals(result(sgl, "NX"), run(rm, sf -> sf.div(SINGLE, s(1), s(3))));
        long negDbl = hex(dbl) | D_NEG;
        // -1/3 rounds the other way under the directed modes.
        Rounding mirrored = rm == RDN ? RUP : rm == RUP ? RDN : rm;
        assertEquals(result(negDbl, NX), run(mirrored, sf -> sf.div(DOUBLE, d(-1), d(3))));
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x3ff0000000000000", "RMM, 0x3ff0000000000001", "RTZ, 0x3ff0000000000000",
        "RDN, 0x3ff0000000000000", "RUP, 0x3ff0000000000001",
    })
    void tiesInAdditionFollowTheMode(Rounding rm, String expected) {
        // 1 + 2^-53 is exactly halfway between 1 and its successor.
        assertEquals(result(expected, "NX"), run(rm, sf -> sf.add(DOUBLE, d(1), d(0x1p-53))));
    }

    @Test
    void fusedMultiplyAddRoundsOnlyOnce() {
        // (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105, exact; a separate multiply would give 0.
        long a = 0x3ff0_0000_0000_0001L, b = 0x3fef_ffff_ffff_ffffL;
        assertEquals(result(0x3c9f_ffff_ffff_fffeL, 0), run(RNE, sf -> sf.fma(DOUBLE, a, b, d(-1), false, false)));
        assertEquals(d(Math.fma(Double.longBitsToDouble(a), Double.longBitsToDouble(b), -1)), 0x3c9f_ffff_ffff_fffeL);
        assertEquals(result(0x337f_fffeL, 0), run(RNE, sf -> sf.fma(SINGLE, 0x3f80_0001L, 0x3f7f_ffffL, s(-1), false, false)));
    }

    @Test
    void fusedMultiplyAddNegatesTheProductAndTheAddendAsEachVariantSays() {
        assertEquals(result(d(7), 0), run(RNE, sf -> sf.fma(DOUBLE, d(2), d(3), d(1), false, false)));  // FMADD
        assertEquals(result(d(5), 0), run(RNE, sf -> sf.fma(DOUBLE, d(2), d(3), d(1), false, true)));   // FMSUB
        assertEquals(result(d(-5), 0), run(RNE, sf -> sf.fma(DOUBLE, d(2), d(3), d(1), true, false)));  // FNMSUB
        assertEquals(result(d(-7), 0), run(RNE, sf -> sf.fma(DOUBLE, d(2), d(3), d(1), true, true)));   // FNMADD
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void fusedMultiplyAddSignedZeros(Rounding rm) {
        long mixed = rm == RDN ? D_NEG : 0;
        assertEquals(result(mixed, 0), run(rm, sf -> sf.fma(DOUBLE, d(0), d(1), d(-0.0), false, false)));
        assertEquals(result(D_NEG, 0), run(rm, sf -> sf.fma(DOUBLE, d(0), d(1), d(0), true, true)));     // -0 - +0
        assertEquals(result(mixed, 0), run(rm, sf -> sf.fma(DOUBLE, d(0), d(1), d(0), false, true)));    // +0 - +0
        assertEquals(result(D_NEG, 0), run(rm, sf -> sf.fma(DOUBLE, d(-0.0), d(5), d(-0.0), false, false)));
        assertEquals(result(d(1e-310), 0), run(rm, sf -> sf.fma(DOUBLE, d(0), d(5), d(1e-310), false, false)));
    }

    @Test
    void fusedInfinityTimesZeroIsInvalidEvenWithAQuietNanAddend() {
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.fma(DOUBLE, D_INF, d(0), D_CANON, false, false)));
        assertEquals(result(S_CANON, NV), run(RNE, sf -> sf.fma(SINGLE, s(-0f), S_INF, 0x7fc0_0001L, true, true)));
        assertEquals(result(D_CANON, 0), run(RNE, sf -> sf.fma(DOUBLE, D_INF, d(1), D_CANON, false, false)));
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.fma(DOUBLE, d(1), d(1), D_SNAN, false, false)));
        assertEquals(result(D_CANON, NV), run(RNE, sf -> sf.fma(DOUBLE, D_INF, d(1), D_INF, true, false)));   // -∞ + ∞
        assertEquals(result(D_INF | D_NEG, 0), run(RNE, sf -> sf.fma(DOUBLE, D_INF, d(1), D_INF, true, true)));
        assertEquals(result(D_INF, 0), run(RNE, sf -> sf.fma(DOUBLE, d(1e300), d(1e300), D_INF, false, false)));
    }

    @Test
    void fusedMultiplyAddOverflowsAndUnderflowsOnlyInTheSum() {
        // The exact product 2^1100 is beyond the range; a small addend does not bring it back.
        assertEquals(result(D_INF, OF | NX), run(RNE, sf -> sf.fma(DOUBLE, d(0x1p550), d(0x1p550), d(1), false, false)));
        // 2^-600 × 2^-600 + 2^-1074: the product is far below the smallest subnormal, but
        // the sum is the smallest subnormal plus a tiny bit: inexact, tiny.
        assertEquals(result(1, UF | NX), run(RNE, sf -> sf.fma(DOUBLE, d(0x1p-600), d(0x1p-600), 1, false, false)));
        assertEquals(result(2, UF | NX), run(RUP, sf -> sf.fma(DOUBLE, d(0x1p-600), d(0x1p-600), 1, false, false)));
        // 2^-1200 - 2^-1074 truncates to -0.
        assertEquals(result(D_NEG, UF | NX), run(RTZ, sf -> sf.fma(DOUBLE, d(0x1p-600), d(0x1p-600), 1, false, true)));
    }
}
