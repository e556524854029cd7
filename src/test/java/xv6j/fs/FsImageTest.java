package xv6j.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Disk;

class FsImageTest {
    @TempDir
    Path dir;

    /** Files of every interesting size: empty, part of a block, whole blocks, indirect, MAXFILE. */
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private ImageEdit fresh;

    @BeforeEach
    void makeImage() {
        Random r = new Random(7);
        for (int n : new int[] {0, 5, Fs.BSIZE, Fs.NDIRECT * Fs.BSIZE, Fs.NDIRECT * Fs.BSIZE + 1, 100_000,
                Fs.MAXFILE * Fs.BSIZE}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            files.put("f" + n, b);
        }
        files.put("README", "hello\n".getBytes(StandardCharsets.US_ASCII));
        fresh = ImageEdit.fresh(dir, files);
    }

    private FsImage image(ImageEdit e) throws CorruptImageException {
        return FsImage.of(e.img);
    }

    @Test
    void superblockIsXv6sStandardLayout() throws Exception {
        assertEquals(SuperBlock.layout(Fs.FSSIZE, Fs.NINODES, Fs.NLOG), image(fresh).superBlock());
    }

    @Test
    void rootListsDotDotDotThenEveryFileInOrder() throws Exception {
        List<DirEnt> root = image(fresh).listDir(Fs.ROOTINO);
        assertEquals(new DirEnt(1, "."), root.get(0));
        assertEquals(new DirEnt(1, ".."), root.get(1));
        assertEquals(List.copyOf(files.keySet()), root.subList(2, root.size()).stream().map(DirEnt::name).toList());
    }

    @Test
    void everyFileReadsBackByteForByte() throws Exception {
        FsImage img = image(fresh);
        for (var e : files.entrySet()) {
            int inum = img.lookup("/" + e.getKey()).orElseThrow();
            assertEquals(Fs.T_FILE, img.inode(inum).type());
            assertArrayEquals(e.getValue(), img.readFile(inum), e.getKey());
        }
    }

    @Test
    void blockMapCoversExactlyTheBlocksBelowTheSize() throws Exception {
        FsImage img = image(fresh);
        assertEquals(0, img.blockMap(img.lookup("f0").orElseThrow()).length);
        assertEquals(Fs.NDIRECT, img.blockMap(img.lookup("f12288").orElseThrow()).length);
        int[] big = img.blockMap(img.lookup("f" + Fs.MAXFILE * Fs.BSIZE).orElseThrow());
        assertEquals(Fs.MAXFILE, big.length);
        for (int b : big) assertTrue(img.isDataBlock(b) && img.isMarked(b), "block " + b);
    }

    @Test
    void lookupResolvesPathsAsNameiDoes() throws Exception {
        FsImage img = image(fresh);
        int readme = img.lookup("/README").orElseThrow();
        assertEquals(OptionalInt.of(Fs.ROOTINO), img.lookup("/"));
        assertEquals(OptionalInt.of(Fs.ROOTINO), img.lookup(""));
        assertEquals(OptionalInt.of(readme), img.lookup("README"));
        assertEquals(OptionalInt.of(readme), img.lookup("//./../README"));
        assertEquals(OptionalInt.empty(), img.lookup("/nothere"));
        assertEquals(OptionalInt.empty(), img.lookup("/README/x"), "a file is not a directory");
    }

    @Test
    void lookupComparesOnlyTheFirstDirsizBytesAsXv6Does() throws Exception {
        ImageEdit e = fresh.copy();
        int inum = e.create(Fs.ROOTINO, "fourteen_bytes", new byte[] {1});
        assertEquals(OptionalInt.of(inum), image(e).lookup("/fourteen_bytes_and_more"));
    }

    @Test
    void subdirectoriesAreListedAndWalked() throws Exception {
        ImageEdit e = fresh.copy();
        int a = e.mkdir(Fs.ROOTINO, "a");
        int b = e.mkdir(a, "b");
        int f = e.create(b, "file", "deep".getBytes(StandardCharsets.US_ASCII));
        FsImage img = image(e);
        assertEquals(OptionalInt.of(f), img.lookup("/a/b/file"));
        assertEquals(OptionalInt.of(a), img.lookup("/a/b/.."));
        assertEquals(List.of(new DirEnt(b, "."), new DirEnt(a, ".."), new DirEnt(f, "file")), img.listDir(b));
        assertArrayEquals("deep".getBytes(StandardCharsets.US_ASCII), img.readFile(f));
    }

