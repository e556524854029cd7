package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.ecall;
import static xv6j.machine.Asm.fence_i;

import org.junit.jupiter.api.Test;

/**
 * fence.i costs only the hart that executes it. It made every hart forget every decoded
 * page, and with it the translator's code: two harts looping on a fence.i (user/jitbait
 * storm) slowed a translated loop on a third thirteenfold. Yet it still runs what memory
 * holds, even on a page decoded while a store went in unseen.
 */
class FenceITest {
    static final long OTHER = TestMachine.CODE + 0x4000;

    private static void put(PhysicalMemory mem, long pa, int... insns) {
        byte[] b = Asm.bytes(insns);
        mem.write(pa, b, 0, b.length);
    }

    private static Object decodedPage(PhysicalMemory mem, long pa) { return mem.decoded[PhysicalMemory.pageIndex(pa)]; }

    @Test
    void aFenceIOnOneHartLeavesAnotherHartsDecodedCodeAlone() {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        Hart victim = new Hart(0, mem), fencer = new Hart(1, mem);
        put(mem, OTHER, addi(10, 10, 1), ecall());
        put(mem, TestMachine.CODE, fence_i(), fence_i(), ecall());
        victim.pc = OTHER;
        assertEquals(Trap.Cause.ECALL, victim.run(100).cause());
        Object before = decodedPage(mem, OTHER);
        assertNotNull(before);
        fencer.pc = TestMachine.CODE;
        assertEquals(Trap.Cause.ECALL, fencer.run(100).cause());
        assertTrue(before == decodedPage(mem, OTHER), "the victim's decoded page survives another hart's fence.i");
        victim.pc = OTHER;
        assertEquals(Trap.Cause.ECALL, victim.run(100).cause());
        assertEquals(2, victim.x[10]);
    }

    @Test
    void afterAFenceIAHartRunsWhatMemoryHoldsOnAPageDecodedBeforeAStoreWentInUnseen() {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        Hart h = new Hart(0, mem);
        put(mem, OTHER, addi(10, 0, 1), ecall());
        h.pc = OTHER;
        assertEquals(Trap.Cause.ECALL, h.run(100).cause());
        assertEquals(1, h.x[10]);
        // A store another hart made while this page was being decoded: in memory, but the
        // decoded page is still there (the race a fence.i must cover).
        int i = (int) (OTHER - PhysicalMemory.BASE);
        long word = mem.ram[i >>> 3];
        mem.ram[i >>> 3] = (word & ~0xffffffffL) | (addi(10, 0, 2) & 0xffffffffL);
        assertNotNull(decodedPage(mem, OTHER));
        put(mem, TestMachine.CODE, fence_i(), ecall());
        h.pc = TestMachine.CODE;
        assertEquals(Trap.Cause.ECALL, h.run(100).cause());
        h.pc = OTHER;
        assertEquals(Trap.Cause.ECALL, h.run(100).cause());
        assertEquals(2, h.x[10], "what the hart ran after its fence.i");
    }
}
