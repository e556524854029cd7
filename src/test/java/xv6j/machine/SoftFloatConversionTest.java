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
 * FCVT edge cases: the spec's table of valid ranges and clipped results, rounding at the
 * integer limits, integers wider than the significand, and the S/D conversions across
 * the overflow and tininess boundaries. Integer results are the 64-bit register values.
 */
class SoftFloatConversionTest {

    private static SoftFloatOracle.Result toInt(Rounding rm, FloatFormat f, long a, IntFormat t) {
        return run(rm, sf -> sf.toInt(f, a, t));
    }

    @ParameterizedTest
    @CsvSource({
        // value (double bits),  W,                  WU,                 L,                  LU
        "0xfff8000000000000, 0x000000007fffffff, 0xffffffffffffffff, 0x7fffffffffffffff, 0xffffffffffffffff", // NaN, even negative
        "0x7ff0000000000001, 0x000000007fffffff, 0xffffffffffffffff, 0x7fffffffffffffff, 0xffffffffffffffff", // sNaN
        "0x7ff0000000000000, 0x000000007fffffff, 0xffffffffffffffff, 0x7fffffffffffffff, 0xffffffffffffffff", // +inf
        "0xfff0000000000000, 0xffffffff80000000, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000", // -inf
        "0x7fefffffffffffff, 0x000000007fffffff, 0xffffffffffffffff, 0x7fffffffffffffff, 0xffffffffffffffff", // max
        "0xc3f0000000000000, 0xffffffff80000000, 0x0000000000000000, 0x8000000000000000, 0x0000000000000000", // -2^64
    })
    void nanInfinitiesAndHugeValuesClipWithInvalid(String value, String w, String wu, String l, String lu) {
        long a = hex(value);
        assertEquals(result(w, "NV"), toInt(RNE, DOUBLE, a, IntFormat.W));
        assertEquals(result(wu, "NV"), toInt(RNE, DOUBLE, a, IntFormat.WU));
        assertEquals(result(l, "NV"), toInt(RNE, DOUBLE, a, IntFormat.L));
        assertEquals(result(lu, "NV"), toInt(RNE, DOUBLE, a, IntFormat.LU));
    }

    @ParameterizedTest
    @CsvSource({
        // the limits themselves and their neighbours (all exact doubles)
        "W,  2147483647.0,  0x000000007fffffff, -",
        "W,  2147483648.0,  0x000000007fffffff, NV",
        "W,  -2147483648.0, 0xffffffff80000000, -",
        "W,  -2147483649.0, 0xffffffff80000000, NV",
        "WU, 2147483648.0,  0xffffffff80000000, -",     // 32-bit results are sign-extended
        "WU, 4294967295.0,  0xffffffffffffffff, -",
        "WU, 4294967296.0,  0xffffffffffffffff, NV",
        "WU, -1.0,          0x0000000000000000, NV",
        "L,  9.223372036854775807E18, 0x7fffffffffffffff, NV",   // that is 2^63
        "L,  -9.223372036854775808E18, 0x8000000000000000, -",
        "LU, 9.223372036854775808E18, 0x8000000000000000, -",
        "LU, 1.8446744073709549568E19, 0xfffffffffffff800, -",   // the largest double below 2^64
        "LU, 1.8446744073709551616E19, 0xffffffffffffffff, NV",  // 2^64
        "L,  -0.0,          0x0000000000000000, -",
        "LU, -0.0,          0x0000000000000000, -",
    })
    void integerLimitsAreExactOrClipped(IntFormat t, double value, String expected, String flags) {
        assertEquals(result(expected, flags), toInt(RTZ, DOUBLE, d(value), t));
    }

    @ParameterizedTest
    @CsvSource({
        // 2^31 - 0.5 rounds to 2^31 (invalid for W) unless rounding toward zero or down.
        "RNE, 2147483647.5,  0x000000007fffffff, NV",
        "RMM, 2147483647.5,  0x000000007fffffff, NV",
        "RUP, 2147483647.5,  0x000000007fffffff, NV",
        "RTZ, 2147483647.5,  0x000000007fffffff, NX",
        "RDN, 2147483647.5,  0x000000007fffffff, NX",
        // -2^31 - 0.5: the tie goes to even (-2^31) under RNE; away from zero it is invalid.
        "RNE, -2147483648.5, 0xffffffff80000000, NX",
        "RTZ, -2147483648.5, 0xffffffff80000000, NX",
        "RUP, -2147483648.5, 0xffffffff80000000, NX",
        "RDN, -2147483648.5, 0xffffffff80000000, NV",
        "RMM, -2147483648.5, 0xffffffff80000000, NV",
    })
    void roundingDecidesWhetherAValueNearTheLimitIsValid(Rounding rm, double value, String expected, String flags) {
        assertEquals(result(expected, flags), toInt(rm, DOUBLE, d(value), IntFormat.W));
    }

