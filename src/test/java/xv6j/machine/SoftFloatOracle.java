package xv6j.machine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exact reference for the tests: RISC-V F/D results and flags computed from IEEE 754's
 * definitions with BigDecimal, sharing no code with {@link SoftFloat}.
 *
 * <p>A finite operand becomes its exact decimal value. A result is a real number known
 * only through exact comparisons (|x| against any m ≥ 0): sums, products and conversions
 * are exact BigDecimals; a quotient a/b compares as a against m·b, a root √a as a against
 * m². Rounding then finds, by comparisons alone, the binade of x, the two neighbours in
 * the format around it and where x lies between them; an approximate value only seeds
 * the search. Tininess follows the definition "after rounding": a nonzero result is tiny
 * if rounding it to p bits with an unbounded exponent range gives a magnitude below 2^emin.
 */
final class SoftFloatOracle {
    private SoftFloatOracle() {}

    /** A result: raw bits in the format (or an integer register value) and the fflags raised. */
    record Result(long bits, int flags) {
        @Override
        public String toString() {
            return String.format("0x%x flags %s", bits, flagNames(flags));
        }
    }

    static String flagNames(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) if ((flags & (1 << i)) != 0) s.append(s.isEmpty() ? "" : "|").append(names[i]);
        return s.isEmpty() ? "-" : s.toString();
    }

    private static final int NV = 0x10, DZ = 0x08, OF = 0x04, UF = 0x02, NX = 0x01;
    private static final MathContext APPROX = new MathContext(60);

    // ---- the operations, special cases first, as the RISC-V and IEEE 754 texts list them ----

    static Result add(FloatFormat f, Rounding rm, long a, long b) {
        if (nan(f, a) || nan(f, b)) return nanResult(f, a, b, 0);
        if (inf(f, a) && inf(f, b) && neg(f, a) != neg(f, b)) return new Result(f.canonicalNaN, NV);
        if (inf(f, a)) return new Result(a, 0);
        if (inf(f, b)) return new Result(b, 0);
        BigDecimal sum = value(f, a).add(value(f, b));
        if (sum.signum() == 0) {
            // Exact zero: two zeros of one sign keep it; otherwise +0, or -0 rounding down.
            boolean negative = zero(f, a) && zero(f, b) && neg(f, a) == neg(f, b) ? neg(f, a) : rm == Rounding.RDN;
            return new Result(signedZero(f, negative), 0);
        }
        return round(f, rm, exact(sum));
    }

    static Result sub(FloatFormat f, Rounding rm, long a, long b) {
        return add(f, rm, a, b ^ f.signBit);
    }

    static Result mul(FloatFormat f, Rounding rm, long a, long b) {
        if (nan(f, a) || nan(f, b)) return nanResult(f, a, b, 0);
        boolean neg = neg(f, a) != neg(f, b);
        if ((inf(f, a) && zero(f, b)) || (zero(f, a) && inf(f, b))) return new Result(f.canonicalNaN, NV);
        if (inf(f, a) || inf(f, b)) return new Result(signedInf(f, neg), 0);
        if (zero(f, a) || zero(f, b)) return new Result(signedZero(f, neg), 0);
        return round(f, rm, exact(value(f, a).multiply(value(f, b))));
    }

    static Result div(FloatFormat f, Rounding rm, long a, long b) {
        if (nan(f, a) || nan(f, b)) return nanResult(f, a, b, 0);
        boolean neg = neg(f, a) != neg(f, b);
        if (inf(f, a) && inf(f, b)) return new Result(f.canonicalNaN, NV);
        if (zero(f, a) && zero(f, b)) return new Result(f.canonicalNaN, NV);
        if (inf(f, a)) return new Result(signedInf(f, neg), 0);
        if (inf(f, b)) return new Result(signedZero(f, neg), 0);
        if (zero(f, b)) return new Result(signedInf(f, neg), DZ);
        if (zero(f, a)) return new Result(signedZero(f, neg), 0);
        BigDecimal x = value(f, a).abs(), y = value(f, b).abs();
        return round(f, rm, new Real(neg, m -> x.compareTo(m.multiply(y)), x.divide(y, APPROX)));
    }

    static Result sqrt(FloatFormat f, Rounding rm, long a) {
        if (nan(f, a)) return nanResult(f, a, a, 0);
        if (zero(f, a)) return new Result(a, 0);
        if (neg(f, a)) return new Result(f.canonicalNaN, NV);
        if (inf(f, a)) return new Result(a, 0);
        BigDecimal x = value(f, a);
        return round(f, rm, new Real(false, m -> x.compareTo(m.multiply(m)), x.sqrt(APPROX)));
    }

    /** (a × b) + c with the product and the addend negated as asked; one rounding. */
    static Result fma(FloatFormat f, Rounding rm, long a, long b, long c, boolean negateProduct, boolean negateAddend) {
        boolean infTimesZero = (inf(f, a) && zero(f, b)) || (zero(f, a) && inf(f, b));
        if (nan(f, a) || nan(f, b) || nan(f, c)) return nanResult(f, a, b, c, infTimesZero ? NV : 0);
        if (infTimesZero) return new Result(f.canonicalNaN, NV);
        boolean negP = neg(f, a) ^ neg(f, b) ^ negateProduct;
        boolean negC = neg(f, c) ^ negateAddend;
        if (inf(f, a) || inf(f, b)) {
            if (inf(f, c) && negC != negP) return new Result(f.canonicalNaN, NV);
            return new Result(signedInf(f, negP), 0);
        }
        if (inf(f, c)) return new Result(signedInf(f, negC), 0);
        BigDecimal product = value(f, a).multiply(value(f, b));
        if (negateProduct) product = product.negate();
        BigDecimal addend = negateAddend ? value(f, c).negate() : value(f, c);
        BigDecimal sum = product.add(addend);
        if (sum.signum() == 0) {
            boolean productZero = product.signum() == 0, addendZero = addend.signum() == 0;
            if (productZero && addendZero && negP == negC) return new Result(signedZero(f, negP), 0);
            return new Result(signedZero(f, rm == Rounding.RDN), 0);
        }
        return round(f, rm, exact(sum));
    }

    static Result convert(FloatFormat to, FloatFormat from, Rounding rm, long a) {
        if (nan(from, a)) return new Result(to.canonicalNaN, snan(from, a) ? NV : 0);
        if (inf(from, a)) return new Result(signedInf(to, neg(from, a)), 0);
        if (zero(from, a)) return new Result(signedZero(to, neg(from, a)), 0);
        return round(to, rm, exact(value(from, a)));
    }

    /** FCVT.int.fmt, as the register value: the table of valid ranges and clipped results. */
    static Result toInt(FloatFormat f, Rounding rm, long a, IntFormat t) {
        BigInteger min = t.signed ? BigInteger.ONE.shiftLeft(t.bits - 1).negate() : BigInteger.ZERO;
        BigInteger max = BigInteger.ONE.shiftLeft(t.signed ? t.bits - 1 : t.bits).subtract(BigInteger.ONE);
        if (nan(f, a)) return new Result(register(t, max), NV);
        if (inf(f, a)) return new Result(register(t, neg(f, a) ? min : max), NV);
        BigDecimal x = value(f, a);
        BigInteger n = x.setScale(0, javaMode(rm)).toBigIntegerExact();
        if (n.compareTo(min) < 0) return new Result(register(t, min), NV);
        if (n.compareTo(max) > 0) return new Result(register(t, max), NV);
        return new Result(register(t, n), new BigDecimal(n).compareTo(x) == 0 ? 0 : NX);
    }

    /** FCVT.fmt.int from the register value x. */
    static Result fromInt(FloatFormat f, Rounding rm, long x, IntFormat t) {
        BigInteger n = switch (t) {
            case W -> BigInteger.valueOf((int) x);
            case WU -> BigInteger.valueOf(x & 0xFFFF_FFFFL);
            case L -> BigInteger.valueOf(x);
            case LU -> new BigInteger(Long.toUnsignedString(x));
        };
        if (n.signum() == 0) return new Result(0, 0);
        return round(f, rm, exact(new BigDecimal(n)));
    }

    // ---- rounding a real number to the format ----

    /** A nonzero real number, known through exact comparisons of its magnitude with any m ≥ 0. */
    private record Real(boolean negative, java.util.function.Function<BigDecimal, Integer> compareAbs, BigDecimal approxAbs) {
        int cmp(BigDecimal m) { return compareAbs.apply(m); }
    }

    private static Real exact(BigDecimal v) {
        BigDecimal abs = v.abs();
        return new Real(v.signum() < 0, abs::compareTo, abs);
    }

    private static Result round(FloatFormat f, Rounding rm, Real x) {
        int p = f.precision;
        // The binade: 2^e <= |x| < 2^(e+1). The estimate from the approximation is checked exactly.
        BigInteger u = x.approxAbs().unscaledValue();
        int e = (int) Math.floor(u.bitLength() - 1 - x.approxAbs().scale() * (Math.log(10) / Math.log(2)));
        while (x.cmp(pow2(e)) < 0) e--;
        while (x.cmp(pow2(e + 1)) >= 0) e++;

        int flags = 0;
        // Rounded with the format's real exponent range (subnormals have a coarser quantum).
        int quantum = Math.max(e, f.emin) - (p - 1);
        BigInteger n = roundToQuantum(rm, x, quantum);
        boolean inexact = x.cmp(multiple(n, quantum)) != 0;
        if (inexact) flags |= NX;
        if (e < f.emin && inexact) {
            // Tiny if the result rounded to p bits with an unbounded exponent is below 2^emin.
            BigInteger unbounded = roundToQuantum(rm, x, e - (p - 1));
            if (multiple(unbounded, e - (p - 1)).compareTo(pow2(f.emin)) < 0) flags |= UF;
        }
        BigDecimal magnitude = multiple(n, quantum);
        long sign = x.negative() ? f.signBit : 0;
        if (magnitude.compareTo(pow2(f.emax + 1)) >= 0) {
            boolean toInfinity = switch (rm) {
                case RNE, RMM -> true;
                case RTZ -> false;
                case RDN -> x.negative();
                case RUP -> !x.negative();
            };
            return new Result(sign | (toInfinity ? f.infinity : f.maxFinite), OF | NX);
        }
        return new Result(sign | encode(f, n, quantum), flags);
    }

    /** The integer n for which n·2^q is |x| rounded in mode rm to a multiple of 2^q. */
    private static BigInteger roundToQuantum(Rounding rm, Real x, int q) {
        BigInteger n = x.approxAbs().multiply(pow2(-q)).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        while (x.cmp(multiple(n, q)) < 0) n = n.subtract(BigInteger.ONE);
        while (x.cmp(multiple(n.add(BigInteger.ONE), q)) >= 0) n = n.add(BigInteger.ONE);
        // Now n·2^q <= |x| < (n+1)·2^q.
        if (x.cmp(multiple(n, q)) == 0) return n;
        int vsHalf = x.cmp(multiple(n.shiftLeft(1).add(BigInteger.ONE), q - 1));
        boolean up = switch (rm) {
            case RNE -> vsHalf > 0 || (vsHalf == 0 && n.testBit(0));
            case RMM -> vsHalf >= 0;
            case RTZ -> false;
            case RDN -> x.negative();
            case RUP -> !x.negative();
        };
        return up ? n.add(BigInteger.ONE) : n;
    }

    /** The bits of the magnitude n·2^q, known to be representable and below 2^(emax+1). */
    private static long encode(FloatFormat f, BigInteger n, int q) {
        int p = f.precision;
        if (n.bitLength() > p) {                        // n = 2^p: carried into the next binade
            n = n.shiftRight(1);
            q++;
        }
        if (n.bitLength() < p) {                        // subnormal: q is the subnormal quantum
            if (q != f.emin - (p - 1)) throw new AssertionError("unnormalized result " + n + "·2^" + q);
            return n.longValueExact();
        }
        long biased = q + (p - 1) + f.bias;
        return biased << f.fracBits | (n.longValueExact() & f.fracMask);
    }

    // ---- values ----

    /** The exact value of a finite operand. */
    static BigDecimal value(FloatFormat f, long v) {
        return f == FloatFormat.DOUBLE ? new BigDecimal(Double.longBitsToDouble(v))
                : new BigDecimal((double) Float.intBitsToFloat((int) v));
    }

    private static final ConcurrentHashMap<Integer, BigDecimal> POW2 = new ConcurrentHashMap<>();

    /** 2^k exactly; 2^-k is 5^k / 10^k. */
    static BigDecimal pow2(int k) {
        return POW2.computeIfAbsent(k, j -> j >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(j))
                : new BigDecimal(BigInteger.valueOf(5).pow(-j), -j));
    }

    private static BigDecimal multiple(BigInteger n, int q) {
        return new BigDecimal(n).multiply(pow2(q));
    }

    private static long register(IntFormat t, BigInteger n) {
        long v = n.longValue();                        // two's complement low 64 bits
        return t.bits == 32 ? (int) v : v;
    }

    private static RoundingMode javaMode(Rounding rm) {
        return switch (rm) {
            case RNE -> RoundingMode.HALF_EVEN;
            case RTZ -> RoundingMode.DOWN;
            case RDN -> RoundingMode.FLOOR;
            case RUP -> RoundingMode.CEILING;
            case RMM -> RoundingMode.HALF_UP;
        };
    }

    private static boolean nan(FloatFormat f, long v) {
        return (v & ~f.signBit) > f.infinity;
    }

    private static boolean snan(FloatFormat f, long v) {
        return nan(f, v) && (v & f.quietBit) == 0;
    }

    private static boolean inf(FloatFormat f, long v) {
        return (v & ~f.signBit) == f.infinity;
    }

    private static boolean zero(FloatFormat f, long v) {
        return (v & ~f.signBit) == 0;
    }

    private static boolean neg(FloatFormat f, long v) {
        return (v & f.signBit) != 0;
    }

    private static long signedZero(FloatFormat f, boolean negative) {
        return negative ? f.signBit : 0;
    }

    private static long signedInf(FloatFormat f, boolean negative) {
        return (negative ? f.signBit : 0) | f.infinity;
    }

    private static Result nanResult(FloatFormat f, long a, long b, int extra) {
        return new Result(f.canonicalNaN, (snan(f, a) || snan(f, b) ? NV : 0) | extra);
    }

    private static Result nanResult(FloatFormat f, long a, long b, long c, int extra) {
        return new Result(f.canonicalNaN, (snan(f, a) || snan(f, b) || snan(f, c) ? NV : 0) | extra);
    }
}
