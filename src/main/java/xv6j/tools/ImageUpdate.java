package xv6j.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xv6j.fs.CorruptImageException;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsckReport;
import xv6j.fs.LogHeader;
import xv6j.fs.MutableImage;
import xv6j.fs.SuperBlock;
import xv6j.machine.ImageLock;

/**
 * {@code mkfs --update IMAGE FILE...}: puts the files into an existing image instead of
 * making a new one, so that what a user made in the image survives a rebuild of the
 * programs (make qemu runs this whenever a program changed). A file of the same name in
 * the root is replaced, a new name is added, and everything else — the user's files and
 * directories, and the blocks after the file system that a library OS keeps for itself
 * (kv's) — stays as it was.
 *
 * <p>The image is checked first: a committed transaction in its log is installed, as a
 * kernel's recovery would, and an image fsck finds errors in is not touched. The update
 * is made on a copy, which must pass fsck too; the copy then replaces the image in one
 * rename, so a crash leaves the old image or the new one. The image's lock is held
 * throughout: a machine running on it makes the update fail, not lose its session.
 *
 * <p>When the image cannot be updated (not a file system, errors, no room) it is kept
 * beside the new one ({@code fs.img.old}) and a fresh image is made, with a loud message.
 */
public final class ImageUpdate {
    private ImageUpdate() {}

    /** What happened to the image. */
    public enum Outcome {
        /** there was no image: a new one was made */
        MADE,
        /** every file was already there with the same contents: nothing was written */
        UNCHANGED,
        /** files were replaced or added in place */
        UPDATED,
        /** the old image could not be updated: kept as {@link Result#kept}, a new one made */
        REMADE
    }

    /**
     * @param replaced names whose contents changed
     * @param added    names that were not in the image
     * @param skipped  names the image holds as something else (a directory, a device): left alone
     * @param why      for REMADE, why the old image could not be updated
     * @param kept     for REMADE, where the old image now is
     * @param built    for MADE and REMADE, the new image
     */
    public record Result(Outcome outcome, List<String> replaced, List<String> added, List<String> skipped,
                         String why, Path kept, Mkfs.Built built) {}

    /** Why an image cannot be updated, in one line. */
    private static final class CannotUpdate extends Exception {
        private static final long serialVersionUID = 1L;

        CannotUpdate(String why) {
            super(why);
        }
    }

    /**
     * Updates image with files; a new image of size blocks, ninodes inodes and extra blocks
     * after it if there is none or the old one cannot be updated. Fails (IOException, one
     * line) on a bad input file, or when another program holds the image.
     */
    public static Result update(Path image, List<Path> files, int size, int ninodes, int extra) throws IOException {
        List<Mkfs.Input> inputs = Mkfs.readInputs(files);
        if (!Files.exists(image)) {
            Mkfs.Built b = Mkfs.build(image, files, size, ninodes, extra);
            return new Result(Outcome.MADE, List.of(), List.of(), List.of(), null, null, b);
        }
        Path target = image.toAbsolutePath();
        try (ImageLock.Locked held = ImageLock.open(target)) {
            // Read through the locked channel: on Unix, closing any other descriptor of the
            // file would drop this program's lock on it.
            byte[] old = readAll(held.channel());
            Changes c;
            try {
                c = apply(old, inputs, extra);
            } catch (CannotUpdate e) {
                Path kept = keep(target);
                Mkfs.Built b = Mkfs.build(target, files, size, ninodes, extra);
                return new Result(Outcome.REMADE, List.of(), List.of(), List.of(), e.getMessage(), kept, b);
            }
            if (Arrays.equals(old, c.image)) {
                // Nothing to write; the new time tells make the image is up to date.
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
                return new Result(Outcome.UNCHANGED, List.of(), List.of(), c.skipped, null, null, null);
            }
            Mkfs.replace(target, c.image);
            return new Result(Outcome.UPDATED, c.replaced, c.added, c.skipped, null, null, null);
        }
    }

    private record Changes(byte[] image, List<String> replaced, List<String> added, List<String> skipped) {}

