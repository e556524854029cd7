package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiled code that stores a register no block takes from another to h.x where it is
 * written, and leaves it out of the exits' write-back (-Dxv6j.jit.through=true, round 24),
 * ends every random program of {@link TranslatorDifferentialTest} and crc's loop
 * ({@link TranslatorDifferentialTest#crcLoop}, whose temporaries are such registers) as
 * the interpreter does. The flag is read once a JVM, so this runs them in a JVM of their own.
 */
@Timeout(300)
class ThroughRegistersTest {
    @Test
    void randomProgramsAndCrcsLoopEndTheSameWithTemporariesStoredWhereWritten() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xss8m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dxv6j.jit.through=true",
                "-cp", System.getProperty("java.class.path"),
                TranslatorDifferentialTest.class.getName(), String.valueOf(TranslatorDifferentialTest.SEED), "60"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("every engine agreed, registers stored where written"), out);
    }
}
