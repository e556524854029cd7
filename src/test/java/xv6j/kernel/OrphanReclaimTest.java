package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.fs.ImageEdit;
import xv6j.tools.Fsck;

/**
 * A file unlinked while open when the machine stopped keeps its inode and blocks on the
 * disk (nlink 0, in no directory). xv6 frees such orphans at boot (ireclaim, after log
 * recovery); so does xv6j. Before, they stayed allocated for good, and fsck warned of
 * them on every run.
 */
class OrphanReclaimTest {
    @TempDir
    Path dir;

    @Test
    void bootFreesAFileUnlinkedWhileOpenAndItsBlocks() throws Exception {
        Path img = XvRun.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int inum = e.create(Fs.ROOTINO, "doomed", new byte[20 * Fs.BSIZE]);
        int firstBlock = e.inode(inum).addr(0);
        e.unlinkKeepOpen(Fs.ROOTINO, "doomed");
        Files.write(img, e.img);
        var before = Fsck.check(img);
        assertEquals(1, before.warnings().size(), "the orphan is there before the boot");
        assertTrue(before.warnings().get(0).message().contains("the xv6 kernel frees it and its 20480 bytes at boot"),
                before.warnings().toString());

        XvRun.Result r = XvRun.boot(img, "echo up\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ireclaim: orphaned inode " + inum + "\n"), r.output());

