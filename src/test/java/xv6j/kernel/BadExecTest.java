package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * user/badexec: crafted ELF files (headers off the end of the file, wrapping sizes,
 * segments at MAXVA, overlapping, thousands of segments, garbage text and headers) are
 * refused, run, or die as each must, and the kernel, the memory and the image survive.
 */
@Timeout(300)
class BadExecTest {
    @TempDir
    Path dir;

    /** Every line badexec or the kernel printed that is neither a kill notice nor the summary. */
    static String complaints(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.contains("badexec.elf: ") && line.endsWith(": killed")) continue;
            if (line.contains(": destroyed")) continue;
            if (line.startsWith("badexec:")) sb.append(line).append('\n');
            if (line.contains("panic")) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void craftedElfFilesAreRefusedOrDieAndNothingLeaksOrBreaks() throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "badexec\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        assertTrue(Pattern.compile("badexec: \\d+ cases OK").matcher(r.output()).find(), complaints(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }
}
