package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.ImageEdit;
import xv6j.fs.SuperBlock;

/**
 * An image whose root directory names a block past the end of the disk: the system stops
 * with one line that says the file system is corrupt and where, never a Java stack trace
 * (xv6's kernel panics; kernel-exo's boot step refuses the image).
 */
@Timeout(60)
class CorruptImageTest {
    @TempDir
    Path dir;

    /** A fresh image whose root directory's first block address is 999999. */
    private Path corruptImage(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        byte[] bytes = Files.readAllBytes(img);
        SuperBlock sb = SuperBlock.decode(Arrays.copyOfRange(bytes, Fs.BSIZE, 2 * Fs.BSIZE));
        int rootAddrs = sb.inodestart() * Fs.BSIZE + Fs.ROOTINO * Fs.DINODE_SIZE + 12;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(rootAddrs, 999_999);
        Files.write(img, bytes);
        return img;
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBlockAddressPastTheDiskStopsTheSystemWithOneClearLine(Flavour system) throws Exception {
        Path img = corruptImage(system);
        Flavour.Run r = system.boot(img, "ls\n");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("999999") && r.output().contains("outside the data"), r.output());
        assertFalse(r.output().contains("at xv6j.") || r.output().contains("Exception"), r.output());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theJarWarnsOfACorruptImageBeforeItBoots(Flavour system) throws Exception {
        Path img = corruptImage(system);
        Flavour.Run r = system.runJar(img, "ls\n");
        String out = r.output();
        assertEquals(1, r.status(), out);
        // The first line the launcher prints (a JVM may print its own warnings before).
        String first = out.lines().filter(l -> l.startsWith("kernel")).findFirst().orElse("");
        assertTrue(first.matches("kernel(-exo)?: warning: .* is corrupt: inode 1: addrs\\[0\\] = 999999 is outside the data region"
                + " \\(\\d+\\.\\.\\d+\\)( \\(and \\d+ more errors?\\))?; scripts/fsck .* lists them"), out);
        assertFalse(out.contains("at xv6j.") || out.contains("Exception"), out);
    }

    /** A disk of one block (no superblock at all): one line that says so, never a stack trace. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aDiskTooSmallForASuperblockStopsTheSystemWithOneClearLine(Flavour system) throws Exception {
        Path img = dir.resolve("tiny.img");
        Files.write(img, new byte[Fs.BSIZE]);
        Flavour.Run r = system.boot(img, "ls\n");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("has no superblock"), r.output());
        assertFalse(r.output().contains("at xv6j.") || r.output().contains("Exception"), r.output());
    }

    /**
     * The image cut short while the machine runs (a user's truncate, a tool gone wrong): the
     * next read past its end stops the system with one line naming the image and the block,
     * never a Java stack trace. Before, both kernels printed the exception and its frames.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageTruncatedUnderTheMachineStopsItWithOneLine(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (Flavour.Running m = system.start(img)) {
            m.waitFor("$ ");
            // Past the metadata only: usertests' blocks, not yet read, are gone.
            try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(60L * Fs.BSIZE);
            }
            m.type("wc usertests\n");
            m.waitFor("(it was truncated while the machine ran)");
            assertTrue(m.output().matches("(?s).*panic: disk: .*: read of block \\d+ failed: the image ends at block 60 "
                    + "\\(it was truncated while the machine ran\\); make a new one with scripts/mkfs \\(--help says how\\)\n.*"),
                    m.output());
            assertFalse(m.output().contains("at xv6j.") || m.output().contains("Exception"), m.output());
            assertEquals(1, m.haltStatus(), m.output());
        }
    }

    /**
     * An image cut short before the machine starts (to 100 blocks; to a size that is no
     * whole number of blocks): the jar refuses it in one line that says what is wrong and
     * what to do, and boots nothing. Before, the xv6 kernel panicked in two lines (the
     * panic and a hart's state) that said neither, and kernel-exo's line did not say
     * what to do.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageCutShortBeforeBootIsRefusedInOneLineThatSaysWhatToDo(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        String name = system == Flavour.KERNEL ? "kernel" : "kernel-exo";
        String remedy = "; make a new one with scripts/mkfs (--help says how)";
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(100L * Fs.BSIZE);
        }
        Flavour.Run r = system.runJar(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        String out = r.output().lines().filter(l -> !l.startsWith("WARNING")).reduce("", (a, l) -> a + l + "\n");
        assertTrue(out.matches(name + ": " + java.util.regex.Pattern.quote(img.toString()) + ": not an xv6 file-system image: "
                + "superblock: size \\d+ blocks is larger than the image \\(100 blocks\\)" + java.util.regex.Pattern.quote(remedy) + "\n"),
                r.output());
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(50L * Fs.BSIZE + 5);
        }
        r = system.runJar(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        out = r.output().lines().filter(l -> !l.startsWith("WARNING")).reduce("", (a, l) -> a + l + "\n");
        assertEquals(name + ": " + img + ": size " + (50 * Fs.BSIZE + 5) + " is not a whole number of 1024-byte blocks" + remedy + "\n",
                out, r.output());
        // An empty file is said to be empty (it was "size 0 is not a whole number of blocks").
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        r = system.runJar(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        out = r.output().lines().filter(l -> !l.startsWith("WARNING")).reduce("", (a, l) -> a + l + "\n");
        assertEquals(name + ": " + img + ": is empty" + remedy + "\n", out, r.output());
    }

    /** A fresh image with the root directory's entry for name changed to (inum, newName). */
    private Path withRootEntry(Flavour system, String name, int inum, String newName) throws Exception {
        Path img = system.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.putDirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, name), new DirEnt(inum, newName));
        Files.write(img, e.img);
        return img;
    }

    /**
     * A directory entry naming an inode past the inode table (65535, with 200 inodes):
     * one line that says so. Before, the xv6 kernel read past the end of the disk and
     * printed a Java stack trace. (kernel-exo's file server keeps its own layout.)
     */
    @org.junit.jupiter.api.Test
    void anEntryNamingAnInodePastTheTableStopsTheXv6KernelWithOneClearLine() throws Exception {
        Path img = withRootEntry(Flavour.KERNEL, "README", 65535, "README");
        Flavour.Run r = Flavour.KERNEL.boot(img, "cat README\n");
        assertNotEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("65535"), r.output());
        assertFalse(r.output().contains("at xv6j.") || r.output().contains("Exception"), r.output());
    }

    /**
     * An image whose /init is not a program (a stale or overwritten image make kept: here
     * a text file under init's name), or that has none: one line that says so and what to
     * do, and status 1. The xv6 kernel panicked "init: exec /init failed", with the harts'
     * state, and told a user nothing.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageWhoseInitCannotRunSaysWhatToDoInOneLine(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int text = e.create(Fs.ROOTINO, "notes", "not a program\n".getBytes(StandardCharsets.ISO_8859_1));
        int slot = e.slotOf(Fs.ROOTINO, "init");
        e.putDirEnt(Fs.ROOTINO, slot, new DirEnt(text, "init"));
        Files.write(img, e.img);
        Flavour.Run r = system.boot(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().matches("\\S+: \\S*" + img.getFileName() + "\\S* .*/init.*; make a new one .*\n"), r.output());

        e.putDirEnt(Fs.ROOTINO, slot, new DirEnt(text, "tini"));
        Files.write(img, e.img);
        r = system.boot(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().matches("\\S+: \\S*" + img.getFileName() + "\\S* has no /init; make a new one .*\n"), r.output());
    }

    /**
     * An image whose shell cannot be run: init says so once and the system stops. Before,
     * init started a shell again and again, for ever, and a batch run never ended.
     */
    @org.junit.jupiter.api.Test
    void anImageWithoutAShellStopsTheXv6KernelWithOneLineFromInit() throws Exception {
        Path img = withRootEntry(Flavour.KERNEL, "sh", 0, "sh");
        Flavour.Run r = Flavour.KERNEL.boot(img, "ls\n");
        assertEquals(1, r.status(), r.output());
        assertEquals(1, r.output().split("init: exec sh failed", -1).length - 1, r.output());
        assertTrue(r.output().contains("init: cannot run sh: the image may be corrupt"), r.output());
    }

    /**
     * An image whose sh is another program that ends at once (echo here): init starts it
     * ten times, then says why it stops, and the system halts. Before, init started it
     * again for ever, and a batch run never ended.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aShellThatEndsAtOnceTenTimesInARowStopsInitWithOneLine(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int echo = e.dirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "echo")).inum();
        e.putDirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "sh"), new DirEnt(echo, "sh"));
        Files.write(img, e.img);
        Flavour.Run r = system.boot(img, "ls\n");
        // (xv6 panics "init exiting"; kernel-exo's file server ends every process, the
        // first environment with init's status, and the machine's status is its.)
        assertEquals(1, r.status(), r.output());
        assertEquals(10, r.output().split("init: starting sh", -1).length - 1, r.output());
        assertTrue(r.output().contains("init: sh ended at once 10 times in a row: the image may be corrupt"), r.output());
        assertFalse(r.output().contains("at xv6j.") || r.output().contains("Exception"), r.output());
    }

    /** ^D at a prompt ends that shell, and init starts another, which runs the next line. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aShellEndedByCtrlDIsStartedAgain(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "echo one\n\u0004\u0004\u0004echo two\n");
        assertTrue(r.output().contains("one\n") && r.output().contains("two\n"), r.output());
        assertEquals(4, r.output().split("init: starting sh", -1).length - 1, r.output());
    }

    /**
     * A file whose size runs past its blocks (a hole xv6 never makes): reading it panics
     * naming the inode and the missing block. Before, the read allocated a block for the
     * hole outside any transaction: "panic: log_write outside of trans" (and inside one,
     * a directory lookup's, it would have marked the block used on the disk unseen).
     */
    @org.junit.jupiter.api.Test
    void aHoleBelowAFilesSizeIsNamedWhenReadNotFilledIn() throws Exception {
        Path img = Flavour.KERNEL.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int readme = e.dirEnt(Fs.ROOTINO, e.slotOf(Fs.ROOTINO, "README")).inum();
        e.setSize(readme, 5 * Fs.BSIZE);
        Files.write(img, e.img);
        Flavour.Run r = Flavour.KERNEL.boot(img, "cat README\n");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains("panic: inode " + readme + ": block 1 is missing below its size 5120: the file system is corrupt"),
                r.output());
    }

    /**
     * A superblock whose bitmap starts at block 2^31-1: refused at boot. Before, the xv6
     * kernel's check added it up in ints, which overflowed, let it through, and the first
     * block allocation read past the disk: a Java stack trace.
     */
    @org.junit.jupiter.api.Test
    void aSuperblockWhoseSumsOverflowIsRefusedAtBoot() throws Exception {
        Path img = Flavour.KERNEL.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        SuperBlock sb = e.sb;
        e.putSuperBlock(new SuperBlock(sb.magic(), sb.size(), sb.nblocks(), sb.ninodes(), sb.nlog(), sb.logstart(),
                sb.inodestart(), Integer.MAX_VALUE));
        Files.write(img, e.img);
        Flavour.Run r = Flavour.KERNEL.boot(img, "echo hi > x\n");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains("panic: fsinit: superblock: data starts at"), r.output());
        assertFalse(r.output().contains("at xv6j.") || r.output().contains("Exception"), r.output());
    }
}