        var report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.summary() + "\n" + report.findings());
        ImageEdit after = new ImageEdit(Files.readAllBytes(img));
        assertTrue(after.inode(inum).nlink() > 0 || after.inode(inum).type() == Fs.T_FREE,
                "the orphan's inode is free (or init's console took it)");
        assertFalse(after.marked(firstBlock), "the orphan's blocks are free again");
    }

    /** How an orphan's inode may be corrupt, and the line boot says of it. */
    private interface Corruption {
        /** Corrupts orphan inum (whose first block is b) in e; returns the block boot must not free. */
        int apply(ImageEdit e, int inum, int b);
    }

    /**
     * Boots an image with one orphan that corrupt spoils: boot says so in one line, leaves
     * the orphan and the block it names as they were, and goes on to run the shell; fsck
     * then reports an error about the inode.
     */
    private void bootLeavesACorruptOrphanAlone(Corruption corrupt, String problem) throws Exception {
        Path img = XvRun.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int inum = e.create(Fs.ROOTINO, "doomed", new byte[3 * Fs.BSIZE]);
        e.unlinkKeepOpen(Fs.ROOTINO, "doomed");
        int spared = corrupt.apply(e, inum, e.inode(inum).addr(0));
        boolean sparedMarked = e.marked(spared);
        Files.write(img, e.img);

        XvRun.Result r = XvRun.boot(img, "echo up\ncat README\n");
        assertEquals(0, r.status(), r.output());
        String line = r.output().lines().filter(l -> l.startsWith("ireclaim:")).reduce((a, b) -> a + "\n" + b).orElse("");
        assertTrue(line.startsWith("ireclaim: orphaned inode " + inum + " is corrupt (" + problem)
                && line.endsWith("): left for fsck"), "one line, saying what is wrong: " + r.output());
        assertTrue(r.output().contains("\nup\n") && r.output().contains("xv6j test image\n"), "boot went on: " + r.output());

        ImageEdit after = new ImageEdit(Files.readAllBytes(img));
        assertEquals(e.inode(inum), after.inode(inum), "the orphan is as it was");
        assertEquals(sparedMarked, after.marked(spared), "block " + spared + " as it was in the bitmap");
        var report = Fsck.check(img);
        assertFalse(report.clean(), report.findings().toString());
        assertTrue(report.errors().stream().anyMatch(f -> f.message().contains("inode " + inum)
                || f.message().contains("block " + spared)), report.findings().toString());
        assertTrue(report.findings().stream().anyMatch(f -> f.message().contains("inode " + inum)
                && f.message().contains("the xv6 kernel's boot leaves")), "fsck says boot left it: " + report.findings());
    }

    @Test
    void anOrphanOfInvalidTypeIsReportedAndLeftAlone() throws Exception {
        bootLeavesACorruptOrphanAlone((e, inum, b) -> {
            e.setType(inum, 7);
            return b;
        }, "invalid type 7");
    }

    @Test
    void anOrphanNamingALogBlockIsReportedAndLeftAlone() throws Exception {
        bootLeavesACorruptOrphanAlone((e, inum, b) -> {
            int logBlock = e.sb.logstart() + 1;
            e.setAddr(inum, 1, logBlock);
            return logBlock;
        }, "block 3 lies outside the data blocks");
    }

    @Test
    void anOrphanNamingABitmapBlockInItsIndirectBlockIsReportedAndLeftAlone() throws Exception {
        bootLeavesACorruptOrphanAlone((e, inum, b) -> {
            int ind = e.balloc();
            byte[] block = new byte[Fs.BSIZE];
            java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, e.sb.bmapstart());
            e.putBlock(ind, block);
            e.setAddr(inum, Fs.NDIRECT, ind);
            return e.sb.bmapstart();
        }, "block " + bmapstart() + " lies outside the data blocks");
    }

    @Test
    void anOrphanSharingABlockWithALiveFileIsReportedAndLeftAlone() throws Exception {
        bootLeavesACorruptOrphanAlone((e, inum, b) -> {
            int readme = e.dirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "README")).inum();
            int shared = e.inode(readme).addr(0);
            e.setAddr(inum, 1, shared);
            return shared;
        }, "block " + readmeBlock() + " is named by another inode too, or twice");
    }

    @Test
    void anOrphanWhoseBlockIsMarkedFreeIsReportedAndLeftAlone() throws Exception {
        bootLeavesACorruptOrphanAlone((e, inum, b) -> {
            e.mark(b, false);
            return b;
        }, "block " + firstOrphanBlock() + " is marked free in the bitmap");
    }

    @Test
    void twoOrphansNamingOneBlockAndOneNamingABlockTwiceAreLeftAlone() throws Exception {
        Path img = XvRun.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int bad = e.create(Fs.ROOTINO, "bad", new byte[Fs.BSIZE]);
        int good = e.create(Fs.ROOTINO, "good", new byte[2 * Fs.BSIZE]);
        e.unlinkKeepOpen(Fs.ROOTINO, "bad");
        e.unlinkKeepOpen(Fs.ROOTINO, "good");
        e.setAddr(bad, 0, e.inode(good).addr(0));   // both name good's first block
        e.setAddr(good, 2, e.inode(good).addr(1));  // and good names its second twice
        Files.write(img, e.img);
        XvRun.Result r = XvRun.boot(img, "echo up\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ireclaim: orphaned inode " + bad + " is corrupt"), r.output());
        assertTrue(r.output().contains("ireclaim: orphaned inode " + good + " is corrupt"), r.output());
    }

    @Test
    void aSoundOrphanIsFreedBesideACorruptOne() throws Exception {
        Path img2 = XvRun.freshImage(dir);
        ImageEdit f = new ImageEdit(Files.readAllBytes(img2));
        int sick = f.create(Fs.ROOTINO, "sick", new byte[Fs.BSIZE]);
        int well = f.create(Fs.ROOTINO, "well", new byte[2 * Fs.BSIZE]);
        int wellBlock = f.inode(well).addr(0);
        f.unlinkKeepOpen(Fs.ROOTINO, "sick");
        f.unlinkKeepOpen(Fs.ROOTINO, "well");
        f.setType(sick, 9);
        Files.write(img2, f.img);
        XvRun.Result r2 = XvRun.boot(img2, "echo up\n");
        assertEquals(0, r2.status(), r2.output());
        assertTrue(r2.output().contains("ireclaim: orphaned inode " + sick + " is corrupt (invalid type 9): left for fsck\n"), r2.output());
        assertTrue(r2.output().contains("ireclaim: orphaned inode " + well + "\n"), r2.output());
        assertFalse(new ImageEdit(Files.readAllBytes(img2)).marked(wellBlock), "the sound orphan's blocks are free again");
    }

    // The block numbers the messages name, from a fresh image of the same programs.
    private int bmapstart() throws Exception {
        return fresh().sb.bmapstart();
    }

    private int readmeBlock() throws Exception {
        ImageEdit e = fresh();
        return e.inode(e.dirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "README")).inum()).addr(0);
    }

    private int firstOrphanBlock() throws Exception {
        ImageEdit e = fresh();
        int inum = e.create(Fs.ROOTINO, "doomed", new byte[3 * Fs.BSIZE]);
        return e.inode(inum).addr(0);
    }

    private ImageEdit fresh() throws Exception {
        Path sub = Files.createTempDirectory(dir, "fresh");
        return new ImageEdit(Files.readAllBytes(XvRun.freshImage(sub)));
    }
}
