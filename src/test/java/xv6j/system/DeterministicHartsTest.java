package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deterministic time on three harts (issue 11): the harts take turns in a fixed order
 * with fixed quanta, so two runs of the same script print the same bytes, leave the same
 * image and retire the same instructions on every hart, and a race found on three harts
 * can be run again exactly.
 */
@Timeout(180)
class DeterministicHartsTest {
    static final int HARTS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void twoRunsOnThreeHartsPrintTheSameBytesAndRetireTheSameInstructionsOnEachHart(Flavour system) throws Exception {
        // A background job racing the shell, stressfs's four writers, a pipeline, orphans
        // for init to reap, the clock.
        String script = "forktest &\necho a b c | wc\nstressfs\nls\norphans 200 2\n";
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Path imgA = system.freshImage(a);
        Path imgB = system.freshImage(b);
        Flavour.Run r1 = system.boot(imgA, script, HARTS, true);
        Flavour.Run r2 = system.boot(imgB, script, HARTS, true);
        assertEquals(0, r1.status(), r1.output());
        assertTrue(r1.output().contains("fork test OK") && r1.output().contains("stressfs ok")
                && r1.output().contains("orphans OK"), r1.output());
        assertEquals(r1.output(), r2.output());
        assertEquals(r1.hartInstructions(), r2.hartInstructions());
        // Every hart did some of the work: the turns did not leave it all to one.
        assertTrue(r1.hartInstructions().size() == HARTS && r1.hartInstructions().stream().allMatch(n -> n > 0),
                r1.hartInstructions().toString());
        assertArrayEquals(Files.readAllBytes(imgA), Files.readAllBytes(imgB), "the two images differ");
    }
}
