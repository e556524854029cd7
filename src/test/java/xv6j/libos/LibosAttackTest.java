package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile programs started from the LibOS's shell, as a user would start them, with
 * kernel-exo's invariant checker on (every 1000 kernel entries unless said otherwise,
 * and after the halt). Each
 * attack must fail, and the shell, the file server and kv must go on working for
 * everyone else; the image stays fsck-clean.
 */
@Timeout(300)
class LibosAttackTest {
    @TempDir
    Path dir;

    private String run(String script, int harts) throws Exception {
        return run(script, harts, 1000);
    }

    /** checkEvery: the invariant checker after every this many kernel entries (it walks all of memory). */
    private String run(String script, int harts, long checkEvery) throws Exception {
        return LibosRun.attack(dir, script, harts, checkEvery);
    }

    /**
     * A program that takes all the memory it can, every way (heap, pages, environments, page
     * tables), gets its quota and no more: meanwhile ls, cat and kv work, afterwards every
     * page is back and usertests' memory tests pass.
     */
    @Test
    void aMemoryHogTakesOnlyItsQuotaWhileTheShellTheServerAndKvKeepWorking() throws Exception {
        // (The checker less often: each check walks the tens of thousands of pages the hog holds.)
        String out = run("memhog measure\nmemhog 20 &\nls kv\ncat storage\nkv put k v\nkv get k\n"
                + "memhog measure 30\nusertests memexhaust sbrkall mallocall forkfail\n", 1, 50_000);
        int hog = out.indexOf("memhog: holding its quota");
        assertTrue(hog >= 0 && hog < out.indexOf("kv             2"), "ls ran while the hog held its memory: " + out);
        assertTrue(out.contains("$ cat storage\n/kv 0 1000\n"), out);
        assertTrue(out.contains("$ kv get k\nv\n"), out);
        Matcher m = Pattern.compile("memhog: could take (\\d+) pages\n").matcher(out);
        assertTrue(m.find(), out);
        String before = m.group(1);
        assertTrue(m.find(), out);
        assertEquals(before, m.group(1), "every page came back: " + out);
        assertTrue(out.contains("ALL TESTS PASSED"), out);
    }

    /**
     * An exec of a program whose bss reaches the top of what a program may use, far more
     * than the machine's memory, which the file server builds from the caller's memory in
     * one call (SRV_EXEC): refused once the memory runs out, with every page it took back
     * (the free count the same before and after), the server and the shell working on.
     */
    @Test
    void anExecLargerThanTheMemoryIsRefusedWithEveryPageBack() throws Exception {
        String out = run("execflood 1\necho after\n", 1, 50_000);
        assertEveryPageBackAndTheShellOn(Pattern.compile("execflood: 1 of 1 execs refused, .*memory free (\\d+) pages before, (\\d+) after\n").matcher(out), 1, out);
    }

    /** m finds its line, whose free counts in groups before and before + 1 are the same; the shell ran on. */
    private static void assertEveryPageBackAndTheShellOn(Matcher m, int before, String out) {
        assertTrue(m.find(), out);
        assertEquals(m.group(before), m.group(before + 1), out);
        assertTrue(out.contains("$ echo after\nafter\n"), out);
    }

    /**
     * Two hostile execs at once, each of an image larger than the memory, which the file server
     * builds in pieces (SRV_EXEC says "again" after EXEC_PIECE pages): a process calling the
     * server in a loop meanwhile is served between the pieces, each of its calls within 4 of the
     * machine's ticks (one hart, virtual time: the three other runnable processes each have a
     * one-tick slice, so a call may wait three slices for the hart, build or no build, and a
     * tick more for its measure's rounding; 3 in this run). Built in one call, each build held
     * every other call to the server for its whole length (9 ticks in this run before
     * execpieces). Both builders take turns with the one build area, both are refused, and every
     * page comes back.
     */
    @Test
    void anotherProcessesCallsAreServedWithinTicksWhileTwoHostileExecsAreBuilt() throws Exception {
        String out = run("execflood 1 2\necho after\n", 1, 50_000);
        Matcher m = Pattern.compile("execflood: 2 of 2 execs refused, the longest (\\d+) ticks; the looping process's longest call (\\d+) ticks"
                + " .*memory free (\\d+) pages before, (\\d+) after\n").matcher(out);
        assertEveryPageBackAndTheShellOn(m, 3, out);
        assertTrue(Integer.parseInt(m.group(2)) <= 4, "the looping process's call waited for a build: " + m.group(0));
    }

