package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.Asm.*;

import org.junit.jupiter.api.Test;

class AtomicTest {
    private final TestMachine m = new TestMachine();
    private static final long A = TestMachine.DATA;

    @Test
    void scSucceedsAfterLrAndWritesZero() {
        m.mem.store64(A, 5);
        m.x[1] = A;
        m.x[2] = 9;
        m.exec(lr_d(x10, x1), sc_d(x11, x2, x1));
        assertEquals(5L, m.x[10]);
        assertEquals(0L, m.x[11]);
        assertEquals(9L, m.mem.load64(A));
    }

    @Test
    void scWithoutReservationFailsAndWritesNothing() {
        m.mem.store64(A, 5);
        m.x[1] = A;
        m.x[2] = 9;
        m.exec(sc_d(x11, x2, x1));
        assertEquals(1L, m.x[11]);
        assertEquals(5L, m.mem.load64(A));
    }

    @Test
    void secondScFailsBecauseTheFirstEndedTheReservation() {
        m.x[1] = A;
        m.x[2] = 9;
        m.exec(lr_w(x10, x1), sc_w(x11, x2, x1), sc_w(x12, x0, x1));
        assertEquals(0L, m.x[11]);
        assertEquals(1L, m.x[12]);
        assertEquals(9L, m.mem.load32(A));
    }

    @Test
    void storeToReservedWordLosesReservationEvenWithSameValue() {
        m.mem.store64(A, 5);
        m.x[1] = A;
        m.x[2] = 9;
        m.x[3] = 5;
        m.exec(lr_d(x10, x1), sd(x3, x1, 0), sc_d(x11, x2, x1));
        assertEquals(1L, m.x[11]);
        assertEquals(5L, m.mem.load64(A));
    }

    @Test
    void storeElsewhereInThePageKeepsReservation() {
        m.x[1] = A;
        m.x[2] = 9;
        m.exec(lr_d(x10, x1), sd(x2, x1, 64), sc_d(x11, x2, x1));
        assertEquals(0L, m.x[11]);
    }

    @Test
    void scToOtherAddressFails() {
        m.x[1] = A;
        m.x[3] = A + 8;
        m.exec(lr_d(x10, x1), sc_d(x11, x0, x3));
        assertEquals(1L, m.x[11]);
    }

    @Test
    void clearReservationAndAnyTrapMakeScFail() {
        m.x[1] = A;
        m.load(lr_d(x10, x1), ecall(), sc_d(x11, x1, x1), ecall());
        assertEquals(Trap.Cause.ECALL, m.run().cause()); // the trap drops the reservation
        m.hart.pc += 4;
        assertEquals(Trap.Cause.ECALL, m.run().cause());
        assertEquals(1L, m.x[11]);

        m.load(lr_d(x10, x1), addi(x0, x0, 0), sc_d(x11, x1, x1), ecall());
        assertEquals(Trap.Cause.TIMER_INTERRUPT, m.hart.run(2).cause()); // lr, nop
        assertEquals(Trap.Cause.ECALL, m.run().cause());
        assertEquals(1L, m.x[11]);
    }

    @Test
    void scFailsIfAnotherHartStoredBetweenLrAndSc() throws Exception {
        long ready = A + 0x1000, go = A + 0x2000;
        m.mem.store64(A, 5);
        // Hart 0: lr; announce it; wait for hart 1's go; sc.
        m.x[1] = A;
        m.x[2] = 9;
        m.x[3] = 1;
        m.x[7] = ready;
        m.x[8] = go;
        m.load(lr_d(x10, x1), sd(x3, x7, 0), ld(x6, x8, 0), beq(x6, x0, -4), sc_d(x11, x2, x1), ecall());
        // Hart 1: wait for ready; store 77 to the reserved doubleword; say go.
        Hart other = new Hart(1, m.mem);
        byte[] prog = Asm.bytes(ld(x6, x7, 0), beq(x6, x0, -4), sd(x2, x1, 0), sd(x3, x8, 0), ecall());
        long at = TestMachine.CODE + 0x8000;
        m.mem.write(at, prog, 0, prog.length);
        other.pc = at;
        System.arraycopy(m.x, 0, other.x, 0, 32);
        other.x[2] = 77;
        Thread t = new Thread(() -> {
            while (other.run(1_000_000).cause() == Trap.Cause.TIMER_INTERRUPT) { }
        });
        t.start();
        Trap trap = m.hart.run(Long.MAX_VALUE); // no slice end: the reservation must survive
        t.join();
        assertEquals(Trap.Cause.ECALL, trap.cause());
        assertEquals(5L, m.x[10]);
        assertEquals(1L, m.x[11], "sc must fail");
        assertEquals(77L, m.mem.load64(A));
    }

