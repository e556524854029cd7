package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pids stay positive and unique after 2^31 forks (the count set here by hand, as a long
 * run would leave it): they were a count, which went negative after 2^31 forks and would
 * have reached 0, fork's answer to the child, after 2^32.
 */
class PidWrapTest {
    @TempDir
    Path dir;

    @Test
    void pidsWrapToOneAndSkipThoseInUse() throws Exception {
        // init gets MAX_VALUE - 1 and the shell MAX_VALUE; the inner shell comes after the wrap.
        XvRun.Result r = XvRun.boot(XvRun.freshImage(dir), "sh\n\u0010\n", k -> k.procs.nextPid = Integer.MAX_VALUE - 1);
        assertEquals(0, r.status(), r.output());
        Matcher m = Pattern.compile("(?m)^(-?\\d+) \\S+ +(\\S+)$").matcher(r.output());
        StringBuilder listed = new StringBuilder();
        while (m.find()) listed.append(m.group(1)).append(' ').append(m.group(2)).append(", ");
        assertEquals("2147483646 init, 2147483647 sh, 1 sh, ", listed.toString(), r.output());
    }

    /**
     * A pid that names a group still in use is never given (Unix's rule): a group outlives
     * its leader, and a new process with the leader's pid would lead the orphans left in
     * it, its ^C reaching them. The table is set by hand as a long run could leave it: a
     * zombie no one will reap in group 7, whose leader is gone, and the search for the
     * next pid starting at 7. Before, init took pid 7.
     */
    @Test
    void aPidThatNamesAGroupInUseIsSkipped() throws Exception {
        XvRun.Result r = XvRun.boot(XvRun.freshImage(dir), "\u0010\n", k -> {
            Proc left = k.procs.proc[Param.NPROC - 1];
            left.state = ProcState.ZOMBIE;
            left.pid = 500;
            left.pgid = 7;
            left.name = "orphan";
            k.procs.nextPid = 7;
        });
        assertEquals(0, r.status(), r.output());
        Matcher m = Pattern.compile("(?m)^(-?\\d+) \\S+ +(\\S+)$").matcher(r.output());
        StringBuilder listed = new StringBuilder();
        while (m.find()) listed.append(m.group(1)).append(' ').append(m.group(2)).append(", ");
        assertEquals("8 init, 9 sh, 500 orphan, ", listed.toString(), r.output());
    }
}
