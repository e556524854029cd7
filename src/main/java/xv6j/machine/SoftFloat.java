package xv6j.machine;

/**
 * IEEE 754 binary arithmetic done in integers, with RISC-V's choices: results are
 * correctly rounded in one of the five {@link Rounding} modes, tininess is detected after
 * rounding, every NaN result is the canonical NaN, and 0 × ∞ + qNaN is invalid.
 *
 * <p>An instance is one operation's environment: the rounding mode it uses and the
 * exception flags it raised ({@link #flags}, the fflags bits), which the caller ORs into
 * fcsr. Values are raw bits of a {@link FloatFormat} in the low end of a long.
 *
 * <p>How it works: a finite value is unpacked to ±sig × 2^exp with sig an integer; the
 * operation is done exactly (128 bits where a product needs them), or, for quotients and
 * roots, to a few bits past the precision with the remainder kept as a "sticky" 1 in bit
 * 0; {@link #roundPack} then rounds once and packs.
 *
 * <p>Round to nearest even, the mode compiled code runs in, has a fast path for add, sub,
 * mul, div, sqrt, the fused multiply-adds and integer conversions: the JVM's float and
 * double arithmetic is IEEE 754 in that mode, so where the result is finite and provably
 * neither tiny nor overflowed its bits are ours, and an error-free transformation
 * (TwoSum, or an exact residual by Math.fma) tells whether it was inexact. Each fast
 * path states the bound that makes it exact; anything outside takes the integer path.
 */
final class SoftFloat {
    /** The fflags bits: invalid, divide by zero, overflow, underflow, inexact. */
    static final int NV = 0x10, DZ = 0x08, OF = 0x04, UF = 0x02, NX = 0x01;

    final Rounding rounding;
    /** Exception flags raised so far by this environment's operations. */
    int flags;

    SoftFloat(Rounding rounding) {
        this.rounding = rounding;
    }

    // ---- arithmetic ----

