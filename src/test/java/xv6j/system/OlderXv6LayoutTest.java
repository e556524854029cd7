package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;
import xv6j.fs.FsckReport;
import xv6j.fs.SuperBlock;
import xv6j.tools.Fsck;
import xv6j.tools.Mkfs;

/**
 * An image in the layout older xv6's mkfs made, a log of 30 blocks with its header (29
 * logged blocks, one fewer than three operations may reserve): both kernels boot it and
 * keep their transactions within it, and fsck finds it clean. (xv6-riscv's own layout,
 * a log of 31, is every other test's image.)
 */
@Timeout(180)
class OlderXv6LayoutTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aThirtyBlockLogImageBootsAndItsTransactionsFit(Flavour system) throws Exception {
        Path img = dir.resolve("old.img");
        Mkfs.Built b = Mkfs.build(img, system.programs(), Fs.FSSIZE, Fs.NINODES, system.extraBlocks(), Fs.LOGSIZE);
        // Older xv6's mkfs printed: nmeta 46 (boot, super, log blocks 30 inode blocks 13, bitmap blocks 1) blocks 1954 total 2000
        assertEquals(new SuperBlock(Fs.FSMAGIC, 2000, 1954, 200, 30, 2, 32, 45), b.superBlock());

        Flavour.Run r = system.boot(img, "usertests logfill bigwrite\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), r.output());
        FsckReport report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
    }
}
