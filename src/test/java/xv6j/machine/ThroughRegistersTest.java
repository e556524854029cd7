package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiled code that stores some registers to h.x where it writes them, and leaves them
 * out of the exits' write-back (round 24), ends every random program of
 * {@link TranslatorDifferentialTest} and crc's loop ({@link TranslatorDifferentialTest#crcLoop})
 * as the interpreter does, with either choice of those registers:
 * -Dxv6j.jit.through=true, the registers no block takes from another (crc's loop holds
 * its temporaries exact at the exits), and -Dxv6j.jit.through=outside, those the region's
 * loops do not write (the random programs' straight runs). The flag is read once a JVM,
 * so each runs in a JVM of its own.
 */
@Timeout(300)
class ThroughRegistersTest {
    @Test
    void randomProgramsAndCrcsLoopEndTheSameWithAPassesTemporariesStoredWhereWritten() throws Exception {
        run("true", 30);
    }

    @Test
    void randomProgramsAndCrcsLoopEndTheSameWithRegistersTheLoopsDoNotWriteStoredWhereWritten() throws Exception {
        run("outside", 60);
    }

    private static void run(String mode, int programs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xss8m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dxv6j.jit.through=" + mode,
                "-cp", System.getProperty("java.class.path"),
                TranslatorDifferentialTest.class.getName(), String.valueOf(TranslatorDifferentialTest.SEED), String.valueOf(programs)))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("every engine agreed, registers stored where written (" + mode + ")"), out);
    }
}
