package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;
import xv6j.machine.Disk;
import xv6j.tools.Fsck;

/**
 * A crash at any moment leaves an image that log recovery makes consistent. A disk makes
 * a write durable only when it is forced, and the writes between two forces may reach the
 * platter in any order and any number: so the images a crash can leave are those forced
 * so far plus any subset of the writes since. This test records every write and force of
 * a session of file-system commands, rebuilds such images at every force (the writes
 * since: none, all, each prefix, only the newest, all but the oldest, every other one)
 * and has fsck check each as recovery will leave it.
 */
@Timeout(300)
class CrashConsistencyTest {
    @TempDir
    Path dir;

    /** One block write, its data copied when made. */
    private record Write(int blockno, byte[] data) {}

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void everyImageACrashCanLeaveIsConsistentAfterRecovery(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        byte[] durable = Files.readAllBytes(img);
        List<List<Write>> batches = new ArrayList<>();
        List<Write> pending = new ArrayList<>();
        Disk.Observer recorder = new Disk.Observer() {
            @Override
            public synchronized void wrote(int blockno, byte[] data) {
                pending.add(new Write(blockno, data.clone()));
            }

            @Override
            public synchronized void forced() {
                batches.add(List.copyOf(pending));
                pending.clear();
            }
        };
        Flavour.Run r = system.boot(img,
                "echo one > a\nmkdir d\necho two > d/b\nln a d/c\nrm a\ncat README > big\nrm d/b\nrm big\n", recorder);
        assertEquals(0, r.status(), r.output());
        assertTrue(pending.isEmpty(), "the machine forced its last writes before it halted");
        assertTrue(batches.size() > 20, "the session made " + batches.size() + " forces");

        List<BiPredicate<Integer, Integer>> keeps = List.of(
                (i, n) -> false, (i, n) -> true, (i, n) -> i == n - 1, (i, n) -> i != 0, (i, n) -> i % 2 == 1);
        int images = 0;
        for (int f = 0; f < batches.size(); f++) {
            List<Write> batch = batches.get(f);
            List<BiPredicate<Integer, Integer>> ways = new ArrayList<>(keeps);
            for (int p = 1; p < batch.size(); p++) {
                int prefix = p;
                ways.add((i, n) -> i < prefix);
            }
            for (BiPredicate<Integer, Integer> keep : ways) {
                byte[] crashed = durable.clone();
                for (int i = 0; i < batch.size(); i++) {
                    if (keep.test(i, batch.size())) apply(crashed, batch.get(i));
                }
                var report = Fsck.check(crashed);
                assertTrue(report.clean(), "after force " + f + " of " + batches.size() + ": " + report.findings());
                images++;
            }
            for (Write w : batch) apply(durable, w);
        }
        assertTrue(images > batches.size() * keeps.size() - 1);
    }

    private static void apply(byte[] image, Write w) {
        System.arraycopy(w.data(), 0, image, w.blockno() * Fs.BSIZE, Fs.BSIZE);
    }
}
