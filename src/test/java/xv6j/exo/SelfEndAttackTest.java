package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xv6j.machine.jit.Engine;

/**
 * Environments that destroy themselves in the middle of calls and of others' work on them
 * (red team 19; user/exo/selfend.c), on one, two and three harts under each engine, with
 * the invariant checker after every kernel entry. The program checks itself; a "FAIL"
 * line is a broken promise, and a caller left waiting for good halts the run with status 1.
 */
@Timeout(120)
class SelfEndAttackTest {
    @TempDir
    Path dir;

    /**
     * A callee ends itself inside its entry with one call in and two queued: each caller
     * gets E_DEAD. A victim ends itself, in its own thread or in the attacker's call, while
     * an attacker on another hart yields to it, grants, grantmaps and maps into it, asks
     * its state and calls it: every result is one the call may give, nothing granted into
     * the dead outlives it (revoking the page finds only the attacker's copy), and every
     * page of the quota comes back.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1 interpreter", "2 translator", "3 eager", "2 interpreter", "3 translator"})
    void anEnvironmentEndingItselfMidCallFailsItsCallersAndKeepsNothingGrantedToIt(String how) throws Exception {
        String[] w = how.split(" ");
        ExoRun.Result r = ExoRun.run(dir, "selfend", "",
                ExoRun.Options.defaults().harts(Integer.parseInt(w[0])).engine(Engine.parse(w[1])));
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
        assertFalse(r.output().contains("panic"), r.toString());
        assertTrue(r.output().contains("selfend: a callee that ended itself mid-call failed its caller and its queue with E_DEAD\n"), r.toString());
        assertTrue(r.output().contains("selfend: ok\n"), r.toString());
    }
}
