package xv6j.machine;

import static xv6j.machine.PhysicalMemory.LONGS;

/**
 * The A extension's read-modify-write operations (AMOs) on the shared RAM, each one
 * atomic across harts: a VarHandle read-modify-write of a doubleword, or a
 * compare-and-set loop (min and max; every word operation, as a compare-and-set of the
 * doubleword that holds the word, RAM being a long[]).
 */
final class Amo {
    private Amo() {}

    /** An AMO*.W on the naturally aligned word at ram[a]; returns the old value, sign-extended. */
    static long word(int funct5, long[] ram, int a, int v) {
        int e = a >>> 3, sh = (a & 4) << 3;
        long mask = 0xffffffffL << sh;
        while (true) {
            long whole = (long) LONGS.getVolatile(ram, e);
            int old = (int) (whole >>> sh);
            int nv = switch (funct5) {
                case 0b00001 -> v;
                case 0b00000 -> old + v;
                case 0b00100 -> old ^ v;
                case 0b01100 -> old & v;
                case 0b01000 -> old | v;
                case 0b10000 -> Math.min(old, v);
                case 0b10100 -> Math.max(old, v);
                case 0b11000 -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
            };
            if (LONGS.compareAndSet(ram, e, whole, (whole & ~mask) | ((nv & 0xffffffffL) << sh))) return old;
        }
    }

    /** An AMO*.D on the naturally aligned doubleword at ram[a]; returns the old value. */
    static long doubleword(int funct5, long[] ram, int a, long v) {
        int e = a >>> 3;
        return switch (funct5) {
            case 0b00001 -> (long) LONGS.getAndSet(ram, e, v);
            case 0b00000 -> (long) LONGS.getAndAdd(ram, e, v);
            case 0b00100 -> (long) LONGS.getAndBitwiseXor(ram, e, v);
            case 0b01100 -> (long) LONGS.getAndBitwiseAnd(ram, e, v);
            case 0b01000 -> (long) LONGS.getAndBitwiseOr(ram, e, v);
            default -> {
                while (true) {
                    long old = (long) LONGS.getVolatile(ram, e);
                    long nv = switch (funct5) {
                        case 0b10000 -> Math.min(old, v);
                        case 0b10100 -> Math.max(old, v);
                        case 0b11000 -> Long.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Long.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (LONGS.compareAndSet(ram, e, old, nv)) yield old;
                }
            }
        };
    }
}