    @ParameterizedTest
    @CsvSource({
        // a negative value that rounds to 0 is valid for an unsigned result, just inexact
        "RNE, -0.3, NX", "RTZ, -0.3, NX", "RUP, -0.3, NX", "RMM, -0.3, NX", "RDN, -0.3, NV",
        "RNE, -0.5, NX", "RTZ, -0.5, NX", "RUP, -0.5, NX", "RMM, -0.5, NV", "RDN, -0.5, NV",
        "RNE, -0.7, NV", "RTZ, -0.7, NX", "RUP, -0.7, NX", "RMM, -0.7, NV", "RDN, -0.7, NV",
    })
    void negativeFractionsToUnsignedAreZeroAndInexactOrInvalid(Rounding rm, double value, String flags) {
        assertEquals(result(0, flags(flags)), toInt(rm, DOUBLE, d(value), IntFormat.WU));
        assertEquals(result(0, flags(flags)), toInt(rm, SINGLE, s((float) value), IntFormat.LU));
    }

    @ParameterizedTest
    @CsvSource({
        // mode: 1.5  -1.5  2.5  -2.5
        "RNE, 2, -2, 2, -2",
        "RTZ, 1, -1, 2, -2",
        "RDN, 1, -2, 2, -3",
        "RUP, 2, -1, 3, -2",
        "RMM, 2, -2, 3, -3",
    })
    void halvesRoundPerMode(Rounding rm, long a, long b, long c, long e) {
        assertEquals(result(a, NX), toInt(rm, DOUBLE, d(1.5), IntFormat.L));
        assertEquals(result(b, NX), toInt(rm, DOUBLE, d(-1.5), IntFormat.L));
        assertEquals(result(c, NX), toInt(rm, SINGLE, s(2.5f), IntFormat.W));
        assertEquals(result(e, NX), toInt(rm, SINGLE, s(-2.5f), IntFormat.W));
    }

    @Test
    void subnormalsRoundToZeroOrToOneAwayFromIt() {
        assertEquals(result(0, NX), toInt(RNE, DOUBLE, 1, IntFormat.W));
        assertEquals(result(1, NX), toInt(RUP, DOUBLE, 1, IntFormat.W));
        assertEquals(result(-1, NX), toInt(RDN, DOUBLE, 1 | Long.MIN_VALUE, IntFormat.W));
        assertEquals(result(0, NV), toInt(RDN, SINGLE, 0x8000_0001L, IntFormat.WU));
    }

    @Test
    void singleToIntegerAtTwoToThe31() {
        assertEquals(result(0x7fff_ffffL, NV), toInt(RNE, SINGLE, 0x4f00_0000L, IntFormat.W));
        assertEquals(result(0xffff_ffff_8000_0000L, 0), toInt(RNE, SINGLE, 0x4f00_0000L, IntFormat.WU));
        assertEquals(result(0x7fff_ff80L, 0), toInt(RNE, SINGLE, 0x4eff_ffffL, IntFormat.W));
    }

    @ParameterizedTest
    @EnumSource(Rounding.class)
    void integerZeroIsPlusZeroWithoutFlagsInEveryMode(Rounding rm) {
        for (IntFormat t : IntFormat.values()) {
            assertEquals(result(0, 0), run(rm, sf -> sf.fromInt(SINGLE, 0, t)));
            assertEquals(result(0, 0), run(rm, sf -> sf.fromInt(DOUBLE, 0, t)));
        }
    }

    @Test
    void integersReadOnlyTheBitsTheirFormatNames() {
        assertEquals(result(s(-1f), 0), run(RNE, sf -> sf.fromInt(SINGLE, -1, IntFormat.W)));
        assertEquals(result(d(1), 0), run(RNE, sf -> sf.fromInt(DOUBLE, 0x1_0000_0001L, IntFormat.W)));
        assertEquals(result(0x41ef_ffff_ffe0_0000L, 0), run(RNE, sf -> sf.fromInt(DOUBLE, -1, IntFormat.WU)));
        assertEquals(result(0xc3e0_0000_0000_0000L, 0), run(RNE, sf -> sf.fromInt(DOUBLE, Long.MIN_VALUE, IntFormat.L)));
        assertEquals(result(0x43e0_0000_0000_0000L, 0), run(RNE, sf -> sf.fromInt(DOUBLE, Long.MIN_VALUE, IntFormat.LU)));
    }

    @ParameterizedTest
    @CsvSource({
        // 2^64 - 1 (LU of all ones) and 2^32 - 1 (WU of all ones)
        "RNE, 0x43f0000000000000, 0x5f800000, 0x4f800000",
        "RTZ, 0x43efffffffffffff, 0x5f7fffff, 0x4f7fffff",
        "RDN, 0x43efffffffffffff, 0x5f7fffff, 0x4f7fffff",
        "RUP, 0x43f0000000000000, 0x5f800000, 0x4f800000",
        "RMM, 0x43f0000000000000, 0x5f800000, 0x4f800000",
    })
    void wideUnsignedIntegersRoundPerMode(Rounding rm, String dbl, String sgl, String sglFrom32) {
        assertEquals(result(dbl, "NX"), run(rm, sf -> sf.fromInt(DOUBLE, -1, IntFormat.LU)));
        assertEquals(result(sgl, "NX"), run(rm, sf -> sf.fromInt(SINGLE, -1, IntFormat.LU)));
        assertEquals(result(sglFrom32, "NX"), run(rm, sf -> sf.fromInt(SINGLE, -1, IntFormat.WU)));
    }

