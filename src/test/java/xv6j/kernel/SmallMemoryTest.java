package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With 2 MiB of RAM (512 pages) memory runs out often, and whatever runs out gives back
 * every page it took (issue 11): fork, exec and sbrk failing at every point of their
 * work, and usertests, whose tests may fail for want of memory but never find pages
 * lost. After each run the halted kernel holds exactly what a boot that ran nothing
 * holds (init and the shell).
 */
@Timeout(150)
class SmallMemoryTest {
    static final int MIB = 2;

    @TempDir
    Path dir;

    private XvRun.Result boot(String name, String script) throws Exception {
        Path img = XvRun.freshImage(Files.createDirectory(dir.resolve(name)));
        XvRun.Result r = XvRun.boot(img, script, 1, true, MIB);
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        return r;
    }

    @Test
    void forkExecAndSbrkThatRunOutOfMemoryAtEveryPointGiveBackEveryPage() throws Exception {
        XvRun.Result r = boot("memfail", "memfail\n");
        assertTrue(r.output().contains("memfail OK"), r.output());
        // Each of the three failed part-way for some of the 49 amounts of free memory
        // (sbrk for all: each round asks for more than there is).
        assertTrue(r.output().matches("(?s).*fork failed [1-9]\\d* times, exec [1-9]\\d*, sbrk 49 in 49 rounds.*"), r.output());
        assertEquals(boot("idle", "").held(), r.held());
    }

    @Test
    void usertestsMayRunOutOfMemoryButNeverLosePagesAndLeaveNothingRunning() throws Exception {
        XvRun.Result r = boot("usertests", "usertests -q\n");
        assertTrue(r.output().contains("usertests starting"), r.output());
        assertFalse(r.output().contains("lost some free pages"), UsertestsTest.failures(r.output()));
        // The machine halted by itself once the script was done: nothing a failed test
        // started was left running, and the kernel holds what it held at boot.
        assertEquals(boot("idle", "").held(), r.held());
    }
}
