package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * setpgid and ^C as a hostile program uses them, on both kernels (red team 12;
 * {@code user/pgattack.c}): setpgid refuses every pid and group it should (absurd values,
 * init, the caller's parent, a grandchild, a zombie, a group only a zombie is in, init's
 * group, a sibling's) and keeps its word while children exec, exit and are killed on three
 * harts; and a program that tries to put itself, a child and an orphan into init's group
 * (refused: it joined it before) and claims the console gets its own processes killed by
 * ^C, never init or the shells.
 */
@Timeout(180)
class ProcessGroupAttackTest {
    @TempDir
    Path dir;

    static Stream<Arguments> systemsAndHarts() {
        return Stream.of(Flavour.values()).flatMap(f -> Stream.of(1, 3).map(h -> Arguments.of(f, h)));
    }

    @ParameterizedTest(name = "{0} on {1} harts")
    @MethodSource("systemsAndHarts")
    void setpgidRefusesWhatItShouldAndHoldsUnderExecExitAndKillRaces(Flavour system, int harts) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir), "pgattack\n", harts, false);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("pgattack OK\n") && !r.output().contains("FAIL"), r.output());
    }

    /** ^P's listing, typed while pgattack reads the console, which echoes the mark after it. */
    private static String listing(TerminalSession t, int from, String mark) throws Exception {
        t.type("\u0010" + mark + "\n");
        int end = t.waitFor("pgattack: read " + mark + "\n", from);
        return t.screen().substring(from, end);
    }

    private static long moved(String screen) {
        return screen.lines().filter(l -> l.equals("pgattack: init's group refused")).count();
    }

    /** Live processes called name in a listing (a killed child pgattack never waits for stays a zombie). */
    private static long count(String list, String name) {
        return list.lines().filter(l -> l.matches("\\d+ \\S+ +" + name) && !l.contains(" zombie ")).count();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCOfAProgramRefusedInitsGroupKillsItsOwnNeverInitOrTheShell(Flavour system) throws Exception {
        try (TerminalSession t = new TerminalSession(system, system.freshImage(dir), 3)) {
            int at = t.waitFor("$ ");
            t.type("pgattack ctrlc\n");
            int start = at;
            at = t.waitFor("pgattack: claimed\n", at);
            // The child and the orphan say so in their own time, before or after the claim.
            for (int i = 0; i < 600 && moved(t.screen().substring(start)) < 2; i++) Thread.sleep(100); // (a minute at most)
            assertEquals(2, moved(t.screen().substring(start)), t.screen());
            at = t.screen().length();
            String list = listing(t, at, "before");
            at += list.length();
            assertEquals(3, count(list, "pgattack"), list);
            t.type("\u0003");
            at = t.waitFor("^C\n", at);
            for (int i = 0; i < 300; i++) { // (a minute: a bound for a kernel that never kills them)
                list = listing(t, at, "after" + i);
                at += list.length();
                if (count(list, "pgattack") == 1) break;
                Thread.sleep(200);
            }
            assertEquals(1, count(list, "pgattack"), "^C left the child or the orphan:\n" + list);
            assertEquals(1, count(list, "init"), list);
            assertEquals(1, count(list, "sh"), list);
            t.type("quit\n");
            at = t.waitFor("$ ", at);
            t.type("echo shell still here\n");
            at = t.waitFor("shell still here\n$ ", at);
            assertFalse(t.screen().contains("FAIL"), t.screen());
        }
    }
}
