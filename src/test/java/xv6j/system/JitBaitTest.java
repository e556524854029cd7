package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * user/jitbait: code written at run time to trouble the translator (a page entered at
 * each of its 1023 instructions and in their middles, 340 hot paths through one page,
 * code rewritten before every call on three harts at once, eight pages of straight-line
 * code, hot code replaced by the kernel's read() from a pipe and a file, recursion a
 * million frames deep) computes what the instructions say, under whichever engine the
 * suite runs (pom.xml runs it under all three), and the system survives.
 */
@Timeout(300)
class JitBaitTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void codeBuiltToTroubleTheTranslatorComputesWhatItSays(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "jitbait\necho after\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic") || r.output().contains("Exception") || r.output().contains("Error"),
                r.output());
        assertTrue(r.output().contains("jitbait: 6 cases OK"), r.output());
        assertTrue(r.output().contains("\nafter\n"), r.output());
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
    }
}
