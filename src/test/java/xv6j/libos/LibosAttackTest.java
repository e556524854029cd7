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
import xv6j.tools.Fsck;

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
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.bootChecked(img, script, harts, harts == 1, checkEvery);
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("invariants broken") || r.output().contains("exo panic"), r.output());
        assertFalse(r.output().contains("FAIL"), r.output());
        assertTrue(Fsck.check(img).clean(), "fsck after the session: " + Fsck.check(img).summary());
        return r.output();
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

    /** Issue 9, finding 1: no process gets kv's blocks by passing its own code for kv, or by changing kv. */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2})
    void noProcessGetsAnotherProgramsStorage(int harts) throws Exception {
        String out = run("kv put secret 42\nkvsteal\nkv get secret\n", harts);
        assertTrue(out.contains("kvsteal: passed\n"), out);
        assertTrue(out.contains("$ kv get secret\n42\n"), out);
    }
}
