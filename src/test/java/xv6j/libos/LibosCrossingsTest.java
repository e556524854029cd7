package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the standard LibOS's fork and exec cost in kernel crossings, every environment's
 * (parent, child, file server), counted by the kernel: user/sysbench.c's loops run N times
 * and 10 times, the difference divided by the operations between them. Crossings are the
 * same every run (one hart, virtual time), so each bound is what the path makes now: a
 * change that adds crossings to it fails here and must say why (docs/exo.md, Costs).
 */
@Timeout(300)
class LibosCrossingsTest {
    @TempDir
    Path dir;

    /** Crossings per operation of sysbench's loop name, by system call number. */
    private double[] perOp(String name) throws Exception {
        // sysbench -n N runs an untimed tenth first: N + N/10 operations.
        long[] many = run(name, 110), few = run(name, 10);
        double[] per = new double[many.length];
        for (int i = 0; i < many.length; i++) per[i] = (many[i] - few[i]) / 110.0;
        return per;
    }

    private long[] run(String name, int n) throws Exception {
        Path img = LibosRun.freshImage(java.nio.file.Files.createDirectories(dir.resolve(name + n)));
        LibosRun.Counted r = LibosRun.bootCounting(img, "sysbench -n " + n + " " + name + "\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("sysbench " + name + " " + n + " ns/op"), r.output());
        return r.crossings();
    }

    private static String show(double[] per) {
        StringJoiner s = new StringJoiner(", ");
        for (int i = SYS_FIRST; i <= SYS_LAST; i++) if (per[i] != 0) s.add(String.format("0x%x: %.2f", i, per[i]));
        return s.toString();
    }

    private static double total(double[] per) {
        double t = 0;
        for (double x : per) t += x;
        return t;
    }

    /**
     * The file server learns of an end it did not cause from one look at the kernel's count
     * (ENV_INFO's ended on itself), and neither wakes every waiter nor asks about every
     * process for an end it caused (SRV_EXIT); it drops a zombie's environment without a
     * destroy, and destroys without asking first; it makes and lets go of what it holds
     * for a process (quota, share, kill token, IPC pages) in batches. Before: 71
     * crossings, env_ctl 12 of them (9 ENV_INFO), exosched 8; now 44, env_ctl 6, exosched 3.
     */
    @Test
    void forkExitWaitAsksTheKernelAboutNoChildItEndedItself() throws Exception {
        double[] per = perOp("fork_exit_wait");
        assertTrue(per[SYS_env_ctl] <= 6.5, "env_ctl per fork + exit + wait: " + show(per));
        assertTrue(per[SYS_exosched] <= 3.5, "exosched per fork + exit + wait: " + show(per));
        assertTrue(total(per) <= 45, "crossings per fork + exit + wait: " + total(per) + ": " + show(per));
    }

    /**
     * exec is one call to the file server, which builds the program itself (SRV_EXEC: path
     * and argv at once), and the loader maps its windows on a chunk of the image's pages in
     * the batch that grants them, not one exo_map and exo_unmap per page. Before: 116
     * crossings, pct_call 15, exo_map 10, exo_unmap 7 (the LibOS built the image, reading
     * the file a call per page); now 75.6, pct_call 6.1, exo_map 4, exo_unmap 1.
     */
    @Test
    void forkExecWaitIsOneCallToTheServerAndNoWindowPerPage() throws Exception {
        double[] per = perOp("fork_exec_wait");
        assertTrue(per[SYS_pct_call] <= 6.5, "pct_call per fork + exec + wait: " + show(per));
        assertTrue(per[SYS_exo_map] <= 4.5 && per[SYS_exo_unmap] <= 1.5, "exo_map, exo_unmap per fork + exec + wait: " + show(per));
        assertTrue(total(per) <= 76, "crossings per fork + exec + wait: " + total(per) + ": " + show(per));
    }

    /**
     * The user instructions of a fork + exec + wait (`sysbench -i`, every environment's; the
     * same every run): the file server reads each page of the program once, from its
     * buffer cache into the page the program will own, and scans a directory a block at a
     * time in place. Before: 56,755 per operation at -n 500 (the LibOS copied each page
     * out of the IPC page; a lookup in the root directory read each entry with its own
     * readi, about 7,000 instructions an exec); with the first alone, 47,290; now 40,316
     * (42,843 at -n 10, what this runs).
     */
    @Test
    void forkExecWaitCopiesEachPageOnceAndScansTheDirectoryInPlace() throws Exception {
        Path img = LibosRun.freshImage(java.nio.file.Files.createDirectories(dir.resolve("instr")));
        LibosRun.Counted r = LibosRun.bootCounting(img, "sysbench -i -n 10 fork_exec_wait\n");
        assertEquals(0, r.status(), r.output());
        Matcher m = Pattern.compile("sysbench fork_exec_wait 10 instr/op (\\d+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        long instr = Long.parseLong(m.group(1));
        assertTrue(instr <= 43_500, "instructions per fork + exec + wait: " + instr);
    }
}
