package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A callee's own thread is not starved by its callers (red team 20; user/exo/ownstarve.c):
 * three callers, each on a share of its own, call a server by turns while the server's own
 * thread counts, in deterministic time on one, two and three harts, with the invariant
 * checker after every kernel entry. The kernel started each waiting caller's call the
 * moment the one before returned, and the server's own thread counted 0 over 12 ticks, on
 * each of the three (1189..1190 calls served; the test failed there). Now, once calls have
 * kept it from running for ProtectedControlTransfer.REST_AFTER ticks, the next waits until
 * it has had a turn: it ran into 6 ticks of 12, 992017..992035 counted, 600 calls served.
 */
@Timeout(120)
class CalleeOwnTimeTest {
    @TempDir
    Path dir;

    private static final Pattern WATCHED = Pattern.compile(
            "ownstarve: over (\\d+) ticks, 3 callers calling, its slice (\\d+): the callee's own thread counted (\\d+), ran into (\\d+) ticks; (\\d+) calls served, the longest round trip (\\d+) ticks\n");

    /** What one watch printed. */
    private record Watch(long ticks, long slice, long counted, long ownTicks, long served, long longest) {}

    /**
     * The least the own thread gets: once calls have kept it for REST_AFTER ticks it has a
     * turn, which ends by its slice (it runs into a tick); so, with calls far shorter than a
     * tick, a tick in every REST_AFTER + 1 at least (one fewer for the watch's ends). The
     * most a call waits for it: one turn of the thread, a slice of its own or of the caller
     * whose turn runs it (1 tick), so a round trip takes at most the one tick it took before
     * (1 here, each call a hundredth of a tick, waits for a CPU included) and the slice.
     */
    @ParameterizedTest(name = "{0} hart(s)")
    @ValueSource(ints = {1, 2, 3})
    void callersCallingByTurnsLeaveTheCalleesOwnThreadATurnInEveryTickOfCalls(int harts) throws Exception {
        ExoRun.Result r = ExoRun.run(dir, "ownstarve", "", ExoRun.Options.defaults().harts(harts).virtualTime());
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.output().contains("FAIL"), r.toString());
        assertTrue(r.output().contains("ownstarve: ok\n"), r.toString());
        List<Watch> watches = new ArrayList<>();
        Matcher m = WATCHED.matcher(r.output());
        while (m.find()) {
            watches.add(new Watch(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6))));
        }
        assertEquals(2, watches.size(), r.toString());
        for (Watch w : watches) {
            assertTrue(w.counted() > 0, "the callee's own thread counted nothing: " + r);
            assertTrue(w.ownTicks() >= w.ticks() / (ProtectedControlTransfer.REST_AFTER + 1) - 1,
                    "its own thread ran into " + w.ownTicks() + " of " + w.ticks() + " ticks: " + r);
            assertTrue(w.served() >= w.ticks() * 20, "its callers' calls: " + w.served() + " in " + w.ticks() + " ticks: " + r);
        }
        assertEquals(1, watches.get(0).slice(), r.toString());
        assertEquals(3, watches.get(1).slice(), r.toString());
        assertTrue(watches.get(0).longest() <= 1 + 1, r.toString());
        assertTrue(watches.get(1).longest() <= 1 + 3, r.toString());
    }
}
