package xv6j.machine;

/**
 * The two IEEE 754 binary interchange formats of the F and D extensions. A value of either
 * format is handled as its raw bits in the low end of a long (a single's upper 32 bits are
 * zero here; NaN-boxing is the register file's business, see {@link FloatUnit}).
 */
enum FloatFormat {
    SINGLE(8, 23),
    DOUBLE(11, 52);

    /** Width of the biased exponent and of the stored fraction, in bits. */
    final int expBits, fracBits;
    /** Significand precision p, the hidden bit included: 24 or 53. */
    final int precision;
    final int bias;
    /** Exponents of the smallest and largest normal numbers: 1 - bias and bias. */
    final int emin, emax;
    /** The all-ones biased exponent of infinities and NaNs. */
    final int expSpecial;
    final long signBit, fracMask, hiddenBit, quietBit;
    /** Positive infinity, the largest finite value, and the canonical NaN RISC-V produces. */
    final long infinity, maxFinite, canonicalNaN;

    FloatFormat(int expBits, int fracBits) {
        this.expBits = expBits;
        this.fracBits = fracBits;
        this.precision = fracBits + 1;
        this.bias = (1 << (expBits - 1)) - 1;
        this.emin = 1 - bias;
        this.emax = bias;
        this.expSpecial = (1 << expBits) - 1;
        this.signBit = 1L << (expBits + fracBits);
        this.hiddenBit = 1L << fracBits;
        this.fracMask = hiddenBit - 1;
        this.quietBit = 1L << (fracBits - 1);
        this.infinity = (long) expSpecial << fracBits;
        this.maxFinite = infinity - 1;
        this.canonicalNaN = infinity | quietBit;
    }

    int biasedExponent(long v) { return (int) (v >>> fracBits) & expSpecial; }

    boolean isNegative(long v) { return (v & signBit) != 0; }

    /** Magnitude bits: the value with its sign cleared. */
    long magnitude(long v) { return v & (signBit - 1); }

    boolean isNaN(long v) { return magnitude(v) > infinity; }

    boolean isSignalingNaN(long v) { return isNaN(v) && (v & quietBit) == 0; }

    boolean isInfinite(long v) { return magnitude(v) == infinity; }

    boolean isZero(long v) { return magnitude(v) == 0; }

    boolean isSubnormal(long v) { return biasedExponent(v) == 0 && !isZero(v); }

    /** Zero of the given sign. */
    long zero(boolean negative) { return negative ? signBit : 0; }

    /** Infinity of the given sign. */
    long infinity(boolean negative) { return negative ? signBit | infinity : infinity; }
}
