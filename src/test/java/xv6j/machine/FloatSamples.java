package xv6j.machine;

import java.math.BigDecimal;
import java.util.Random;

/**
 * Operands for the randomized tests, biased toward where floating-point arithmetic goes
 * wrong: zeros, infinities, NaNs, subnormals, the edges of the exponent range, values
 * near each other (cancellation), products and quotients near the smallest normal (the
 * tininess boundary) and the largest finite (overflow), integers near the conversion
 * limits. Deterministic for a given Random.
 */
final class FloatSamples {
    private final FloatFormat f;
    private final Random rnd;

    FloatSamples(FloatFormat f, Random rnd) {
        this.f = f;
        this.rnd = rnd;
    }

    /** Any operand: specials, subnormals, extreme and ordinary exponents. */
    long operand() {
        return switch (rnd.nextInt(16)) {
            case 0 -> special();
            case 1, 2 -> withSign(fraction() == 0 ? 1 : fraction());        // subnormal
            case 3, 4 -> finite(1 + rnd.nextInt(4));
            case 5 -> finite(f.expSpecial - 1 - rnd.nextInt(4));
            case 6, 7 -> finite(f.bias - 3 + rnd.nextInt(7));
            case 8 -> rnd.nextLong() & (f.signBit | (f.signBit - 1));     // any bit pattern
            default -> finite(1 + rnd.nextInt(f.expSpecial - 1));
        };
    }

    /** A second operand for a: often close to ±a, so sums cancel and comparisons tie. */
    long partner(long a) {
        return switch (rnd.nextInt(6)) {
            case 0 -> (a + rnd.nextInt(7) - 3 & (f.signBit | (f.signBit - 1))) ^ (rnd.nextBoolean() ? f.signBit : 0);
            case 1 -> a ^ f.signBit;
            case 2 -> finite(f.biasedExponent(a) - 60 + rnd.nextInt(120));
            default -> operand();
        };
    }

    /** Two operands whose product lies near 2^emin (tininess) or 2^(emax+1) (overflow). */
    long[] productNearBoundary() {
        int p = f.precision;
        long sa = f.hiddenBit | (rnd.nextLong() & f.fracMask);
        // sa × sb close to 2^(2p-1): sb = 2^(2p-1) / sa, nudged.
        long sb = new BigDecimal(java.math.BigInteger.ONE.shiftLeft(2 * p - 1))
                .divide(BigDecimal.valueOf(sa), 0, java.math.RoundingMode.CEILING).longValueExact();
        sb = Math.min(Math.max(sb + rnd.nextInt(5) - 2, f.hiddenBit), (f.hiddenBit << 1) - 1);
        int target = rnd.nextBoolean() ? f.emin : f.emax + 1;
        int sum = target - 1 + rnd.nextInt(3) - 1;                  // ea + eb, the product's exponent is about sum + 1
        int lo = Math.max(f.emin, sum - f.emax), hi = Math.min(f.emax, sum - f.emin);
        int ea = lo + rnd.nextInt(hi - lo + 1);
        return new long[] {pack(sa, ea), pack(sb, sum - ea)};
    }

    /** Two operands whose quotient lies near 2^emin or 2^(emax+1). */
    long[] quotientNearBoundary() {
        long sa = f.hiddenBit | (rnd.nextLong() & f.fracMask);
        long sb = Math.min(Math.max(sa + rnd.nextInt(5) - 2, f.hiddenBit), (f.hiddenBit << 1) - 1);
        int target = rnd.nextBoolean() ? f.emin : f.emax + 1;
        int diff = target + rnd.nextInt(3) - 1;                     // ea - eb
        int lo = Math.max(f.emin, diff + f.emin), hi = Math.min(f.emax, diff + f.emax);
        int ea = lo + rnd.nextInt(hi - lo + 1);
        return new long[] {pack(sa, ea), pack(sb, ea - diff)};
    }

    /** A value near an integer conversion limit (0, ±1/2, 2^31, 2^32, 2^63, 2^64) or any small integer. */
    long nearIntegerLimit() {
        double[] anchors = {0, 0.5, 1, 1.5, 2.5, 0x1p31, 0x1p32, 0x1p63, 0x1p64, rnd.nextInt(1000), rnd.nextInt() + 0.5};
        double x = anchors[rnd.nextInt(anchors.length)];
        long bits = f == FloatFormat.DOUBLE ? Double.doubleToRawLongBits(x) : Float.floatToRawIntBits((float) x) & 0xFFFF_FFFFL;
        bits += rnd.nextInt(9) - 4;                                   // a few ulps either way
        if (f.isNaN(bits) || bits < 0) bits = 0;
        return bits ^ (rnd.nextBoolean() ? f.signBit : 0);
    }

    /** A 64-bit integer of random length and bit pattern, so conversions round at every position. */
    long integer() {
        int bits = 1 + rnd.nextInt(64);
        long v = switch (rnd.nextInt(4)) {
            case 0 -> -1L;                                           // all ones: ties and carries
            case 1 -> 1L | (1L << (bits - 1)) | (rnd.nextBoolean() ? 1L << Math.max(0, bits - f.precision - 1) : 0);
            default -> rnd.nextLong();
        };
        return bits == 64 ? v : v & ((1L << bits) - 1) ^ (rnd.nextBoolean() ? -1L : 0);
    }

    /** A special value of random sign: zero, infinity, NaNs, the extreme finite values, one. */
    long special() {
        long[] specials = {0, f.infinity, f.canonicalNaN, f.infinity | 1 | (rnd.nextLong() & (f.quietBit - 1)),
                f.canonicalNaN | (rnd.nextLong() & f.fracMask), 1, f.fracMask, f.hiddenBit, f.maxFinite,
                (long) f.bias << f.fracBits};
        return withSign(specials[rnd.nextInt(specials.length)]);
    }

    private long finite(int biasedExp) {
        biasedExp = Math.min(Math.max(biasedExp, 1), f.expSpecial - 1);
        return withSign((long) biasedExp << f.fracBits | fraction());
    }

    /** A fraction field: random, sparse, all ones, or with many trailing zeros (exact results). */
    private long fraction() {
        return switch (rnd.nextInt(5)) {
            case 0 -> f.fracMask;
            case 1 -> 1L << rnd.nextInt(f.fracBits);
            case 2 -> rnd.nextLong() & f.fracMask & -(1L << rnd.nextInt(f.fracBits));
            case 3 -> rnd.nextLong() & f.fracMask | 1;
            default -> rnd.nextLong() & f.fracMask;
        };
    }

    private long pack(long sig, int exp) {
        return withSign((long) (exp + f.bias) << f.fracBits | (sig & f.fracMask));
    }

    private long withSign(long magnitude) {
        return rnd.nextBoolean() ? magnitude | f.signBit : magnitude;
    }

    Rounding rounding() {
        return Rounding.values()[rnd.nextInt(5)];
    }
}
