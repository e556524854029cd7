package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kernel.jar's command line: mistakes get one clear line and a non-zero status. */
class BootTest {
    @TempDir
    Path dir;

    private record Run(int status, String err) {}

    private static Run boot(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Boot.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingImageIsNamedInOneLine() {
        Run r = boot(dir.resolve("nope.img").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("nope.img: no such disk image"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anUnknownOptionPrintsTheUsage() {
        Run r = boot("--frobnicate", "fs.img");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("kernel: unknown option --frobnicate\nusage:"), r.err());
    }

    @Test
    void aTooSmallMemoryIsRefusedWithItsLimits() throws Exception {
        Path img = XvRun.freshImage(dir);
        Run r = boot("-m", "0", img.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("-m must be between 1 and"), r.err());
    }

    @Test
    void anImageThatIsNotXv6PanicsWithTheReasonNotAStackTrace() throws Exception {
        Path img = dir.resolve("zero.img");
        Files.write(img, new byte[1024 * 100]);
        XvRun.Result r = XvRun.boot(img, "");
        assertEquals(1, r.status());
        assertTrue(r.output().contains("panic: fsinit: superblock: bad magic 0x00000000"), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
    }
}
