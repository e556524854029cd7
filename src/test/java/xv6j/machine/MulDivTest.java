package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.Test;

class MulDivTest {
    private final TestMachine m = new TestMachine();

    private void run(long a, long b, int... insns) {
        m.x[1] = a;
        m.x[2] = b;
        m.exec(insns);
    }

    @Test
    void divisionByZeroGivesAllOnesAndRemainderIsDividend() {
        run(-7, 0, div(x10, x1, x2), divu(x11, x1, x2), rem(x12, x1, x2), remu(x13, x1, x2),
                divw(x14, x1, x2), divuw(x15, x1, x2), remw(x16, x1, x2), remuw(x17, x1, x2));
        assertEquals(-1L, m.x[10]);
        assertEquals(-1L, m.x[11]);
        assertEquals(-7L, m.x[12]);
        assertEquals(-7L, m.x[13]);
        assertEquals(-1L, m.x[14]);
        assertEquals(-1L, m.x[15]);
        assertEquals(-7L, m.x[16]);
        assertEquals(-7L, m.x[17]); // remuw sign-extends the 32-bit dividend
    }

    @Test
    void minDividedByMinusOneOverflowsToMinWithRemainderZero() {
        run(Long.MIN_VALUE, -1, div(x10, x1, x2), rem(x11, x1, x2));
        assertEquals(Long.MIN_VALUE, m.x[10]);
        assertEquals(0L, m.x[11]);
        run(Integer.MIN_VALUE, -1, divw(x12, x1, x2), remw(x13, x1, x2));
        assertEquals((long) Integer.MIN_VALUE, m.x[12]);
        assertEquals(0L, m.x[13]);
    }

    @Test
    void signedDivisionTruncatesTowardZero() {
        run(-7, 2, div(x10, x1, x2), rem(x11, x1, x2), divu(x12, x1, x2), remu(x13, x1, x2));
        assertEquals(-3L, m.x[10]);
        assertEquals(-1L, m.x[11]);
        assertEquals(Long.divideUnsigned(-7, 2), m.x[12]);
        assertEquals(1L, m.x[13]);
    }

    @Test
    void wordDivisionsUseLow32BitsAndSignExtend() {
        run(0x1_ffff_fff0L, 0x1_0000_0002L, divw(x10, x1, x2), divuw(x11, x1, x2), remw(x12, x1, x2), remuw(x13, x1, x2));
        assertEquals(-8L, m.x[10]);                      // -16 / 2
        assertEquals(0x7fff_fff8L, m.x[11]);             // 0xfffffff0 / 2
        assertEquals(0L, m.x[12]);
        assertEquals(0L, m.x[13]);
        run(0xffff_fffbL, 3, remuw(x14, x1, x2), divuw(x15, x1, x2));
        assertEquals(2L, m.x[14]);              // 4294967291 % 3
        assertEquals(0x5555_5553L, m.x[15]);    // 4294967291 / 3, positive as a 32-bit value
    }

    @Test
    void highMultipliesOfEverySignedness() {
        run(-1, -1, mul(x10, x1, x2), mulh(x11, x1, x2), mulhu(x12, x1, x2), mulhsu(x13, x1, x2));
        assertEquals(1L, m.x[10]);
        assertEquals(0L, m.x[11]);            // (-1)(-1) = 1
        assertEquals(-2L, m.x[12]);           // (2^64-1)^2 = 2^128 - 2^65 + 1: high = 2^64 - 2
        assertEquals(-1L, m.x[13]);           // -1 * (2^64-1) = -(2^64) + 1: high = -1
        run(Long.MIN_VALUE, 2, mulh(x14, x1, x2), mulhsu(x15, x2, x1), mulhu(x16, x1, x2));
        assertEquals(-1L, m.x[14]);
        assertEquals(1L, m.x[15]);            // 2 * 2^63 = 2^64
        assertEquals(1L, m.x[16]);
    }
}