    @ParameterizedTest
    @CsvSource({
        // 2^24 + 1 is a tie between 2^24 and 2^24 + 2; 2^24 + 3 a tie between 2^24 + 2 and 2^24 + 4.
        "RNE, 0x4b800000, 0x4b800002, 0xcb800000",
        "RTZ, 0x4b800000, 0x4b800001, 0xcb800000",
        "RDN, 0x4b800000, 0x4b800001, 0xcb800001",
        "RUP, 0x4b800001, 0x4b800002, 0xcb800000",
        "RMM, 0x4b800001, 0x4b800002, 0xcb800001",
    })
    void integerTiesPastTheSinglePrecisionRoundPerMode(Rounding rm, String plus1, String plus3, String minus1) {
        assertEquals(result(plus1, "NX"), run(rm, sf -> sf.fromInt(SINGLE, (1 << 24) + 1, IntFormat.W)));
        assertEquals(result(plus3, "NX"), run(rm, sf -> sf.fromInt(SINGLE, (1 << 24) + 3, IntFormat.L)));
        assertEquals(result(minus1, "NX"), run(rm, sf -> sf.fromInt(SINGLE, -(1 << 24) - 1, IntFormat.L)));
    }

    @ParameterizedTest
    @CsvSource({
        "RNE, 0x3eaaaaab, 0x7f800000, 0x00000000",
        "RTZ, 0x3eaaaaaa, 0x7f7fffff, 0x00000000",
        "RDN, 0x3eaaaaaa, 0x7f7fffff, 0x00000000",
        "RUP, 0x3eaaaaab, 0x7f800000, 0x00000001",
        "RMM, 0x3eaaaaab, 0x7f800000, 0x00000000",
    })
    void narrowingRoundsOverflowsAndUnderflowsPerMode(Rounding rm, String third, String max, String minNormal) {
        assertEquals(result(third, "NX"), run(rm, sf -> sf.convert(SINGLE, DOUBLE, d(1.0 / 3))));
        assertEquals(result(max, "OF|NX"), run(rm, sf -> sf.convert(SINGLE, DOUBLE, d(Double.MAX_VALUE))));
        assertEquals(result(minNormal, "UF|NX"), run(rm, sf -> sf.convert(SINGLE, DOUBLE, d(Double.MIN_NORMAL))));
    }

    @ParameterizedTest
    @CsvSource({
        // 2^-126 (1 - 2^-30) rounds to 2^-126 at 24 bits: not tiny, unless truncated.
        "RNE, 0x380fffffff800000, 0x00800000, NX",
        "RUP, 0x380fffffff800000, 0x00800000, NX",
        "RTZ, 0x380fffffff800000, 0x007fffff, UF|NX",
        // 2^-126 (1 - 2^-24) has 24 bits: tiny in every mode, a tie as a subnormal.
        "RNE, 0x380fffffe0000000, 0x00800000, UF|NX",
        "RMM, 0x380fffffe0000000, 0x00800000, UF|NX",
        "RDN, 0x380fffffe0000000, 0x007fffff, UF|NX",
    })
    void narrowingDetectsTininessAfterRounding(Rounding rm, String value, String expected, String flags) {
        assertEquals(result(expected, flags), run(rm, sf -> sf.convert(SINGLE, DOUBLE, hex(value))));
    }

    @Test
    void conversionsBetweenFormatsOfSpecialValues() {
        assertEquals(result(0x7fc0_0000L, NV), run(RNE, sf -> sf.convert(SINGLE, DOUBLE, 0x7ff0_0000_0000_0001L)));
        assertEquals(result(0x7fc0_0000L, 0), run(RNE, sf -> sf.convert(SINGLE, DOUBLE, 0xfff8_dead_beef_0000L)));
        assertEquals(result(0x7ff8_0000_0000_0000L, NV), run(RNE, sf -> sf.convert(DOUBLE, SINGLE, 0xff80_0001L)));
        assertEquals(result(0xff80_0000L, 0), run(RNE, sf -> sf.convert(SINGLE, DOUBLE, d(Double.NEGATIVE_INFINITY))));
        assertEquals(result(0x8000_0000L, 0), run(RNE, sf -> sf.convert(SINGLE, DOUBLE, d(-0.0))));
        assertEquals(result(Long.MIN_VALUE, 0), run(RNE, sf -> sf.convert(DOUBLE, SINGLE, 0x8000_0000L)));
    }

    @Test
    void wideningIsExactEvenForSubnormalSingles() {
        assertEquals(result(0x36a0_0000_0000_0000L, 0), run(RUP, sf -> sf.convert(DOUBLE, SINGLE, 1)));
        assertEquals(result(0x47ef_ffff_e000_0000L, 0), run(RTZ, sf -> sf.convert(DOUBLE, SINGLE, 0x7f7f_ffffL)));
    }
}
