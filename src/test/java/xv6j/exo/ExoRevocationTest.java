package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Revocation reaches every copy: every mapping, in every environment, through every
 * capability derived from the one revoked, and every hart's TLB, before the call
 * returns. A raw environment booted as /init (user/exo/revokeall.c), with the invariant
 * checker after every kernel entry.
 */
@Timeout(120)
class ExoRevocationTest {
    @TempDir
    Path dir;

    /**
     * Two readers map one page at two addresses each, through a grant and a grant of a
     * grant, and spin on it on their harts: revoking the page, or the memory it came from
     * (the page then freed and taken again), leaves no reader a translation to it.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2, 3})
    void aRevokedPageIsGoneFromEveryAddressOfEveryEnvironmentOnEveryHart(int harts) throws Exception {
        ExoRun.Result r = ExoRun.run(dir, "revokeall", "", ExoRun.Options.defaults().harts(harts));
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL") || r.output().contains("panic"), r.toString());
        assertTrue(r.output().contains("revokeall: page: 6 rounds, 12 of 12 readers faulted, 0 stale reads\n"), r.toString());
        assertTrue(r.output().contains("revokeall: memory: 6 rounds, 12 of 12 readers faulted, 0 stale reads\n"), r.toString());
        assertTrue(r.output().contains("revokeall: ok\n"), r.toString());
    }
}
