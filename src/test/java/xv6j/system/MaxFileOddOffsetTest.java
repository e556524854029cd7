package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * A file reaches MAXFILE blocks at odd offsets, reached by reads (xv6 has no lseek), on
 * both kernels ({@code user/maxodd.c}, red team 12): a write that crosses the limit from 3
 * bytes short of it, or from an odd offset of the last block, writes up to the limit,
 * returns -1 and goes no further; 0 bytes there is 0, a negative count -1; every byte
 * reads back as written, and the image is clean after.
 */
@Timeout(120)
class MaxFileOddOffsetTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void writesAcrossMaxfileFromOddOffsetsStopAtTheLimit(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "maxodd\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("maxodd OK\n") && !r.output().contains("FAIL"), r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
