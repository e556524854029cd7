package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ctrl-A h lists the console's keys; Ctrl-A c opens the monitor on the running system
 * (its processes or environments, harts, memory, disk, capabilities) and Ctrl-A c goes
 * back to the shell, which has kept running; the monitor's kill answers a wrong id or group
 * in one line and kills a right one (the shell: init starts a new one). Each kernel
 * answers through its own xv6j.machine.KernelView.
 */
@Timeout(120)
class MonitorTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theMonitorShowsTheRunningSystemKillsWhatItIsToldAndGoesBackToTheShell(Flavour system) throws Exception {
        boolean exo = system == Flavour.EXO;
        try (TerminalSession t = new TerminalSession(system, system.freshImage(dir))) {
            int at = t.waitFor("$ ");
            t.type("\u0001h");
            at = t.waitFor("Ctrl-A c ", at);
            t.type("\u0001cps\n");
            at = t.waitFor("(monitor) ps\n", at);
            int psAt = at;
            at = t.waitFor(exo ? " environments\n(monitor) " : " processes\n(monitor) ", at);
            String ps = t.screen().substring(psAt, at);
            if (exo) {
                // Named by program, as xv6's ^P names processes, with the LibOS's pid where there is one.
                assertTrue(ps.matches("(?s) +ENV +PARENT +NAME +STATE +MEMORY.*\\n +2 +1 +fsserver +\\w+ +\\d+ (KiB|MiB) +\\d+ capabilities.*"), ps);
                assertTrue(ps.matches("(?s).*\\n +\\d+ +2 +init +\\w+ +\\d+ KiB +pid 1, \\d+ capabilities.*"), ps);
                assertTrue(ps.matches("(?s).*\\n +\\d+ +\\d+ +sh +\\w+ +\\d+ KiB +pid 2, \\d+ capabilities.*"), ps);
            } else {
                assertTrue(ps.matches("(?s).*\\n +1 +- +init +sleeping +\\d+ KiB +3 open files\\n.*"), ps);
                assertTrue(ps.matches("(?s).*\\n +2 +1 +sh +(sleeping|running|runnable) +\\d+ KiB .*"), ps);
            }
            t.type("harts\nfree\ncaps 2\nnonsense\n");
            int from = at;
            at = t.waitFor("unknown command nonsense; help lists them\n(monitor) ", at);
            String s = t.screen().substring(from, at);
            assertTrue(s.matches("(?s)harts\\nhart 0: .+ +pc 0x[0-9a-f]+, [\\d,]+ instructions\\n.*"), s);
            assertTrue(s.matches("(?s).*\\nmemory: [\\d,]+ of 32,768 pages free \\(\\d+ MiB of 128 MiB\\)\\n"
                    + "disk: +[\\d,]+ of 1,953 data blocks of the file system free" + (exo ? "; %,d blocks after it".formatted(xv6j.libos.LibosRun.EXTRA_BLOCKS) : "") + "\\n.*"), s);
            if (exo) assertTrue(s.matches("(?s).*\\n +\\d+ +blocks +RW.*\\n\\d+ capabilities\\n.*"), "the file server holds disk blocks: " + s);
            else assertTrue(s.contains("xv6 has no capabilities"), s);
            t.type("\u0001cecho back\n");
            at = t.waitFor("back\n$ ", at);

            // The monitor's kills: a wrong id or group gets one line; a right one is carried out.
            t.type("\u0001ckill 1\nkill 9999\nkill -g 9999\nkill 2\n");
            from = at;
            at = t.waitFor("(monitor) kill 2\n", at);
            at = t.waitFor("\n(monitor) ", at);
            s = t.screen().substring(from, at);
            if (exo) {
                assertTrue(s.contains("kill 1\nkill: env 1 is the first environment: its end is the machine's; killall spares it too\n"), s);
                assertTrue(s.contains("kill 9999\nkill: no environment 9999\n"), s);
                assertTrue(s.contains("kill -g 9999\nkill: process groups are the LibOS's, not kernel-exo's: kill ENV, or killall\n"), s);
                assertTrue(s.contains("kill 2\nkill: env 2 is a library OS's server, which every process of it calls; killall spares it too\n"), s);
                // The shell, as ps names it.
                int sh = Integer.parseInt(ps.replaceAll("(?s).*\n +(\\d+) +\\d+ +sh [^\n]*\n\\d+ environments\n.*", "$1"));
                t.type("kill " + sh + "\n");
                at = t.waitFor("destroyed env " + sh + "\n(monitor) ", at);
            } else {
                assertTrue(s.contains("kill 1\nkill: init (pid 1) cannot be killed: it reaps every orphan\n"), s);
                assertTrue(s.contains("kill 9999\nkill: no process 9999\n"), s);
                assertTrue(s.contains("kill -g 9999\nkill: no process but init is in group 9999\n"), s);
                assertTrue(s.contains("kill 2\nkilled process 2\n"), "the shell: " + s);
            }
            t.type("\u0001c");
            at = t.waitFor("init: starting sh\n$ ", at);
            t.type("echo again\n");
            t.waitFor("again\n$ ", at);
        }
    }
}
