package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file server reaps every process once, however its environment ended: it trusts the
 * kernel's count of its environments' ends (ENV_INFO's ended) against the ends it caused,
 * and looks among the processes only when they differ. Each run has kernel-exo's checker
 * after every 1000th kernel entry, an fsck-clean image and no line saying FAIL.
 */
@Timeout(300)
class LibosReapTest {
    @TempDir
    Path dir;

    /**
     * A process whose exec's new environment was destroyed by the process itself before the
     * commit, its end counted by the server's thread in between, ends at the commit with
     * that environment's status, and its parent reaps it. Before, the commit made the dead
     * environment the process's, and no later look found it: a live process with no code,
     * and a parent waiting for it for good (ghost deadexec).
     */
    @Test
    void anExecWhoseNewEnvironmentDiedBeforeTheCommitEndsTheProcess() throws Exception {
        String out = LibosRun.attack(dir, "ghost deadexec\n", 1, 1000);
        assertTrue(out.contains("ghost deadexec: the process whose exec's environment died before the commit ended with status 7: passed\n"), out);
    }

    /**
     * Children that exit, destroy themselves (an end no call caused) and fault with no
     * handler (the kernel ends them), at once, while their parent waits and a sibling
     * destroys the environments of children it builds (ends the server did not cause, of
     * no process): each is reaped once, by pid, with its own status, on one hart and on
     * three. A lost end leaves the parent asleep for good (the run halts with status 1).
     */
    @Test
    void childrenEndingEveryWayAtOnceAreEachReapedOnceWithTheirStatus() throws Exception {
        for (int harts : new int[] {1, 3}) {
            String out = LibosRun.attack(Files.createDirectories(dir.resolve("h" + harts)), "ghost ends\n", harts, 1000);
            assertTrue(out.contains("ghost ends: 24 of 24 children reaped, each once with its status: passed\n"), out);
        }
    }

    /**
     * A child that destroys its own environment (an end no call caused) while four siblings
     * call the server without a pause is reaped, on one hart and on three, within a few
     * ticks. Such an end is looked for by the server's own thread, which ran only when no
     * caller waited: the callers kept it from running, and the parent's wait found nothing
     * for good (30 ticks on, 4 of 4 runs by hand; ghost storm). The server then looked in
     * its thread's place every 64 calls; now the kernel gives that thread a turn once calls
     * have kept it a tick (ProtectedControlTransfer.restFirst), and the server's own look is
     * gone: reaped at the parent's look 5 on one hart and 4 on three, with the server's look
     * or without it; with neither, unreaped 30 ticks on.
     */
    @Test
    void aChildThatDestroyedItselfIsReapedWhileOthersCallTheServerWithoutAPause() throws Exception {
        for (int harts : new int[] {1, 3}) {
            String out = LibosRun.attack(Files.createDirectories(dir.resolve("storm" + harts)), "ghost storm\n", harts, 1000);
            assertTrue(out.contains("ghost storm: the child that destroyed itself beside the callers ended with status 7: passed\n"), out);
            assertTrue(out.contains("ghost storm: 4 callers reaped\n"), out);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("ghost storm: reaped at the parent's look (\\d+)").matcher(out);
            assertTrue(m.find() && Integer.parseInt(m.group(1)) <= 6, out);
        }
    }
}
