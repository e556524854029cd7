package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.nio.file.Path;
import java.util.StringJoiner;
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
     * exec reads the ELF header and the program headers in one call to the file server:
     * they were a call each (five for every program here), a pct_call and a pct_return each.
     * Before: 155 crossings, pct_call 19; now 116, pct_call 15 (the rest of the cut is the
     * server's, above).
     */
    @Test
    void forkExecWaitReadsTheHeadersInOneCall() throws Exception {
        double[] per = perOp("fork_exec_wait");
        assertTrue(per[SYS_pct_call] <= 15.5, "pct_call per fork + exec + wait: " + show(per));
        assertTrue(total(per) <= 116, "crossings per fork + exec + wait: " + total(per) + ": " + show(per));
    }
}
