package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * `printf 'ls\n...' | java -jar kernel.jar fs.img` (or kernel-exo.jar fs-exo.img) in a real
 * process: with standard input a pipe, the script runs as typed, and the machine halts by
 * itself with status 0 once the script is used up, the image consistent.
 */
@Timeout(120)
class BatchModeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aPipedScriptRunsAndTheMachineHaltsCleanlyWithStatusZero(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.runJar(img, "echo one > f\ncat f\nls f\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertTrue(out.contains("$ cat f\none\n"), out);
        assertTrue(out.matches("(?s).*\\nf +2 \\d+ 4\\n.*"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
