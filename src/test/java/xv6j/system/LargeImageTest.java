package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsckReport;
import xv6j.tools.Fsck;
import xv6j.tools.Mkfs;

/**
 * Images larger than xv6's 2000 blocks, whose bitmap takes several blocks (one per 8192
 * blocks), on both kernels: up to the largest an xv6j file system may be
 * ({@link Fs#MAXFSSIZE}). A filled large image is made cheaply: mkfs puts files in that
 * fill all but the last bitmap block's share of the disk, and usertests fills the rest.
 */
@Timeout(300)
class LargeImageTest {
    @TempDir
    Path dir;

    private static byte[] filler(int i) {
        byte[] b = new byte[Fs.MAXFILE * Fs.BSIZE];
        Arrays.fill(b, (byte) ('a' + i % 26));
        return b;
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageOfThreeBitmapBlocksFillsToItsLastBlockAndKeepsWhatWasWritten(Flavour system) throws Exception {
        int size = 20000;
        Mkfs.Built plain = Mkfs.build(dir.resolve("plain.img"), system.programs(), size, Fs.NINODES, system.extraBlocks());
        int fillers = (plain.superBlock().nblocks() - plain.usedBlocks() - 400) / (Fs.MAXFILE + 1);
        List<Path> files = new ArrayList<>(system.programs());
        Path in = Files.createDirectories(dir.resolve("fillers"));
        for (int i = 0; i < fillers; i++) files.add(Files.write(in.resolve("filler" + i), filler(i)));
        Path img = dir.resolve("large.img");
        Mkfs.build(img, files, size, Fs.NINODES, system.extraBlocks());
        // mkfs hands out blocks in order: every free block is in the third bitmap block's share.
        FsImage built = FsImage.of(Files.readAllBytes(img));
        int free = built.freeBlocks(), rootBlocks = built.blockMap(Fs.ROOTINO).length;
        assertTrue(free > Fs.MAXFILE + 1 && free < size - 2 * Fs.BPB, free + " blocks free");

        String out = bootCleanly(system, img, "usertests diskfull maxfile\nls filler0\n");
        assertTrue(out.contains("\nfiller0        2 "), out);
        FsImage fs = FsImage.of(Files.readAllBytes(img));
        // A directory never shrinks (as in xv6): the root may keep a block diskfull's files grew it by.
        int grown = fs.blockMap(Fs.ROOTINO).length - rootBlocks;
        assertTrue(grown >= 0 && grown <= 1, "the root grew by " + grown + " blocks");
        assertEquals(free - grown, fs.freeBlocks(), "every block diskfull took is free again, but the root's growth");
        for (int i : new int[] {0, fillers - 1})
            assertArrayEquals(filler(i), fs.readFile(fs.lookup("/filler" + i).orElseThrow()), "filler" + i);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theLargestImageBootsAndTakesFiles(Flavour system) throws Exception {
        // 2 GiB, 257 bitmap blocks; sparse, so it costs the temporary folder little.
        Path img = dir.resolve("largest.img");
        Mkfs.build(img, system.programs(), Fs.MAXFSSIZE - system.extraBlocks(), Fs.NINODES, system.extraBlocks());

        String out = bootCleanly(system, img, "echo hello > f\nmkdir d\ncat f\nusertests bigfile fileio\n");
        assertTrue(out.contains("$ cat f\nhello\n"), out);
    }

    /** Boots img with script, which runs usertests: they pass, and fsck finds nothing after. */
    private static String bootCleanly(Flavour system, Path img, String script) throws Exception {
        Flavour.Run r = system.boot(img, script);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ALL TESTS PASSED"), r.output());
        FsckReport report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
        return r.output();
    }
}
