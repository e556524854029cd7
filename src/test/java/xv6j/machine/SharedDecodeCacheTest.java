package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.ecall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Harts share the decoded form of each physical page. Harts that start together on code
 * nobody has decoded yet each decode slots the others are about to run; a hart whose hot
 * loop stopped at a slot that another hart decodes the moment after must still run the
 * instruction it finds there (it once took an ALU instruction for one it had to step, and
 * threw).
 */
@Timeout(60)
class SharedDecodeCacheTest {
    @Test
    void hartsDecodingTheSameFreshCodeAtOnceEachRunItAll() throws Exception {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        // Straight-line code, so every slot is a fresh decode for every hart: 3 counters
        // each incremented, then ecall.
        int count = 999;
        int[] prog = new int[count + 1];
        for (int i = 0; i < count; i++) prog[i] = addi(5 + i % 3, 5 + i % 3, 1);
        prog[count] = ecall();
        byte[] code = Asm.bytes(prog);
        int harts = 4, rounds = 1000;
        // Each round rewrites the code, which forgets its decoded form, and starts every hart on it.
        CyclicBarrier start = new CyclicBarrier(harts, () -> mem.write(TestMachine.CODE, code, 0, code.length));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Thread[] threads = new Thread[harts];
        for (int i = 0; i < harts; i++) {
            Hart h = new Hart(i, mem);
            threads[i] = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        start.await(10, TimeUnit.SECONDS);
                        h.pc = TestMachine.CODE;
                        for (int k = 5; k <= 7; k++) h.x[k] = 0;
                        Trap t = h.run(1_000_000);
                        String got = t + " x5..x7 " + h.x[5] + " " + h.x[6] + " " + h.x[7];
                        String want = new Trap(Trap.Cause.ECALL, TestMachine.CODE + 4L * count, 0) + " x5..x7 333 333 333";
                        if (!got.equals(want)) throw new AssertionError("hart " + h.id + " round " + r + ": " + got);
                    }
                } catch (Throwable e) {
                    failures.add(e.toString());
                    start.reset(); // the others stop too
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) t.join();
        // Others stopped by the reset report a broken barrier; the first failure says why.
        assertEquals(List.of(), failures.stream().filter(f -> !f.contains("BrokenBarrier")).toList());
        assertEquals(List.of(), failures);
    }
}
