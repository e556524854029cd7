package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import xv6j.tools.Fsck;

/**
 * The keys people reach for first, typed into each kernel's shell: arrows edit the line
 * being typed, Up and Down bring back earlier lines, ^C throws the line away and interrupts
 * the command the shell waits for (and its children), never the shell. The xv6 kernel does
 * this in its console driver, kernel-exo's LibOS in its file server: the same keys give the
 * same screens.
 */
@Timeout(120)
class ConsoleKeysTest {
    static final String LEFT = "\u001b[D", RIGHT = "\u001b[C", UP = "\u001b[A", DOWN = "\u001b[B";
    static final String HOME = "\u001b[H", END = "\u001b[F", DELETE = "\u001b[3~", CTRL_C = "\u0003";

    @TempDir
    Path dir;

    private String run(Flavour system, String script) throws Exception {
        Flavour.Run r = system.boot(system.freshImage(dir), script);
        assertEquals(0, r.status(), r.output());
        return r.output();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void arrowsHomeEndAndDeleteEditTheLineBeingTyped(Flavour system) throws Exception {
        String out = run(system, "echo wrld" + LEFT + LEFT + LEFT + "o" + END + "!\n"
                + "cho hi" + HOME + "e\n"
                + "echo abXc" + LEFT + LEFT + DELETE + RIGHT + "\b\bZ\n"
                + "echo one" + LEFT + LEFT + LEFT + LEFT + "\u001bOC\u001bOP\u001b[5~t\n");
        assertTrue(out.contains("\nworld!\n"), out);
        assertTrue(out.contains("\nhi\n"), out);
        assertTrue(out.contains("\naZ\n"), "Delete under the cursor, backspace before it: " + out);
        assertTrue(out.contains("\ntone\n"), "ESC O C is right too; F1 and Page Up are ignored: " + out);
        assertFalse(out.contains("exec") && out.contains("failed"), out);
    }

    /** A line longer than the console's buffer (128 bytes) is typed whole: what does not fit waits, nothing is lost. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aLineLongerThanTheBufferLosesNothing(Flavour system) throws Exception {
        String a = "a".repeat(300);
        String out = run(system, "echo " + a + "\necho next\n");
        assertTrue(out.contains("\n" + a + "\n"), out);
        assertTrue(out.contains("$ echo next\nnext\n") || out.contains("\nnext\n"), out);
        assertFalse(out.contains("aecho next"), "the next line was not joined to a cut one: " + out);
    }

    /**
     * At a terminal, ^D at the first shell's prompt ends that shell, and init starts
     * another, as xv6's init does: on both kernels the session goes on, and only Ctrl-A x
     * (close) ends it, with a clean halt. (With a script, both halt once it is used up.)
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlDAtTheFirstShellStartsAnotherAndOnlyCtrlAXEndsTheSession(Flavour system) throws Exception {
        try (TerminalSession t = new TerminalSession(system, system.freshImage(dir))) {
            int at = t.waitFor("init: starting sh\n$ ");
            t.type("\u0004");
            at = t.waitFor("init: starting sh\n$ ", at);
            t.type("echo still here\n");
            t.waitFor("still here\n$ ", at);
        }
    }

    /** ^D at kv's prompt (kernel-exo): kv ends its line as it leaves. Before, the shell's "$ " followed "kv> ". */
    @org.junit.jupiter.api.Test
    void ctrlDAtKvsPromptLeavesTheShellsPromptOnALineOfItsOwn() throws Exception {
        try (TerminalSession t = new TerminalSession(Flavour.EXO, Flavour.EXO.freshImage(dir))) {
            int at = t.waitFor("$ ");
            t.type("kv\n");
            at = t.waitFor("kv> ", at);
            t.type("put a 1\n");
            at = t.waitFor("kv> ", at);
            t.type("\u0004");
            // The LibOS echoes ^D as xv6 does, its own byte, which a terminal does not show.
            int end = t.waitFor("$ ", at);
            assertEquals("\n$ ", t.screen().substring(at, end).replace("\u0004", ""), t.screen());
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void upAndDownBringBackEarlierLines(Flavour system) throws Exception {
        String out = run(system, "echo a\necho b\n" + UP + UP + "\n" + UP + UP + UP + DOWN + "\n"
                + "echo draft" + UP + DOWN + "!\n");
        // What the commands printed, in order (the lines that are not the shell's echo of them).
        var printed = out.lines().filter(l -> !l.startsWith("$ ") && !l.startsWith("init:")).toList();
        assertEquals(java.util.List.of("a", "b", "a", "b", "draft!"), printed,
                "two lines back is echo a; three back and one forward, echo b; Down past the newest"
                        + " line gives back what was being typed: " + out);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCAtThePromptThrowsTheLineAwayAndPromptsAgain(Flavour system) throws Exception {
        String out = run(system, "echo bad" + CTRL_C + "echo good\n");
        assertTrue(out.contains("$ echo bad^C\n") && out.contains("echo good\n$ good\n"), out);
        assertFalse(out.contains("\nbad\n"), out);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCKillsAProgramReadingTheConsoleAndTheShellGoesOn(Flavour system) throws Exception {
        String out = run(system, "cat\nabc\n" + CTRL_C + "echo after\n");
        assertTrue(out.contains("$ cat\nabc\nabc\n^C\n"), out);
        assertTrue(out.contains("\n$ after\n"), "what was typed after ^C went to the shell, not the killed cat: " + out);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCAtATerminalInterruptsALongCommandAndItsChildren(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img)) {
            int at = t.waitFor("$ ");
            t.type("grind\n");
            at = t.waitFor("grind: round 0\n", at);
            t.type("ech" + CTRL_C);
            // A grind child that faults on purpose may print its death between ^C and the prompt.
            at = t.waitFor("$ ", t.waitFor("^C\n", at));
            t.type("echo alive\n");
            at = t.waitFor("$ ", t.waitFor("alive\n", at));
            // The workers were killed with grind; each dies at its next step, soon. ^P lists
            // the processes until none is left.
            String list = "";
            for (int i = 0; i < 300; i++) { // (a minute: a bound for a kernel that never kills them)
                list = processes(t, at, "m" + i);
                at += list.length();
                if (!list.matches("(?s).*\\n\\d+ (run|runble|sleep|used) +grind\\n.*")) break;
                Thread.sleep(200);
            }
            assertFalse(list.matches("(?s).*\\n\\d+ (run|runble|sleep|used) +grind\\n.*"),
                    "^P lists no grind or worker still running: " + list);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * A shell started from the shell owns ^C while it runs: ^C kills its command, never it,
     * also at its own prompt; when it ends (^D), ^C is the first shell's again. ^P counts
     * the shells, so a ^C that killed the inner one would show.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aShellStartedFromTheShellOwnsCtrlCUntilItEnds(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img)) {
            int at = t.waitFor("$ ");
            t.type("sh\n");
            at = t.waitFor("sh\n$ ", at);
            t.type("cat\nabc\n");
            at = t.waitFor("abc\nabc\n", at);
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            String list = processes(t, at, "m1");
            assertEquals(2, count(list, "sh"), "^C killed cat, not the inner shell: " + list);
            assertEquals(0, count(list, "cat"), list);
            at = t.waitFor("m1\n$ ", at);

            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("echo inner\n");
            at = t.waitFor("inner\n$ ", at);
            list = processes(t, at, "m2");
            assertEquals(2, count(list, "sh"), "^C at the inner prompt kills no shell: " + list);
            at = t.waitFor("m2\n$ ", at);

            t.type("\u0004");
            at = t.waitFor("$ ", at);
            list = processes(t, at, "m3");
            assertEquals(1, count(list, "sh"), "^D ended the inner shell: " + list);
            at = t.waitFor("m3\n$ ", at);
            t.type("cat\nxyz\n");
            at = t.waitFor("xyz\nxyz\n", at);
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("echo outer\n");
            at = t.waitFor("outer\n$ ", at);
            list = processes(t, at, "m4");
            assertEquals(1, count(list, "sh"), "the first shell took ^C back and killed cat: " + list);
            assertEquals(0, count(list, "cat"), list);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * A program the shell runs may claim the console as a shell would (it descends from
     * the shell), but one that then neither reads the console nor waits for a child (for
     * longer than a shell takes between the two) is no shell: ^C kills it with its
     * children, and the shell below goes on. Before, it was deaf to ^C for good, its
     * spinning child too. One ^C, typed once the program says it has run past the grace
     * in its own time (which the test cannot see, and a loaded host stretches without
     * bound on the wall clock): a grown grace that the key arrives within fails the case
     * (with LISTEN_GRACE 4, the xv6 kernel's never prompted again; kernel-exo's ran a
     * tick more before the key reached its console server, and passed). Before, ^C was
     * typed again each second until the prompt came back, which no grace could fail.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCKillsAProgramThatClaimedTheConsoleAndNeitherReadsNorWaits(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img)) {
            int at = t.waitFor("$ ");
            for (String args : new String[] {"", " fork"}) {
                t.type("ctrlcdeaf" + args + "\n");
                at = t.waitFor("ctrlcdeaf: past a shell's grace; spinning\n", at);
                t.type(CTRL_C);
                at = t.waitFor("^C\n$ ", at);
                t.type("echo after" + args.trim() + "\n");
                at = t.waitFor("after" + args.trim() + "\n$ ", at);
            }
            String list = listingWithout(t, at, "ctrlcdeaf");
            assertEquals(0, count(list, "ctrlcdeaf"), "^C killed both programs and the child: " + list);
            assertEquals(1, count(list, "sh"), list);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * A program that claims the console, reads a line as a shell at its prompt would and
     * then sleeps for good, on the clock or on a pipe, never runs again: its own time never
     * passes the grace, so only where it sleeps tells it from a shell. The xv6 kernel took
     * any sleep but the console's and a child's for a shell between prompt and command:
     * ^C killed nothing, and the shell below waited for ever. kernel-exo, with the program
     * asleep on the pipe, had nothing left that could run, tick or read a key (the shell
     * waits on its word, the LibOS takes keys in only during calls): the machine halted,
     * and the ^C typed next found no machine. Now the file server's thread listens for
     * typed keys (EV_KEY) and wakes the shells, whose wait takes ^C in. On each kernel, on
     * one hart and on three.
     */
    @ParameterizedTest
    @CsvSource({"KERNEL, 1", "KERNEL, 3", "EXO, 1", "EXO, 3"})
    void ctrlCKillsAProgramThatClaimedTheConsoleReadALineAndSleepsOnTheClockOrAPipe(Flavour system, int harts) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img, harts)) {
            int at = t.waitFor("$ ");
            for (String mode : new String[] {"sleep", "pipe"}) {
                t.type("ctrlcdeaf " + mode + "\n");
                at = t.waitFor("ctrlcdeaf: the console is ours; a line?\n", at);
                t.type("hello\n");
                at = t.waitForAsleep(t.waitFor("ctrlcdeaf: read 6 bytes; asleep on the ", at), "ctrlcdeaf", 1);
                t.type(CTRL_C);
                at = t.waitFor("^C\n$ ", at);
                t.type("echo after " + mode + "\n");
                at = t.waitFor("after " + mode + "\n$ ", at);
            }
            String list = listingWithout(t, at, "ctrlcdeaf");
            assertEquals(0, count(list, "ctrlcdeaf"), "^C killed both sleepers: " + list);
            assertEquals(1, count(list, "sh"), list);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * The same on the virtual clock (make qemu DET=1), where an idle machine ticks only
     * for someone waiting for a tick: kernel-exo's file server listens for the key and
     * wakes the shell, and ticks until a call has taken the key in (a shell that asked
     * just before the key came sleeps through the wake-up, and only a tick ends its wait).
     */
    @ParameterizedTest
    @CsvSource({"KERNEL, 1, pipe", "KERNEL, 1, sleep", "EXO, 1, pipe", "EXO, 3, pipe"})
    void onTheVirtualClockCtrlCKillsAProgramThatClaimedTheConsoleReadALineAndSleepsOnAPipeOrTheClock(Flavour system, int harts, String mode) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = TerminalSession.virtualClock(system, img, harts)) {
            int at = t.waitFor("$ ");
            t.type("ctrlcdeaf " + mode + "\n");
            at = t.waitFor("ctrlcdeaf: the console is ours; a line?\n", at);
            t.type("hello\n");
            at = t.waitForAsleep(t.waitFor("ctrlcdeaf: read 6 bytes; asleep on the " + (mode.equals("sleep") ? "clock" : "pipe") + "\n", at), "ctrlcdeaf", 1);
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("echo after\n");
            at = t.waitFor("after\n$ ", at);
            String list = listingWithout(t, at, "ctrlcdeaf");
            assertEquals(0, count(list, "ctrlcdeaf"), "^C killed the sleeper: " + list);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * What tells a deaf sleeper from a shell keeps a real one: a shell started from the
     * shell survives ^C at its prompt, while it waits for a deaf sleeper of its own (which
     * ^C kills, and the inner shell prompts), and while it waits for cat, on one hart and
     * on three. On kernel-exo the sleeper sleeps on a pipe, so that nothing but the key
     * can wake the two shells waiting on their words.
     */
    @ParameterizedTest
    @CsvSource({"KERNEL, 1, sleep", "KERNEL, 3, sleep", "EXO, 1, pipe", "EXO, 3, pipe"})
    void aNestedShellSurvivesCtrlCThatKillsTheDeafSleeperItRan(Flavour system, int harts, String mode) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img, harts)) {
            int at = t.waitFor("$ ");
            t.type("sh\n");
            at = t.waitFor("sh\n$ ", at);
            // Both shells asleep, the inner one at its prompt: a shell by what it waits for,
            // not by a grace it might still be within, on its way from prompt to read. (On
            // kernel-exo a key, ^P's too, wakes the processes waiting on the console, and a
            // listing seldom shows the shells asleep.)
            if (system == Flavour.KERNEL) at = t.waitForAsleep(at, "sh", 2);
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("ctrlcdeaf " + mode + "\n");
            at = t.waitFor("ctrlcdeaf: the console is ours; a line?\n", at);
            t.type("hello\n");
            at = t.waitForAsleep(t.waitFor("asleep on the " + (mode.equals("sleep") ? "clock" : "pipe") + "\n", at), "ctrlcdeaf", 1);
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            t.type("cat\nabc\n");
            at = t.waitFor("abc\nabc\n", at);
            if (system == Flavour.KERNEL) at = t.waitForAsleep(at, "sh", 2); // the inner one waiting for cat
            t.type(CTRL_C);
            at = t.waitFor("^C\n$ ", at);
            String list = listingWithout(t, at, "ctrlcdeaf", "cat");
            assertEquals(2, count(list, "sh"), "no ^C killed the inner shell: " + list);
            assertEquals(0, count(list, "ctrlcdeaf") + count(list, "cat"), list);
            t.type("\u0004echo outer\n"); // ^D ends the inner shell; the outer one runs the line
            t.waitFor("outer\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * A background program that says it is the interactive shell, again and again, is
     * refused: ^C still kills the shell's command. (The xv6 kernel's stealer claims every
     * tick, the LibOS's at every key: ^P, which no reader gets, is pressed until it has.)
     * The command is cat writing into a file its process makes before it execs cat, and
     * the stealer says when it has claimed after it saw the file: ^C comes after a claim
     * made during the command, however slow the host.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBackgroundProgramCannotTakeCtrlCFromTheShellsCommand(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = new TerminalSession(system, img)) {
            int at = t.waitFor("$ ");
            t.type("ctrlcsteal 30 /stolen &\n");
            at = t.waitFor("&\n$ ", at);
            t.type("cat > /stolen\n");
            at = t.waitForPressingCtrlP("ctrlcsteal: claimed after /stolen was made\n", at);
            t.type(CTRL_C);
            int killed = t.waitFor("^C\n", at);
            // The stealer's last line, after its ticks, may come before the prompt or after it.
            at = Math.max(t.waitFor("$ ", killed), t.waitFor("ctrlcsteal: the console refused our claims\n", killed));
            t.type("echo after\n");
            at = t.waitFor("after\n$ ", at);
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    /**
     * ^C ends a program in the middle of one long write to the console: the kill is seen
     * between the pieces the kernel copies, not after the last of 32 MiB (eight seconds on
     * this slow terminal; minutes on a real one). Before, the whole buffer went out first.
     * (Half of it may go out after the ^C is typed: room for a loaded host to be slow.)
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCStopsOneLongWriteToTheConsolePartWay(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (TerminalSession t = TerminalSession.slow(system, img)) {
            int at = t.waitFor("$ ");
            t.type("floodcons 32\n");
            at = t.waitFor("floodcons: 33554432 bytes in one write\n", at);
            at = t.waitFor("........", at);
            t.type(CTRL_C);
            at = t.waitFor("^C", at);
            at = t.waitFor("$ ", at);
            t.type("echo after\n");
            t.waitFor("after\n$ ", at);
            String screen = t.screen();
            long dots = screen.chars().filter(c -> c == '.').count();
            assertTrue(dots < 16 << 20, dots + " of the 32 MiB went out, ^C or not");
            assertFalse(screen.contains("floodcons: wrote"), "floodcons was killed in its write");
        }
    }

    /**
     * ^P at the prompt, while a background job computes on the other hart, lists the shell
     * asleep (in its read, as xv6's procdump finds it) and the job running, in xv6's words.
     * kernel-exo listed both as `runble`: the shell's environment is on a hart then, running
     * the call that took the ^P in, and ENV_INFO did not say which runnable one had a hart.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlPListsTheShellAsleepAndABackgroundJobRunning(Flavour system) throws Exception {
        try (TerminalSession t = new TerminalSession(system, system.freshImage(dir), 2)) {
            int at = t.waitFor("$ ");
            t.type("spin 1000 &\n");
            at = t.waitFor("$ ", t.waitFor("spin 1000 &\n", at));
            t.waitForListed(at, "run", "spin");
            String listings = t.screen().substring(at);
            assertTrue(listings.contains("\n2 sleep  sh\n"), listings);
            assertFalse(listings.matches("(?s).*\n2 (?!sleep  sh\n).*"), "the shell (pid 2) was listed awake:\n" + listings);
        }
    }

    /**
     * ^P's listing, typed at the prompt at from, with echo mark after it to find its end: the
     * screen up to the marker's output (its typed echo may be interleaved with the listing).
     */
    private static String processes(TerminalSession t, int from, String mark) throws Exception {
        t.type("\u0010echo " + mark + "\n");
        int end = t.waitFor("\n" + mark + "\n", from);
        return t.screen().substring(from, end);
    }

    /**
     * ^P's listing, typed at the prompt at from, again every 200 ms until it shows no
     * process with any of names (a killed process dies at its next trap: the LibOS's,
     * within a few ticks, which a loaded host stretches), or for a minute; the last one.
     */
    private static String listingWithout(TerminalSession t, int from, String... names) throws Exception {
        String list = "";
        for (int i = 0; i < 300; i++) {
            list = processes(t, from, "m" + i);
            from += list.length();
            String l = list;
            if (java.util.Arrays.stream(names).allMatch(n -> count(l, n) == 0)) break;
            Thread.sleep(200);
        }
        return list;
    }

    /** How many processes named name a ^P listing shows. */
    private static long count(String list, String name) {
        return list.lines().filter(l -> l.matches("\\d+ \\S+ +" + name)).count();
    }
}
