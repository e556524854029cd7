package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.machine.jit.Engine;

/**
 * LR/SC across harts as the A extension has it: an SC fails if another hart (or the
 * kernel, or a device) stored to the reservation set between the LR and the SC, even when
 * the stores put the value LR read back (A, then B, then A again), whatever way the store
 * took; stores elsewhere on the page leave the reservation alone; and a constrained LR/SC
 * loop makes progress while other harts hammer its page.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReservationAcrossHartsTest {
    private final PhysicalMemory mem = new PhysicalMemory(4 << 20);
    private static final long A = TestMachine.DATA, READY = A + 0x1000, GO = A + 0x2000, DONE = A + 0x3000,
            WARM = A + 0x4000;
    private static final long VALUE = 5, OTHER = 77, NEW = 9;
    private static final long CODE0 = TestMachine.CODE, CODE1 = TestMachine.CODE + 0x8000, CODE2 = TestMachine.CODE + 0x10000;

    /** The ways a store can reach RAM while hart 0 holds its reservation. */
    enum StorePath {
        /** Hart 1's halfword stores: never on the interpreter's fast path, always Hart.store. */
        INTERPRETER_SLOW_PATH(Engine.INTERPRETER),
        /** Hart 1's doubleword stores through its store TLB, filled by a store to the page before the LR. */
        STORE_TLB(Engine.INTERPRETER),
        /** The same stores in code the translator compiled (every entry point compiled at once). */
        COMPILED(Engine.EAGER),
        /** Hart 1's amoswap.d. */
        AMO(Engine.INTERPRETER),
        /** The kernel, on another CPU: PhysicalMemory.store64 (a kernel's narrow writes). */
        KERNEL_STORE(null),
        /** The kernel or a disk read: PhysicalMemory.write of bytes (copyout, DMA into RAM). */
        KERNEL_COPY(null);

        final Engine engine;

        StorePath(Engine engine) { this.engine = engine; }
    }

    /**
     * Once hart 1 has stored to A's page (so its store TLB maps it) and said so at WARM,
     * hart 0 takes a reservation on A (holding VALUE) and says so at READY; then, by path,
     * OTHER and VALUE are stored at A + offset; GO lets hart 0 try its SC. Returns hart 0's
     * x11 (SC's result: 0 = success), after checking what LR read and what is in memory.
     */
    private long scAfterAnotherStores(StorePath path, int offset) throws Exception {
        mem.store64(A, VALUE);
        Hart h0 = new Hart(0, mem);
        load(CODE0, ld(x6, x12, 0), beq(x6, x0, -4),
                lr_d(x10, x1), sd(x3, x7, 0), ld(x6, x8, 0), beq(x6, x0, -4), sc_d(x11, x2, x1), ecall());
        h0.pc = CODE0;
        registers(h0);

        List<Thread> threads = new ArrayList<>();
        Trap[] traps = new Trap[2];
        threads.add(runner(h0, traps, 0));
        if (path.engine != null) {
            Hart h1 = new Hart(1, mem);
            h1.setEngine(path.engine);
            int[] stores = switch (path) {
                case INTERPRETER_SLOW_PATH -> new int[] {sh(x4, x1, offset), sh(x5, x1, offset)};
                case AMO -> new int[] {addi(x9, x1, offset), amo(AMOSWAP, false, false, 3, x0, x9, x4),
                                       amo(AMOSWAP, false, false, 3, x0, x9, x5)};
                default -> new int[] {sd(x4, x1, offset), sd(x5, x1, offset)};
            };
            List<Integer> prog = new ArrayList<>(List.of(sd(x5, x1, 128), sd(x3, x12, 0), ld(x6, x7, 0), beq(x6, x0, -4)));
            for (int s : stores) prog.add(s);
            prog.add(sd(x3, x8, 0));
            prog.add(ecall());
            load(CODE1, prog.stream().mapToInt(Integer::intValue).toArray());
            h1.pc = CODE1;
            registers(h1);
            threads.add(runner(h1, traps, 1));
        } else {
            threads.add(new Thread(() -> {
                mem.store64(WARM, 1);
                while (mem.loadVolatile64(READY) == 0) Thread.onSpinWait();
                if (path == StorePath.KERNEL_STORE) {
                    mem.store64(A + offset, OTHER);
                    mem.store64(A + offset, VALUE);
                } else {
                    mem.write(A + offset, bytes(OTHER), 0, 8);
                    mem.write(A + offset, bytes(VALUE), 0, 8);
                }
                mem.store64(GO, 1);
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertEquals(Trap.Cause.ECALL, traps[0].cause(), "hart 0");
        if (path.engine != null) assertEquals(Trap.Cause.ECALL, traps[1].cause(), "hart 1");
        if (path == StorePath.COMPILED) assertTrue(mem.translator.stats().regions > 0, "hart 1's code was compiled");
        assertEquals(VALUE, h0.x[10], "what lr.d read");
        assertEquals(h0.x[11] == 0 ? NEW : VALUE, mem.load64(A), "sc.d wrote if and only if it succeeded");
        return h0.x[11];
    }

    @ParameterizedTest
    @EnumSource(StorePath.class)
    void scFailsAfterAnotherStoredBThenAToTheReservedWord(StorePath path) throws Exception {
        assertEquals(1L, scAfterAnotherStores(path, 0), "sc.d must fail: the word was stored to after the lr.d");
    }

    @ParameterizedTest
    @EnumSource(StorePath.class)
    void scSucceedsAfterAnotherStoredElsewhereOnThePage(StorePath path) throws Exception {
        assertEquals(0L, scAfterAnotherStores(path, 64), "a store beside the reservation set must not break it");
    }

    /**
     * A kernel write is not a hart and answers no shootdown: one under way when a first LR
     * marks its page (counted by Reservations.kernelWriting, as PhysicalMemory does) holds
     * the LR back until it is done, so LR reads what it wrote, not a value it then changes.
     */
    @org.junit.jupiter.api.Test
    void firstLrOnAPageWaitsForKernelWritesUnderWay() throws Exception {
        mem.store64(A, VALUE);
        int a = (int) (A - PhysicalMemory.BASE);
        Hart h0 = new Hart(0, mem);
        load(CODE0, lr_d(x10, x1), sd(x3, x7, 0), sc_d(x11, x2, x1), ecall());
        h0.pc = CODE0;
        registers(h0);
        Trap[] traps = new Trap[1];
        assertTrue(!mem.reservations.kernelWriting(a, 8), "the page is not marked yet: the write goes unlocked");
        Thread t = runner(h0, traps, 0);
        t.start();
        // The LR has marked the page and parks between looks at the count (Reservations.await),
        // or, not waiting, it has run on to say READY and end: either, however slow the host.
        int page = PhysicalMemory.pageIndex(A);
        while (!(mem.reservations.marked(page) && t.getState() == Thread.State.TIMED_WAITING) && t.isAlive()) Thread.onSpinWait();
        assertEquals(0L, mem.loadVolatile64(READY), "lr.d must wait for the kernel write under way");
        assertTrue(t.isAlive(), "lr.d must wait for the kernel write under way");
        PhysicalMemory.write(mem.ram, a, 8, OTHER, true); // the write itself, landing late
        mem.reservations.kernelWrote(a, 8);
        t.join();
        assertEquals(Trap.Cause.ECALL, traps[0].cause());
        assertEquals(OTHER, h0.x[10], "lr.d read what the kernel wrote");
        assertEquals(0L, h0.x[11], "nothing was stored after the lr.d");
        assertEquals(NEW, mem.load64(A));
    }

    /**
     * A page's mark outlives its reservation (the next LR on it needs no shootdown), while
     * its stores take the slow path; after {@link Reservations#LINGER} of them the mark goes
     * and the page is in the store TLB again.
     */
    @org.junit.jupiter.api.Test
    void aPageGetsItsStoreTlbBackLingerStoresAfterItsLastReservation() {
        Hart h = new Hart(0, mem);
        registers(h);
        load(CODE0, lr_d(x10, x1), sc_d(x11, x2, x1), ecall());
        h.pc = CODE0;
        assertEquals(Trap.Cause.ECALL, h.run(1_000_000).cause());
        assertEquals(0L, h.x[11]);
        // store n times to A + 64: loop: sd x3,64(x1); addi x9,x9,-1; bne x9,x0,loop
        load(CODE1, sd(x3, x1, 64), addi(x9, x9, -1), bne(x9, x0, -8), ecall());
        int page = PhysicalMemory.pageIndex(A);
        h.pc = CODE1;
        h.x[9] = Reservations.LINGER - 2; // the SC was a store too
        assertEquals(Trap.Cause.ECALL, h.run(1_000_000).cause());
        assertTrue(mem.reservations.marked(page) && !storeTlbMaps(h, A), "marked still: its stores take the slow path");
        h.pc = CODE1;
        h.x[9] = 2;
        assertEquals(Trap.Cause.ECALL, h.run(1_000_000).cause());
        assertTrue(!mem.reservations.marked(page), "the mark went with the LINGERth store");
        assertTrue(storeTlbMaps(h, A), "the next store filled the TLB");
    }

    private static boolean storeTlbMaps(Hart h, long va) {
        boolean[] found = {false};
        h.mmu.forEachCached((access, v, asid, pa) -> found[0] |= access == Mmu.Access.STORE && v == (va & ~0xfffL));
        return found[0];
    }

    /**
     * The forward-progress guarantee: harts 0 and 1 each add 1 to A 20000 times with a
     * constrained LR/SC loop while hart 2 stores and swaps without end to the rest of A's
     * page (false sharing); every increment lands and both loops finish.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void lrScCounterFinishesWhileAnotherHartHammersThePage(Engine engine) throws Exception {
        // retry: lr.d x4,(x1); addi x4,x4,1; sc.d x5,x4,(x1); bnez x5,retry; count down
        load(CODE0, lr_d(x4, x1), addi(x4, x4, 1), sc_d(x5, x4, x1), bne(x5, x0, -12),
                addi(x2, x2, -1), bne(x2, x0, -20), ecall());
        // loop: sd x3,8(x1); sw x3,100(x1); amoadd.d x0,x3,(x9); sb x3,4095(x1)... until DONE
        load(CODE2, sd(x3, x1, 8), sw(x3, x1, 100), amo(AMOADD, false, false, 3, x0, x9, x3), sh(x3, x1, 2046),
                ld(x6, x8, 0), beq(x6, x0, -20), ecall());
        Hart[] harts = new Hart[3];
        Trap[] traps = new Trap[3];
        Thread[] threads = new Thread[3];
        for (int i = 0; i < 3; i++) {
            Hart h = harts[i] = new Hart(i, mem);
            h.setEngine(engine);
            registers(h);
            h.pc = i < 2 ? CODE0 : CODE2;
            h.x[2] = 20000;
            h.x[8] = DONE;
            h.x[9] = A + 16;
            threads[i] = runner(h, traps, i);
        }
        for (Thread t : threads) t.start();
        threads[0].join();
        threads[1].join();
        mem.store64(DONE, 1);
        threads[2].join();
        for (Trap t : traps) assertEquals(Trap.Cause.ECALL, t.cause());
        assertEquals(40000L, mem.load64(A));
        assertTrue(mem.load64(A + 16) > 0, "hart 2 ran");
    }

    private void registers(Hart h) {
        h.x[1] = A;
        h.x[2] = NEW;
        h.x[3] = 1;
        h.x[4] = OTHER;
        h.x[5] = VALUE;
        h.x[7] = READY;
        h.x[8] = GO;
        h.x[12] = WARM;
    }

    private void load(long at, int... insns) {
        byte[] b = Asm.bytes(insns);
        mem.write(at, b, 0, b.length);
    }

    private static byte[] bytes(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** A thread that runs h in slices until it stops for anything but the slice's end. */
    private static Thread runner(Hart h, Trap[] traps, int i) {
        return new Thread(() -> {
            Trap t;
            while ((t = h.run(Long.MAX_VALUE)).cause() == Trap.Cause.TIMER_INTERRUPT) { }
            traps[i] = t;
        });
    }
}
