package xv6j.machine.jit;

/**
 * The integer operations compiled code calls rather than spells out in bytecode: each is
 * a few bytecodes that HotSpot inlines, with RISC-V's answers where Java's differ
 * (division by zero gives all ones and a remainder equal to the dividend; MIN / -1 gives
 * MIN and remainder 0, as Java's / and % already do). W forms work on the low 32 bits and
 * sign-extend the 32-bit result.
 */
public final class Alu {
    private Alu() {}

    public static long slt(long a, long b) { return a < b ? 1 : 0; }
    public static long sltu(long a, long b) { return Long.compareUnsigned(a, b) < 0 ? 1 : 0; }
    /** a signed times b unsigned, high half: b's unsigned value is b + 2^64 when b < 0. */
    public static long mulhsu(long a, long b) { return Math.multiplyHigh(a, b) + ((b >> 63) & a); }
    public static long div(long a, long b) { return b == 0 ? -1 : a / b; }
    public static long divu(long a, long b) { return b == 0 ? -1 : Long.divideUnsigned(a, b); }
    public static long rem(long a, long b) { return b == 0 ? a : a % b; }
    public static long remu(long a, long b) { return b == 0 ? a : Long.remainderUnsigned(a, b); }
    public static long divw(long a, long b) { return (int) b == 0 ? -1 : (int) a / (int) b; }
    public static long divuw(long a, long b) { return (int) b == 0 ? -1 : Integer.divideUnsigned((int) a, (int) b); }
    public static long remw(long a, long b) { return (int) b == 0 ? (int) a : (int) a % (int) b; }
    public static long remuw(long a, long b) { return (int) b == 0 ? (int) a : Integer.remainderUnsigned((int) a, (int) b); }
}