    /**
     * Builders that give up in the middle of an exec built in pieces: one destroys its own
     * environment, one is killed, one makes another call (its next piece is refused), one
     * blocks for good beside an honest exec (which takes the build area from it and runs),
     * one yields for good beside a spinner of its own (the same, within the server's patience).
     * Each build is dropped with every page it took, and the build area goes on serving.
     */
    @Test
    void aBuilderDestroyedKilledOrGoneElsewhereMidExecLosesItsBuildWithEveryPageBack() throws Exception {
        String out = run("execflood drop\necho after\n", 1, 50_000);
        assertTrue(out.contains("execflood: an exec beside a blocked builder ran\n"), out);
        // (red team 20) One that yields for good beside a spinner of its own runs, but its own
        // time stands still: an exec beside it waited for good (still queued 60 ticks on);
        // now the server's patience (EXEC_PATIENCE, 30 ticks of the machine) ends its hold.
        Matcher m = Pattern.compile("execflood: the exec beside a yielding builder ended (\\d+) ticks on\n").matcher(out);
        assertTrue(m.find() && Integer.parseInt(m.group(1)) <= 30 + 3, out);
        assertTrue(out.contains("execflood: an exec beside a yielding builder ran\n"), out);
        assertEveryPageBackAndTheShellOn(Pattern.compile("execflood: drop: memory free (\\d+) pages before, (\\d+) after\n").matcher(out), 1, out);
    }

    /**
     * sbrklazy on the LibOS: lazy heap pages get memory from the process's own memory
     * capability when first touched, by the program or by the LibOS's own copies (read()
     * into one, pipe() into one), stay lazy in a fork's child, and a process that touches
     * more than there is dies alone, with a message: afterwards every page is back.
     */
    @Test
    void lazyPagesComeOnFirstTouchAndAnOutOfMemoryTouchKillsOnlyItsProcessAndGivesEveryPageBack() throws Exception {
        String out = run("memhog measure\nusertests sbrkunder sbrklazy sbrklazyoom\nmemhog measure 30\n", 1, 50_000);
        assertTrue(out.contains("ALL TESTS PASSED"), out);
        assertTrue(out.contains("out of memory for a lazy page"), "the hog was killed at a touch: " + out);
        Matcher m = Pattern.compile("memhog: could take (\\d+) pages\n").matcher(out);
        assertTrue(m.find(), out);
        String before = m.group(1);
        assertTrue(m.find(), out);
        assertEquals(before, m.group(1), "every page came back: " + out);
    }

