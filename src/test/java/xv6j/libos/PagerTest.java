package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * pager (user/pager/), the LibOS whose program pages its own memory to its own blocks with
 * a replacement policy of its own, booted in fs-exo.img as make builds it and typed into
 * the standard shell beside the standard LibOS's programs and kv. Its fault counts are
 * checked against a model of the paging written here, so each fault, zero fill, read and
 * write-back it reports is one the policy it was given must cause.
 */
@Timeout(300)
class PagerTest {
    @TempDir
    Path dir;

    /** What pager must print for its pages, frames and scans under policy (fifo or scan): the model. */
    static String expected(String policy, int pages, int frames, int scans) {
        record Frame(int page, boolean dirty, long loaded) {}
        List<Frame> resident = new ArrayList<>();
        boolean[] ondisk = new boolean[pages];
        long faults = 0, zero = 0, reads = 0, writes = 0;
        // Each page visit of the program: fill (a write), update (a read, then a write), scans (reads).
        List<int[]> visits = new ArrayList<>();   // {page, 0 = read / 1 = write}
        for (int p = 0; p < pages; p++) visits.add(new int[] {p, 1});
        for (int p = 0; p < pages; p++) {
            visits.add(new int[] {p, 0});
            visits.add(new int[] {p, 1});
        }
        for (int s = 0; s < scans; s++) for (int p = 0; p < pages; p++) visits.add(new int[] {p, 0});
        for (int[] v : visits) {
            int page = v[0];
            boolean write = v[1] == 1;
            int at = -1;
            for (int i = 0; i < resident.size(); i++) if (resident.get(i).page() == page) at = i;
            if (at >= 0) {
                Frame f = resident.get(at);
                if (write && !f.dirty()) {
                    faults++;
                    resident.set(at, new Frame(page, true, f.loaded()));
                }
                continue;
            }
            faults++;
            if (resident.size() == frames) {
                Comparator<Frame> byLoad = Comparator.comparingLong(Frame::loaded);
                Frame victim = policy.equals("fifo") ? resident.stream().min(byLoad).get() : resident.stream().max(byLoad).get();
                if (victim.dirty()) {
                    writes++;
                    ondisk[victim.page()] = true;
                }
                resident.remove(victim);
            }
            if (ondisk[page]) reads++;
            else zero++;
            resident.add(new Frame(page, write, faults - 1));
        }
        return "pager: %d pages in %d frames, policy %s: written, updated, read %d times: ok\n".formatted(pages, frames, policy, scans)
                + "pager: %d faults: %d zero-filled, %d read, %d written back\n".formatted(faults, zero, reads, writes);
    }

    @Test
    void theProgramsOwnPolicyPagesLessThanFifoOnItsScansAndEveryWordComesBack() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img,
                "pager fifo\npager scan\npager scan 64 16 2\npager fifo 8 16 3\nkv put a hello\nkv get a\necho hi > f; cat f\n");
        assertEquals(0, r.status(), r.output());
        String out = r.output();
        for (String e : List.of(expected("fifo", 48, 16, 4), expected("scan", 48, 16, 4), expected("scan", 64, 16, 2), expected("fifo", 8, 16, 3)))
            assertTrue(out.contains(e), "expected\n" + e + "in\n" + out);
        // The program's policy is the point: each round it reads 33 of the 48 pages where FIFO
        // reads all 48, as does the update, which also finds the 15 pages it kept dirty already.
        assertTrue(out.contains("pager: 336 faults: 48 zero-filled, 240 read, 96 written back\n")
                && out.contains("pager: 246 faults: 48 zero-filled, 165 read, 66 written back\n"), out);
        assertTrue(out.contains("$ kv get a\nhello\n") && out.contains("$ echo hi > f; cat f\nhi\n"), out);
        assertTrue(Fsck.check(img).clean());
    }

    @Test
    void withoutItsBlocksOrWithTooFewPagerSaysSoAndTheShellGoesOn() throws Exception {
        Path img = LibosRun.freshImage(dir, "noblocks.img", "/kv 0 1000\n", LibosRun.EXTRA_BLOCKS);
        LibosRun.Result r = LibosRun.boot(img, "pager scan\nls pager\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("$ pager scan\npager: no disk blocks of my own: /storage needs a line for /pager\n$ ls pager\npager "), r.output());

        LibosRun.Result s = LibosRun.boot(LibosRun.freshImage(dir), "pager scan 65\npager lru\npager scan 8 0\npager scan 1 1 1 x\npager scan 2 1 1\n");
        assertEquals(0, s.status(), s.output());
        assertTrue(s.output().contains("$ pager scan 65\npager: 65 pages need 260 blocks; mine are 256\n"), s.output());
        assertTrue(s.output().contains("$ pager lru\nusage: pager fifo|scan [pages [frames [scans]]]\n"), s.output());
        assertTrue(s.output().contains("$ pager scan 8 0\npager: 1 to 1024 pages in 1 to 64 frames\n"), s.output());
        assertTrue(s.output().contains("$ pager scan 1 1 1 x\nusage: "), s.output());
        assertTrue(s.output().contains(expected("scan", 2, 1, 1)), s.output());
    }
}
