package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A hart on 4 MiB of RAM in Bare mode (virtual = physical), code at the start of RAM and
 * a scratch data area at {@link #DATA}: enough to run instruction tests without a kernel.
 */
final class TestMachine {
    static final long CODE = PhysicalMemory.BASE;
    static final long DATA = PhysicalMemory.BASE + 0x10_0000;

    final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    final Hart hart = new Hart(0, mem);
    final long[] x = hart.x;

    /** Places the program at CODE (or at) and points pc at it. */
    TestMachine load(int... insns) { return loadAt(CODE, insns); }

    TestMachine loadAt(long at, int... insns) {
        byte[] b = Asm.bytes(insns);
        mem.write(at, b, 0, b.length);
        hart.pc = at;
        return this;
    }

    Trap run() { return hart.run(1_000_000); }

    /** Runs insns followed by ecall and checks that the ecall is where it stopped. */
    TestMachine exec(int... insns) {
        int[] all = java.util.Arrays.copyOf(insns, insns.length + 1);
        all[insns.length] = Asm.ecall();
        load(all);
        Trap t = run();
        long end = CODE + Asm.bytes(insns).length;
        assertEquals(new Trap(Trap.Cause.ECALL, end, 0), t, "expected to reach the final ecall");
        return this;
    }
}
