package xv6j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The key-value workload of make bench runs to the end three ways (on 8 keys, not 100),
 * each checking every answer of its store, and costs the disk forces each design promises.
 */
@Timeout(300)
class KvBenchTest {
    @TempDir
    Path dir;

    private static Path user() {
        return Path.of(System.getProperty("xv6j.user", "target/user"));
    }

    @ParameterizedTest
    @EnumSource(KvBench.Way.class)
    void theWorkloadRunsToTheEndWithEveryAnswerRightAndTheForcesItsDesignPromises(KvBench.Way w) throws Exception {
        Path bin = user().resolve(w.onExo() ? "exo" : "kernel").resolve("bin");
        Map<String, KvBench.Loop> loops = KvBench.boot(w, bin, dir, 8);
        assertEquals(KvBench.PHASES.stream().map(KvBench.Phase::name).toList(), List.copyOf(loops.keySet()));
        for (KvBench.Loop l : loops.values()) assertTrue(l.nanos() > 0, l.toString());
        // On 8 keys the workload does 8/100 of each phase's count for 100 (KvBench.PHASES).
        for (KvBench.Phase p : KvBench.PHASES) assertEquals(p.ops() * 8 / 100, loops.get(p.name()).ops(), p.name());
        for (String read : List.of("get", "get_absent", "scan")) assertEquals(0, loops.get(read).forces(), read);
        if (w == KvBench.Way.KV) {
            // One block write and one flush a change; a group of 8 shares them.
            for (String change : List.of("put", "update", "del")) {
                KvBench.Loop l = loops.get(change);
                assertEquals(l.ops(), l.forces(), change);
                assertEquals(l.ops(), l.writes(), change);
            }
            assertTrue(loops.get("put_group").forces() * 4 <= loops.get("put_group").ops(), loops.get("put_group").toString());
        } else {
            // A file-system log commit is four forces: create + write for a new key, one
            // write for an update, one unlink for a delete.
            assertEquals(8 * loops.get("put").ops(), loops.get("put").forces());
            assertEquals(4 * loops.get("update").ops(), loops.get("update").forces());
            assertEquals(4 * loops.get("del").ops(), loops.get("del").forces());
            // The group phase puts new keys, then updates them three times: 8 + 3 * 4 forces
            // a key, unless the xv6 kernel's log commits some concurrent calls together.
            KvBench.Loop g = loops.get("put_group");
            if (w == KvBench.Way.LIBOS) assertEquals(5 * g.ops(), g.forces(), g.toString());
            else assertTrue(g.forces() <= 5 * g.ops(), g.toString());
        }
    }

    @Test
    void kvfileKeepsAKeyInAFileOnBothKernels() throws Exception {
        for (KernelUnderTest k : KernelUnderTest.all(user())) {
            KernelBench.Session s = KernelBench.session(k, dir,
                    "kvfile put colour dark blue\nkvfile get colour\nkvfile put shape round\nkvfile list\nkvfile del colour\n"
                            + "kvfile get colour\nkvfile put a/b c\nls kvstore\n", true);
            String out = s.output();
            assertTrue(out.contains("$ kvfile get colour\ndark blue\n"), k.name() + ": " + out);
            assertTrue(out.contains("colour=dark blue\n") && out.contains("shape=round\n"), k.name() + ": " + out);
            assertTrue(out.contains("$ kvfile get colour\ncolour: not found\n"), k.name() + ": " + out);
            assertTrue(out.contains("$ kvfile put a/b c\nkvfile: keys are 1..14 bytes without '/', values up to 95\n"),
                    k.name() + ": " + out);
            assertTrue(out.matches("(?s).*\\nshape +2 \\d+ 96\\n.*"), k.name() + ": a record is a 96-byte file: " + out);
        }
    }
}
