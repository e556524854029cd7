package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * user/badexec: crafted ELF files (headers off the end of the file, wrapping sizes,
 * segments at MAXVA, overlapping, thousands of segments, garbage text and headers) are
 * refused, run, or die as each must, and the kernel (or the LibOS's exec), the memory and
 * the image survive.
 */
@Timeout(300)
class BadExecTest {
    @TempDir
    Path dir;

    /** Every line badexec or the system printed that is neither a kill notice nor the summary. */
    static String complaints(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.matches(".*bx\\d+\\.elf: .*") && line.endsWith(": killed")) continue; // (the scratch program, bx<pid>.elf)
            if (line.contains(": destroyed")) continue;
            if (line.startsWith("badexec:")) sb.append(line).append('\n');
            if (line.contains("panic")) sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void craftedElfFilesAreRefusedOrDieAndNothingLeaksOrBreaks(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "badexec\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        assertTrue(Pattern.compile("badexec: \\d+ cases OK").matcher(r.output()).find(), complaints(r.output()));
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }
}
