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
 * with boundary arguments, from workers that fork, kill and block, fill the disk and the
 * process, inode and file tables, and exec mangled programs, leave a kernel that has not
 * panicked, whose file system works and is clean by fsck, and that holds exactly what it
 * held after the same runs with no calls at all: no page, process, inode or open file
 * leaked. Then the same on three harts taking turns.
 *
 * <p>Other seeds: {@code mvn -Dtest=SyscallFuzzTest -Dxv6j.sysfuzz.seeds=7,8 verify}.
 */
@Timeout(300)
class SyscallFuzzTest {
    @TempDir
    Path dir;

    static final int[] SEEDS = java.util.Arrays.stream(System.getProperty("xv6j.sysfuzz.seeds", "1,2,3").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();

    private XvRun.Result run(String name, String options) throws Exception {
        return run(name, options, 1, SEEDS);
    }

    private XvRun.Result run(String name, String options, int harts, int... seeds) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int seed : seeds) script.append("sysfuzz ").append(options).append(seed).append('\n');
        Path img = XvRun.freshImage(Files.createDirectory(dir.resolve(name)));
        XvRun.Result r = XvRun.boot(img, script.toString(), harts, true, 128);
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        for (int seed : seeds) {
            assertTrue(r.output().contains("sysfuzz " + seed + ": ") && !r.output().contains("sysfuzz " + seed + ": FAILED"),
                    complaints(r.output()));
        }
        assertEquals(seeds.length, r.output().split("; the system works\n", -1).length - 1, complaints(r.output()));
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
        // The first seed's (1 unless -Dxv6j.sysfuzz.seeds says otherwise: README, Tests).
        String first = "sysfuzz " + SEEDS[0] + ": ";
        assertTrue(fuzzed.output().contains(first) && !fuzzed.output().contains(first + "0 of"),
                "the fuzzed run made calls: " + complaints(fuzzed.output()));
        assertEquals(idle.held(), fuzzed.held(), "what the kernel holds at the end, without and with the calls");
    }

    /** Three harts taking turns, so that calls meet in the kernel at once; the raids reach the limits. */
    @Test
    void randomCallsOnThreeHartsLeaveAWorkingKernelAndACleanImage() throws Exception {
        int seed = SEEDS[0] + 100;
        XvRun.Result r = run("harts", "", 3, seed);
        assertTrue(r.output().matches("(?s).*sysfuzz " + seed + ": [1-9]\\d* of .*\\(the disk filled [1-9]\\d* times, creation refused [1-9]\\d*, fork [1-9]\\d*\\); the system works\n.*"),
                complaints(r.output()));
        assertTrue(r.hartInstructions().stream().allMatch(n -> n > 100_000), "every hart ran: " + r.hartInstructions());
    }
}
