package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * The LibOS with its processes on three harts at once, in wall-clock time, as
 * {@code make EXO=1 qemu} runs it: the xv6 kernel has had these runs (ThreeHartsUsertestsTest,
 * InodeRaceTest), the LibOS only on one hart or in deterministic turns. Its file server
 * serialises the shared state, but the bytes in pipes, copy-on-write, kills and exits race
 * for real here: usertests pass, fsrace's racers (files, links, directories, cwds, pipes
 * closed under blocked readers and writers, kills) leave an empty directory and all memory
 * back, and the image stays clean.
 */
@Timeout(300)
class LibosThreeHartsTest {
    @TempDir
    Path dir;

    @Test
    void quickUsertestsPassOnThreeHarts() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "usertests -q\n", 3, false);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), r.output());
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }

    @Test
    void fsraceOnThreeHartsEmptiesItsDirectoryAndLeavesACleanImage() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "fsrace 500\n", 3, false);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("fsrace: OK"), r.output());
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }
}
