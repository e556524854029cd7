package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.FloatFormat.DOUBLE;
import static xv6j.machine.FloatFormat.SINGLE;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Round-to-nearest-even results against the JVM's own IEEE 754 arithmetic (float, double,
 * Math.sqrt, Math.fma, casts), which Java specifies exactly. Java keeps NaN payloads where
 * RISC-V gives the canonical NaN, so a NaN from Java stands for the canonical NaN.
 */
class SoftFloatJavaCrossCheckTest {
    private static final int CASES = 50_000;

    @Test
    void doubleResultsInRoundToNearestMatchJava() {
        FloatSamples s = new FloatSamples(DOUBLE, new Random(0xD0B1EL));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            long a = s.operand(), b = s.partner(a), c = s.operand();
            double x = Double.longBitsToDouble(a), y = Double.longBitsToDouble(b), z = Double.longBitsToDouble(c);
            SoftFloat sf = new SoftFloat(Rounding.RNE);
            same(bad, "add", a, b, sf.add(DOUBLE, a, b), x + y);
            same(bad, "sub", a, b, sf.sub(DOUBLE, a, b), x - y);
            same(bad, "mul", a, b, sf.mul(DOUBLE, a, b), x * y);
            same(bad, "div", a, b, sf.div(DOUBLE, a, b), x / y);
            same(bad, "sqrt", a, a, sf.sqrt(DOUBLE, a), Math.sqrt(x));
            same(bad, "fma c=" + Long.toHexString(c), a, b, sf.fma(DOUBLE, a, b, c, false, false), Math.fma(x, y, z));
            same(bad, "fnmadd c=" + Long.toHexString(c), a, b, sf.fma(DOUBLE, a, b, c, true, true), Math.fma(-x, y, -z));
            same(bad, "fcvt.s.d", a, a, sf.convert(SINGLE, DOUBLE, a), (float) x);
            long n = s.integer();
            same(bad, "fcvt.d.l", n, n, sf.fromInt(DOUBLE, n, IntFormat.L), (double) n);
            same(bad, "fcvt.s.l", n, n, sf.fromInt(SINGLE, n, IntFormat.L), (float) n);
            if (Math.abs(x) < 0x1p63) {                 // Java's cast truncates; in range it is RTZ
                long t = new SoftFloat(Rounding.RTZ).toInt(DOUBLE, a, IntFormat.L);
                if (t != (long) x) bad.add(String.format("fcvt.l.d rtz a=0x%x: got %d, Java %d", a, t, (long) x));
            }
        }
        assertTrue(bad.isEmpty(), () -> bad.size() + " disagreements, first: " + bad.subList(0, Math.min(20, bad.size())));
    }

    @Test
    void singleResultsInRoundToNearestMatchJava() {
        FloatSamples s = new FloatSamples(SINGLE, new Random(0x517613L));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            long a = s.operand(), b = s.partner(a), c = s.operand();
            float x = Float.intBitsToFloat((int) a), y = Float.intBitsToFloat((int) b), z = Float.intBitsToFloat((int) c);
            SoftFloat sf = new SoftFloat(Rounding.RNE);
            same(bad, "add", a, b, sf.add(SINGLE, a, b), x + y);
            same(bad, "sub", a, b, sf.sub(SINGLE, a, b), x - y);
            same(bad, "mul", a, b, sf.mul(SINGLE, a, b), x * y);
            same(bad, "div", a, b, sf.div(SINGLE, a, b), x / y);
            same(bad, "sqrt", a, a, sf.sqrt(SINGLE, a), (float) Math.sqrt(x));  // exact: double has > 2p+2 bits
            same(bad, "fma c=" + Long.toHexString(c), a, b, sf.fma(SINGLE, a, b, c, false, false), Math.fma(x, y, z));
            same(bad, "fcvt.d.s", a, a, sf.convert(DOUBLE, SINGLE, a), (double) x);
            int n = (int) s.integer();
            same(bad, "fcvt.s.w", n, n, sf.fromInt(SINGLE, n, IntFormat.W), (float) n);
            if (Math.abs(x) < 0x1p31f) {
                long t = new SoftFloat(Rounding.RTZ).toInt(SINGLE, a, IntFormat.W);
                if (t != (int) x) bad.add(String.format("fcvt.w.s rtz a=0x%x: got %d, Java %d", a, t, (int) x));
            }
        }
        assertTrue(bad.isEmpty(), () -> bad.size() + " disagreements, first: " + bad.subList(0, Math.min(20, bad.size())));
    }

    private static void same(List<String> bad, String op, long a, long b, long ours, double java) {
        long expected = Double.isNaN(java) ? DOUBLE.canonicalNaN : Double.doubleToRawLongBits(java);
        if (ours != expected) bad.add(String.format("%s a=0x%x b=0x%x: got 0x%x, Java 0x%x", op, a, b, ours, expected));
    }

    private static void same(List<String> bad, String op, long a, long b, long ours, float java) {
        long expected = Float.isNaN(java) ? SINGLE.canonicalNaN : Float.floatToRawIntBits(java) & 0xFFFF_FFFFL;
        if (ours != expected) bad.add(String.format("%s a=0x%x b=0x%x: got 0x%x, Java 0x%x", op, a, b, ours, expected));
    }
}