    @Test
    void everyAmoDoubleword() {
        long[][] cases = { // funct5, old, operand, expected memory after
            {AMOSWAP, 5, 9, 9}, {AMOADD, 5, -9, -4}, {AMOXOR, 0b1100, 0b1010, 0b0110},
            {AMOAND, 0b1100, 0b1010, 0b1000}, {AMOOR, 0b1100, 0b1010, 0b1110},
            {AMOMIN, -5, 3, -5}, {AMOMAX, -5, 3, 3}, {AMOMINU, -5, 3, 3}, {AMOMAXU, -5, 3, -5},
        };
        for (long[] c : cases) {
            m.mem.store64(A, c[1]);
            m.x[1] = A;
            m.x[2] = c[2];
            m.exec(amo((int) c[0], true, true, 3, x10, x1, x2));
            assertEquals(c[1], m.x[10], "old value of funct5 " + c[0]);
            assertEquals(c[3], m.mem.load64(A), "memory after funct5 " + c[0]);
        }
    }

    @Test
    void everyAmoWordSignExtendsTheOldValue() {
        int[][] cases = {
            {AMOSWAP, -5, 9, 9}, {AMOADD, Integer.MAX_VALUE, 1, Integer.MIN_VALUE}, {AMOXOR, -1, 1, -2},
            {AMOAND, -1, 0x0f, 0x0f}, {AMOOR, 0x80000000, 1, 0x80000001},
            {AMOMIN, -5, 3, -5}, {AMOMAX, -5, 3, 3}, {AMOMINU, -5, 3, 3}, {AMOMAXU, -5, 3, -5},
        };
        for (int[] c : cases) {
            m.mem.store64(A, 0x1234_5678_0000_0000L);
            m.mem.store32(A, c[1]);
            m.x[1] = A;
            m.x[2] = 0xabcd_0000_0000_0000L | (c[2] & 0xffffffffL); // upper bits ignored
            m.exec(amo(c[0], false, false, 2, x10, x1, x2));
            assertEquals((long) c[1], m.x[10], "old value of funct5 " + c[0]);
            assertEquals(c[3], m.mem.load32(A), "memory after funct5 " + c[0]);
            assertEquals(0x1234_5678, m.mem.load32(A + 4), "the next word is untouched");
        }
    }

    @Test
    void misalignedAtomicsRaiseAccessFaults() {
        m.x[1] = A + 4;
        m.load(lr_d(x10, x1));
        assertEquals(new Trap(Trap.Cause.LOAD_ACCESS_FAULT, TestMachine.CODE, A + 4), m.run());
        m.load(sc_d(x10, x0, x1));
        assertEquals(new Trap(Trap.Cause.STORE_ACCESS_FAULT, TestMachine.CODE, A + 4), m.run());
        m.x[1] = A + 2;
        m.load(amo(AMOADD, false, false, 2, x10, x1, x0));
        assertEquals(new Trap(Trap.Cause.STORE_ACCESS_FAULT, TestMachine.CODE, A + 2), m.run());
        assertEquals(0L, m.x[10]);
    }

    @Test
    void lrWithNonzeroRs2IsIllegal() {
        int bad = lr_w(x10, x1) | 3 << 20;
        m.load(bad);
        assertEquals(new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, TestMachine.CODE, bad & 0xffffffffL), m.run());
    }

    /**
     * Runs prog on two harts on two threads, each with x1 = A and x2 = 20000, in slices of
     * budget instructions until each reaches its ecall; returns the doubleword at A.
     */
    private long countOnTwoHarts(byte[] prog, int budget) throws Exception {
        m.mem.write(TestMachine.CODE, prog, 0, prog.length);
        Hart[] harts = {m.hart, new Hart(1, m.mem)};
        Trap[] last = new Trap[2];
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            Hart h = harts[i];
            int id = i;
            h.pc = TestMachine.CODE;
            h.x[1] = A;
            h.x[2] = 20000;
            threads[i] = new Thread(() -> {
                Trap t;
                while ((t = h.run(budget)).cause() == Trap.Cause.TIMER_INTERRUPT) { }
                last[id] = t;
            });
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        // A hart that threw has no last trap: its thread's exception is on standard error.
        for (Trap t : last) assertEquals(Trap.Cause.ECALL, t == null ? null : t.cause());
        return m.mem.load64(A);
    }

    @Test
    void amoAddIsAtomicAcrossHarts() throws Exception {
        // Each hart adds 1 to one counter 20000 times.
        assertEquals(40000L, countOnTwoHarts(Asm.bytes(addi(x3, x0, 1), amo(AMOADD, false, false, 3, x0, x1, x3),
                addi(x2, x2, -1), bne(x2, x0, -8), ecall()), 1000));
    }

    @Test
    void lrScIncrementIsAtomicAcrossHarts() throws Exception {
        // retry: lr.d x4,(x1); addi x4,x4,1; sc.d x5,x4,(x1); bnez x5,retry; count down
        assertEquals(40000L, countOnTwoHarts(Asm.bytes(lr_d(x4, x1), addi(x4, x4, 1), sc_d(x5, x4, x1), bne(x5, x0, -12),
                addi(x2, x2, -1), bne(x2, x0, -20), ecall()), 5000));
    }
}
