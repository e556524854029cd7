package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** The whole of usertests on the xv6 kernel, and a clean image after it. */
class UsertestsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void fullUsertestsPassAndLeaveACleanImage() throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "usertests\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), failures(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }

    @Test
    @Timeout(600)
    void quickUsertestsPassOnTwoHartsInWallClockTime() throws Exception {
        // Real concurrency: two harts run processes at once, and time is the host's.
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "usertests -q\n", 2, false, 128);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), failures(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }

    /**
     * What a run of inodetable stopped by Ctrl-A x leaves in the image (its directories and
     * files) does not fail the next run. Before, every later usertests failed there
     * ("mkdir itab0 failed") until the user found and removed them.
     */
    @Test
    @Timeout(120)
    void inodetablePassesOverWhatAStoppedRunLeft() throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "mkdir itab0\necho i > itab0/f00\nmkdir itab4\nusertests inodetable\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), failures(r.output()));
    }

    /** The lines of a usertests run that say what went wrong. */
    static String failures(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (!line.endsWith(": OK") && !line.contains("page fault at")) sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
