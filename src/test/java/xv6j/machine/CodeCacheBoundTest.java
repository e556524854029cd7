package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.ecall;

import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.Translator;

/**
 * The code cache's bound counts the regions of code as it is now. It counted every region
 * ever made, so a program that keeps rewriting its own code emptied every program's cache
 * each time it had made 10,000 (found by red team 5 reading Translator after user/jitbait
 * storm, whose slowdown of other harts has another cause: docs/exo.md).
 */
class CodeCacheBoundTest {
    static final long REWRITTEN = TestMachine.CODE + 0x4000, VICTIM = TestMachine.CODE + 0x8000;

    private static void put(PhysicalMemory mem, long pa, int... insns) {
        byte[] b = Asm.bytes(insns);
        mem.write(pa, b, 0, b.length);
    }

    @Test
    void codeRewrittenPastTheCachesBoundLeavesOtherCodeCompiled() {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        Hart h = new Hart(0, mem);
        h.setEngine(Engine.EAGER);
        put(mem, VICTIM, addi(11, 11, 1), ecall());
        h.pc = VICTIM;
        assertEquals(Trap.Cause.ECALL, h.run(100).cause());
        Object victim = mem.decoded[PhysicalMemory.pageIndex(VICTIM)];
        assertNotNull(victim);
        int versions = Translator.MAX_REGIONS + 2000;
        for (int i = 0; i < versions; i++) {
            put(mem, REWRITTEN, addi(10, 10, 1), ecall());
            h.pc = REWRITTEN;
            assertEquals(Trap.Cause.ECALL, h.run(100).cause());
        }
        assertEquals(versions, h.x[10]);
        assertTrue(mem.translator.stats().regions > versions, "each version of the page was compiled");
        assertEquals(0, mem.translator.stats().flushes, "times the code cache was emptied");
        assertSame(victim, mem.decoded[PhysicalMemory.pageIndex(VICTIM)], "the other page's code (and its region) is still there");
    }
}
