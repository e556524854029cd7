package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * user/sysfuzz with fixed seeds, in deterministic mode: thousands of random system calls
 * with boundary arguments, from workers that fork, kill and block, leave a kernel that
 * has not panicked, whose file system works and is clean by fsck, and that holds exactly
 * what it held after the same runs with no calls at all: no page, process, inode or open
 * file leaked.
 */
@Timeout(300)
class SyscallFuzzTest {
    @TempDir
    Path dir;

    static final int[] SEEDS = {1, 2, 3};

    private XvRun.Result run(String name, String options) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int seed : SEEDS) script.append("sysfuzz ").append(options).append(seed).append('\n');
        Path img = XvRun.freshImage(Files.createDirectory(dir.resolve(name)));
        XvRun.Result r = XvRun.boot(img, script.toString());
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        for (int seed : SEEDS) {
            assertTrue(r.output().contains("sysfuzz " + seed + ": ") && !r.output().contains("sysfuzz " + seed + ": FAILED"),
                    complaints(r.output()));
        }
        assertEquals(SEEDS.length, r.output().split("; the system works\n", -1).length - 1, complaints(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
        return r;
    }

    /** What sysfuzz said beyond its summaries and the kernel's notices of killed processes. */
    static String complaints(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.endsWith(": killed") || line.endsWith("the system works")) continue;
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void randomCallsLeaveAWorkingKernelThatHoldsNothingMoreThanWithoutThem() throws Exception {
        XvRun.Result fuzzed = run("fuzzed", "");
        XvRun.Result idle = run("idle", "-n 0 ");
        assertTrue(fuzzed.output().contains("sysfuzz 1: ") && !fuzzed.output().contains("sysfuzz 1: 0 of"),
                "the fuzzed run made calls: " + complaints(fuzzed.output()));
        assertEquals(idle.held(), fuzzed.held(), "what the kernel holds at the end, without and with the calls");
    }
}
