package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/** user/badexec on kernel-exo: the LibOS's exec refuses or survives every crafted ELF file. */
@Timeout(300)
class LibosBadExecTest {
    @TempDir
    Path dir;

    @Test
    void craftedElfFilesAreRefusedOrDieAndNothingLeaksOrBreaks() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "badexec\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        assertTrue(Pattern.compile("badexec: \\d+ cases OK").matcher(r.output()).find(), r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
