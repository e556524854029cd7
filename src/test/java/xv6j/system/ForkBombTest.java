package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * The first thing an outsider tries, on three harts at a terminal: a fork bomb
 * ({@code forktest bomb}) fills the process table, and one ^C ends every process of it, with the
 * table full (every process spinning in a fork that fails) and with slots coming free all
 * the time (half the children exit at once, so some fork is always under way); the shell
 * then runs commands again and the image is clean. A ^C that killed the bomb's processes
 * one by one, or missed a child being forked, would leave a survivor forking for ever.
 * (A bomb whose processes leave their parents, {@code forktest bomb orphans}, is init's as a
 * background command is, and ^C does not reach it: docs/design.md.)
 */
@Timeout(180)
class ForkBombTest {
    @TempDir
    Path dir;

    /** ^P's listing of the processes, typed at the prompt at from. */
    private static String listing(TerminalSession t, int from, String mark) throws Exception {
        t.type("\u0010echo " + mark + "\n");
        int end = t.waitFor("\n" + mark + "\n", from);
        return t.screen().substring(from, end);
    }

    private static long count(String list, String name) {
        return list.lines().filter(l -> l.matches("\\d+ \\S+ +" + name)).count();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void oneCtrlCEndsAForkBombThatFillsTheProcessTable(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img, 3)) {
            int at = t.waitFor("$ ");
            for (String args : new String[] {"", " churn"}) {
                t.type("forktest bomb" + args + "\n");
                at = t.waitFor("fork bomb\n", at);
                Thread.sleep(2000);     // the table fills within a few ticks
                t.type("\u0003");
                at = t.waitFor("^C\n$ ", at);
                // Killed processes die at their next trap, and init reaps the orphaned
                // zombies: give them up to ten seconds.
                String list = "";
                for (int i = 0; i < 50; i++) {
                    list = listing(t, at, "m" + args.trim() + i);
                    at += list.length();
                    if (count(list, "forktest") == 0) break;
                    Thread.sleep(200);
                }
                assertEquals(0, count(list, "forktest"), "forktest bomb" + args + " survived ^C:\n" + list);
                t.type("echo after" + args.trim() + "\n");
                at = t.waitFor("after" + args.trim() + "\n$ ", at);
            }
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