    /**
     * A program that takes all it can of the file server's tables (process slots, open
     * files, pipes, in-memory inodes) gets its account's share: meanwhile the shell runs a
     * command and a pipeline, and afterwards everything is back.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aTableHogTakesOnlyItsAccountWhileTheShellKeepsWorking(int harts) throws Exception {
        String out = run("tablehog measure 0\ntablehog 12 &\necho during\ncat storage | wc\nls kv\ntablehog measure 20\n", harts);
        int hog = out.indexOf("tablehog: holding");
        assertTrue(hog >= 0 && hog < out.indexOf("echo during\nduring\n"), "the shell ran while the hog held its share: " + out);
        String storage = java.nio.file.Files.readString(java.nio.file.Path.of("user/libos/root/storage"));
        String wc = "%d %d %d ".formatted(storage.lines().count(), storage.trim().split("\\s+").length, storage.length());
        assertTrue(out.contains("$ cat storage | wc\n" + wc + "\n"), out);
        assertTrue(out.matches("(?s).*\\nkv +2 \\d+ \\d+\\n.*"), out);
        Matcher m = Pattern.compile("tablehog: could take (\\d+) processes").matcher(out);
        assertTrue(m.find(), out);
        String before = m.group(1);
        assertTrue(m.find(), out);
        assertEquals(before, m.group(1), "every slot came back: " + out);
    }

    @Test
    void aMemoryHogOnTwoHartsLeavesTheShellWorking() throws Exception {
        String out = run("memhog 10 &\nls kv\nkv put k v\nkv get k\n", 2);
        assertTrue(out.contains("$ kv get k\nv\n"), out);
    }

    /** Processes killed again and again in the middle of their calls; the hammer only dies by force. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void processesKilledInTheMiddleOfFileServerCallsDieAndTheFileSystemStaysWhole(int harts) throws Exception {
        String out = run("killmid 8\nls kv\n", harts);
        assertTrue(out.contains("killmid: 8 rounds: every victim died, the file system works\n"), out);
        assertTrue(out.matches("(?s).*\\nkv +2 \\d+ \\d+\\n.*"), out);
    }

    /** Issue 9, finding 2: no process keeps control of the environment exec makes. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aProcessThatExecsCannotKeepAHoldOnTheNewEnvironment(int harts) throws Exception {
        String out = run("execgrip\necho after\n", harts);
        assertTrue(out.contains("execgrip: our hold on the new environment: rights R|W\n"), out);
        assertTrue(out.contains("execgrip: a copy with GRANT: refused; a CPU for an accomplice: refused\n"), out);
        assertTrue(out.contains("execgrip: the new program runs untouched\n$ echo after\nafter\n"), out);
    }

    /** A process cannot take a long time slice and keep everyone else off its hart for it. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aProcessCannotHoldTheCpuForALongSlice(int harts) throws Exception {
        String out = run("slicehog\necho after\n", harts);
        assertTrue(out.contains("slicehog: a slice of 100 ticks: refused\n"), out);
        assertTrue(out.contains("slicehog: slept 2 ticks, woke after at most 4\n"), out);
        assertTrue(out.contains("$ echo after\nafter\n"), out);
    }

    /** A second kv gets no blocks while one runs: the running one keeps its disk and every put. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void noProcessTakesTheStorageOfARunningProgram(int harts) throws Exception {
        String out = run("kvsnatch\nkv get key99\n", harts);
        assertFalse(out.contains("failed (error"), out);
        assertTrue(out.contains("kv: the file server gives no block range to this program\n"
                + "kvsnatch: a second kv while the first runs: refused\n"), out);
        assertTrue(out.contains("kvsnatch: done\n"), out);
        assertTrue(out.contains("$ kv get key99\nvalue99\n"), out);
    }

    /** A background process cannot make itself the interactive shell and turn ^C away from the shell's command. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void aBackgroundProcessCannotTakeCtrlCFromTheShell(int harts) throws Exception {
        String out = run("ctrlcsteal 10 &\ncat\nabc\n\u0003echo after\n", harts);
        assertTrue(out.contains("cat\nabc\nabc\n^C\n"), out);
        assertTrue(out.contains("\n$ after\n"), "^C killed cat; what was typed after it went to the shell: " + out);
        assertTrue(out.contains("ctrlcsteal: the console refused our claims\n"), out);
    }

    /** kernel-exo prints at most EXO_CONS_MAX bytes a call; a long write is still written whole. */
    @Test
    void aLongConsoleWriteIsWrittenWholeInBoundedCalls() throws Exception {
        String out = run("bigwrite\n", 1);
        assertTrue(out.contains("bigwrite: wrote 10001\n"), out);
    }

    /** Issue 9, finding 1: no process gets kv's blocks by passing its own code for kv, or by changing kv. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void noProcessGetsAnotherProgramsStorage(int harts) throws Exception {
        String out = run("kv put secret 42\nkvsteal\nkv get secret\n", harts);
        assertTrue(out.contains("kvsteal: passed\n"), out);
        assertTrue(out.contains("$ kv get secret\n42\n"), out);
    }
}