    long add(FloatFormat f, long a, long b) {
        if (rounding == Rounding.RNE) {
            // A finite sum of finite operands, rounded by the JVM. Sums are never inexact
            // and tiny (a sum below 2^emin is exact), and TwoSum's error term is exact.
            if (f == FloatFormat.DOUBLE) {
                double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x + y;
                if (Math.abs(r) <= Double.MAX_VALUE) {
                    double yPart = r - x;
                    if ((x - (r - yPart)) + (y - yPart) != 0) flags |= NX;
                    return Double.doubleToRawLongBits(r);
                }
            } else {
                float x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b), r = x + y;
                if (Math.abs(r) <= Float.MAX_VALUE) {
                    float yPart = r - x;
                    if ((x - (r - yPart)) + (y - yPart) != 0) flags |= NX;
                    return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                }
            }
        }
        return addRounded(f, a, b);
    }

    private long addRounded(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) return nanResult(f, a, b);
        boolean negA = f.isNegative(a), negB = f.isNegative(b);
        if (f.isInfinite(a)) return f.isInfinite(b) && negA != negB ? invalid(f) : a;
        if (f.isInfinite(b)) return b;
        if (f.isZero(b)) return f.isZero(a) && negA != negB ? exactZero(f) : a;
        if (f.isZero(a)) return b;

        // Both finite and nonzero: line the significands up with their leading one at
        // bit 61 (bit 62 catches a carry), then shift the smaller operand right.
        int up = 62 - f.precision;
        long sigA = significand(f, a) << up, sigB = significand(f, b) << up;
        int expA = exponent(f, a) - up, expB = exponent(f, b) - up;
        if (expA < expB) {
            long s = sigA; sigA = sigB; sigB = s;
            int e = expA; expA = expB; expB = e;
            boolean n = negA; negA = negB; negB = n;
        }
        sigB = shiftRightJam(sigB, expA - expB);
        if (negA == negB) return roundPack(f, negA, sigA + sigB, expA);
        long diff = sigA - sigB;
        if (diff == 0) return exactZero(f);
        // Bits are lost in the shift only if the exponents differ by 2 or more, and then
        // the difference keeps its leading one within a bit of sigA's: no cancellation.
        return diff > 0 ? roundPack(f, negA, diff, expA) : roundPack(f, negB, -diff, expA);
    }

    long sub(FloatFormat f, long a, long b) {
        return add(f, a, b ^ f.signBit);
    }

    long mul(FloatFormat f, long a, long b) {
        if (rounding == Rounding.RNE) {
            if (f == FloatFormat.DOUBLE) {
                // From 2^-969 up the residual x·y - r is a multiple of 2^-1074 with at
                // most 53 bits, so Math.fma gives it exactly: zero iff r is exact.
                double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x * y;
                double m = Math.abs(r);
                if (m >= 0x1p-969 && m <= Double.MAX_VALUE) {
                    if (Math.fma(x, y, -r) != 0) flags |= NX;
                    return Double.doubleToRawLongBits(r);
                }
            } else {
                // The product of two singles is exact in a double; from 2^-126 up it is
                // not tiny, and rounding it to a single is the only rounding.
                double p = (double) Float.intBitsToFloat((int) a) * Float.intBitsToFloat((int) b);
                float r = (float) p;
                if (Math.abs(p) >= 0x1p-126 && Math.abs(r) <= Float.MAX_VALUE) {
                    if (r != p) flags |= NX;
                    return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                }
            }
        }
        return mulRounded(f, a, b);
    }

    private long mulRounded(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) return nanResult(f, a, b);
        boolean neg = f.isNegative(a) != f.isNegative(b);
        if (f.isInfinite(a) || f.isInfinite(b))
            return f.isZero(a) || f.isZero(b) ? invalid(f) : f.infinity(neg);
        if (f.isZero(a) || f.isZero(b)) return f.zero(neg);
        long sigA = significand(f, a), sigB = significand(f, b);
        return roundPack(f, neg, Math.multiplyHigh(sigA, sigB), sigA * sigB, exponent(f, a) + exponent(f, b));
    }

    long div(FloatFormat f, long a, long b) {
        if (rounding == Rounding.RNE) {
            if (f == FloatFormat.DOUBLE) {
                // With the dividend and the quotient both at least 2^-969, the remainder
                // x - r·y of the correctly rounded quotient r is representable and lies
                // on the 2^-1074 grid, so Math.fma gives it exactly: zero iff r is exact.
                double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), r = x / y;
                double m = Math.abs(r);
                if (m >= 0x1p-969 && m <= Double.MAX_VALUE && Math.abs(x) >= 0x1p-969) {
                    if (Math.fma(-r, y, x) != 0) flags |= NX;
                    return Double.doubleToRawLongBits(r);
                }
            } else {
                // A double quotient rounded to a single is correctly rounded (53 >= 2·24 + 2),
                // and r·y is exact in a double.
                double x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b), q = x / y;
                float r = (float) q;
                if (Math.abs(q) >= 0x1p-126 && Math.abs(r) <= Float.MAX_VALUE) {
                    if ((double) r * y != x) flags |= NX;
                    return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                }
            }
        }
        return divRounded(f, a, b);
    }

    private long divRounded(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) return nanResult(f, a, b);
        boolean neg = f.isNegative(a) != f.isNegative(b);
        if (f.isInfinite(a)) return f.isInfinite(b) ? invalid(f) : f.infinity(neg);
        if (f.isInfinite(b)) return f.zero(neg);
        if (f.isZero(b)) {
            if (f.isZero(a)) return invalid(f);
            flags |= DZ;
            return f.infinity(neg);
        }
        if (f.isZero(a)) return f.zero(neg);

        // q = floor(sigA * 2^k / sigB) with k = p + 2, so q has p+2 or p+3 bits: enough
        // for rounding, with the remainder as the sticky bit. The double-precision quotient
        // is within a few units of q; the loops below make it exact. The remainder fits in
        // a long (it is a few times sigB at most), so computing it modulo 2^64 is exact.
        long sigA = significand(f, a), sigB = significand(f, b);
        int k = f.precision + 2;
        long q = (long) Math.scalb((double) sigA / (double) sigB, k);
        long r = (sigA << k) - q * sigB;
        while (r < 0) { q--; r += sigB; }
        while (r >= sigB) { q++; r -= sigB; }
        return roundPack(f, neg, q | (r != 0 ? 1 : 0), exponent(f, a) - exponent(f, b) - k);
    }

    long sqrt(FloatFormat f, long a) {
        if (rounding == Rounding.RNE) {
            if (f == FloatFormat.DOUBLE) {
                // From 2^-969 up, r² - x is on the 2^-1074 grid and representable.
                double x = Double.longBitsToDouble(a);
                if (x >= 0x1p-969 && x <= Double.MAX_VALUE) {
                    double r = Math.sqrt(x);
                    if (Math.fma(r, r, -x) != 0) flags |= NX;
                    return Double.doubleToRawLongBits(r);
                }
            } else {
                // A double root rounded to a single is correctly rounded; r² is exact in a double.
                double x = Float.intBitsToFloat((int) a);
                if (x > 0 && x <= Float.MAX_VALUE) {
                    float r = (float) Math.sqrt(x);
                    if ((double) r * r != x) flags |= NX;
                    return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                }
            }
        }
        return sqrtRounded(f, a);
    }

    private long sqrtRounded(FloatFormat f, long a) {
        if (f.isNaN(a)) return nanResult(f, a, a);
        if (f.isZero(a)) return a;                      // sqrt(-0) is -0
        if (f.isNegative(a)) return invalid(f);
        if (f.isInfinite(a)) return a;

        // sqrt(sig × 2^e) with e even is sqrt(sig) × 2^(e/2). r = floor(sqrt(sig × 2^2k))
        // has p+2 bits; the remainder sig × 2^2k - r² decides the sticky bit. The double
        // root is within a few units of r and the loops make it exact; as for division,
        // the remainder is small enough that arithmetic modulo 2^64 gives it exactly.
        long sig = significand(f, a);
        int e = exponent(f, a);
        if ((e & 1) != 0) { sig <<= 1; e--; }
        int k = (f.precision + 4) / 2;
        long r = (long) Math.scalb(Math.sqrt((double) sig), k);
        long d = r * r - (sig << 2 * k);                // r² - radicand
        while (d > 0) { d -= 2 * r - 1; r--; }
        while (d + 2 * r + 1 <= 0) { d += 2 * r + 1; r++; }
        return roundPack(f, false, r | (d != 0 ? 1 : 0), e / 2 - k);
    }

    /**
     * The fused multiply-add family, rounded once: (±a × b) ± c, where negateProduct
     * and negateAddend give FMADD (false, false), FMSUB (false, true), FNMSUB (true,
     * false) and FNMADD (true, true).
     */
    long fma(FloatFormat f, long a, long b, long c, boolean negateProduct, boolean negateAddend) {
        if (rounding == Rounding.RNE) {
            long na = negateProduct ? a ^ f.signBit : a, nc = negateAddend ? c ^ f.signBit : c;
            if (f == FloatFormat.DOUBLE) {
                // r = RN(x·y + z) by Math.fma. If z - r is exact (its TwoSum error is 0),
                // then RN(x·y + (z - r)) is the rounded residual, which lies on the 2^-1074
                // grid when x·y and r are at least 2^-968: zero iff r was exact.
                double x = Double.longBitsToDouble(na), y = Double.longBitsToDouble(b), z = Double.longBitsToDouble(nc);
                double r = Math.fma(x, y, z), m = Math.abs(r), mp = Math.abs(x * y);
                if (m >= 0x1p-968 && m <= Double.MAX_VALUE && mp >= 0x1p-968 && mp <= Double.MAX_VALUE) {
                    double d = z - r, zPart = d + r;
                    if ((z - zPart) + (-r - (d - zPart)) == 0) {
                        if (Math.fma(x, y, d) != 0) flags |= NX;
                        return Double.doubleToRawLongBits(r);
                    }
                }
            } else {
                // x·y is exact in a double. If x·y + z is too (TwoSum error 0), rounding
                // it to a single is the one rounding. If not, sum = RN(x·y + z) in double,
                // and every point halfway between two singles is a double: the exact sum
                // and sum lie on the same side of each, so they round to the same single,
                // unless sum is such a point itself (then the error would break the tie:
                // the integer path does it). Inexact then, by the error.
                double p = (double) Float.intBitsToFloat((int) na) * Float.intBitsToFloat((int) b);
                double z = Float.intBitsToFloat((int) nc), sum = p + z, zPart = sum - p;
                float r = (float) sum;
                if (Math.abs(sum) >= 0x1p-126 && Math.abs(r) <= Float.MAX_VALUE) {
                    if ((p - (sum - zPart)) + (z - zPart) == 0) {
                        if (r != sum) flags |= NX;
                        return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                    }
                    if ((Double.doubleToRawLongBits(sum) & 0x1FFF_FFFFL) != 0x1000_0000L) {
                        flags |= NX;
                        return Float.floatToRawIntBits(r) & 0xFFFF_FFFFL;
                    }
                }
            }
        }
        return fmaRounded(f, a, b, c, negateProduct, negateAddend);
    }

    private long fmaRounded(FloatFormat f, long a, long b, long c, boolean negateProduct, boolean negateAddend) {
        boolean zeroTimesInf = f.isInfinite(a) && f.isZero(b) || f.isZero(a) && f.isInfinite(b);
        if (f.isNaN(a) || f.isNaN(b) || f.isNaN(c)) {
            // RISC-V: ∞ × 0 is invalid even when the addend is a quiet NaN.
            if (zeroTimesInf || f.isSignalingNaN(a) || f.isSignalingNaN(b) || f.isSignalingNaN(c)) flags |= NV;
            return f.canonicalNaN;
        }
        if (zeroTimesInf) return invalid(f);
        boolean negP = f.isNegative(a) != f.isNegative(b) != negateProduct;
        boolean negC = f.isNegative(c) != negateAddend;
        if (f.isInfinite(a) || f.isInfinite(b))
            return f.isInfinite(c) && negC != negP ? invalid(f) : f.infinity(negP);
        if (f.isInfinite(c)) return f.infinity(negC);
        if (f.isZero(a) || f.isZero(b)) {
            if (f.isZero(c)) return negP == negC ? f.zero(negP) : exactZero(f);
            return negateAddend ? c ^ f.signBit : c;
        }

        // The exact product, up to 2p bits, and the addend, both placed in 128 bits with
        // their leading one at bit 125. Their lowest set bits are then at bit 20 or above,
        // so shifting the smaller right by up to 20 loses nothing, and a larger shift
        // leaves no room for cancellation: the sticky bit stays far below the rounding point.
        long sigA = significand(f, a), sigB = significand(f, b);
        long pHi = Math.multiplyHigh(sigA, sigB), pLo = sigA * sigB;
        int pUp = 126 - bitLength(pHi, pLo);
        long xHi = shiftLeftHi(pHi, pLo, pUp), xLo = shiftLeftLo(pLo, pUp);
        int xExp = exponent(f, a) + exponent(f, b) - pUp;
        boolean xNeg = negP;
        int cUp = 126 - f.precision;                  // 73 or more
        long yHi = significand(f, c) << (cUp - 64), yLo = 0;
        int yExp = exponent(f, c) - cUp;
        boolean yNeg = negC;
        if (xExp < yExp) {
            long t = xHi; xHi = yHi; yHi = t;
            t = xLo; xLo = yLo; yLo = t;
            int e = xExp; xExp = yExp; yExp = e;
            boolean n = xNeg; xNeg = yNeg; yNeg = n;
        }
        int shift = xExp - yExp;
        yLo = shiftRightJamLo(yHi, yLo, shift);
        yHi = shiftRightHi(yHi, shift);

        long hi, lo;
        boolean neg = xNeg;
        if (xNeg == yNeg) {
            lo = xLo + yLo;
            hi = xHi + yHi + (Long.compareUnsigned(lo, xLo) < 0 ? 1 : 0);
        } else {
            lo = xLo - yLo;
            hi = xHi - yHi - (Long.compareUnsigned(xLo, yLo) < 0 ? 1 : 0);
            if ((hi | lo) == 0) return exactZero(f);
            if (hi < 0) {                               // only when the exponents were equal
                lo = -lo;
                hi = ~hi + (lo == 0 ? 1 : 0);
                neg = yNeg;
            }
        }
        return roundPack(f, neg, hi, lo, xExp);
    }

    // ---- conversions ----

    /** FCVT between the two formats: widening is exact, narrowing rounds. */
    long convert(FloatFormat to, FloatFormat from, long a) {
        if (from.isNaN(a)) {
            if (from.isSignalingNaN(a)) flags |= NV;
            return to.canonicalNaN;
        }
        boolean neg = from.isNegative(a);
        if (from.isInfinite(a)) return to.infinity(neg);
        if (from.isZero(a)) return to.zero(neg);
        return roundPack(to, neg, significand(from, a), exponent(from, a));
    }

    /**
     * FCVT.int.fmt: rounds to an integer in this mode; out of range (after rounding), ±∞
     * and NaN are invalid and give the clipped value, NaN counting as positive. The
     * result is the register value (32-bit results sign-extended).
     */
    long toInt(FloatFormat f, long a, IntFormat t) {
        if (f.isNaN(a)) return invalidInt(t, false);
        boolean neg = f.isNegative(a);
        if (f.isInfinite(a)) return invalidInt(t, neg);
        if (f.isZero(a)) return 0;

        long sig = significand(f, a);
        int exp = exponent(f, a);
        long mag;                                        // the rounded magnitude, unsigned
        boolean inexact = false;
        if (exp >= 0) {
            if (exp > 64 - f.precision) return invalidInt(t, neg);   // 2^64 or more
            mag = sig << exp;
        } else {
            long q, rem, half;
            if (-exp < 64) {
                q = sig >>> -exp;
                rem = sig & ((1L << -exp) - 1);
                half = 1L << (-exp - 1);
            } else {                                     // below 2^-11: less than half
                q = 0;
                rem = 1;
                half = 2;
            }
            inexact = rem != 0;
            mag = inexact && roundsUp(neg, q, rem, half) ? q + 1 : q;
        }
        boolean inRange = t.signed
                ? Long.compareUnsigned(mag, neg ? -t.min : t.max) <= 0
                : neg ? mag == 0 : Long.compareUnsigned(mag, t.max) <= 0;
        if (!inRange) return invalidInt(t, neg);
        if (inexact) flags |= NX;
        return t.toRegister(neg ? -mag : mag);
    }

    /** FCVT.fmt.int: x is the integer register; rounds when the integer has more than p bits. */
    long fromInt(FloatFormat f, long x, IntFormat t) {
        long v = t.fromRegister(x);
        if (v == 0) return 0;
        boolean neg = t.signed && v < 0;
        long mag = neg ? -v : v;                         // unsigned; may be 2^63 or more
        if (mag > 0) {
            // v fits a long. With at most p significant bits it converts exactly in any
            // mode; otherwise the JVM's cast rounds to nearest even.
            boolean exact = 64 - Long.numberOfLeadingZeros(mag) - Long.numberOfTrailingZeros(mag) <= f.precision;
            if (exact || rounding == Rounding.RNE) {
                if (!exact) flags |= NX;
                return f == FloatFormat.DOUBLE ? Double.doubleToRawLongBits((double) v)
                        : Float.floatToRawIntBits((float) v) & 0xFFFF_FFFFL;
            }
        }
        if (mag < 0) return roundPack(f, neg, (mag >>> 1) | (mag & 1), 1);
        return roundPack(f, neg, mag, 0);
    }

    // ---- comparisons (no rounding; NV is the only flag) ----

    /** FMIN: IEEE 754-2019 minimumNumber, -0 below +0. */
    long min(FloatFormat f, long a, long b) {
        return minMax(f, a, b, true);
    }

    /** FMAX: IEEE 754-2019 maximumNumber, +0 above -0. */
    long max(FloatFormat f, long a, long b) {
        return minMax(f, a, b, false);
    }

    private long minMax(FloatFormat f, long a, long b, boolean min) {
        if (f.isSignalingNaN(a) || f.isSignalingNaN(b)) flags |= NV;
        boolean nanA = f.isNaN(a), nanB = f.isNaN(b);
        if (nanA && nanB) return f.canonicalNaN;
        if (nanA) return b;
        if (nanB) return a;
        return (order(f, a) < order(f, b)) == min ? a : b;
    }

    /** FEQ: a quiet comparison, NV only for a signaling NaN. */
    boolean eq(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            if (f.isSignalingNaN(a) || f.isSignalingNaN(b)) flags |= NV;
            return false;
        }
        return a == b || f.isZero(a) && f.isZero(b);
    }

    /** FLT: a signaling comparison, NV for any NaN. */
    boolean lt(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            flags |= NV;
            return false;
        }
        return order(f, a) < order(f, b) && !(f.isZero(a) && f.isZero(b));
    }

    /** FLE: a signaling comparison, NV for any NaN. */
    boolean le(FloatFormat f, long a, long b) {
        if (f.isNaN(a) || f.isNaN(b)) {
            flags |= NV;
            return false;
        }
        return order(f, a) <= order(f, b) || f.isZero(a) && f.isZero(b);
    }

    /** FCLASS: the one-hot 10-bit mask (bit 0 -∞ ... bit 7 +∞, bit 8 sNaN, bit 9 qNaN). */
    static int classify(FloatFormat f, long v) {
        boolean neg = f.isNegative(v);
        if (f.isNaN(v)) return f.isSignalingNaN(v) ? 1 << 8 : 1 << 9;
        if (f.isInfinite(v)) return neg ? 1 : 1 << 7;
        if (f.isZero(v)) return neg ? 1 << 3 : 1 << 4;
        if (f.isSubnormal(v)) return neg ? 1 << 2 : 1 << 5;
        return neg ? 1 << 1 : 1 << 6;
    }

    // ---- rounding and packing ----

    /**
     * Rounds ±sig × 2^exp to format f in this mode and packs it, raising NX, UF and OF.
     * sig is positive; bits of the exact value below sig's bit 0 must have been ORed
     * into bit 0 (sticky), and sig must carry at least two bits below the precision's
     * last, so that a sticky 1 can never be mistaken for a half.
     */
    private long roundPack(FloatFormat f, boolean neg, long sig, int exp) {
        int norm = Long.numberOfLeadingZeros(sig) - 1;
        sig <<= norm;
        int e = exp - norm + 62;                        // sig in [2^62, 2^63): value in [2^e, 2^(e+1))
        int p = f.precision;
        int drop = 63 - p;                              // bits below a p-bit significand
        long q = sig >>> drop, rem = sig & ((1L << drop) - 1), half = 1L << (drop - 1);
        long sign = neg ? f.signBit : 0;
        if (e >= f.emin) {
            if (rem != 0) {
                flags |= NX;
                if (roundsUp(neg, q, rem, half) && ++q == 1L << p) {
                    q >>>= 1;
                    e++;
                }
            }
            if (e > f.emax) return overflow(f, neg);
            return sign | (long) (e + f.bias) << f.fracBits | (q & f.fracMask);
        }

        // Below the normal range. Tininess is detected after rounding: the value is tiny
        // unless rounding it to p bits with an unbounded exponent would reach 2^emin.
        boolean tiny = e < f.emin - 1 || q != (1L << p) - 1 || rem == 0 || !roundsUp(neg, q, rem, half);
        int subDrop = drop + f.emin - e;               // a subnormal keeps fewer bits
        if (subDrop < 64) {
            q = sig >>> subDrop;
            rem = sig & ((1L << subDrop) - 1);
            half = 1L << (subDrop - 1);
        } else {                                        // below half the smallest subnormal
            q = 0;
            rem = 1;
            half = 2;
        }
        if (rem != 0) {
            flags |= tiny ? NX | UF : NX;
            if (roundsUp(neg, q, rem, half)) q++;       // may carry into the smallest normal
        }
        return sign | q;
    }

    /** roundPack for a 128-bit significand hi:lo. */
    private long roundPack(FloatFormat f, boolean neg, long hi, long lo, int exp) {
        if (hi == 0 && lo >= 0) return roundPack(f, neg, lo, exp);
        int shift = bitLength(hi, lo) - 63;             // 1 to 65
        return roundPack(f, neg, shiftRightJamLo(hi, lo, shift), exp + shift);
    }

    /** Whether a nonzero remainder rem (half being the tie) rounds the truncated q up in magnitude. */
    private boolean roundsUp(boolean neg, long q, long rem, long half) {
        return switch (rounding) {
            case RNE -> rem > half || rem == half && (q & 1) != 0;
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            case RMM -> rem >= half;
        };
    }

    private long overflow(FloatFormat f, boolean neg) {
        flags |= OF | NX;
        boolean toInfinity = switch (rounding) {
            case RNE, RMM -> true;
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
        };
        return (neg ? f.signBit : 0) | (toInfinity ? f.infinity : f.maxFinite);
    }

    /** The zero an exact x - x gives: +0, except -0 when rounding down. */
    private long exactZero(FloatFormat f) {
        return f.zero(rounding == Rounding.RDN);
    }

    private long invalid(FloatFormat f) {
        flags |= NV;
        return f.canonicalNaN;
    }

    /** The result when an operand is NaN: canonical, NV if either is signaling. */
    private long nanResult(FloatFormat f, long a, long b) {
        if (f.isSignalingNaN(a) || f.isSignalingNaN(b)) flags |= NV;
        return f.canonicalNaN;
    }

    private long invalidInt(IntFormat t, boolean neg) {
        flags |= NV;
        return t.toRegister(neg ? t.min : t.max);
    }

    /** A total order on non-NaN values as signed longs, with -0 just below +0. */
    private static long order(FloatFormat f, long v) {
        long m = f.magnitude(v);
        return f.isNegative(v) ? -m - 1 : m;
    }

    // ---- unpacking ----

    /** The significand of finite nonzero v as an integer with its leading one at bit p-1. */
    private static long significand(FloatFormat f, long v) {
        long frac = v & f.fracMask;
        if (f.biasedExponent(v) != 0) return frac | f.hiddenBit;
        return frac << (Long.numberOfLeadingZeros(frac) - (63 - f.fracBits));
    }

    /** The exponent that goes with {@link #significand}: v = ±significand × 2^exponent. */
    private static int exponent(FloatFormat f, long v) {
        int biased = f.biasedExponent(v);
        if (biased != 0) return biased - f.bias - f.fracBits;
        long frac = v & f.fracMask;
        return f.emin - f.fracBits - (Long.numberOfLeadingZeros(frac) - (63 - f.fracBits));
    }

    // ---- shifts that keep a sticky bit, on 64 and 128 bits ----

    /** x >>> n, with bit 0 set if any 1 was shifted out. */
    private static long shiftRightJam(long x, int n) {
        if (n == 0) return x;
        if (n >= 63) return x != 0 ? 1 : 0;
        return x >>> n | ((x & ((1L << n) - 1)) != 0 ? 1 : 0);
    }

    /** Low half of (hi:lo) >>> n, with bit 0 set if any 1 was shifted out. */
    private static long shiftRightJamLo(long hi, long lo, int n) {
        if (n == 0) return lo;
        if (n < 64) return hi << (64 - n) | lo >>> n | (lo << (64 - n) != 0 ? 1 : 0);
        if (n < 128) return hi >>> (n - 64) | (((hi & ((1L << (n - 64)) - 1)) | lo) != 0 ? 1 : 0);
        return (hi | lo) != 0 ? 1 : 0;
    }

    /** High half of (hi:lo) >>> n. */
    private static long shiftRightHi(long hi, int n) {
        return n < 64 ? hi >>> n : 0;
    }

    /** High half of (hi:lo) << n, for n below 128. */
    private static long shiftLeftHi(long hi, long lo, int n) {
        if (n == 0) return hi;
        return n < 64 ? hi << n | lo >>> (64 - n) : lo << (n - 64);
    }

    /** Low half of (hi:lo) << n, for n below 128. */
    private static long shiftLeftLo(long lo, int n) {
        return n < 64 ? lo << n : 0;
    }

    private static int bitLength(long hi, long lo) {
        return hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64 - Long.numberOfLeadingZeros(lo);
    }
}
