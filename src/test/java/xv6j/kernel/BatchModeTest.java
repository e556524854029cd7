package xv6j.kernel;

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
 * `printf 'ls\n...' | java -jar kernel.jar fs.img` in a real process: with standard input
 * a pipe, the script runs as typed, and the machine halts by itself with status 0 once
 * the script is used up, the image consistent.
 */
class BatchModeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aPipedScriptRunsAndTheMachineHaltsCleanlyWithStatusZero() throws Exception {
        Path img = XvRun.freshImage(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "xv6j.kernel.Boot", img.toString()))
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
