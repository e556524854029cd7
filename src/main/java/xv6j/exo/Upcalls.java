package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import xv6j.machine.Trap;

/**
 * Upcalls (Aegis's exceptions): the kernel hands an environment's faults, the ends of its
 * time slices and its revocation notices back to a handler in the environment itself, on
 * a stack of its own, with the interrupted registers in a struct exo_frame it may change
 * before exo_resume.
 */
final class Upcalls {
    private final Exokernel k;

    Upcalls(Exokernel k) {
        this.k = k;
    }

    /**
     * Pushes a struct exo_frame of e's current registers on its upcall stack and points e at
     * its handler. If the stack is not writable, e is destroyed; returns false then.
     */
    boolean upcall(Env e, int kind, long cause, long tval) {
        Activation a = e.cur;
        long frame = (e.upcallStack - FRAME_SIZE) & -16L;
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(a.regs.encode()).putLong(kind).putLong(cause).putLong(tval);
        if (frame < 0 || !k.umem.copyOut(e, frame, b.array())) {
            k.envs.destroy(e, -1, String.format("exo: env %d: upcall stack 0x%x is not writable (upcall for cause %d at pc 0x%x, address 0x%x): destroyed",
                    e.id, e.upcallStack, cause, a.regs.pc, tval));
            return false;
        }
        k.trace.upcall(e, kind, cause, tval);
        a.inHandler = true;
        a.regs.pc = e.upcallHandler;
        a.regs.x[SP] = frame;
        a.regs.x[A0] = frame;
        return true;
    }

    /** A fault of e's current activation: its fault handler, or death with a one-line message. */
    void fault(Env e, Trap t) {
        if ((e.upcallMask & UPCALL_FAULT) != 0 && !e.cur.inHandler) {
            upcall(e, UPCALL_FAULT, t.cause().code, t.tval());
            return;
        }
        k.envs.destroy(e, -1, String.format("exo: env %d: %s at pc 0x%x, address 0x%x%s: destroyed", e.id,
                t.cause().describe(), t.pc(), t.tval(), e.cur.inHandler ? " in its fault handler" : ""));
    }
}
