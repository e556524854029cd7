package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** usertests on kernel-exo with the standard LibOS: every test on one hart, the quick ones on two. */
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

    @Test
    @Timeout(600)
    void quickUsertestsPassOnTwoHartsInWallClockTime() throws Exception {
        // Real concurrency: the file server, the LibOS's processes and the exokernel's
        // locks on two harts at once, with the host's time.
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "usertests -q\n", 2, false);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), r.output());
        assertTrue(Fsck.check(img).clean(), "fsck after usertests -q: " + Fsck.check(img).summary());
    }
}
