package xv6j.machine;

import xv6j.machine.SoftFloatOracle.Result;

/** Shorthands for the edge-case tests: bit patterns, flag sets, one-operation runs. */
final class FloatTesting {
    private FloatTesting() {}

    static final int NV = SoftFloat.NV, DZ = SoftFloat.DZ, OF = SoftFloat.OF, UF = SoftFloat.UF, NX = SoftFloat.NX;

    static long d(double x) { return Double.doubleToRawLongBits(x); }

    static long s(float x) { return Float.floatToRawIntBits(x) & 0xFFFF_FFFFL; }

    /** A hex literal as written in the tables, e.g. "0x7ff8000000000000". */
    static long hex(String h) { return Long.parseUnsignedLong(h.strip().substring(2), 16); }

    /** A flag set as written in the tables: "-" or names joined by '|', e.g. "UF|NX". */
    static int flags(String names) {
        int f = 0;
        for (String n : names.strip().split("\\|")) {
            f |= switch (n) {
                case "-" -> 0;
                case "NV" -> NV;
                case "DZ" -> DZ;
                case "OF" -> OF;
                case "UF" -> UF;
                case "NX" -> NX;
                default -> throw new IllegalArgumentException("no flag " + n);
            };
        }
        return f;
    }

    static Result result(long bits, int flags) { return new Result(bits, flags); }

    static Result result(String bits, String flags) { return new Result(hex(bits), flags(flags)); }

    /** One operation of a SoftFloat in a given mode, as the bits and flags it produced. */
    interface Op { long apply(SoftFloat sf); }

    static Result run(Rounding rm, Op op) {
        SoftFloat sf = new SoftFloat(rm);
        long bits = op.apply(sf);
        return new Result(bits, sf.flags);
    }
}
