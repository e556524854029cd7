package xv6j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xv6j.fs.DInode;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.SuperBlock;
import xv6j.machine.Disk;
import xv6j.machine.ImageLock;

/**
 * Makes a fresh xv6 file-system image, as xv6's mkfs does:
 *
 * <pre>
 *   scripts/mkfs [--update] [--size BLOCKS] [--inodes N] [--extra BLOCKS] OUT.img FILE...
 * </pre>
 *
 * The image has the standard layout ({@link SuperBlock#layout}) with a log of
 * {@link Fs#NLOG} blocks, a root directory (inode 1) holding "." and "..", and every
 * FILE copied into the root under its last path component, less a leading '_' (xv6's
 * Makefile names its programs _cat, _ls, ...). Data blocks are handed out in order from
 * the first data block; the bitmap marks every block below the first free one, metadata
 * included. Link counts follow xv6: 1 for each file, and 1 for the root (its own "." is
 * not counted, its ".." is). The root's size is rounded up to whole blocks, as xv6's
 * mkfs leaves it.
 *
 * <p>Everything is checked before a block is written, and the image is written to a
 * temporary file moved over OUT only when complete: a failed mkfs leaves no image
 * behind (and an older OUT untouched).
 */
public final class Mkfs {
    private Mkfs() {}

    /** What a successful build made. */
    public record Built(SuperBlock superBlock, int usedBlocks, int usedInodes) {}

    /** A file to copy in: its name in the root and its contents. */
    record Input(String name, byte[] data) {}

    /** Builds an image of the default size ({@link Fs#FSSIZE} blocks, {@link Fs#NINODES} inodes). */
    public static Built build(Path out, List<Path> files) throws IOException {
        return build(out, files, Fs.FSSIZE, Fs.NINODES);
    }

    /**
     * Builds an image of {@code size} blocks with {@code ninodes} inodes at {@code out}.
     * Fails with an IOException whose message is one line for a user: a missing or
     * unreadable file, a bad name, a duplicate name, a file over MAXFILE blocks, or an
     * image too small for the files or with too few inodes.
     */
    public static Built build(Path out, List<Path> files, int size, int ninodes) throws IOException {
        return build(out, files, size, ninodes, 0);
    }

    /**
     * As {@link #build(Path, List, int, int)}, with {@code extra} zeroed blocks after the
     * file system, outside it: room a library OS can own by itself (kernel-exo's kv keeps
     * its store there).
     */
    public static Built build(Path out, List<Path> files, int size, int ninodes, int extra) throws IOException {
        return build(out, files, size, ninodes, extra, Fs.NLOG);
    }

