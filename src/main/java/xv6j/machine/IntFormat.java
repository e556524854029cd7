package xv6j.machine;

/**
 * The integer side of FCVT: 32- or 64-bit, signed or unsigned, in the order of the rs2
 * field that selects it (W = 0, WU = 1, L = 2, LU = 3).
 */
enum IntFormat {
    W(32, true),
    WU(32, false),
    L(64, true),
    LU(64, false);

    private static final IntFormat[] BY_CODE = values();

    final int bits;
    final boolean signed;
    /** The range a converted value must fall in after rounding, as 64-bit patterns (unsigned for LU). */
    final long min, max;

    IntFormat(int bits, boolean signed) {
        this.bits = bits;
        this.signed = signed;
        this.min = !signed ? 0 : bits == 32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        this.max = signed ? (bits == 32 ? Integer.MAX_VALUE : Long.MAX_VALUE) : (bits == 32 ? 0xFFFF_FFFFL : -1L);
    }

    /** The format an FCVT rs2 field names, or null. */
    static IntFormat of(int rs2) { return rs2 < 4 ? BY_CODE[rs2] : null; }

    /** The integer operand this format reads from a 64-bit register. */
    long fromRegister(long x) {
        return switch (this) {
            case W -> (int) x;
            case WU -> x & 0xFFFF_FFFFL;
            case L, LU -> x;
        };
    }

    /** What the hart writes to rd: 32-bit results are sign-extended, even unsigned ones. */
    long toRegister(long v) { return bits == 32 ? (int) v : v; }
}
