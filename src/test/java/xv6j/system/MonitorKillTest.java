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
 * The console's way out, on both kernels, on one hart and on three: a fork bomb whose every
 * process leaves for a group of its own and then its parent ({@code forktest bomb daemons})
 * is out of ^C's reach, as a Unix daemon is; it fills the process table, so the shell
 * cannot start kill. The monitor's killall (Ctrl-A c) ends it: the kernel kills every
 * process but init (kernel-exo: destroys every environment but the file server's and
 * init) under its own lock, init starts a new shell, the shell runs commands, and the
 * image is clean. And the monitor's kills answer a wrong id in one line.
 */
@Timeout(240)
class MonitorKillTest {
    @TempDir
    Path dir;

    static Stream<Arguments> systemsAndHarts() {
        return Stream.of(Flavour.values()).flatMap(f -> Stream.of(1, 3).map(h -> Arguments.of(f, h)));
    }

    @ParameterizedTest(name = "{0} on {1} harts")
    @MethodSource("systemsAndHarts")
    void killallInTheMonitorEndsAForkBombOfDaemonsThatCtrlCCannotReach(Flavour system, int harts) throws Exception {
        boolean exo = system == Flavour.EXO;
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img, harts)) {
            int at = t.waitFor("$ ");
            String before = t.monitor(at, "ps"); // init, the shell (kernel-exo: and the boot chain)
            at += before.length();
            java.util.Set<Long> others = ids(before);
            t.type("forktest bomb daemons\n");
            at = t.waitFor("fork bomb\n", at);
            at = t.waitForTasks(at, "forktest", 48); // the table three quarters full, and filling
            t.type("\u0003");
            // ^C has done what it does once the shell's prompt is back (renewed, or after
            // the command it waited for): the kernel (kernel-exo: the console server) has
            // marked every process it kills before then.
            at = t.waitFor("$ ", t.waitFor("^C", at));
            // Out of ^C's reach means the bomb forks on: a killed process forks no more, so a
            // process newer than every one the monitor's ps (which needs no free slot) lists
            // now was forked by one ^C left alone. But the bomb stops forking by itself once
            // it fills what its shell lets it hold (the table on xv6; kernel-exo's server
            // gives a shell's command all but a reserve): each of its processes exits only
            // after two forks, and holds its first child's zombie meanwhile, so with every
            // slot taken none comes free again (on both kernels, in seconds at a loaded
            // suite's pace). So the monitor kills every other process of the bomb: about half
            // of them are init's (their parents forked twice and left), whose ends init
            // reaps, and the slots that frees are taken by the forks of those left.
            String ps = t.monitor(at, "ps");
            at += ps.length();
            java.util.List<Long> bomb = ids(ps).stream().filter(id -> !others.contains(id)).sorted().toList();
            for (int i = 0; i < bomb.size(); i += 2) at += t.monitor(at, "kill " + bomb.get(i)).length();
            long newest = newestId(ps);
            for (int i = 0; i < 300 && newestId(ps) <= newest; i++) {
                Thread.sleep(200);
                ps = t.monitor(at, "ps");
                at += ps.length();
            }
            assertTrue(newestId(ps) > newest, "the bomb forked no more after ^C: ^C reached it:\n" + ps);
            long left = TerminalSession.countNamed(ps, "forktest");
            assertTrue(left > 10, "the bomb must be out of ^C's reach for this test to mean anything:\n" + ps);
            String reply = t.monitor(at, "killall");
            at += reply.length();
            assertTrue(reply.matches(exo ? "(?s).*\\(monitor\\) killall\ndestroyed \\d+ environments \\(all but the file server's and init.*"
                    : "(?s).*\\(monitor\\) killall\nkilled \\d+ processes \\(all but init.*"), reply);
            at = t.waitFor("init: starting sh\n$ ", at);
            // Killed processes die at their next trap (kernel-exo: their server reaps their
            // destroyed environments), and init reaps the orphaned zombies: up to a minute
            // (a bound for a kernel that never kills them, not a guess at the host's speed).
            String list = "";
            for (int i = 0; i < 300; i++) {
                list = t.processList(at, "m" + i);
                at += list.length();
                if (TerminalSession.countNamed(list, "forktest") == 0) break;
                Thread.sleep(200);
            }
            assertEquals(0, TerminalSession.countNamed(list, "forktest"), "forktest bomb daemons survived killall:\n" + list);
            t.type("echo after\n");
            at = t.waitFor("after\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /** The highest id of a task the monitor's ps lists (ids only grow). */
    private static long newestId(String ps) {
        return ids(ps).stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** The ids of the tasks the monitor's ps lists. */
    private static java.util.Set<Long> ids(String ps) {
        return ps.lines().filter(l -> l.matches(" *\\d+ +(\\d+|-) +.*")).map(l -> Long.parseLong(l.strip().split(" +")[0]))
                .collect(java.util.stream.Collectors.toSet());
    }
}
