package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * user/orphans on several harts (issue 11): 200 times a child forks a
 * grandchild and exits, so init must reap every grandchild while the loop goes on. If
 * init does not get to run, its zombies fill the process table and fork fails. Each run
 * repeats the loop ten times; before the harts were paced, 7 to 17 rounds in 20 failed
 * on two or three harts. In deterministic time the harts take turns, and before a trap
 * counted in a turn and an idle hart got work at once, two rounds in ten failed on two,
 * three and four harts on the xv6 kernel, the same two every run.
 */
@Timeout(300)
class OrphansTest {
    @TempDir
    Path dir;

    static Stream<Arguments> systemsAndHarts() {
        return Stream.of(Flavour.values()).flatMap(f -> Stream.of(2, 3, 4).map(h -> Arguments.of(f, h)));
    }

    @ParameterizedTest(name = "{0} on {1} harts")
    @MethodSource("systemsAndHarts")
    void initReapsOrphansAsFastAsTheyAreMadeSoForkNeverFails(Flavour system, int harts) throws Exception {
        tenRoundsPass(system, harts, false);
    }

    @ParameterizedTest(name = "{0} on {1} harts, deterministic")
    @MethodSource("systemsAndHarts")
    void initReapsOrphansAsFastAsTheyAreMadeWhenTheHartsTakeTurns(Flavour system, int harts) throws Exception {
        tenRoundsPass(system, harts, true);
    }

    private void tenRoundsPass(Flavour system, int harts, boolean deterministic) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "orphans 200 10\n", harts, deterministic);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("orphans OK"), r.output());
    }
}
