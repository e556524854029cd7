package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * kernel-exo's LibOS at a terminal: a program that claims the console as a shell would,
 * asks it for a line once and then sleeps for good on the clock (deputy deafread) is no
 * shell, and ^C kills it. The server took any process whose last call was a console read
 * told to wait, and that was blocked, for a reader waiting for its line, whatever it was
 * blocked on: ^C found it a shell at its prompt, killed nothing, and the shell below waited
 * for ever. Now a reader must wait for keys (or be back in the server's queue to ask).
 */
@Timeout(120)
class ConsoleDeafReaderTest {
    @TempDir
    Path dir;

    @Test
    void ctrlCKillsAProgramThatReadTheConsoleOnceAndSleepsOnTheClock() throws Exception {
        Path img = Flavour.EXO.freshImage(dir);
        try (TerminalSession t = new TerminalSession(Flavour.EXO, img)) {
            int at = t.waitFor("$ ");
            t.type("deputy deafread\n");
            at = t.waitFor("deafread: the console is ours; asleep\n", at);
            // Asleep on the clock, as ^P shows it: no longer on its way from its read, where
            // the grace a shell has between reading and waiting (3 ticks of its own) covers it.
            at = t.waitForAsleep(at, "deputy", 1);
            t.type(ConsoleKeysTest.CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("echo after\n");
            t.waitFor("after\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
