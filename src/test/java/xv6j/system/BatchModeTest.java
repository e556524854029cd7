package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * `printf 'ls\n...' | java -jar kernel.jar fs.img` (or kernel-exo.jar fs-exo.img) in a real
 * process: with standard input a pipe, the script runs as typed, and the machine halts by
 * itself with status 0 once the script is used up, the image consistent.
 */
@Timeout(120)
class BatchModeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aPipedScriptRunsAndTheMachineHaltsCleanlyWithStatusZero(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.runJar(img, "echo one > f\ncat f\nls f\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertTrue(out.contains("$ cat f\none\n"), out);
        assertTrue(out.matches("(?s).*\\nf +2 \\d+ 4\\n.*"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * A CPU-bound background job does not hold the script: the shell, waiting at its
     * prompt, gets the next line while the job computes, as a user would type it. Before,
     * a line was typed only when every process slept, so `echo hi` waited for spin's end
     * (and for ever behind a job that never ends). In virtual time, so the point where the
     * line comes is the same on every run.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBusyBackgroundJobDoesNotHoldTheScriptsNextLine(Flavour system) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir), "spin 30 &\necho hi\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        int hi = out.indexOf("echo hi\nhi\n"), done = out.indexOf("spin: 30 ticks done\n");
        assertTrue(hi >= 0 && done >= 0, out);
        assertTrue(hi < done, "echo hi ran while spin computed: " + out);
    }

    /**
     * A command that waits for something no process will ever do, with nobody waiting for
     * input, is no finished script: the kernel names the sleeper and what it waits for, and
     * halts with status 1, so a deadlock (a lost wake-up in the kernel, or a program's own)
     * cannot pass for a clean end with its output cut short. kernel-exo names each
     * environment as the monitor's ps does: its id (all the kernel knows), then the program
     * and LibOS pid from its hand-off. Each sleeper is named, a name's control bytes escaped
     * (escname's "e ESC [7m x" as e\x1b[7mx): no ESC reaches the terminal.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aCommandThatCanNeverBeWokenEndsTheRunWithStatusOneAndSaysWhoWaitsForWhat(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "echo start\npipewait &\nescname stuck\n", null);
        String out = r.output();
        assertEquals(1, r.status(), out);
        assertTrue(out.contains("start\n"), out);
        String line = (system == Flavour.KERNEL ? "kernel" : "kernel-exo") + ": the script is done and nothing can wake ";
        int at = out.indexOf(line);
        assertTrue(at >= 0, out);
        String stuck = out.substring(at, out.indexOf('\n', at));
        for (String name : new String[] {"pipewait", "e\\x1b[7mx"}) {
            String who = system == Flavour.KERNEL
                    ? "pid \\d+ \\(" + Pattern.quote(name) + "\\) waiting for pipe read"
                    : "env \\d+ \\(" + Pattern.quote(name) + ", pid \\d+\\) \\(waiting on the word at pa 0x[0-9a-f]+\\)";
            assertTrue(Pattern.compile(who).matcher(stuck).find(), stuck);
        }
        assertFalse(out.contains("\u001b"), "an ESC reached the terminal:\n" + out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
