package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.machine.Asm.addi;
import static xv6j.machine.Asm.bne;
import static xv6j.machine.Asm.ecall;
import static xv6j.machine.Asm.lui;

import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.Translator;

/**
 * A page whose code is rewritten soon after each time it is compiled stops being
 * compiled at every version: each young version doubles how long the page waits, and a
 * version that runs long enough clears it. Before, every version of such a page was
 * planned and compiled (a class each, when new), and two harts doing so retired
 * instructions so slowly that the xv6 kernel, which keeps busy harts abreast, held an
 * unrelated translated hart to their pace (user/jitbait storm, docs/exo.md).
 */
class RewrittenCodeBackoffTest {
    static final long PAGE = TestMachine.CODE + 0x4000;

    /**
     * Writes a version of the page: a0 = iterations; a loop of two instructions counting
     * it down; a1 += tag (so that every version is code no machine has compiled yet); ecall.
     * Then runs it to its ecall.
     */
    private static void runVersion(PhysicalMemory mem, Hart h, int iterations, int tag) {
        int hi = (iterations + 0x800) >>> 12, lo = iterations - (hi << 12);
        byte[] b = Asm.bytes(lui(10, hi), addi(10, 10, lo), addi(10, 10, -1), bne(10, 0, -4),
                addi(11, 11, tag & 0x7ff), addi(12, 12, tag >> 11), ecall());
        mem.write(PAGE, b, 0, b.length); // drops the page's decoded words and its compiled code
        h.pc = PAGE;
        assertEquals(Trap.Cause.ECALL, h.run(Long.MAX_VALUE).cause());
        assertEquals(0, h.x[10]);
    }

    @Test
    void codeRewrittenSoonAfterEachCompileIsCompiledLessAndLessOftenUntilAVersionRunsLong() {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        Hart h = new Hart(0, mem);
        h.setEngine(Engine.TRANSLATOR);
        Translator jit = mem.translator;
        int tag = 0x10000; // code no other test makes (the code cache is the JVM's)

        // 400 versions of 3000 instructions each, every one new code: hot enough to be
        // compiled (2000 interpreted instructions), but written again at once.
        for (int i = 0; i < 400; i++) runVersion(mem, h, 1500, tag++);
        Translator.Stats young = jit.stats();
        assertTrue(young.classes >= 8, "the first versions were compiled (" + young.classes + " classes)");
        assertTrue(young.classes <= 16, "most of 400 versions were not compiled: " + young.classes + " classes");
        assertTrue(young.youngVersions >= 8, "young versions counted: " + young.youngVersions);

        // Now at the most strikes: a young version is not compiled at all.
        runVersion(mem, h, 1500, tag++);
        assertEquals(young.classes, jit.stats().classes, "a young version right after the storm");

        // A version that runs long (3 million instructions) is compiled, late (after 2
        // million interpreted), runs long enough in compiled code, and so clears the strikes.
        runVersion(mem, h, 1_500_000, tag++);
        long afterLong = jit.stats().classes;
        assertTrue(afterLong > young.classes, "the long version was compiled");

        // Then the page is compiled as any other: the next version, young again, at once.
        runVersion(mem, h, 1500, tag++);
        assertTrue(jit.stats().classes > afterLong, "a version after a long-lived one is compiled at once");
    }

    @Test
    void codeRewrittenOnlyAfterItRanLongIsCompiledEveryTime() {
        PhysicalMemory mem = new PhysicalMemory(4 << 20);
        Hart h = new Hart(0, mem);
        h.setEngine(Engine.TRANSLATOR);
        int tag = 0x20000;
        for (int i = 0; i < 6; i++) {
            long before = mem.translator.stats().classes;
            runVersion(mem, h, 600_000, tag++); // 1.2 million instructions
            assertTrue(mem.translator.stats().classes > before, "version " + i + " was compiled");
        }
        assertEquals(0, mem.translator.stats().youngVersions);
    }
}
