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
import xv6j.tools.Fsck;

/**
 * The first thing an outsider tries, on one hart and on three at a terminal: a fork bomb
 * ({@code forktest bomb}) fills the process table, and one ^C ends every process of it, with the
 * table full (every process spinning in a fork that fails), with slots coming free all
 * the time (half the children exit at once, so some fork is always under way), and with
 * every process leaving its parent (each forks twice and exits, so all of them are
 * init's, shaped as a background command is: only the shell's process group, which they
 * inherit, tells them from one); the shell then runs commands again and the image is
 * clean. A ^C that killed the bomb's processes one by one, or missed a child being forked,
 * would leave a survivor forking for ever; so would one that let a process it killed fork
 * again (its fork waiting, on kernel-exo, in the file server's queue behind the kill).
 */
@Timeout(180)
class ForkBombTest {
    @TempDir
    Path dir;

    static Stream<Arguments> systemsAndHarts() {
        return Stream.of(Flavour.values()).flatMap(f -> Stream.of(1, 3).map(h -> Arguments.of(f, h)));
    }

    @ParameterizedTest(name = "{0} on {1} harts")
    @MethodSource("systemsAndHarts")
    void oneCtrlCEndsAForkBombThatFillsTheProcessTable(Flavour system, int harts) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img, harts)) {
            int at = t.waitFor("$ ");
            for (String args : new String[] {"", " churn", " orphans"}) {
                t.type("forktest bomb" + args + "\n");
                at = t.waitFor("fork bomb\n", at);
                // ^C while the table is still filling, forks under way and succeeding: some
                // are in kernel-exo's server queue behind the ^C's group kill (a child one
                // of those made after the kill started unkilled, and the bomb went on).
                // Seen by the monitor's ps, not guessed from the wall clock.
                at = t.waitForTasks(at, "forktest", 48);
                t.type("\u0003");
                at = t.waitFor("^C\n$ ", at);
                // Killed processes die at their next trap, and init reaps the orphaned
                // zombies: however long a loaded host takes (a minute: a bound for a
                // kernel that never kills them, not a guess at the host's speed).
                String list = "";
                for (int i = 0; i < 300; i++) {
                    list = t.processList(at, "m" + args.trim() + i);
                    at += list.length();
                    if (TerminalSession.countNamed(list, "forktest") == 0) break;
                    Thread.sleep(200);
                }
                assertEquals(0, TerminalSession.countNamed(list, "forktest"), "forktest bomb" + args + " survived ^C:\n" + list);
                t.type("echo after" + args.trim() + "\n");
                at = t.waitFor("after" + args.trim() + "\n$ ", at);
            }
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