    /** The updated image, made from a copy of old; old itself is not changed. */
    private static Changes apply(byte[] old, List<Mkfs.Input> inputs, int extra) throws CannotUpdate {
        if (old.length % Fs.BSIZE != 0)
            throw new CannotUpdate("its size, " + Cli.count(old.length, "byte") + ", is not a whole number of blocks");
        byte[] bytes;
        SuperBlock sb;
        try {
            sb = FsImage.of(old).superBlock();
            // The blocks after the file system (kv's) are kept; there may be more now.
            bytes = Arrays.copyOf(old, Math.max(old.length, (sb.size() + extra) * Fs.BSIZE));
            recover(bytes);
        } catch (CorruptImageException e) {
            throw new CannotUpdate("it is not an xv6 file system (" + e.problems().get(0) + ")");
        }
        FsckReport before = Fsck.check(bytes);
        if (!before.clean())
            throw new CannotUpdate("fsck finds " + Cli.count(before.errors().size(), "error") + " in it, the first: "
                    + before.errors().get(0).message());

        MutableImage m = new MutableImage(bytes);
        List<String> replaced = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try {
            FsImage view = m.view();
            for (Mkfs.Input in : inputs) {
                int inum = 0;
                for (DirEnt de : view.listDir(Fs.ROOTINO)) {
                    if (de.name().equals(in.name())) inum = de.inum();
                }
                if (inum == 0) {
                    int ip = m.ialloc(Fs.T_FILE);
                    m.setNlink(ip, 1);
                    m.append(ip, in.data());
                    m.dirLink(Fs.ROOTINO, in.name(), ip);
                    added.add(in.name());
                } else if (m.inode(inum).type() != Fs.T_FILE) {
                    skipped.add(in.name());
                } else if (!Arrays.equals(view.readFile(inum), in.data())) {
                    m.truncate(inum);
                    m.append(inum, in.data());
                    replaced.add(in.name());
                }
            }
        } catch (IllegalStateException e) {
            // MutableImage ran out: the files no longer fit beside what the user made.
            throw new CannotUpdate("the new files do not fit beside the ones made in it (" + e.getMessage() + ")");
        } catch (CorruptImageException e) {
            throw new CannotUpdate(e.problems().get(0));
        }
        FsckReport after = Fsck.check(bytes);
        if (!after.clean())
            throw new CannotUpdate("the updated image would not pass fsck: " + after.errors().get(0).message());
        return new Changes(bytes, replaced, added, skipped);
    }

    /** Installs a committed transaction of the log, as the kernel's recovery would. */
    private static void recover(byte[] bytes) throws CorruptImageException {
        FsImage img = FsImage.of(bytes);
        LogHeader lh = img.logHeader();
        if (lh.n() == 0) return;
        SuperBlock sb = img.superBlock();
        for (int i = 0; i < lh.n(); i++)
            System.arraycopy(bytes, (sb.logstart() + 1 + i) * Fs.BSIZE, bytes, lh.block(i) * Fs.BSIZE, Fs.BSIZE);
        byte[] header = img.block(sb.logstart());
        new LogHeader(new int[0]).encode(header);
        System.arraycopy(header, 0, bytes, sb.logstart() * Fs.BSIZE, Fs.BSIZE);
    }

    /** Moves the image aside, to IMAGE.old (or .old.1, ...: an older one is not overwritten). */
    private static Path keep(Path image) throws IOException {
        for (int i = 0; ; i++) {
            Path p = image.resolveSibling(image.getFileName() + ".old" + (i == 0 ? "" : "." + i));
            if (Files.exists(p)) continue;
            Files.move(image, p);
            return p;
        }
    }

    private static byte[] readAll(FileChannel ch) throws IOException {
        long n = ch.size();
        if (n > Integer.MAX_VALUE - 8) throw new IOException("the image is too large to update in place");
        ByteBuffer b = ByteBuffer.allocate((int) n);
        while (b.hasRemaining()) {
            if (ch.read(b, b.position()) < 0) break;
        }
        return b.array();
    }

    /** The result as make qemu prints it: nothing when nothing changed. */
    static List<String> describe(Path image, Result r) {
        List<String> lines = new ArrayList<>();
        for (String s : r.skipped())
            lines.add("mkfs: " + image + ": '" + s + "' is not a file there (made in the image?); the new one was not put in");
        switch (r.outcome()) {
            case UPDATED -> {
                StringBuilder sb = new StringBuilder(image + ": updated in place");
                if (!r.replaced().isEmpty()) sb.append(", replaced ").append(String.join(" ", r.replaced()));
                if (!r.added().isEmpty()) sb.append(", added ").append(String.join(" ", r.added()));
                sb.append("; everything else kept");
                lines.add(sb.toString());
            }
            case REMADE -> {
                lines.add("mkfs: *** " + image + " could not be updated in place: " + r.why());
                lines.add("mkfs: *** it is kept as " + r.kept().getFileName() + "; " + image
                        + " is a NEW image, without the files made in the old one");
            }
            case MADE, UNCHANGED -> { }
        }
        return lines;
    }
}
