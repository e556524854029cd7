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
 * The callee's rest under attack (red team 21; user/exo/restattack.c), in deterministic
 * time with the invariant checker after every 16th kernel entry (8 s; after every entry it
 * took 57 s, and a rest that cannot end outlasts 16 entries): the server destroyed, stopped,
 * left without CPU or faulting, a caller destroyed or its handle revoked, each at a point
 * that moves from round to round while the server rests about once a tick; every caller
 * hears how its call ended and none waits for a rest that cannot come. Then the bounds:
 *
 * <ul>
 *   <li>A rest lasted the callee's whole turn, so a server on slices of SLICE_MAX ticks
 *       held its callers for as long: on two and three harts they made no call in 12
 *       ticks (the test failed there). A rest now ends once the thread has run into
 *       ProtectedControlTransfer.REST_TICKS ticks.
 *   <li>A third party that calls no one loses nothing to the donation: V, spinning beside
 *       the server and its three callers, runs into at least what it runs into beside four
 *       environments that only spin.
 * </ul>
 */
@Timeout(300)
class RestAttackTest {
    @TempDir
    Path dir;

    private static final Pattern SLICE = Pattern.compile(
            "restattack: slice: over (\\d+) ticks, (\\d+) calls, the longest round trip (\\d+) ticks");
    private static final Pattern SHARED = Pattern.compile(
            "restattack: share: over (\\d+) ticks beside the server and 3 callers, V ran into (\\d+),");
    private static final Pattern ALONE = Pattern.compile("restattack: share: over (\\d+) ticks beside four spinners, V ran into (\\d+)\n");

    /** On two harts (taking turns): a long slice held the callers only where another hart could run them. */
    @Test
    void noAttackOnARestingCalleeStrandsItsCallersAndALongSliceHoldsThemAtMostTwoTicks() throws Exception {
        ExoRun.Result r = ExoRun.run(dir, "restattack", "", ExoRun.Options.defaults().harts(2).virtualTime().checkEvery(16));
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
        assertTrue(r.output().contains("restattack: ok\n"), r.toString());
        Matcher m = SLICE.matcher(r.output());
        assertTrue(m.find(), r.toString());
        long ticks = Long.parseLong(m.group(1)), calls = Long.parseLong(m.group(2)), longest = Long.parseLong(m.group(3));
        assertTrue(calls >= ticks * 20, "callers of a server on long slices: " + calls + " calls in " + ticks + " ticks: " + r);
        assertTrue(longest <= 1 + ProtectedControlTransfer.REST_TICKS, "the longest round trip: " + longest + ": " + r);
        Matcher shared = SHARED.matcher(r.output()), alone = ALONE.matcher(r.output());
        assertTrue(shared.find() && alone.find(), r.toString());
        assertTrue(Long.parseLong(shared.group(2)) >= Long.parseLong(alone.group(2)),
                "V beside the server: " + shared.group(2) + ", beside spinners: " + alone.group(2) + ": " + r);
    }
}
