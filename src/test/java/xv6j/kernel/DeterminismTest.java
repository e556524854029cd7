package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** docs/architecture.md, decision 8: one hart and virtual time give byte-identical runs. */
@Timeout(120)
class DeterminismTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsOfTheSameScriptPrintTheSameBytesAndRetireTheSameInstructions() throws Exception {
        // Concurrency (a background job racing the shell), pipes, the file system and the clock.
        String script = "forktest &\necho a b c | wc\nstressfs\nls\ncat README\n";
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        XvRun.Result r1 = XvRun.boot(XvRun.freshImage(a), script);
        XvRun.Result r2 = XvRun.boot(XvRun.freshImage(b), script);
        assertTrue(r1.output().contains("fork test OK"), r1.output());
        assertEquals(r1.output(), r2.output());
        assertEquals(r1.instructions(), r2.instructions());
        assertEquals(Files.readAllBytes(a.resolve("fs.img")).length, Files.readAllBytes(b.resolve("fs.img")).length);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a.resolve("fs.img")), Files.readAllBytes(b.resolve("fs.img"))),
                "the two images differ");
    }
}
