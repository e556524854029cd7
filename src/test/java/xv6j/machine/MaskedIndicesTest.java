package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiled code with its array indices masked to the arrays' lengths
 * ({@link CompiledAccess#MASKED}, -Dxv6j.jit.mask=true) ends every random program of
 * {@link TranslatorDifferentialTest} as the interpreter does, on a memory whose size is not
 * a power of two (3 MiB and one page), where a mask is exact only because
 * {@link PhysicalMemory} gives ram and decoded arrays of the next power of two. The flag is
 * read once a JVM, so this runs the test's programs in a JVM of their own.
 */
@Timeout(300)
class MaskedIndicesTest {
    @Test
    void randomProgramsEndTheSameWithMaskedIndicesOnAMemoryNotAPowerOfTwo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long memory = (3 << 20) + 4096;
        Process p = new ProcessBuilder(List.of(java, "-Xss8m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dxv6j.jit.mask=true", "-Dxv6j.difftest.memory=" + memory,
                "-cp", System.getProperty("java.class.path"),
                TranslatorDifferentialTest.class.getName(), String.valueOf(TranslatorDifferentialTest.SEED), "120"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("every engine agreed, indices masked"), out);
    }
}