    @Test
    void diskAndArrayViewsAgree() throws Exception {
        Path p = Files.write(dir.resolve("copy.img"), fresh.img);
        try (Disk disk = Disk.open(p, true)) {
            FsImage onDisk = FsImage.open(disk);
            FsImage inMemory = image(fresh);
            assertEquals(inMemory.superBlock(), onDisk.superBlock());
            int inum = onDisk.lookup("f100000").orElseThrow();
            assertArrayEquals(inMemory.readFile(inum), onDisk.readFile(inum));
            assertEquals(inMemory.listDir(1), onDisk.listDir(1));
        }
    }

    // ---- corrupt images ---------------------------------------------------------------------

    @Test
    void badMagicIsReportedByName() {
        fresh.putInt(1, 0, 0x12345678);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh));
        assertTrue(e.getMessage().contains("bad magic 0x12345678"), e.getMessage());
    }

    @Test
    void superblockLargerThanTheImageIsCorrupt() {
        fresh.putInt(1, 4, Fs.FSSIZE + 1);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh));
        assertTrue(e.getMessage().contains("larger than the image"), e.getMessage());
    }

    @Test
    void overlappingRegionsAreEachReported() {
        SuperBlock sb = fresh.sb;
        fresh.putSuperBlock(new SuperBlock(sb.magic(), sb.size(), sb.nblocks() + 1, sb.ninodes(), sb.nlog(),
                sb.logstart(), sb.inodestart() - 1, sb.bmapstart()));
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).contains("inside the log"), e.getMessage());
        assertTrue(e.problems().get(1).contains("inside the bitmap"), e.getMessage());
    }

    @Test
    void imageThatIsNotWholeBlocksIsCorrupt() {
        assertThrows(CorruptImageException.class, () -> FsImage.of(new byte[Fs.BSIZE * 3 + 1]));
        assertThrows(CorruptImageException.class, () -> FsImage.of(new byte[Fs.BSIZE]));
    }

    @Test
    void indirectBlockOutsideTheDataRegionIsCorrupt() throws Exception {
        int inum = image(fresh).lookup("f100000").orElseThrow();
        fresh.setAddr(inum, Fs.NDIRECT, 5); // a log block
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).readFile(inum));
        assertTrue(e.getMessage().contains("indirect block = 5 is outside the data region"), e.getMessage());
    }

    @Test
    void indirectEntryBeyondTheImageIsCorrupt() throws Exception {
        FsImage img = image(fresh);
        int inum = img.lookup("f100000").orElseThrow();
        fresh.putInt(img.inode(inum).addr(Fs.NDIRECT), 8, -2);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).readFile(inum));
        assertTrue(e.getMessage().contains("entry 2 = 4294967294 is outside the data region"), e.getMessage());
    }

    @Test
    void missingBlockBelowTheSizeIsCorrupt() throws Exception {
        int inum = image(fresh).lookup("f1024").orElseThrow();
        fresh.setAddr(inum, 0, 0);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).readFile(inum));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void sizeBeyondMaxfileIsCorrupt() throws Exception {
        int inum = image(fresh).lookup("README").orElseThrow();
        fresh.setSize(inum, -1);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).readFile(inum));
        assertTrue(e.getMessage().contains("size 4294967295 exceeds MAXFILE"), e.getMessage());
    }

    @Test
    void entryNamingAnInodeBeyondNinodesIsCorrupt() throws Exception {
        fresh.putDirEnt(Fs.ROOTINO, 2, new DirEnt(60000, "f0"));
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).listDir(1));
        assertTrue(e.getMessage().contains("inode 60000, beyond ninodes 200"), e.getMessage());
    }

    @Test
    void entryNamingAFreeInodeIsCorruptOnLookup() throws Exception {
        fresh.putDirEnt(Fs.ROOTINO, 2, new DirEnt(150, "f0"));
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).lookup("/f0"));
        assertTrue(e.getMessage().contains("free inode 150"), e.getMessage());
    }

    @Test
    void directoryWhoseSizeIsNotWholeEntriesIsCorrupt() throws Exception {
        fresh.setSize(Fs.ROOTINO, 100);
        assertThrows(CorruptImageException.class, () -> image(fresh).listDir(Fs.ROOTINO));
    }

    @Test
    void rootThatIsNotADirectoryIsCorruptOnLookup() throws Exception {
        fresh.setType(Fs.ROOTINO, Fs.T_FILE);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).lookup("/x"));
        assertTrue(e.getMessage().contains("root inode 1 is not a directory"), e.getMessage());
    }

    @Test
    void invalidInodeTypeIsCorrupt() throws Exception {
        fresh.setType(2, 9);
        assertThrows(CorruptImageException.class, () -> image(fresh).readFile(2));
    }

    @Test
    void callerErrorsAreArgumentErrors() throws Exception {
        FsImage img = image(fresh);
        assertThrows(IllegalArgumentException.class, () -> img.inode(Fs.NINODES));
        assertThrows(IllegalArgumentException.class, () -> img.inode(-1));
        assertThrows(IllegalArgumentException.class, () -> img.readFile(150), "a free inode");
        assertThrows(IllegalArgumentException.class, () -> img.listDir(2), "a file");
        assertThrows(IllegalArgumentException.class, () -> img.block(Fs.FSSIZE));
    }

    // ---- the log ------------------------------------------------------------------------------

    @Test
    void freshLogIsEmptyAndReplayIsTheSameView() throws Exception {
        FsImage img = image(fresh);
        assertEquals(0, img.logHeader().n());
        assertSame(img, img.replayed());
    }

    @Test
    void replayedViewShowsLoggedBlocksAtHomeAndAnEmptyLog() throws Exception {
        ImageEdit after = fresh.copy();
        int inum = after.create(Fs.ROOTINO, "new", "logged".getBytes(StandardCharsets.US_ASCII));
        fresh.commitLog(after);

        FsImage img = image(fresh);
        assertEquals(OptionalInt.empty(), img.lookup("/new"), "not installed yet");
        assertTrue(img.logHeader().n() > 0);
        FsImage replayed = img.replayed();
        assertEquals(OptionalInt.of(inum), replayed.lookup("/new"));
        assertArrayEquals("logged".getBytes(StandardCharsets.US_ASCII), replayed.readFile(inum));
        assertEquals(0, replayed.logHeader().n());
        for (int b = fresh.sb.inodestart(); b < Fs.FSSIZE; b++)
            assertArrayEquals(after.block(b), replayed.block(b), "block " + b);
    }

    @Test
    void logHeaderWithNBeyondTheLogIsCorrupt() {
        fresh.putInt(fresh.sb.logstart(), 0, Fs.LOGSIZE + 1);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).logHeader());
        assertTrue(e.getMessage().contains("log header: n = 31 is outside 0..30"), e.getMessage());
    }

    @Test
    void logHeaderNamingALogBlockIsCorrupt() {
        fresh.putInt(fresh.sb.logstart(), 0, 1);
        fresh.putInt(fresh.sb.logstart(), 4, fresh.sb.logstart() + 1);
        CorruptImageException e = assertThrows(CorruptImageException.class, () -> image(fresh).replayed());
        assertTrue(e.getMessage().contains("block[0] = 3 is not a block a transaction writes"), e.getMessage());
    }

    // ---- robustness ---------------------------------------------------------------------------

    /**
     * Random damage to the metadata and directory blocks: walking the whole tree either
     * succeeds or fails with CorruptImageException, never another exception.
     */
    @Test
    void randomDamageGivesOnlyCorruptImageErrors() throws IOException {
        Random r = new Random(42);
        int rootBlock = image(fresh).blockMap(Fs.ROOTINO)[0];
        int corrupt = 0;
        for (int trial = 0; trial < 300; trial++) {
            ImageEdit e = fresh.copy();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                int b = r.nextInt(4) == 0 ? rootBlock : 1 + r.nextInt(fresh.sb.datastart() - 1);
                e.img[b * Fs.BSIZE + r.nextInt(Fs.BSIZE)] = (byte) r.nextInt(256);
            }
            try {
                walk(FsImage.of(e.img).replayed());
            } catch (CorruptImageException ex) {
                assertFalse(ex.getMessage().isBlank());
                corrupt++;
            }
        }
        assertTrue(corrupt > 0, "some damage must be detected");
    }

    private static void walk(FsImage img) throws CorruptImageException {
        if (img.inode(Fs.ROOTINO).type() != Fs.T_DIR) return;
        Deque<Integer> dirs = new ArrayDeque<>(List.of(Fs.ROOTINO));
        boolean[] seen = new boolean[img.superBlock().ninodes()];
        while (!dirs.isEmpty()) {
            int d = dirs.pop();
            if (seen[d]) continue;
            seen[d] = true;
            for (DirEnt de : img.listDir(d)) {
                short type = img.inode(de.inum()).type();
                if (type == Fs.T_DIR) dirs.push(de.inum());
                else if (type != Fs.T_FREE) img.readFile(de.inum());
                img.lookup("/" + de.name());
            }
        }
    }
}
