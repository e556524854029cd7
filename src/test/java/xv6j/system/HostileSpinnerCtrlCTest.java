package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xv6j.tools.Fsck;

/**
 * kernel-exo's LibOS at a terminal: a program that turns its upcalls off and clears, again
 * and again, the kill mark its LibOS would read (ghost spin) never enters its LibOS again,
 * so it cannot end itself; ^C still ends it (the server's forced kill, once the grace is
 * over), and the shell takes the next command. On one hart and on three.
 */
@Timeout(120)
class HostileSpinnerCtrlCTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "on {0} harts")
    @ValueSource(ints = {1, 3})
    void ctrlCEndsAProgramThatTurnedItsLibosOff(int harts) throws Exception {
        Path img = Flavour.EXO.freshImage(dir);
        try (TerminalSession t = new TerminalSession(Flavour.EXO, img, harts)) {
            int at = t.waitFor("$ ");
            t.type("ghost spin\n");
            at = t.waitFor("ghost spin: deaf from here on\n", at);
            t.type(ConsoleKeysTest.CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            String list = t.processList(at, "m");
            at += list.length();
            assertEquals(0, TerminalSession.countNamed(list, "ghost"), "ghost spin survived ^C:\n" + list);
            t.type("echo after\n");
            t.waitFor("after\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
