package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * usertests -q on three harts (xv6's number) in the host's time, again and again (issue
 * 11): real concurrency, so each run interleaves differently, and every run must pass
 * and leave a clean image, as on one hart.
 */
class ThreeHartsUsertestsTest {
    @TempDir
    Path dir;

    @RepeatedTest(5)
    @Timeout(300)
    void quickUsertestsPassOnThreeHartsEveryTime(RepetitionInfo run) throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "usertests -q\n", 3, false, 128);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"),
                "run " + run.getCurrentRepetition() + ":\n" + UsertestsTest.failures(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }
}
