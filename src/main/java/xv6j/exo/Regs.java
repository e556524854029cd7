package xv6j.exo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import xv6j.machine.Hart;

/**
 * An environment's user registers while it is off the hart: what struct exo_regs holds
 * (x[32], f[32] as raw bits, pc, fcsr), in the same order, so GETREGS, SETREGS, upcall
 * frames and exo_resume copy it as it is.
 */
final class Regs {
    final long[] x = new long[32];
    final long[] f = new long[32];
    long pc;
    int fcsr;

    /** Only frm (bits 7:5) and the accrued flags (4:0) of fcsr exist. */
    static final int FCSR_MASK = 0xff;

    void load(Hart h) {
        System.arraycopy(x, 0, h.x, 0, 32);
        System.arraycopy(f, 0, h.f, 0, 32);
        h.pc = pc;
        h.fcsr = fcsr;
    }

    void save(Hart h) {
        System.arraycopy(h.x, 0, x, 0, 32);
        System.arraycopy(h.f, 0, f, 0, 32);
        pc = h.pc;
        fcsr = h.fcsr;
    }

    void copyFrom(Regs o) {
        System.arraycopy(o.x, 0, x, 0, 32);
        System.arraycopy(o.f, 0, f, 0, 32);
        pc = o.pc;
        fcsr = o.fcsr;
    }

    /** struct exo_regs, little-endian. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(ExoAbi.REGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : x) b.putLong(v);
        for (long v : f) b.putLong(v);
        b.putLong(pc).putLong(fcsr & 0xffffffffL);
        return b.array();
    }

    /** Sets every register from a struct exo_regs at off; x0 stays 0 and fcsr keeps only its real bits. */
    void decode(byte[] buf, int off) {
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 32; i++) x[i] = b.getLong(off + 8 * i);
        for (int i = 0; i < 32; i++) f[i] = b.getLong(off + 256 + 8 * i);
        pc = b.getLong(off + 512);
        fcsr = (int) b.getLong(off + 520) & FCSR_MASK;
        x[0] = 0;
    }
}
