package xv6j.machine;

/**
 * A hart's user-visible state while its program is off the hart: the integer and
 * floating-point registers, pc and fcsr. xv6 calls it the trapframe; the exokernel keeps
 * one per environment (struct exo_regs). Saving and restoring is copying, which is what
 * a context switch costs here.
 */
public class Registers {
    public final long[] x = new long[32];
    public final long[] f = new long[32];
    public long pc;
    public int fcsr;

    /** Puts these registers on the hart (return to user). */
    public final void restore(Hart h) {
        System.arraycopy(x, 0, h.x, 0, 32);
        System.arraycopy(f, 0, h.f, 0, 32);
        h.pc = pc;
        h.fcsr = fcsr;
    }

    /** Takes the hart's registers (trap entry). */
    public final void save(Hart h) {
        System.arraycopy(h.x, 0, x, 0, 32);
        System.arraycopy(h.f, 0, f, 0, 32);
        pc = h.pc;
        fcsr = h.fcsr;
    }

    public final void copyFrom(Registers o) {
        System.arraycopy(o.x, 0, x, 0, 32);
        System.arraycopy(o.f, 0, f, 0, 32);
        pc = o.pc;
        fcsr = o.fcsr;
    }

    public final void clear() {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        pc = 0;
        fcsr = 0;
    }
}
