package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.machine.SoftFloatOracle.Result;

/**
 * Randomized differential tests: SoftFloat against the exact {@link SoftFloatOracle}, bits
 * and flags, over boundary-biased operands in every rounding mode, for both formats. The
 * seed is fixed, so a failure reproduces; the first mismatches are listed in full.
 */
class SoftFloatRandomTest {
    private static final long SEED = 0x7E57_F10A7L;
    private static final int CASES = 20_000;

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void addAndSubMatchTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 1);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long a = s.operand(), b = s.partner(a);
            Rounding rm = s.rounding();
            SoftFloat sf = new SoftFloat(rm);
            m.check(describe("add", f, rm, a, b), SoftFloatOracle.add(f, rm, a, b), sf.add(f, a, b), sf);
            sf = new SoftFloat(rm);
            m.check(describe("sub", f, rm, a, b), SoftFloatOracle.sub(f, rm, a, b), sf.sub(f, a, b), sf);
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void mulMatchesTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 2);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long[] ab = i % 3 == 0 ? s.productNearBoundary() : new long[] {s.operand(), s.operand()};
            long a = ab[0], b = ab[1];
            Rounding rm = s.rounding();
            SoftFloat sf = new SoftFloat(rm);
            m.check(describe("mul", f, rm, a, b), SoftFloatOracle.mul(f, rm, a, b), sf.mul(f, a, b), sf);
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void divMatchesTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 3);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long[] ab = i % 3 == 0 ? s.quotientNearBoundary() : new long[] {s.operand(), s.operand()};
            long a = ab[0], b = ab[1];
            Rounding rm = s.rounding();
            SoftFloat sf = new SoftFloat(rm);
            m.check(describe("div", f, rm, a, b), SoftFloatOracle.div(f, rm, a, b), sf.div(f, a, b), sf);
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void sqrtMatchesTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 4);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long a = s.operand();
            if (i % 4 == 0) {                           // an exact square, or next to one
                SoftFloat sq = new SoftFloat(Rounding.RTZ);
                long root = s.operand() & ~f.signBit & -(1L << (f.fracBits / 2 + 1));
                a = sq.mul(f, root, root) + (i % 8 == 0 ? 0 : s.rounding().ordinal() - 2);
                if (a < 0 || f.isNaN(a)) a = root;
            }
            Rounding rm = s.rounding();
            SoftFloat sf = new SoftFloat(rm);
            m.check(describe("sqrt", f, rm, a, a), SoftFloatOracle.sqrt(f, rm, a), sf.sqrt(f, a), sf);
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void fusedMultiplyAddMatchesTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 5);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long[] ab = i % 4 == 0 ? s.productNearBoundary() : new long[] {s.operand(), s.operand()};
            long a = ab[0], b = ab[1];
            long c = switch (i % 3) {
                case 0 -> s.operand();
                case 1 -> s.partner(SoftFloatOracle.mul(f, Rounding.RNE, a, b).bits() ^ f.signBit);   // cancels
                default -> s.partner(s.operand());
            };
            Rounding rm = s.rounding();
            boolean negP = s.rounding().ordinal() % 2 == 0, negC = s.rounding().ordinal() % 2 == 0;
            SoftFloat sf = new SoftFloat(rm);
            long r = sf.fma(f, a, b, c, negP, negC);
            String what = describe("fma" + (negP ? "-p" : "") + (negC ? "-c" : ""), f, rm, a, b) + String.format(" c=0x%x", c);
            m.check(what, SoftFloatOracle.fma(f, rm, a, b, c, negP, negC), r, sf);
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void conversionsToIntegersMatchTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 6);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long a = i % 2 == 0 ? s.nearIntegerLimit() : s.operand();
            Rounding rm = s.rounding();
            for (IntFormat t : IntFormat.values()) {
                SoftFloat sf = new SoftFloat(rm);
                m.check(describe("fcvt." + t, f, rm, a, a), SoftFloatOracle.toInt(f, rm, a, t), sf.toInt(f, a, t), sf);
            }
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void conversionsFromIntegersMatchTheExactOracle(FloatFormat f) {
        FloatSamples s = samples(f, 7);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long x = s.integer();
            Rounding rm = s.rounding();
            for (IntFormat t : IntFormat.values()) {
                SoftFloat sf = new SoftFloat(rm);
                m.check(describe("fcvt.from." + t, f, rm, x, x), SoftFloatOracle.fromInt(f, rm, x, t), sf.fromInt(f, x, t), sf);
            }
        }
        m.assertNone();
    }

    @ParameterizedTest
    @EnumSource(FloatFormat.class)
    void conversionsBetweenFormatsMatchTheExactOracle(FloatFormat to) {
        FloatFormat from = to == FloatFormat.SINGLE ? FloatFormat.DOUBLE : FloatFormat.SINGLE;
        FloatSamples s = samples(from, 8);
        Random rnd = new Random(SEED + 9);
        Mismatches m = new Mismatches();
        for (int i = 0; i < CASES; i++) {
            long a = s.operand();
            if (from == FloatFormat.DOUBLE && i % 2 == 0) {
                // Doubles in and around the single range: its subnormals, its overflow edge.
                int e = switch (rnd.nextInt(3)) {
                    case 0 -> -150 - 4 + rnd.nextInt(30);
                    case 1 -> 124 + rnd.nextInt(6);
                    default -> -160 + rnd.nextInt(320);
                };
                a = (long) (e + 1023) << 52 | (rnd.nextLong() & ((1L << 52) - 1)) & -(1L << rnd.nextInt(40));
                if (rnd.nextBoolean()) a |= Long.MIN_VALUE;
            }
            Rounding rm = s.rounding();
            SoftFloat sf = new SoftFloat(rm);
            m.check(describe("fcvt." + to + "." + from, from, rm, a, a), SoftFloatOracle.convert(to, from, rm, a), sf.convert(to, from, a), sf);
        }
        m.assertNone();
    }

    private static FloatSamples samples(FloatFormat f, int stream) {
        return new FloatSamples(f, new Random(SEED * 31 + stream * 2 + f.ordinal()));
    }

    private static String describe(String op, FloatFormat f, Rounding rm, long a, long b) {
        return String.format("%s.%s %s a=0x%x b=0x%x", op, f, rm, a, b);
    }

    /** Collects disagreements so a failure shows the first twenty, not just one. */
    private static final class Mismatches {
        private final List<String> first = new ArrayList<>();
        private int count, checked;

        void check(String what, Result expected, long actualBits, SoftFloat actual) {
            checked++;
            if (expected.bits() == actualBits && expected.flags() == actual.flags) return;
            count++;
            if (first.size() < 20)
                first.add(what + ": expected " + expected + ", got " + new Result(actualBits, actual.flags));
        }

        void assertNone() {
            assertTrue(count == 0, () -> count + " of " + checked + " disagree with the oracle:\n" + String.join("\n", first));
        }
    }
}
