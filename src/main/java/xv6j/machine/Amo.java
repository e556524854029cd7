package xv6j.machine;

import static xv6j.machine.PhysicalMemory.I32;
import static xv6j.machine.PhysicalMemory.I64;

import java.nio.ByteBuffer;

/**
 * The A extension's read-modify-write operations (AMOs) on the shared RAM, each one
 * atomic across harts: a VarHandle read-modify-write, or a compare-and-set loop for min
 * and max.
 */
final class Amo {
    private Amo() {}

    /** An AMO*.W on the naturally aligned word at ram[a]; returns the old value, sign-extended. */
    static long word(int funct5, ByteBuffer ram, int a, int v) {
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
    static long doubleword(int funct5, ByteBuffer ram, int a, long v) {
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
