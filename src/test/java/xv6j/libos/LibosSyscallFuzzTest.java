package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * user/sysfuzz on kernel-exo: the LibOS and its file server survive thousands of random
 * calls; sysfuzz finds its memory back and the file system working, and fsck the image
 * clean.
 */
@Timeout(300)
class LibosSyscallFuzzTest {
    @TempDir
    Path dir;

    @Test
    void randomCallsLeaveTheLibosWorkingAndTheImageClean() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "sysfuzz -n 1000 1\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        assertTrue(r.output().contains("; the system works\n"), r.output());
        assertTrue(r.output().contains("sysfuzz 1: 400 of 4000 calls made\n"), "a long run shows its progress: " + r.output());
        var report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
    }
}
