package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test program that waits for what another environment promised and never gets it
 * (user/exo/neverset.c) ends its run with a line that says which wait broke, and a run
 * stopped at ExoRun's limit says where each environment stood: a hang in a test is found
 * from one run, not guessed at.
 */
@Timeout(120)
class WaitBoundTest {
    @TempDir
    Path dir;

    /** Before, such a wait spun until ExoRun's limit and the run printed nothing (status -99). */
    @Test
    void aWaitForAPromiseNeverKeptEndsTheRunWithAFailLineThatNamesTheWait() throws Exception {
        ExoRun.Result r = ExoRun.run(dir, "neverset", "");
        assertEquals(1, r.status(), r.toString());
        assertTrue(Pattern.compile("FAIL waited 30\\d ticks for \\*flag != 0 \\(line \\d+\\)\n").matcher(r.output()).find(), r.toString());
        assertTrue(r.stuck().isEmpty(), r.toString());
    }

    /**
     * Stopped at a host limit of a second, well within the wait's 300 ticks (30 s of the
     * host's time): the report names each environment's function from /init's symbols.
     */
    @Test
    void aRunStoppedAtItsLimitSaysWhereEachEnvironmentStood() throws Exception {
        ExoRun.Options d = ExoRun.Options.defaults().wallClock();
        ExoRun.Options o = new ExoRun.Options(d.harts(), d.deterministic(), d.memMiB(), d.checkEvery(), 1000, d.asids(), d.slowMillis(), d.engine());
        ExoRun.Result r = ExoRun.run(dir, "neverset", "", o);
        assertEquals(ExoRun.TIMED_OUT, r.status(), r.toString());
        String s = r.stuck();
        assertTrue(Pattern.compile("  env 1 \\(of 0\\) \\w+.*, pc 0x\\p{XDigit}+ \\(exosched\\+0x\\p{XDigit}+\\) ra 0x\\p{XDigit}+ \\(main\\+0x").matcher(s).find(), s);
        assertTrue(Pattern.compile("  env 2 \\(of 1\\) \\w+.*\\(forgetter\\+0x").matcher(s).find(), s);
        assertTrue(Pattern.compile("  hart 0: ").matcher(s).find(), s);
        assertTrue(r.toString().endsWith(s), r.toString());
    }
}
