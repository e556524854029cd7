package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.DInode;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsImage;
import xv6j.fs.FsckReport;
import xv6j.fs.SuperBlock;

class MkfsTest {
    @TempDir
    Path dir;

    /** Exit status and what mkfs printed. */
    private record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Result mkfs(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Mkfs.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path file(String name, int bytes) throws IOException {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) b[i] = (byte) (i * 31 + name.hashCode());
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    private String img() {
        return dir.resolve("fs.img").toString();
    }

    private FsImage read() throws IOException {
        return FsImage.of(Files.readAllBytes(dir.resolve("fs.img")));
    }

    /** No image and no temporary file left in the directory. */
    private void assertNoImageLeft() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("fs.img")).toList());
        }
    }

    @Test
    void imageOfUserProgramsIsCleanForFsck() throws IOException {
        Result r = mkfs(img(), file("user/_cat", 5000).toString(), file("user/_sh", 40_000).toString(),
                file("README", 1500).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("2000 blocks"), r.out());
        FsckReport report = Fsck.check(dir.resolve("fs.img"));
        assertEquals(List.of(), report.findings());
    }

    @Test
    void namesLoseTheirDirectoriesAndOneLeadingUnderscore() throws IOException {
        assertEquals("cat", Mkfs.entryName(Path.of("user/_cat")));
        assertEquals("_x", Mkfs.entryName(Path.of("__x")));
        assertEquals("README", Mkfs.entryName(Path.of("/a/b/README")));
        assertEquals("fourteen_bytes", Mkfs.entryName(Path.of("fourteen_bytes")));
    }

    @Test
    void everyFileIsInTheRootWithItsContents() throws IOException {
        Path cat = file("user/_cat", 5000);
        Path big = file("big", 100_000);
        Path empty = file("empty", 0);
        assertEquals(0, mkfs(img(), cat.toString(), big.toString(), empty.toString()).status());
        FsImage img = read();
        List<DirEnt> root = img.listDir(Fs.ROOTINO);
        assertEquals(List.of(new DirEnt(1, "."), new DirEnt(1, ".."), new DirEnt(2, "cat"), new DirEnt(3, "big"),
                new DirEnt(4, "empty")), root);
        assertArrayEquals(Files.readAllBytes(cat), img.readFile(2));
        assertArrayEquals(Files.readAllBytes(big), img.readFile(3));
        assertEquals(0, img.readFile(4).length);
    }

    @Test
    void linkCountsAndSizesFollowXv6() throws IOException {
        assertEquals(0, mkfs(img(), file("a", 10).toString(), file("b", 3000).toString()).status());
        FsImage img = read();
        DInode root = img.inode(Fs.ROOTINO);
        assertEquals(Fs.T_DIR, root.type());
        assertEquals(1, root.nlink(), "xv6 counts the root's '..' but not its '.'");
        assertEquals(Fs.BSIZE, root.size(), "the root's size is rounded up to whole blocks");
        assertEquals(1, img.inode(2).nlink());
        assertEquals(10, img.inode(2).size());
        assertEquals(3000, img.inode(3).size());
        assertEquals(Fs.T_FREE, img.inode(4).type());
    }

    @Test
    void bitmapMarksExactlyTheMetadataAndTheUsedBlocks() throws IOException {
        assertEquals(0, mkfs(img(), file("a", 20 * Fs.BSIZE).toString(), file("b", 1).toString()).status());
        FsImage img = read();
        SuperBlock sb = img.superBlock();
        // root 1, a 20 + indirect 1, b 1
        int used = sb.datastart() + 1 + 21 + 1;
        for (int b = 0; b < sb.size(); b++) assertEquals(b < used, img.isMarked(b), "block " + b);
    }

    /**
     * The image is laid out block for block as xv6-riscv's own mkfs lays it out (built on
     * the host and compared, docs/xv6-compat.md): a log of 31 blocks (header and
     * LOGBLOCKS), inodes at 33, the bitmap at 46, the root's block first at 47, then each
     * file's blocks in order. Before, the log had 30 blocks and everything sat one lower.
     */
    @Test
    void imageHasTheLayoutOfXv6RiscvsMkfs() throws IOException {
        assertEquals(0, mkfs(img(), file("a", 10).toString(), file("b", 3000).toString()).status());
        FsImage img = read();
        assertEquals(new SuperBlock(Fs.FSMAGIC, 2000, 1953, 200, 31, 2, 33, 46), img.superBlock());
        assertEquals(47, img.inode(Fs.ROOTINO).addr(0));
        assertEquals(48, img.inode(2).addr(0));
        assertEquals(List.of(49, 50, 51), List.of(img.inode(3).addr(0), img.inode(3).addr(1), img.inode(3).addr(2)));
        for (int b = 0; b < 60; b++) assertEquals(b <= 51, img.isMarked(b), "block " + b);
    }

    @Test
    void sizeAndInodesOptionsMakeABiggerImage() throws IOException {
        Result r = mkfs("--size", "10000", "--inodes", "1000", img(), file("a", 1).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(10000L * Fs.BSIZE, Files.size(dir.resolve("fs.img")));
        assertEquals(SuperBlock.layout(10000, 1000, Fs.NLOG), read().superBlock());
        assertTrue(Fsck.check(dir.resolve("fs.img")).clean());
    }

    @Test
    void bitmapSpanningSeveralBlocksIsWritten() throws IOException {
        // 20000 blocks need 3 bitmap blocks; fill past the first one's 8192 blocks.
        List<String> args = new ArrayList<>(List.of("--size", "20000", img()));
        for (int i = 0; i < 40; i++) args.add(file("f" + i, Fs.MAXFILE * Fs.BSIZE).toString());
        Result r = mkfs(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        FsckReport report = Fsck.check(dir.resolve("fs.img"));
        assertEquals(List.of(), report.findings());
        assertTrue(read().isMarked(Fs.BPB + 100));
    }

    @Test
    void imageGetsThePermissionsOfAnyNewFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        assertEquals(0, mkfs(img()).status());
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("fs.img")));
    }

    @Test
    void aFileOfExactlyMaxfileBlocksFits() throws IOException {
        assertEquals(0, mkfs(img(), file("max", Fs.MAXFILE * Fs.BSIZE).toString()).status());
        assertEquals(Fs.MAXFILE * Fs.BSIZE, read().readFile(2).length);
    }

    /**
     * The line mkfs ends with counts in words that agree ("1 file", not "1 files") and says
     * how many data blocks are in use and free (it said "1953 data, 49 in use", the 49
     * counting the 47 metadata blocks).
     */
    @Test
    void theSummaryLineCountsTheDataBlocksInUseAndFreeInAgreeingWords() throws IOException {
        Result r = mkfs("--extra", "1", img(), file("a", 1).toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(img() + ": 2000 blocks (47 metadata, 1953 data: 2 in use, 1951 free), 200 inodes (2 in use),"
                + " 1 file, then 1 block outside it\n", r.out());
        r = mkfs("--size", "1", img());
        assertEquals("mkfs: image too small: its metadata alone takes 47 blocks, and it has 1 block\n", r.err());
    }

    @Test
    void emptyFileListMakesARootOnly() throws IOException {
        assertEquals(0, mkfs(img()).status());
        assertEquals(2, read().listDir(Fs.ROOTINO).size());
        assertTrue(Fsck.check(dir.resolve("fs.img")).clean());
    }

    // ---- errors: one line, status 1, no image ---------------------------------------------------

    private void assertFailsWith(String expected, String... args) throws IOException {
        Result r = mkfs(args);
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("mkfs: ") && r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertNoImageLeft();
    }

    /**
     * A file that is not an image, named first by mistake (scripts/mkfs README.md user/...),
     * is left as it was: before, mkfs replaced it with an empty file system.
     */
    @Test
    void aFileThatIsNotAnImageIsNeverReplaced() throws IOException {
        Path notes = file("notes.md", 3000);
        byte[] before = Files.readAllBytes(notes);
        Result r = mkfs(notes.toString(), file("a", 10).toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(List.of("mkfs: " + notes + " is not an xv6 image (no superblock); mkfs replaces only an image:"
                + " name another OUT.img, or remove this file first"), r.errLines());
        assertArrayEquals(before, Files.readAllBytes(notes));
        // An image, though, is replaced, as mkfs always has: a fresh one each time.
        assertEquals(0, mkfs(img(), file("b", 10).toString()).status());
        assertEquals(0, mkfs(img(), file("c", 10).toString()).status());
        assertTrue(read().lookup("/c").isPresent() && read().lookup("/b").isEmpty());
    }

    @Test
    void missingInputFileFails() throws IOException {
        assertFailsWith("nothere: no such file", img(), dir.resolve("nothere").toString());
    }

    @Test
    void directoryAsInputFails() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        assertFailsWith("not a regular file", img(), dir.resolve("sub").toString());
    }

    @Test
    void nameLongerThanDirsizFails() throws IOException {
        assertFailsWith("longer than DIRSIZ (14)", img(), file("fifteen_bytes__", 1).toString());
    }

    @Test
    void underscoreAloneLeavesNoNameAndFails() throws IOException {
        assertFailsWith("cannot name a file", img(), file("_", 1).toString());
    }

    @Test
    void duplicateNameFails() throws IOException {
        assertFailsWith("name 'cat' is already taken", img(), file("user/_cat", 1).toString(),
                file("other/cat", 1).toString());
    }

    @Test
    void fileLargerThanMaxfileFails() throws IOException {
        assertFailsWith("more than the largest file", img(), file("huge", Fs.MAXFILE * Fs.BSIZE + 1).toString());
    }

    @Test
    void imageTooSmallForTheFilesFails() throws IOException {
        assertFailsWith("image too small", "--size", "100", img(), file("a", 60 * Fs.BSIZE).toString());
    }

    @Test
    void imageTooSmallForItsMetadataFails() throws IOException {
        assertFailsWith("image too small", "--size", "40", img());
    }

    /** Before, --size 2000000000 made a 2 TB sparse image that fsck and the kernel ran out of heap on. */
    @Test
    void anImageLargerThanMaxfssizeFails() throws IOException {
        assertFailsWith("size must be at most " + Fs.MAXFSSIZE, "--size", "2000000000", img());
        assertFailsWith("extra blocks must be 0..", "--extra", "99999999", img());
    }

    /** Before, the error named the part file beside it ("fs.img.123.0.part: Is a directory"). */
    @Test
    void anOutputThatIsADirectoryFailsNamingIt() throws IOException {
        Files.createDirectories(dir.resolve("fs.img"));
        Result r = mkfs(img(), file("a", 1).toString());
        assertEquals(1, r.status(), r.err());
        assertEquals("mkfs: " + img() + ": is a directory, not an image\n", r.err());
    }

    @Test
    void tooManyFilesForTheInodesFails() throws IOException {
        assertFailsWith("too many files", "--inodes", "3", img(), file("a", 1).toString(), file("b", 1).toString());
    }

    @Test
    void tooManyInodesForADirectoryEntryFails() throws IOException {
        assertFailsWith("inodes must be 2..65536", "--inodes", "70000", img());
    }

    @Test
    void outputInAMissingDirectoryFails() throws IOException {
        Result r = mkfs(dir.resolve("no/such/fs.img").toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no such directory"), r.err());
    }

    @Test
    void failedBuildLeavesAnEarlierImageUntouched() throws IOException {
        assertEquals(0, mkfs(img(), file("a", 10).toString()).status());
        byte[] before = Files.readAllBytes(dir.resolve("fs.img"));
        assertEquals(1, mkfs(img(), file("a", 10).toString(), dir.resolve("nothere").toString()).status());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("fs.img")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.filter(p -> p.toString().endsWith(".part")).count(), "no temporary file left");
        }
    }

    @Test
    void javaApiReportsErrorsAsIoExceptions() {
        IOException e = assertThrows(IOException.class,
                () -> Mkfs.build(dir.resolve("fs.img"), List.of(dir.resolve("nothere"))));
        assertTrue(e.getMessage().endsWith("nothere: no such file"), e.getMessage());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, mkfs().status());
        assertEquals(2, mkfs("--size").status());
        assertEquals(2, mkfs("--size", "lots", img()).status());
        assertEquals(2, mkfs("--inodes", "0", img()).status());
        Result r = mkfs("--bogus", img());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown option --bogus") && r.err().contains("usage:"), r.err());
    }

    @Test
    void helpPrintsUsage() {
        Result r = mkfs("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("usage: mkfs"), r.out());
    }

    @Test
    void extraBlocksFollowTheFileSystemOutsideItAndTheImageIsStillClean() throws IOException {
        Path f = dir.resolve("a");
        Files.writeString(f, "x");
        Result r = mkfs("--extra", "1000", img(), f.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("then 1000 blocks outside it"), r.out());
        assertEquals((long) (Fs.FSSIZE + 1000) * Fs.BSIZE, Files.size(Path.of(img())));
        assertTrue(Fsck.check(Path.of(img())).clean());
        assertEquals(Fs.FSSIZE, FsImage.of(Files.readAllBytes(Path.of(img()))).superBlock().size(),
                "the file system itself keeps its size");
    }
}
