package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.FloatFormat.DOUBLE;
import static xv6j.machine.FloatFormat.SINGLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.machine.SoftFloatOracle.Result;

/**
 * Round-to-nearest uses the JVM's arithmetic only where results are provably identical;
 * these cases sit on the edges of that proof (results near 2^-969 for doubles and 2^-126
 * for singles, where the fast path hands over to the integer path, and near overflow) and
 * are checked, bits and flags, against the exact oracle.
 */
class SoftFloatFastPathTest {
    private static final int CASES = 20_000;

    /** A finite value of random sign with its binary exponent near e and a random significand. */
    private static long near(FloatFormat f, Random rnd, int e) {
        int exp = Math.max(f.emin - f.fracBits, Math.min(f.emax, e + rnd.nextInt(7) - 3));
        long sig = rnd.nextLong() & f.fracMask;
        if (rnd.nextInt(4) == 0) sig &= -(1L << rnd.nextInt(f.fracBits));      // short: often exact
        long bits;
        if (exp >= f.emin) bits = (long) (exp + f.bias) << f.fracBits | sig;
        else bits = (f.hiddenBit | sig) >>> (f.emin - exp);                   // subnormal
        return bits | (rnd.nextBoolean() ? f.signBit : 0);
    }

    /** The binary exponents the fast paths are bounded by, for this format. */
    private static int[] edges(FloatFormat f) {
        return f == DOUBLE ? new int[] {-969, -1022, 1023} : new int[] {-126, -125, 127};
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void resultsAtTheFastPathEdgesMatchTheOracle(FloatFormat f) {
        Random rnd = new Random(0xFA57 + f.ordinal());
        List<String> bad = new ArrayList<>();
        int[] edges = edges(f);
        FloatSamples samples = new FloatSamples(f, new Random(0xED6E + f.ordinal()));
        for (int i = 0; i < CASES; i++) {
            int edge = edges[rnd.nextInt(edges.length)];
            // Products and quotients that land near the edge, roots of values near it,
            // sums of values near it.
            int ea = f.emin / 2 + rnd.nextInt(f.emax - f.emin / 2);
            long a = near(f, rnd, ea), b = near(f, rnd, edge - ea), c = near(f, rnd, edge + ea);
            long x = near(f, rnd, edge), y = near(f, rnd, edge);
            compare(bad, "mul", a, b, SoftFloatOracle.mul(f, Rounding.RNE, a, b), sf -> sf.mul(f, a, b));
            compare(bad, "div", c, a, SoftFloatOracle.div(f, Rounding.RNE, c, a), sf -> sf.div(f, c, a));
            compare(bad, "div", x, b, SoftFloatOracle.div(f, Rounding.RNE, x, b), sf -> sf.div(f, x, b));
            compare(bad, "sqrt", x, x, SoftFloatOracle.sqrt(f, Rounding.RNE, x & ~f.signBit), sf -> sf.sqrt(f, x & ~f.signBit));
            compare(bad, "add", x, y, SoftFloatOracle.add(f, Rounding.RNE, x, y), sf -> sf.add(f, x, y));
            compare(bad, "sub", x, y, SoftFloatOracle.sub(f, Rounding.RNE, x, y), sf -> sf.sub(f, x, y));
            // Products and quotients within a few units of 2^emin or 2^(emax+1), where a
            // result can round up to the smallest normal and still be tiny.
            long[] p = samples.productNearBoundary(), q = samples.quotientNearBoundary();
            compare(bad, "mul", p[0], p[1], SoftFloatOracle.mul(f, Rounding.RNE, p[0], p[1]), sf -> sf.mul(f, p[0], p[1]));
            compare(bad, "div", q[0], q[1], SoftFloatOracle.div(f, Rounding.RNE, q[0], q[1]), sf -> sf.div(f, q[0], q[1]));
            // Fused: products at the edges plus an addend that cancels them, is near the
            // edge itself, or is far larger or smaller.
            long[][] products = {{a, b}, p};
            long[] pr = products[rnd.nextInt(2)];
            long product = SoftFloatOracle.mul(f, Rounding.RNE, pr[0], pr[1]).bits();
            long addend = switch (rnd.nextInt(4)) {
                case 0 -> (product ^ f.signBit) + rnd.nextInt(5) - 2 & (f.signBit | (f.signBit - 1));
                case 1 -> x;
                case 2 -> near(f, rnd, ea);
                default -> near(f, rnd, edge - 60 + rnd.nextInt(120));
            };
            boolean negP = rnd.nextBoolean(), negC = rnd.nextBoolean();
            compare(bad, String.format("fma%s%s c=0x%x", negP ? "-p" : "", negC ? "-c" : "", addend), pr[0], pr[1],
                    SoftFloatOracle.fma(f, Rounding.RNE, pr[0], pr[1], addend, negP, negC),
                    sf -> sf.fma(f, pr[0], pr[1], addend, negP, negC));
        }
        assertTrue(bad.isEmpty(), () -> bad.size() + " disagreements, first: " + bad.subList(0, Math.min(20, bad.size())));
    }

    @Test
    void singleFusedSumRoundedToAHalfwayPointInDoubleRoundsByItsError() {
        // -(1 + 2^-23)(1 - 2^-23) + (2^24 + 2) = 2^24 + 1 + 2^-46: in double that rounds to
        // 2^24 + 1, halfway between the singles 2^24 and 2^24 + 2, which ties to even
        // (2^24); the exact sum is above it, so the answer is 2^24 + 2, inexact.
        long a = Float.floatToRawIntBits(-(1 + 0x1p-23f)) & 0xFFFF_FFFFL, b = Float.floatToRawIntBits(1 - 0x1p-23f);
        long c = Float.floatToRawIntBits(0x1p24f + 2);
        Result expected = SoftFloatOracle.fma(SINGLE, Rounding.RNE, a, b, c, false, false);
        assertEquals(new Result(c, SoftFloat.NX), expected);
        SoftFloat sf = new SoftFloat(Rounding.RNE);
        long r = sf.fma(SINGLE, a, b, c, false, false);
        assertEquals(expected, new Result(r, sf.flags));
    }

    private static void compare(List<String> bad, String op, long a, long b, Result expected, FloatTesting.Op run) {
        SoftFloat sf = new SoftFloat(Rounding.RNE);
        long r = run.apply(sf);
        if (r != expected.bits() || sf.flags != expected.flags())
            bad.add(String.format("%s a=0x%x b=0x%x: expected %s, got %s", op, a, b, expected, new Result(r, sf.flags)));
    }
}
