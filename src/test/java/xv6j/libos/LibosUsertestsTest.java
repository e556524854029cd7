package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** usertests, every test, on kernel-exo with the standard LibOS: the acceptance test. */
class LibosUsertestsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void everyUsertestPassesAndTheImageIsCleanAfterwards() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "usertests\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), r.output());
        assertTrue(Fsck.check(img).clean(), "fsck after usertests: " + Fsck.check(img).summary());
    }
}
