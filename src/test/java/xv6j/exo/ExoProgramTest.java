package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C programs of user/exo, each booted as /init of a fresh image on kernel-exo (one
 * hart, deterministic time, the invariant checker after every kernel entry). Each
 * program checks itself and prints what it saw; a "FAIL" line is a failed check.
 */
@Timeout(120)
class ExoProgramTest {
    @TempDir
    Path dir;

    private ExoRun.Result run(String program, String script) throws Exception {
        ExoRun.Result r = ExoRun.run(dir, program, script);
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
        assertFalse(r.output().contains("panic"), r.toString());
        return r;
    }

    private static void assertLine(ExoRun.Result r, String line) {
        assertTrue(r.output().contains(line + "\n"), "expected the line \"" + line + "\" in\n" + r.output());
    }

    @Test
    void aSpawnedChildRunsOnItsOwnCopyOfTheDataAndItsExitStatusReachesItsParent() throws Exception {
        ExoRun.Result r = run("hello", "");
        assertLine(r, "hello from init: env 1, 7 boot pages");
        assertLine(r, "child: env 2, counter 42");
        assertLine(r, "hello: ok");
    }

    @Test
    void aHostileEnvironmentGetsTheRightErrorForEveryAttackAndTheVictimIsUnchanged() throws Exception {
        ExoRun.Result r = run("hostile", "");
        Matcher m = Pattern.compile("hostile: attacker made (\\d+) checks, 0 failed\n").matcher(r.output());
        assertTrue(m.find(), r.toString());
        assertTrue(Integer.parseInt(m.group(1)) > 250, r.toString());
        assertTrue(r.output().contains("system call 5 is the xv6 kernel's: this program was built for the xv6 kernel, not kernel-exo"), r.toString());
        assertTrue(r.output().contains("unknown system call 0x1ff"), r.toString());
        assertLine(r, "hostile: the victim is unchanged and the kernel alive");
    }

    @Test
    void revokingAPageGrantedThroughThreeEnvironmentsTakesItFromEachWithANotice() throws Exception {
        ExoRun.Result r = run("revoke3", "");
        for (int env = 2; env <= 4; env++)
            assertTrue(Pattern.compile("revoke: env " + env + " lost handle \\d+, saw the notice, cannot reach the page\n")
                    .matcher(r.output()).find(), r.toString());
        assertLine(r, "revoke: ok");
    }

    @Test
    void aFaultHandlerMapsPagesOnDemandAndAFaultWithoutOneEndsTheEnvironmentWithAMessage() throws Exception {
        ExoRun.Result r = run("demandmap", "");
        assertLine(r, "demandmap: 49 pages mapped on demand");
        assertTrue(r.output().contains("exo: env 2: load page fault at pc 0x"), r.toString());
        assertTrue(r.output().contains("address 0x7000008: destroyed"), r.toString());
        assertTrue(r.output().contains("address 0x7000010 in its fault handler: destroyed"), r.toString());
        assertTrue(r.output().contains("exo: env 4: upcall stack 0x31001000 is not writable"), r.toString());
        assertLine(r, "demandmap: ok");
    }

    @Test
    void twoEnvironmentsShareCopyOnWritePagesThroughTheirFaultHandlers() throws Exception {
        ExoRun.Result r = run("cow", "");
        assertLine(r, "cow: parent copied 2 pages, child 2");
        assertLine(r, "cow: ok");
    }

    @Test
    void directedYieldRunsTheTargetNextEveryRound() throws Exception {
        ExoRun.Result r = run("pingpong", "");
        assertLine(r, "pingpong: 1000 rounds, turn 2000");
        // Every yield found the peer had run meanwhile, except pong's last: ping only exited then.
        assertLine(r, "pingpong: directed 1000+999, again 0+0");
        assertLine(r, "pingpong: ok");
    }

    @Test
    void aCpuBoundEnvironmentIsPreemptedAndSoIsABusyInitWhileBothMakeProgress() throws Exception {
        ExoRun.Result r = run("preempt", "");
        Matcher m = Pattern.compile("preempt: busy for (\\d+) ticks, spinner moved (\\d+) times\n").matcher(r.output());
        assertTrue(m.find(), r.toString());
        assertTrue(Integer.parseInt(m.group(2)) >= 2, "init was preempted at least twice: " + r);
        assertLine(r, "preempt: ok");
    }

    @Test
    void blockedEnvironmentsWakeOnTicksChildExitsWakesAndInputAndTheMachineHaltsWhenTheScriptEnds() throws Exception {
        ExoRun.Result r = run("block", "first line\nsecond\n");
        assertLine(r, "block: ticks 0 -> 3");
        assertLine(r, "block: child exited at tick 5");
        assertLine(r, "block: woken from the word; the waker woke 1");
        assertLine(r, "block: read first line");
        assertLine(r, "block: read second");
        assertLine(r, "block: ok");
        assertFalse(r.output().contains("read past the end"), r.toString());
    }

    /**
     * A lost wake-up is not a clean halt: /init's child sleeps on a word no one will wake,
     * /init waits for it, and the script runs out. The machine halted with status 0, as
     * if the run had ended well; now it names the sleeper, not /init (which waits for its
     * child, as a parent does), and halts with status 1. Woken, the same run ends cleanly.
     */
    @Test
    void theScriptEndingWithAnEnvironmentAsleepForEverIsNotACleanHalt() throws Exception {
        ExoRun.Result r = ExoRun.run(dir, "lostwake", "sleep\n");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.output().matches("(?s).*kernel-exo: the script is done and nothing can wake env 2 \\(waiting on the word at pa 0x[0-9a-f]+\\)\n"), r.toString());
        ExoRun.Result woken = ExoRun.run(java.nio.file.Files.createDirectories(dir.resolve("woken")), "lostwake", "wake\n");
        assertEquals(0, woken.status(), woken.toString());
        assertLine(woken, "lostwake: the child ended with 7");
    }

    @Test
    void aProtectedControlTransferCarriesSixArgumentsAndSixResults() throws Exception {
        ExoRun.Result r = run("pct", "");
        assertLine(r, "pct: results 3 6 -37 21885 1 101");
        assertTrue(r.output().contains("checks, all passed\n"), r.toString());
    }

    @Test
    void aRevokedPageFaultsAtTheReadersNextAccess() throws Exception {
        ExoRun.Result r = run("shootdown", "");
        assertLine(r, "shootdown: 10 rounds, the reader faulted in 10, saw the new value 0 times");
    }

    @Test
    void anXv6BinaryIsToldItWasBuiltForTheXv6Kernel() throws Exception {
        Path img = ExoRun.image(dir, ExoRun.program("kernel", "echo"));
        ExoRun.Result r = ExoRun.boot(img, "", ExoRun.Options.defaults());
        // The first environment's: the image is the xv6 kernel's, and the machine halts with status 1.
        assertEquals(1, r.status(), r.toString());
        assertEquals("kernel-exo: " + img + " was made for the xv6 kernel (its init made the xv6 kernel's system call 16),"
                + " not for kernel-exo: boot it with make qemu, or scripts/kernel\n", r.output(), r.toString());
    }
}
