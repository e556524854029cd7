package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * `printf 'ls\n...' | java -jar kernel-exo.jar fs-exo.img` in a real process, as with the
 * xv6 kernel: the script runs as typed by the LibOS userland, and the machine halts by
 * itself with status 0 once the script is used up, the image consistent.
 */
class LibosBatchModeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aPipedScriptRunsAndTheMachineHaltsCleanlyWithStatusZero() throws Exception {
        Path img = LibosRun.freshImage(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "xv6j.exo.Boot", img.toString()))
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("echo one > f\ncat f\nls f\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the machine did not halt: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("$ cat f\none\n"), out);
        assertTrue(out.matches("(?s).*\\nf +2 \\d+ 4\\n.*"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
