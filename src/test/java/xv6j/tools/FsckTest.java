package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.DInode;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.ImageEdit;
import xv6j.fs.SuperBlock;
import xv6j.fs.FsckReport;
import xv6j.fs.FsckReport.Finding;
import xv6j.fs.FsckReport.Severity;

class FsckTest {
    @TempDir
    Path dir;

    private ImageEdit e;
    /** Inodes of the files mkfs made: a small file, a file with an indirect block. */
    private int small;
    private int big;

    @BeforeEach
    void makeImage() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("small", "hello\n".getBytes(StandardCharsets.US_ASCII));
        files.put("big", new byte[20 * Fs.BSIZE]);
        new Random(1).nextBytes(files.get("big"));
        e = ImageEdit.fresh(dir, files);
        FsImage img = FsImage.of(e.img);
        small = img.lookup("small").orElseThrow();
        big = img.lookup("big").orElseThrow();
    }

    private FsckReport check() {
        return Fsck.check(e.img);
    }

    /** The image has exactly one error, and it says what. */
    private void assertOneError(String expected) {
        FsckReport r = check();
        List<Finding> errors = r.errors();
        assertEquals(1, errors.size(), "errors: " + errors);
        assertTrue(errors.get(0).message().contains(expected), errors.get(0).message());
    }

    /** Some error says what (a corruption may also cause others). */
    private void assertError(String expected) {
        FsckReport r = check();
        assertTrue(r.errors().stream().anyMatch(f -> f.message().contains(expected)), "errors: " + r.errors());
    }

    // ---- clean images ---------------------------------------------------------------------------

    /**
     * xv6's mkfs gives a size that is a multiple of BPB a spare bitmap block, and ninodes
     * a multiple of IPB a spare inode block; fsck warned of a gap on such images before.
     */
    @Test
    void mkfsImagesWithSpareRegionBlocksHaveNoFindings() throws Exception {
        Path in = Files.writeString(dir.resolve("f"), "x");
        for (int[] shape : new int[][] {{8192, 200}, {16384, 208}, {2000, 1024}}) {
            Path img = dir.resolve("spare" + shape[0] + "-" + shape[1] + ".img");
            Mkfs.build(img, List.of(in), shape[0], shape[1]);
            FsckReport r = Fsck.check(img);
            assertEquals(List.of(), r.findings(), shape[0] + " blocks, " + shape[1] + " inodes: " + r);
        }
    }

    @Test
    void freshImageIsClean() {
        FsckReport r = check();
        assertEquals(List.of(), r.findings());
        assertEquals("clean", r.summary());
    }

    @Test
    void treeMadeAsXv6MakesItIsClean() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        int b = e.mkdir(a, "b");
        e.mkdir(a, "c");
        int f = e.create(b, "f", new byte[3000]);
        e.link(Fs.ROOTINO, "f2", f);
        e.mknod(Fs.ROOTINO, "console", 1, 0);
        for (int i = 0; i < 100; i++) e.create(b, "n" + i, new byte[] {(byte) i}); // b grows past a block
        assertEquals(List.of(), check().findings());
        assertEquals(2, e.inode(Fs.ROOTINO).nlink(), "root: its '..' and a's '..'");
        assertEquals(3, e.inode(a).nlink(), "a: its entry in the root, and the '..' of b and c");
        assertEquals(1, e.inode(b).nlink());
        assertEquals(2, e.inode(f).nlink());
    }

    @Test
    void emptyDirectoryRemovedAsXv6DoesIsClean() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        int d = e.mkdir(a, "d");
        e.unlinkKeepOpen(a, "d");
        // xv6 frees it at the last iput: blocks released, inode zeroed.
        DInode dead = e.inode(d);
        e.mark(dead.addr(0), false);
        e.putInode(d, DInode.empty());
        assertEquals(List.of(), check().findings());
    }

    // ---- each corruption is named ---------------------------------------------------------------

    @Test
    void badMagic() {
        e.putInt(1, 0, 0xdeadbeef);
        FsckReport r = check();
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().contains("bad magic 0xdeadbeef"), r.toString());
    }

    @Test
    void regionsOverlapping() {
        SuperBlock sb = e.sb;
        e.putSuperBlock(new SuperBlock(sb.magic(), sb.size(), sb.nblocks(), sb.ninodes(), sb.nlog(), sb.logstart(),
                sb.inodestart(), sb.inodestart() + 2));
        assertError("bitmap starts at 35, inside the 200 inodes");
    }

    @Test
    void superblockLargerThanTheImage() {
        SuperBlock sb = e.sb;
        e.putSuperBlock(new SuperBlock(sb.magic(), sb.size() + 5, sb.nblocks() + 5, sb.ninodes(), sb.nlog(),
                sb.logstart(), sb.inodestart(), sb.bmapstart()));
        assertOneError("size 2005 blocks is larger than the image (2000 blocks)");
    }

    /**
     * A sparse image file of two billion blocks (it costs nothing to make) whose superblock
     * says so: one error. Before, fsck (and the kernel's check before boot) ran out of heap
     * making a word per block, with a Java stack trace.
     */
    @Test
    void aSuperblockOfTwoBillionBlocksIsRefusedNotTried() throws IOException {
        int size = 2_000_000_000;
        e.putSuperBlock(SuperBlock.layout(size, e.sb.ninodes(), Fs.NLOG));
        Path img = dir.resolve("huge.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.write(e.img);
            f.setLength((long) size * Fs.BSIZE);
        }
        FsckReport r = Fsck.check(img);
        assertEquals(1, r.errors().size(), r.toString());
        assertTrue(r.errors().get(0).message().contains("size 2000000000 blocks is more than an xv6j file system may have"), r.toString());
    }

    /** An empty file is a corrupt image (status 1, as for one of 1 byte), not an unreadable file (2). */
    @Test
    void anEmptyFileIsAnImageWithoutASuperblock() throws IOException {
        Path img = Files.createFile(dir.resolve("empty.img"));
        var out = new java.io.ByteArrayOutputStream();
        var ps = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(1, Fsck.run(new String[] {img.toString()}, ps, ps), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("error: the image is empty (0 bytes)"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void blockReferencedTwice() {
        e.setAddr(small, 1, e.inode(big).addr(3));
        e.setSize(small, Fs.BSIZE + 1);
        // Inodes are checked in order, so the second claim is big's.
        assertOneError("block " + e.inode(big).addr(3) + " is referenced twice: by inode " + small + " and by inode "
                + big + " (addrs[3])");
    }

    @Test
    void usedBlockNotMarkedInTheBitmap() {
        int b = e.inode(big).addr(5);
        e.mark(b, false);
        assertOneError("bitmap: block " + b + " (inode " + big + ") used by a file but marked free");
    }

    @Test
    void freeBlockMarkedInTheBitmap() {
        e.mark(1500, true);
        e.mark(1501, true);
        assertOneError("bitmap: blocks 1500..1501 marked in use but referenced by no inode (leaked)");
    }

    @Test
    void metadataBlockNotMarked() {
        e.mark(e.sb.inodestart() + 1, false);
        assertOneError("bitmap: metadata block 34 not marked in use");
    }

    @Test
    void wrongFileNlink() {
        e.setNlink(small, 2);
        assertOneError("inode " + small + " (file): nlink 2, but 1 directory entry names it");
    }

    @Test
    void parentNlinkNotCountingASubdirectory() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        e.mkdir(a, "b");
        e.setNlink(a, 1);
        assertOneError("inode " + a + " (directory): nlink 1, but 2 directory entries name it");
    }

    @Test
    void rootNlinkCountingItsDot() {
        e.setNlink(Fs.ROOTINO, 2);
        assertOneError("inode 1 (directory): nlink 2, but 1 directory entry names it");
    }

    @Test
    void directoryWithoutDot() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        e.putDirEnt(a, 0, new DirEnt(0, ""));
        assertOneError("directory " + a + " has no '.' entry in its first slot");
    }

    @Test
    void dotNamingAnotherInode() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        e.putDirEnt(a, 0, new DirEnt(small, "."));
        assertOneError("directory " + a + ": '.' names inode " + small + ", not itself");
    }

    @Test
    void directoryWithoutDotDot() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        e.putDirEnt(a, 1, new DirEnt(0, ""));
        e.setNlink(Fs.ROOTINO, 1);
        assertOneError("directory " + a + " has no '..' entry in its second slot");
    }

    @Test
    void dotDotNamingTheWrongParent() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        int b = e.mkdir(a, "b");
        int c = e.mkdir(Fs.ROOTINO, "c");
        e.putDirEnt(b, 1, new DirEnt(c, ".."));
        assertError("directory " + b + ": '..' names inode " + c + ", not its parent " + a);
    }

    @Test
    void entryNamingAFreeInode() {
        e.putDirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "small"), new DirEnt(100, "small"));
        assertError("the root: entry 'small' at offset 32 names free inode 100");
    }

    @Test
    void entryNamingAnInodeBeyondNinodes() {
        e.putDirEnt(Fs.ROOTINO, 6, new DirEnt(9999, "far"));
        assertOneError("entry 'far' at offset 96 names inode 9999, beyond ninodes 200");
    }

    @Test
    void sameNameTwiceInADirectory() {
        e.link(Fs.ROOTINO, "small", small);
        assertOneError("the root: name 'small' appears twice");
    }

    @Test
    void malformedNames() {
        e.link(Fs.ROOTINO, "a/b", small);
        e.link(Fs.ROOTINO, "..", small);
        FsckReport r = check();
        assertEquals(2, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).message().contains("entry 'a/b' at offset 64 has a '/'"), r.toString());
        assertTrue(r.errors().get(1).message().contains("entry '..' at offset 80 is out of place"), r.toString());
    }

    @Test
    void directoryLinkedFromTwoDirectories() {
        int a = e.mkdir(Fs.ROOTINO, "a");
        int b = e.mkdir(Fs.ROOTINO, "b");
        e.link(b, "again", a);
        assertError("directory " + a + " is linked from directory " + b + " and from directory 1");
    }

    @Test
    void sizeBeyondMaxfile() {
        e.setSize(small, Fs.MAXFILE * Fs.BSIZE + 1);
        assertError("inode " + small + ": size 274433 exceeds MAXFILE*BSIZE (274432)");
    }

    @Test
    void holeBelowTheSize() {
        e.mark(e.inode(big).addr(4), false);
        e.setAddr(big, 4, 0);
        assertOneError("inode " + big + ": file block 4 missing below its size 20480");
    }

    @Test
    void directBlockInTheInodeRegion() {
        e.setAddr(small, 0, e.sb.inodestart());
        assertError("inode " + small + ": addrs[0] = 33 is outside the data region (47..1999)");
    }

    @Test
    void indirectBlockPointingOutsideTheDataRegion() {
        int ind = e.inode(big).addr(Fs.NDIRECT);
        e.mark(e.getInt(ind, 4), false);
        e.putInt(ind, 4, 5000);
        assertOneError("inode " + big + ": indirect block " + ind + " entry 1 = 5000 is outside the data region");
    }

    @Test
    void indirectBlockItselfOutsideTheDataRegion() {
        e.setAddr(big, Fs.NDIRECT, 3);
        FsckReport r = check();
        assertTrue(r.errors().get(0).message().contains("inode " + big + ": indirect block = 3 is outside the data region"),
                r.toString());
    }

    @Test
    void invalidInodeType() {
        e.setType(150, 7);
        assertOneError("inode 150 has invalid type 7");
    }

    /** Before, its blocks were listed a second time as leaked: one corruption, two errors. */
    @Test
    void orphanWithAnInvalidTypeIsOneErrorNamingItsBlocks() throws Exception {
        int[] blocks = FsImage.of(e.img).blockMap(big);
        e.unlinkKeepOpen(Fs.ROOTINO, "big");
        e.setType(big, 7);
        assertOneError("inode " + big + " has invalid type 7 and nlink 0");
        String message = check().errors().get(0).message();
        assertTrue(message.contains("block" + (blocks.length == 1 ? " " : "s ")), message);
        assertTrue(message.contains(Integer.toString(blocks[0])), message);
        assertTrue(check().warnings().isEmpty(), check().toString());
    }

    @Test
    void linkedFileWithAnInvalidTypeIsOneError() {
        e.setType(big, 7);
        assertOneError("inode " + big + " has invalid type 7");
    }

    @Test
    void freeInodeWithLeftovers() {
        e.putInode(150, new DInode(Fs.T_FREE, (short) 0, (short) 0, (short) 1, 0, new int[Fs.NDIRECT + 1]));
        assertOneError("inode 150 is free (type 0) but has nlink 1");
    }

    @Test
    void implausibleDeviceMajor() {
        int dev = e.mknod(Fs.ROOTINO, "dev", 12, 0);
        assertOneError("inode " + dev + ": device major 12 is outside 1..9");
    }

    @Test
    void unreachableInodeWithLinks() {
        e.putDirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "small"), new DirEnt(0, ""));
        assertOneError("inode " + small + " (file) has nlink 1 but no path from the root reaches it");
    }

    // ---- states xv6 itself leaves: warnings, not errors -------------------------------------------

    @Test
    void fileUnlinkedWhileOpenIsAWarningNotAnError() {
        e.unlinkKeepOpen(Fs.ROOTINO, "big");
        FsckReport r = check();
        assertTrue(r.clean(), r.toString());
        assertEquals(1, r.warnings().size(), r.toString());
        assertTrue(r.warnings().get(0).message().contains("inode " + big + " (file) is allocated with nlink 0"),
                r.toString());
        assertEquals("clean, 1 warning", r.summary());
    }

    @Test
    void blockBeyondTheSizeIsAWarning() {
        // writei allocated block 0 of an empty file, then the copy from user memory failed.
        int f = e.create(Fs.ROOTINO, "w", new byte[0]);
        e.bmap(f, 0, true);
        FsckReport r = check();
        assertTrue(r.clean(), r.toString());
        assertTrue(r.warnings().get(0).message().contains("1 block lies beyond its size 0"), r.toString());
    }

    // ---- the log -----------------------------------------------------------------------------

    /** A transaction that creates /new (inode, directory, bitmap, data blocks) committed to the log. */
    private ImageEdit commitCreate() {
        ImageEdit after = e.copy();
        after.create(Fs.ROOTINO, "new", "from the log".getBytes(StandardCharsets.US_ASCII));
        e.commitLog(after);
        return after;
    }

    @Test
    void committedLogIsCheckedAsReplayedAndNotedAsPending() {
        commitCreate();
        FsckReport r = check();
        assertTrue(r.clean(), r.toString());
        assertTrue(r.replayPending());
        assertEquals(Severity.NOTE, r.findings().get(0).severity());
        assertTrue(r.findings().get(0).message().contains("committed transaction of 4 blocks"), r.toString());
        assertEquals("clean after log replay", r.summary());
    }

    @Test
    void committedLogIsCheckedAfterReplayNotBefore() {
        // The logged transaction repairs a wrong nlink: clean once replayed.
        ImageEdit after = e.copy();
        e.setNlink(small, 3);
        e.commitLog(after);
        assertTrue(check().clean(), check().toString());
        // And one that breaks it is reported, though the home blocks are fine today.
        makeImageAgain();
        ImageEdit broken = e.copy();
        broken.setNlink(small, 3);
        e.commitLog(broken);
        assertOneError("nlink 3");
    }

    private void makeImageAgain() {
        try {
            makeImage();
        } catch (IOException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void logHeaderWithNTooLarge() {
        e.putInt(e.sb.logstart(), 0, 1000);
        assertOneError("log header: n = 1000 is outside 0..30");
    }

    @Test
    void logHeaderNamingTheSuperblock() {
        e.putInt(e.sb.logstart(), 0, 1);
        e.putInt(e.sb.logstart(), 4, 1);
        assertOneError("log header: block[0] = 1 is not a block a transaction writes");
    }

    // ---- the command line ----------------------------------------------------------------------

    private record Result(int status, String out, String err) {}

    private Result fsck(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Fsck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String save() throws IOException {
        return Files.write(dir.resolve("fs.img"), e.img).toString();
    }

    /**
     * make fsck while make qemu runs on the image: fsck would read the machine's half-done
     * work and report it as errors (it did: "no path from the root reaches it"). It says
     * the image is in use instead, and checks nothing.
     */
    @Test
    void anImageAMachineHoldsIsNotCheckedUnderIt() throws IOException {
        String img = save();
        try (var machine = xv6j.machine.ImageLock.open(Path.of(img))) {
            Result r = fsck(img);
            assertEquals(2, r.status(), r.out() + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("fsck: " + img + " is in use by ") && r.err().endsWith(
                    " (fsck checks it once that program has ended)\n"), r.err());
        }
        assertEquals(0, fsck(img).status());
    }

    @Test
    void cleanImageExitsZero() throws IOException {
        String img = save();
        Result r = fsck(img);
        assertEquals(0, r.status());
        assertEquals(img + ": clean\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void eachProblemIsOneLineAndTheStatusIsOne() throws IOException {
        e.setNlink(small, 5);
        e.mark(1800, true);
        String img = save();
        Result r = fsck(img);
        assertEquals(1, r.status());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("error: inode " + small), r.out());
        assertTrue(lines.get(1).startsWith("error: bitmap: block 1800"), r.out());
        assertEquals(img + ": 2 errors", lines.get(2));
    }

    @Test
    void replayOptionInstallsTheLogAndClearsTheHeader() throws IOException {
        ImageEdit after = commitCreate();
        String img = save();
        Result r = fsck("--replay", img);
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().startsWith("note: replayed the log: 4 blocks installed\n"), r.out());
        assertTrue(r.out().endsWith(img + ": clean\n"), r.out());

        byte[] replayed = Files.readAllBytes(Path.of(img));
        ImageEdit now = new ImageEdit(replayed);
        assertEquals(0, now.getInt(now.sb.logstart(), 0), "header cleared");
        for (int b = now.sb.inodestart(); b < now.sb.size(); b++)
            assertArrayEquals(after.block(b), now.block(b), "block " + b);
        FsImage fs = FsImage.of(replayed);
        assertArrayEquals("from the log".getBytes(StandardCharsets.US_ASCII),
                fs.readFile(fs.lookup("/new").orElseThrow()));

        Result again = fsck("--replay", img);
        assertTrue(again.out().startsWith("note: the log holds no committed transaction"), again.out());
    }

    @Test
    void replayRefusesACorruptLogAndWritesNothing() throws IOException {
        e.putInt(e.sb.logstart(), 0, 2);
        e.putInt(e.sb.logstart(), 4, 50);
        e.putInt(e.sb.logstart(), 8, 2_000_000);
        String img = save();
        Result r = fsck("--replay", img);
        assertEquals(1, r.status());
        assertTrue(r.out().contains("block[1] = 2000000 is not a block a transaction writes"), r.out());
        assertArrayEquals(e.img, Files.readAllBytes(Path.of(img)));
    }

    @Test
    void unreadableOrMissingFileExitsTwo() throws IOException {
        Result r = fsck(dir.resolve("nothere.img").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("fsck: ") && r.err().contains("nothere.img: no such file"), r.err());
        assertEquals(1, r.err().lines().count());
        assertEquals(2, fsck(dir.toString()).status(), "a directory");
    }

    @Test
    void imageNotAWholeNumberOfBlocksIsAnError() throws IOException {
        Path p = Files.write(dir.resolve("odd.img"), new byte[3000]);
        Result r = fsck(p.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("not a whole number of 1024-byte blocks"), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, fsck().status());
        assertEquals(2, fsck("a.img", "b.img").status());
        Result r = fsck("--fix", "a.img");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown option --fix"), r.err());
    }

    /** --help says what its one option does (it printed the usage line alone). */
    @Test
    void helpSaysWhatReplayDoes() {
        Result r = fsck("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("usage: fsck [--replay] IMAGE\n  --replay   first install a committed transaction"), r.out());
    }

    // ---- robustness ---------------------------------------------------------------------------

    /** Random damage anywhere in the metadata never makes fsck throw, and is usually found. */
    @Test
    void randomDamageIsReportedNeverThrown() {
        Random r = new Random(99);
        int a = e.mkdir(Fs.ROOTINO, "a");
        e.create(a, "x", new byte[5000]);
        byte[] base = e.img.clone();
        int found = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] img = base.clone();
            int b = 1 + r.nextInt(60); // superblock, log, inodes, bitmap, first data blocks
            img[b * Fs.BSIZE + r.nextInt(Fs.BSIZE)] ^= (byte) (1 + r.nextInt(255));
            FsckReport report = Fsck.check(img);
            if (!report.findings().isEmpty()) found++;
            for (Finding f : report.findings()) assertFalse(f.message().contains("Exception"), f.message());
        }
        assertTrue(found > 0);
    }
}
