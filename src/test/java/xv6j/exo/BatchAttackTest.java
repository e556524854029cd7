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
 * exo_batch and exo_grantmap attacked from programs (red team 15), as a hostile library
 * OS would call them, on one, two and three harts under each engine, with the invariant
 * checker after every kernel entry. Each program checks itself; a "FAIL" line is a broken
 * promise.
 */
@Timeout(120)
class BatchAttackTest {
    @TempDir
    Path dir;

    private ExoRun.Result run(String program, String how) throws Exception {
        String[] w = how.split(" ");
        ExoRun.Result r = ExoRun.run(dir, program, "",
                ExoRun.Options.defaults().harts(Integer.parseInt(w[0])).engine(Engine.parse(w[1])));
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
        assertFalse(r.output().contains("panic"), r.toString());
        return r;
    }

    /**
     * Counts and arrays at their limits, elements that take the array away, calls no batch
     * may run, chains that name what earlier elements made, rights asked back, the payer
     * freed mid-batch, grantmap to itself, the dead, a reused handle and a quota that cannot
     * pay (user/exo/batchedge.c). Before, an element that unmapped the second page of an
     * array straddling two did not end the batch: the next element ran, and its result
     * (a new capability's handle) was lost with the page.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1 interpreter", "2 translator", "3 eager"})
    void batchesAndGrantmapsDoNoMoreThanTheirCallsAndEndWhereTheySay(String how) throws Exception {
        ExoRun.Result r = run("batchedge", how);
        assertTrue(r.output().contains("batchedge: an element that takes the array ends the batch after it\n"), r.toString());
        assertTrue(r.output().contains("batchedge: ok\n"), r.toString());
    }

    /**
     * A builder's batches on one hart grantmap a page to readers spinning on it on others,
     * through a grant of a grant freed within the batch, while a rewriter rewrites the
     * array; /init revokes the page's root: the count is every copy the batches made, and
     * once caprevoke returns no reader or builder reaches the page, which /init takes again
     * and fills with a secret (user/exo/batchrace.c).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1 translator", "2 translator", "3 interpreter", "3 translator", "2 eager", "3 eager"})
    void revocationReachesEveryCopyABatchMadeAndNothingReachesThePageAfter(String how) throws Exception {
        ExoRun.Result r = run("batchrace", how);
        assertTrue(r.output().contains("batchrace: every copy counted in 4, 12 of 12 faulted, 0 secrets read\n"), r.toString());
        assertTrue(r.output().contains("batchrace: ok\n"), r.toString());
    }
}
