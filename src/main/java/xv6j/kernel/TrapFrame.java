package xv6j.kernel;

import xv6j.machine.Registers;

/**
 * A process's saved user registers, as xv6's trapframe: what the hart held when the
 * process last trapped into the kernel, and what it will hold when it returns to user.
 */
public final class TrapFrame extends Registers {
    // RISC-V calling-convention register numbers the kernel uses by name.
    public static final int SP = 2;
    public static final int A0 = 10;
    public static final int A1 = 11;
    public static final int A7 = 17;
}