    /**
     * As {@link #build(Path, List, int, int, int)}, with a log region of nlog blocks,
     * header included: older xv6's mkfs made LOGSIZE (30), and the kernels take any
     * nlog of 2 or more.
     */
    public static Built build(Path out, List<Path> files, int size, int ninodes, int extra, int nlog) throws IOException {
        if (nlog < 2) throw new IOException("a log needs its header and a block, not " + Cli.count(nlog, "block"));
        if (size > Fs.MAXFSSIZE) throw new IOException("size must be at most " + Fs.MAXFSSIZE + " blocks (2 GiB), not " + size);
        if (extra < 0 || (long) size + extra > Fs.MAXFSSIZE)
            throw new IOException("extra blocks must be 0.." + (Fs.MAXFSSIZE - size) + " (an image of at most " + Fs.MAXFSSIZE
                    + " blocks), not " + extra);
        if (ninodes < 2 || ninodes > 0x10000)
            throw new IOException("inodes must be 2..65536 (a directory entry names an inode in 16 bits), not " + ninodes);
        if (size <= 0) throw new IOException("size must be a positive number of blocks, not " + size);
        SuperBlock sb = SuperBlock.layout(size, ninodes, nlog);
        if (sb.nblocks() <= 0)
            throw new IOException("image too small: its metadata alone takes " + sb.datastart() + " blocks, and it has "
                    + Cli.count(size, "block"));

        List<Input> inputs = readInputs(files);
        if (inputs.size() + 1 > ninodes - 1)
            throw new IOException("too many files: " + Cli.count(inputs.size(), "file") + " and the root need "
                    + (inputs.size() + 1) + " inodes, the image has " + (ninodes - 1) + " (use --inodes)");
        long rootBytes = (long) (inputs.size() + 2) * Fs.DIRENT_SIZE;
        if (rootBytes > (long) Fs.MAXFILE * Fs.BSIZE)
            throw new IOException("too many files: the root directory would exceed MAXFILE blocks");
        long needed = blocksFor(rootBytes);
        for (Input in : inputs) needed += blocksFor(in.data().length);
        if (needed > sb.nblocks())
            throw new IOException("image too small: the files need " + Cli.count(needed, "data block") + ", an image of "
                    + Cli.count(size, "block") + " has " + sb.nblocks() + " (use --size)");

        Path target = out.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) throw new IOException(target.getParent() + ": no such directory");
        // mkfs replaces an image, never another file named first by mistake (mkfs README.md ...).
        if (Files.isRegularFile(target) && Files.size(target) > 0 && !isImage(target))
            throw new IOException(out + " is not an xv6 image (no superblock); mkfs replaces only an image: name another"
                    + " OUT.img, or remove this file first");
        // A machine writing the old image would go on writing a file no longer there, and
        // lose its session: an image in use is not replaced (ImageLock).
        ImageLock.Locked held = Files.isRegularFile(target) ? ImageLock.open(target) : null;
        try {
            Built[] built = new Built[1];
            replace(target, size + extra, disk -> built[0] = write(disk, sb, inputs));
            return built[0];
        } finally {
            if (held != null) held.close();
        }
    }

    /** True if the file's block 1 starts with the superblock's magic number. */
    private static boolean isImage(Path file) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            while (magic.hasRemaining() && ch.read(magic, Fs.BSIZE + magic.position()) > 0) { }
        }
        return !magic.hasRemaining() && magic.getInt(0) == Fs.FSMAGIC;
    }

    /** Replaces target (whose lock the caller holds, if it exists) with an image of these bytes. */
    static void replace(Path target, byte[] image) throws IOException {
        replace(target, image.length / Fs.BSIZE, disk -> {
            byte[] b = new byte[Fs.BSIZE];
            for (int i = 0; i < image.length / Fs.BSIZE; i++) {
                System.arraycopy(image, i * Fs.BSIZE, b, 0, Fs.BSIZE);
                disk.write(i, b);
            }
        });
    }

    /**
     * Makes a new image of the given size in a file beside target, has fill write it,
     * forces it to the disk and renames it over target: target is the old image or the
     * whole new one, never half of one.
     */
    private static void replace(Path target, int blocks, java.util.function.Consumer<Disk> fill) throws IOException {
        // (Else the rename would fail naming the part file, which the user never named.)
        if (Files.isDirectory(target)) throw new IOException(target + ": is a directory, not an image");
        Path tmp = partFile(target);
        boolean done = false;
        try {
            try (Disk disk = Disk.create(tmp, blocks)) {
                fill.accept(disk);
                disk.force();
            } catch (UncheckedIOException e) {
                throw new IOException(e.getMessage(), e.getCause());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty file beside target to build the image in. Not Files.createTempFile:
     * that makes it owner-only, and the image should get the permissions any new file
     * gets.
     */
    private static Path partFile(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + attempt + ".part");
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    /** Data blocks a file of n bytes takes: its blocks, and the indirect block if used. */
    private static long blocksFor(long n) {
        long blocks = (n + Fs.BSIZE - 1) / Fs.BSIZE;
        return blocks + (blocks > Fs.NDIRECT ? 1 : 0);
    }

    static List<Input> readInputs(List<Path> files) throws IOException {
        List<Input> inputs = new ArrayList<>();
        Map<String, Path> seen = new HashMap<>();
        for (Path f : files) {
            if (!Files.exists(f)) throw new IOException(f + ": no such file");
            if (!Files.isRegularFile(f)) throw new IOException(f + ": not a regular file");
            String name = entryName(f);
            Path other = seen.putIfAbsent(name, f);
            if (other != null) throw new IOException(f + ": name '" + name + "' is already taken by " + other);
            long max = (long) Fs.MAXFILE * Fs.BSIZE;
            if (Files.size(f) > max)
                throw new IOException(f + ": " + Files.size(f) + " bytes is more than the largest file, " + max
                        + " bytes (MAXFILE " + Fs.MAXFILE + " blocks)");
            byte[] data = Files.readAllBytes(f);
            if (data.length > max) throw new IOException(f + ": grew past " + max + " bytes while mkfs read it");
            inputs.add(new Input(name, data));
        }
        return inputs;
    }

    /**
     * The root-directory name of a host file: its last path component without one leading
     * '_', as UTF-8 bytes (one char per byte, as {@link DirEnt} stores names). Fails if the
     * name is empty, "." or "..", or longer than DIRSIZ bytes.
     */
    public static String entryName(Path file) throws IOException {
        Path last = file.getFileName();
        String name = last == null ? "" : last.toString();
        if (name.startsWith("_")) name = name.substring(1);
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || name.equals(".") || name.equals(".."))
            throw new IOException(file + ": '" + name + "' cannot name a file in xv6");
        if (bytes.length > Fs.DIRSIZ)
            throw new IOException(file + ": name '" + name + "' is " + bytes.length + " bytes, longer than DIRSIZ ("
                    + Fs.DIRSIZ + ")");
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // ---- writing ---------------------------------------------------------------------

    /** Writes the whole file system onto a zeroed disk; the inputs are known to fit. */
    private static Built write(Disk disk, SuperBlock sb, List<Input> inputs) {
        Allocator a = new Allocator(disk, sb);

        int root = a.ialloc(Fs.T_DIR);
        if (root != Fs.ROOTINO) throw new IllegalStateException("root got inode " + root);
        byte[] dir = new byte[(int) ((inputs.size() + 2) * (long) Fs.DIRENT_SIZE)];
        new DirEnt(root, ".").encode(dir, 0);
        new DirEnt(root, "..").encode(dir, Fs.DIRENT_SIZE);
        for (int i = 0; i < inputs.size(); i++)
            new DirEnt(root + 1 + i, inputs.get(i).name()).encode(dir, (i + 2) * Fs.DIRENT_SIZE);
        int dirSize = (dir.length + Fs.BSIZE - 1) / Fs.BSIZE * Fs.BSIZE;
        a.append(root, dir, dirSize);

        for (Input in : inputs) {
            int inum = a.ialloc(Fs.T_FILE);
            a.append(inum, in.data(), in.data().length);
        }
        a.finish();
        return new Built(sb, a.freeblock, a.freeinode - 1);
    }

    /** xv6 mkfs's ialloc/balloc/iappend, over a disk that starts out zeroed. */
    private static final class Allocator {
        private final Disk disk;
        private final SuperBlock sb;
        private final DInode[] inodes;
        private int freeinode = 1;
        private int freeblock;

        Allocator(Disk disk, SuperBlock sb) {
            this.disk = disk;
            this.sb = sb;
            this.inodes = new DInode[sb.ninodes()];
            this.freeblock = sb.datastart();
        }

        /** A new inode of the given type with nlink 1 and nothing in it. */
        int ialloc(short type) {
            int inum = freeinode++;
            inodes[inum] = new DInode(type, (short) 0, (short) 0, (short) 1, 0, new int[Fs.NDIRECT + 1]);
            return inum;
        }

        int balloc() {
            if (freeblock >= sb.size()) throw new IllegalStateException("out of data blocks after the size check");
            return freeblock++;
        }

        /** Gives inode inum the contents data and the size size (data padded with zeros). */
        void append(int inum, byte[] data, int size) {
            int n = (size + Fs.BSIZE - 1) / Fs.BSIZE;
            int[] addrs = new int[Fs.NDIRECT + 1];
            ByteBuffer indirect = ByteBuffer.allocate(Fs.BSIZE).order(ByteOrder.LITTLE_ENDIAN);
            byte[] buf = new byte[Fs.BSIZE];
            for (int i = 0; i < n; i++) {
                if (i == Fs.NDIRECT) addrs[Fs.NDIRECT] = balloc();
                int b = balloc();
                if (i < Fs.NDIRECT) addrs[i] = b;
                else indirect.putInt(4 * (i - Fs.NDIRECT), b);
                int off = i * Fs.BSIZE;
                Arrays.fill(buf, (byte) 0);
                if (off < data.length) System.arraycopy(data, off, buf, 0, Math.min(Fs.BSIZE, data.length - off));
                disk.write(b, buf);
            }
            if (n > Fs.NDIRECT) disk.write(addrs[Fs.NDIRECT], indirect.array());
            DInode d = inodes[inum];
            inodes[inum] = new DInode(d.type(), d.major(), d.minor(), d.nlink(), size, addrs);
        }

        /** Writes the superblock, the inode blocks and the bitmap. */
        void finish() {
            byte[] buf = new byte[Fs.BSIZE];
            sb.encode(buf);
            disk.write(1, buf);

            for (int blk = sb.inodestart(); blk < sb.bmapstart(); blk++) {
                Arrays.fill(buf, (byte) 0);
                for (int j = 0; j < Fs.IPB; j++) {
                    int inum = (blk - sb.inodestart()) * Fs.IPB + j;
                    if (inum < inodes.length && inodes[inum] != null) inodes[inum].encode(buf, j * Fs.DINODE_SIZE);
                }
                disk.write(blk, buf);
            }

            // Blocks 0 .. freeblock-1 are in use; the bitmap's bits beyond stay zero.
            for (int blk = 0; blk * Fs.BPB < freeblock; blk++) {
                Arrays.fill(buf, (byte) 0);
                for (int b = blk * Fs.BPB; b < Math.min(freeblock, (blk + 1) * Fs.BPB); b++) {
                    int bi = b % Fs.BPB;
                    buf[bi / 8] |= (byte) (1 << (bi % 8));
                }
                disk.write(sb.bmapstart() + blk, buf);
            }
        }
    }

    // ---- command line ------------------------------------------------------------------

    static final String USAGE = "usage: mkfs [--update] [--size BLOCKS] [--inodes N] [--extra BLOCKS] OUT.img FILE...\n"
            + "  --update   put the FILEs into OUT.img if it exists, keeping every other file in it";

    /**
     * Runs mkfs on command-line arguments. Returns the exit status: 0 when the image was
     * made, 1 when it could not be (one line on err), 2 for bad usage.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        int size = Fs.FSSIZE;
        int ninodes = Fs.NINODES;
        int extra = 0;
        boolean update = false;
        List<String> positional = new ArrayList<>();
        boolean options = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (options && a.equals("--")) {
                options = false;
            } else if (options && (a.equals("-h") || a.equals("--help"))) {
                out.println(USAGE);
                return 0;
            } else if (options && a.equals("--update")) {
                update = true;
            } else if (options && (a.equals("--size") || a.equals("--inodes") || a.equals("--extra"))) {
                if (i + 1 == args.length) return usage(err, a + " needs a number");
                Integer v = parsePositive(args[++i]);
                if (v == null) return usage(err, a + " needs a positive number, not '" + args[i] + "'");
                switch (a) {
                    case "--size" -> size = v;
                    case "--inodes" -> ninodes = v;
                    default -> extra = v;
                }
            } else if (options && a.startsWith("-") && a.length() > 1) {
                return usage(err, "unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.isEmpty()) return usage(err, "no output image named");

        Path image = Path.of(positional.get(0));
        List<Path> files = positional.subList(1, positional.size()).stream().map(Path::of).toList();
        try {
            Built b;
            if (update) {
                ImageUpdate.Result r = ImageUpdate.update(image, files, size, ninodes, extra);
                for (String line : ImageUpdate.describe(image, r)) (line.startsWith("mkfs:") ? err : out).println(line);
                b = r.built();
                if (b == null) return 0;
            } else {
                b = build(image, files, size, ninodes, extra);
            }
            SuperBlock sb = b.superBlock();
            // The data blocks' use, not the image's: what is free is what a user can fill.
            int dataUsed = b.usedBlocks() - sb.datastart();
            out.println(image + ": " + sb.size() + " blocks (" + sb.datastart() + " metadata, " + sb.nblocks()
                    + " data: " + dataUsed + " in use, " + (sb.nblocks() - dataUsed) + " free), " + sb.ninodes()
                    + " inodes (" + b.usedInodes() + " in use), " + Cli.count(files.size(), "file")
                    + (extra > 0 ? ", then " + Cli.count(extra, "block") + " outside it" : ""));
            return 0;
        } catch (IOException e) {
            err.println("mkfs: " + Cli.describe(e));
            return 1;
        }
    }

    private static Integer parsePositive(String s) {
        try {
            int v = Integer.parseInt(s);
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println("mkfs: " + why);
        err.println(USAGE);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
