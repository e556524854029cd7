package xv6j.kernel;

import xv6j.machine.Hart;

/**
 * A process's saved user registers, as xv6's trapframe: what the hart held when the
 * process last trapped into the kernel, and what it will hold when it returns to user.
 */
public final class TrapFrame {
    public final long[] x = new long[32];
    public final long[] f = new long[32];
    public long pc;
    public int fcsr;

    // RISC-V calling-convention register numbers the kernel uses by name.
    public static final int SP = 2;
    public static final int A0 = 10;
    public static final int A1 = 11;
    public static final int A7 = 17;

    /** Loads these registers into the hart (return to user). */
    void restore(Hart h) {
        System.arraycopy(x, 0, h.x, 0, 32);
        System.arraycopy(f, 0, h.f, 0, 32);
        h.pc = pc;
        h.fcsr = fcsr;
    }

    /** Saves the hart's registers here (trap entry). */
    void save(Hart h) {
        System.arraycopy(h.x, 0, x, 0, 32);
        System.arraycopy(h.f, 0, f, 0, 32);
        pc = h.pc;
        fcsr = h.fcsr;
    }

    void copyFrom(TrapFrame o) {
        System.arraycopy(o.x, 0, x, 0, 32);
        System.arraycopy(o.f, 0, f, 0, 32);
        pc = o.pc;
        fcsr = o.fcsr;
    }

    void clear() {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        pc = 0;
        fcsr = 0;
    }
}
