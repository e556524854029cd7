package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill reaches a process of the standard LibOS wherever it sleeps, however the kill falls
 * against its way to sleep: the protocols of docs/exo.md's "Blocking in the standard
 * LibOS". A kill that is lost leaves the process, and its parent waiting for it, asleep on
 * words with nothing to wake them, and kernel-exo halts saying so (status 1).
 */
@Timeout(300)
class LibosKillTest {
    @TempDir
    Path dir;

    /**
     * Round after round the child's way to sleep on an empty pipe slides, a few
     * instructions a round, across the parent's kill, on two harts taking turns of 10,000
     * instructions: one round (near round 300 when this was written) has the child's turn
     * end between its last look at killed and its sleep, and the parent's kill run in the
     * next turn. Each round starts on a tick (the parent sleeps first, which also leaves
     * the server's thread asleep without ticks), and kill, exit and wait take far less
     * than a tick's million instructions: so a kill that wakes the child at once is done
     * within the tick it came in. Before pipe.c said its pipe before its last look at
     * killed, that round's child slept through the kill until the next tick, or, before
     * the server's thread was rung for kills, for good (the halt of usertests' killblocked,
     * which this reproduced).
     */
    @Test
    void killWakesAChildOnItsWayToSleepOnAPipeWithinTheTickOnTwoHarts() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "killpipe 1700 3 0 3000\n", 2, true);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("killpipe: 1700 rounds: every child killed on its way to sleep on a pipe exited with -1, "
                + "the slowest 0 ticks after its kill\n"), r.output());
    }

    /**
     * A child asleep on a word of its own, which kill cannot wake, is ended by the server's
     * forced kill once its grace is over, though every process sleeps on a word meanwhile:
     * the kill rings the server's thread, which then waits for ticks. Before, the thread,
     * blocked since before the kill without ticks, never looked again, and the machine
     * halted with the child and its parent asleep.
     */
    @Test
    void killEndsAChildAsleepWhereNoWakeReachesItWhenItsGraceIsOver() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "killword\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("killword: the child asleep on its own word was killed, and exited with -1: passed\n"), r.output());
    }

    /**
     * A process killed while its fork waits in the file server's queue, behind the call that
     * killed it (^C's group kill), gets no child: the server refuses a killed process's
     * fork, as xv6 runs no system call of a killed process. Before, the child started
     * unkilled and outlived its killed parent (ForkBombTest's bomb, now and then).
     */
    @Test
    void aProcessKilledWhileItsForkWaitsForTheServerGetsNoChild() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "killfork\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("killfork: the killed process's fork returned -1: refused\n"), r.output());
        assertTrue(r.output().contains("killfork: the killed process exited with -1: passed\n"), r.output());
        assertFalse(r.output().contains("FAILED"), r.output());
    }

    /**
     * A child killed while its parent builds it (kill by pid between SRV_FORK and
     * SRV_FORK_START), whose code spins in its first instruction and never enters a LibOS,
     * ends at its start, never run, and its parent reaps -1. Before, the server's forced
     * kill looked only at started processes and, finding none, stopped looking: the child
     * started killed and ran for good (ghost killed: "FAIL ... still runs").
     */
    @Test
    void aChildKilledWhileBuiltEndsAtItsStartWithoutRunning() throws Exception {
        for (int harts = 1; harts <= 2; harts++) {
            String out = LibosRun.attack(Files.createDirectories(dir.resolve("h" + harts)), "ghost killed\n", harts, 1000);
            assertTrue(out.contains("ghost killed: the child killed before it started ended with status -1: passed\n"), out);
            assertTrue(out.contains("ghost killed: the child never ran\n"), out);
        }
    }

    /**
     * A killed process's exec is served, and the program it starts ends by force when the
     * grace is over, though it turns its upcalls off and clears the kill mark its LibOS
     * reads: held on three harts.
     */
    @Test
    void aKilledProcessThatExecsASpinnerStillEnds() throws Exception {
        String out = LibosRun.attack(dir, "ghost killexec\n", 3, 1000);
        assertTrue(out.contains("ghost killexec: the killed process that exec'd a spinner ended with status -1: passed\n"), out);
    }
}
