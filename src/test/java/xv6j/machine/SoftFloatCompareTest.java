package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.FloatFormat.DOUBLE;
import static xv6j.machine.FloatFormat.SINGLE;
import static xv6j.machine.FloatTesting.*;
import static xv6j.machine.Rounding.RNE;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FEQ/FLT/FLE (quiet and signaling), FMIN/FMAX (minimumNumber/maximumNumber) and FCLASS. */
class SoftFloatCompareTest {
    private static final long QNAN = 0x7ff8_0000_0000_0000L, SNAN = 0x7ff4_0000_0000_0000L;

    private static SoftFloatOracle.Result eq(long a, long b) { return run(RNE, sf -> sf.eq(DOUBLE, a, b) ? 1 : 0); }
    private static SoftFloatOracle.Result lt(long a, long b) { return run(RNE, sf -> sf.lt(DOUBLE, a, b) ? 1 : 0); }
    private static SoftFloatOracle.Result le(long a, long b) { return run(RNE, sf -> sf.le(DOUBLE, a, b) ? 1 : 0); }

    @Test
    void equalityIsQuietSignalingOnlyForSignalingNans() {
        assertEquals(result(0, 0), eq(QNAN, d(1)));
        assertEquals(result(0, 0), eq(QNAN, QNAN));
        assertEquals(result(0, NV), eq(SNAN, d(1)));
        assertEquals(result(0, NV), eq(d(1), SNAN));
        assertEquals(result(1, 0), eq(d(0), d(-0.0)));
        assertEquals(result(1, 0), eq(d(1), d(1)));
        assertEquals(result(0, 0), eq(d(1), d(2)));
    }

    @Test
    void orderedComparisonsSignalForAnyNan() {
        assertEquals(result(0, NV), lt(QNAN, d(1)));
        assertEquals(result(0, NV), le(d(1), QNAN));
        assertEquals(result(0, NV), le(QNAN, QNAN));
        assertEquals(result(0, NV), lt(SNAN, d(1)));
    }

    @Test
    void orderedComparisonsOfNumbers() {
        assertEquals(result(0, 0), lt(d(-0.0), d(0)));
        assertEquals(result(1, 0), le(d(-0.0), d(0)));
        assertEquals(result(1, 0), le(d(0), d(-0.0)));
        assertEquals(result(1, 0), lt(d(-1), d(1)));
        assertEquals(result(1, 0), lt(d(-2), d(-1)));
        assertEquals(result(0, 0), lt(d(-1), d(-2)));
        assertEquals(result(1, 0), lt(1, d(Double.MIN_NORMAL)));
        assertEquals(result(1, 0), lt(d(Double.NEGATIVE_INFINITY), d(-Double.MAX_VALUE)));
        assertEquals(result(1, 0), lt(d(Double.MAX_VALUE), d(Double.POSITIVE_INFINITY)));
        assertEquals(result(0, 0), le(d(2), d(1)));
        assertEquals(result(1, 0), run(RNE, sf -> sf.lt(SINGLE, s(-3f), s(2f)) ? 1 : 0));
    }

    @Test
    void minusZeroIsBelowPlusZeroForMinAndMax() {
        for (long[] ab : new long[][] {{d(-0.0), d(0)}, {d(0), d(-0.0)}}) {
            assertEquals(result(d(-0.0), 0), run(RNE, sf -> sf.min(DOUBLE, ab[0], ab[1])));
            assertEquals(result(d(0), 0), run(RNE, sf -> sf.max(DOUBLE, ab[0], ab[1])));
        }
    }

    @Test
    void minAndMaxReturnTheNumberWhenOneOperandIsNan() {
        assertEquals(result(d(1), 0), run(RNE, sf -> sf.min(DOUBLE, QNAN, d(1))));
        assertEquals(result(d(1), 0), run(RNE, sf -> sf.max(DOUBLE, d(1), QNAN | Long.MIN_VALUE)));
        assertEquals(result(d(1), NV), run(RNE, sf -> sf.min(DOUBLE, d(1), SNAN)));   // NV though the result is a number
        assertEquals(result(QNAN, NV), run(RNE, sf -> sf.max(DOUBLE, SNAN, QNAN)));
        assertEquals(result(QNAN, 0), run(RNE, sf -> sf.min(DOUBLE, 0x7ff8_0000_0000_1234L, 0xfff8_0000_0000_0001L)));
        assertEquals(result(0x7fc0_0000L, 0), run(RNE, sf -> sf.max(SINGLE, 0x7fc0_0001L, 0xffc0_0000L)));
    }

    @Test
    void minAndMaxOfNumbers() {
        assertEquals(result(d(Double.NEGATIVE_INFINITY), 0), run(RNE, sf -> sf.min(DOUBLE, d(5), d(Double.NEGATIVE_INFINITY))));
        assertEquals(result(d(5), 0), run(RNE, sf -> sf.max(DOUBLE, d(5), d(-7))));
        assertEquals(result(0x8000_0001L, 0), run(RNE, sf -> sf.min(SINGLE, 1, 0x8000_0001L)));
        assertEquals(result(s(-1f), 0), run(RNE, sf -> sf.max(SINGLE, s(-2f), s(-1f))));
    }

    @ParameterizedTest
    @CsvSource({
        "0xfff0000000000000, 0xff800000, 0",   // -inf
        "0xbff0000000000000, 0xbf800000, 1",   // negative normal
        "0x800fffffffffffff, 0x807fffff, 2",   // negative subnormal
        "0x8000000000000000, 0x80000000, 3",   // -0
        "0x0000000000000000, 0x00000000, 4",   // +0
        "0x0000000000000001, 0x00000001, 5",   // positive subnormal
        "0x0010000000000000, 0x00800000, 6",   // positive normal
        "0x7ff0000000000000, 0x7f800000, 7",   // +inf
        "0x7ff0000000000001, 0x7fbfffff, 8",   // signaling NaN
        "0xfff8000000000000, 0xffc00000, 9",   // quiet NaN
    })
    void classifySetsExactlyOneOfTenBits(String dbl, String sgl, int bit) {
        assertEquals(1 << bit, SoftFloat.classify(DOUBLE, hex(dbl)));
        assertEquals(1 << bit, SoftFloat.classify(SINGLE, hex(sgl)));
    }
}
