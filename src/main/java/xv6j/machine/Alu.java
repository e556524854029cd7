package xv6j.machine;

import static xv6j.machine.PhysicalMemory.I32;
import static xv6j.machine.PhysicalMemory.I64;

import java.nio.ByteBuffer;

/**
 * The less frequent integer operations, out of the interpreter's hot loop: the M
 * extension's high multiplies, divisions and remainders, and the A extension's
 * read-modify-write operations.
 */
final class Alu {
    private Alu() {}

    /**
     * MULH[S][U], DIV[U], REM[U] and their W forms. Division by zero gives a quotient of
     * all ones and a remainder equal to the dividend; the overflowing MIN / -1 gives MIN
     * and remainder 0 (Java's / and % already do that; only zero needs care). W forms
     * work on the low 32 bits and sign-extend the 32-bit result.
     */
    static long muldiv(int op, long a, long b) {
        return switch (op) {
            case Op.MULH -> Math.multiplyHigh(a, b);
            case Op.MULHU -> Math.unsignedMultiplyHigh(a, b);
            // a signed * b unsigned: b's unsigned value is b + 2^64 when b < 0.
            case Op.MULHSU -> Math.multiplyHigh(a, b) + ((b >> 63) & a);
            case Op.DIV -> b == 0 ? -1 : a / b;
            case Op.DIVU -> b == 0 ? -1 : Long.divideUnsigned(a, b);
            case Op.REM -> b == 0 ? a : a % b;
            case Op.REMU -> b == 0 ? a : Long.remainderUnsigned(a, b);
            case Op.DIVW -> (int) b == 0 ? -1 : (int) a / (int) b;
            case Op.DIVUW -> (int) b == 0 ? -1 : Integer.divideUnsigned((int) a, (int) b);
            case Op.REMW -> (int) b == 0 ? (int) a : (int) a % (int) b;
            case Op.REMUW -> (int) b == 0 ? (int) a : Integer.remainderUnsigned((int) a, (int) b);
            default -> throw new IllegalArgumentException("not an M operation: " + Op.name(op));
        };
    }

    /** An AMO*.W on the naturally aligned word at ram[a]; returns the old value, sign-extended. */
    static long amo32(int funct5, ByteBuffer ram, int a, int v) {
        return switch (funct5) {
            case 0b00001 -> (int) I32.getAndSet(ram, a, v);
            case 0b00000 -> (int) I32.getAndAdd(ram, a, v);
            case 0b00100 -> (int) I32.getAndBitwiseXor(ram, a, v);
            case 0b01100 -> (int) I32.getAndBitwiseAnd(ram, a, v);
            case 0b01000 -> (int) I32.getAndBitwiseOr(ram, a, v);
            default -> {
                while (true) {
                    int old = (int) I32.getVolatile(ram, a);
                    int nv = switch (funct5) {
                        case 0b10000 -> Math.min(old, v);
                        case 0b10100 -> Math.max(old, v);
                        case 0b11000 -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (I32.compareAndSet(ram, a, old, nv)) yield old;
                }
            }
        };
    }

    /** An AMO*.D on the naturally aligned doubleword at ram[a]; returns the old value. */
    static long amo64(int funct5, ByteBuffer ram, int a, long v) {
        return switch (funct5) {
            case 0b00001 -> (long) I64.getAndSet(ram, a, v);
            case 0b00000 -> (long) I64.getAndAdd(ram, a, v);
            case 0b00100 -> (long) I64.getAndBitwiseXor(ram, a, v);
            case 0b01100 -> (long) I64.getAndBitwiseAnd(ram, a, v);
            case 0b01000 -> (long) I64.getAndBitwiseOr(ram, a, v);
            default -> {
                while (true) {
                    long old = (long) I64.getVolatile(ram, a);
                    long nv = switch (funct5) {
                        case 0b10000 -> Math.min(old, v);
                        case 0b10100 -> Math.max(old, v);
                        case 0b11000 -> Long.compareUnsigned(old, v) <= 0 ? old : v;
                        default -> Long.compareUnsigned(old, v) >= 0 ? old : v;
                    };
                    if (I64.compareAndSet(ram, a, old, nv)) yield old;
                }
            }
        };
    }
}
