package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import xv6j.machine.Disk;

/**
 * A read-only view of an xv6 file-system image, on a {@link Disk} or in a byte array.
 *
 * <p>Every value read from the image is checked before it is used: a block number must
 * lie in its region, an inode number below ninodes, a size within MAXFILE blocks. A
 * corrupt image gives a {@link CorruptImageException} naming what is wrong, never an
 * index exception. Arguments the caller chose (an inode number, a block number) that are
 * out of range give an IllegalArgumentException.
 *
 * <p>The view shows the blocks as they are on the image; {@link #replayed()} gives the
 * view a kernel sees after its log recovery installs a committed transaction.
 *
 * <p>Directory entry names are the raw bytes of the entry, one char per byte (ISO-8859-1),
 * as {@link DirEnt} decodes them.
 */
public final class FsImage {
    /** Where the blocks come from: a disk, an array, or either with a log replayed over it. */
    @FunctionalInterface
    private interface BlockReader {
        void read(int blockno, byte[] buf);
    }

    private final BlockReader reader;
    private final long imageBlocks;
    private final SuperBlock sb;
    /** Home block -> contents, from a replayed log; empty for the image as it is. */
    private final Map<Integer, byte[]> overlay;

    private FsImage(BlockReader reader, long imageBlocks, SuperBlock sb, Map<Integer, byte[]> overlay) {
        this.reader = reader;
        this.imageBlocks = imageBlocks;
        this.sb = sb;
        this.overlay = overlay;
    }

    /** A view of the image on a disk. Fails if the superblock is unusable. */
    public static FsImage open(Disk disk) throws CorruptImageException {
        return open(disk::read, disk.blocks());
    }

    /** A view of an image held in memory (not copied: later changes to it show). */
    public static FsImage of(byte[] image) throws CorruptImageException {
        if (image.length % Fs.BSIZE != 0)
            throw new CorruptImageException("image of " + image.length + (image.length == 1 ? " byte" : " bytes") + " is not a whole number of "
                    + Fs.BSIZE + "-byte blocks");
        return open((b, buf) -> System.arraycopy(image, b * Fs.BSIZE, buf, 0, Fs.BSIZE), image.length / Fs.BSIZE);
    }

    private static FsImage open(BlockReader reader, long imageBlocks) throws CorruptImageException {
        if (imageBlocks < 2) throw new CorruptImageException("image of " + imageBlocks + (imageBlocks == 1 ? " block" : " blocks") + " has no superblock");
        byte[] buf = new byte[Fs.BSIZE];
        reader.read(1, buf);
        SuperBlock sb = SuperBlock.decode(buf);
        List<String> problems = sb.problems(imageBlocks);
        if (!problems.isEmpty()) throw new CorruptImageException(problems);
        return new FsImage(reader, imageBlocks, sb, Map.of());
    }

    public SuperBlock superBlock() {
        return sb;
    }

    /** Blocks in the underlying image (at least superBlock().size()). */
    public long imageBlocks() {
        return imageBlocks;
    }

    /** A copy of block b, which must lie in the file system (0 .. size-1). */
    public byte[] block(int b) {
        if (b < 0 || b >= sb.size())
            throw new IllegalArgumentException("block " + b + " is outside the file system (0.." + (sb.size() - 1) + ")");
        byte[] o = overlay.get(b);
        if (o != null) return o.clone();
        byte[] buf = new byte[Fs.BSIZE];
        reader.read(b, buf);
        return buf;
    }

    // ---- the log -------------------------------------------------------------------

    /** The most blocks one committed transaction can hold on this image. */
    public int logCapacity() {
        return Math.min(Fs.LOGSIZE, sb.nlog() - 1);
    }

    /**
     * The log header, checked: n within 0..{@link #logCapacity()}, and every home block
     * one a transaction may write (past the log, inside the file system).
     */
    public LogHeader logHeader() throws CorruptImageException {
        byte[] h = block(sb.logstart());
        int n = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (n < 0 || n > logCapacity())
            throw new CorruptImageException("log header: n = " + n + " is outside 0.." + logCapacity());
        LogHeader lh = LogHeader.decode(h, logCapacity());
        int first = sb.logstart() + sb.nlog();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lh.n(); i++) {
            int b = lh.block(i);
            if (b < first || b >= sb.size())
                problems.add("log header: block[" + i + "] = " + b + " is not a block a transaction writes ("
                        + first + ".." + (sb.size() - 1) + ")");
        }
        if (!problems.isEmpty()) throw new CorruptImageException(problems);
        return lh;
    }

    /**
     * The image as a kernel sees it after log recovery: each logged block installed at its
     * home, and the header's n set to 0. This view itself when the log holds no
     * committed transaction.
     */
    public FsImage replayed() throws CorruptImageException {
        LogHeader lh = logHeader();
        if (lh.n() == 0) return this;
        Map<Integer, byte[]> installed = new HashMap<>(overlay);
        for (int i = 0; i < lh.n(); i++) installed.put(lh.block(i), block(sb.logstart() + 1 + i));
        byte[] header = block(sb.logstart());
        new LogHeader(new int[0]).encode(header);
        installed.put(sb.logstart(), header);
        return new FsImage(reader, imageBlocks, sb, Map.copyOf(installed));
    }

    // ---- bitmap and inodes -----------------------------------------------------------

    /** Whether the bitmap marks block b (0 .. size-1) as in use. */
    public boolean isMarked(int b) {
        if (b < 0 || b >= sb.size())
            throw new IllegalArgumentException("block " + b + " is outside the file system (0.." + (sb.size() - 1) + ")");
        byte[] bm = block(Fs.bblock(b, sb));
        int bi = b % Fs.BPB;
        return (bm[bi / 8] & (1 << (bi % 8))) != 0;
    }

    /** Data blocks the bitmap marks free. */
    /**
     * How the disk's blocks are used, for the console's monitor: the free and total data
     * blocks of its file system (as the log would leave them), and the blocks after it.
     */
    public static xv6j.machine.KernelView.Blocks blockUse(Disk disk) {
        try {
            FsImage fs = open(disk).replayed();
            return new xv6j.machine.KernelView.Blocks(fs.freeBlocks(), fs.superBlock().nblocks(), disk.blocks() - fs.superBlock().size());
        } catch (CorruptImageException e) {
            throw new IllegalStateException("the disk's file system cannot be read: " + e.getMessage());
        }
    }

    public int freeBlocks() {
        int free = 0;
        byte[] bm = null;
        int loaded = -1;
        for (int b = sb.datastart(); b < sb.size(); b++) {
            int blk = Fs.bblock(b, sb);
            if (blk != loaded) {
                bm = block(blk);
                loaded = blk;
            }
            int bi = b % Fs.BPB;
            if ((bm[bi / 8] & (1 << (bi % 8))) == 0) free++;
        }
        return free;
    }

    /** The on-disk inode inum (0 .. ninodes-1), whatever its type. */
    public DInode inode(int inum) {
        if (inum < 0 || inum >= sb.ninodes())
            throw new IllegalArgumentException("inode " + inum + " is outside 0.." + (sb.ninodes() - 1));
        return DInode.decode(block(Fs.iblock(inum, sb)), inum % Fs.IPB * Fs.DINODE_SIZE);
    }

    /** Whether a block number may be a file's block: inside the data region. */
    public boolean isDataBlock(long b) {
        return b >= sb.datastart() && b < sb.size();
    }

    /**
     * The disk block of each block of the file inum, in file order: entry i holds file
     * bytes i*BSIZE .. (i+1)*BSIZE-1. Covers exactly the blocks below the inode's size;
     * fails if one of them is missing (xv6 never makes holes) or an address, the
     * indirect block's included, lies outside the data region.
     */
    public int[] blockMap(int inum) throws CorruptImageException {
        DInode ip = allocated(inum);
        long size = Integer.toUnsignedLong(ip.size());
        if (size > (long) Fs.MAXFILE * Fs.BSIZE)
            throw new CorruptImageException("inode " + inum + ": size " + size + " exceeds MAXFILE*BSIZE ("
                    + (long) Fs.MAXFILE * Fs.BSIZE + ")");
        int n = (int) ((size + Fs.BSIZE - 1) / Fs.BSIZE);
        int[] map = new int[n];
        for (int i = 0; i < Math.min(n, Fs.NDIRECT); i++) map[i] = checkedAddr(inum, "addrs[" + i + "]", ip.addr(i));
        if (n > Fs.NDIRECT) {
            int ind = checkedAddr(inum, "indirect block", ip.addr(Fs.NDIRECT));
            ByteBuffer b = ByteBuffer.wrap(block(ind)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = Fs.NDIRECT; i < n; i++)
                map[i] = checkedAddr(inum, "indirect block " + ind + " entry " + (i - Fs.NDIRECT),
                        b.getInt(4 * (i - Fs.NDIRECT)));
        }
        return map;
    }

    private int checkedAddr(int inum, String where, int addr) throws CorruptImageException {
        if (addr == 0)
            throw new CorruptImageException("inode " + inum + ": " + where + " is missing below the file's size");
        if (!isDataBlock(Integer.toUnsignedLong(addr)))
            throw new CorruptImageException("inode " + inum + ": " + where + " = " + Integer.toUnsignedLong(addr)
                    + " is outside the data region (" + sb.datastart() + ".." + (sb.size() - 1) + ")");
        return addr;
    }

    /** The bytes of the file (or directory) inum: exactly its size. */
    public byte[] readFile(int inum) throws CorruptImageException {
        int[] map = blockMap(inum);
        int size = inode(inum).size(); // within MAXFILE*BSIZE, so non-negative: blockMap checked
        byte[] data = new byte[size];
        for (int i = 0; i < map.length; i++) {
            int off = i * Fs.BSIZE;
            System.arraycopy(block(map[i]), 0, data, off, Math.min(Fs.BSIZE, size - off));
        }
        return data;
    }

    /**
     * The entries of directory inum in on-disk order, free slots (inum 0) left out. Every
     * entry names an inode below ninodes.
     */
    public List<DirEnt> listDir(int inum) throws CorruptImageException {
        DInode ip = allocated(inum);
        if (ip.type() != Fs.T_DIR) throw new IllegalArgumentException("inode " + inum + " is not a directory");
        byte[] data = readFile(inum);
        if (data.length % Fs.DIRENT_SIZE != 0)
            throw new CorruptImageException("directory " + inum + ": size " + data.length + " is not a multiple of "
                    + Fs.DIRENT_SIZE);
        List<DirEnt> entries = new ArrayList<>();
        for (int off = 0; off < data.length; off += Fs.DIRENT_SIZE) {
            DirEnt de = DirEnt.decode(data, off);
            if (de.inum() == 0) continue;
            if (de.inum() >= sb.ninodes())
                throw new CorruptImageException("directory " + inum + ": entry '" + de.name() + "' names inode "
                        + de.inum() + ", beyond ninodes " + sb.ninodes());
            entries.add(de);
        }
        return entries;
    }

    /**
     * The inode a path names, resolved as xv6's namei does from the root: empty components
     * are skipped, each component is compared on its first DIRSIZ bytes (UTF-8), and "."
     * and ".." are the directory's own entries. Empty when a component is missing or a
     * non-final component is not a directory.
     */
    public OptionalInt lookup(String path) throws CorruptImageException {
        int cur = Fs.ROOTINO;
        if (inode(cur).type() != Fs.T_DIR)
            throw new CorruptImageException("root inode " + Fs.ROOTINO + " is not a directory (type "
                    + inode(cur).type() + ")");
        for (String component : path.split("/")) {
            if (component.isEmpty()) continue;
            if (inode(cur).type() != Fs.T_DIR) return OptionalInt.empty();
            String name = dirName(component);
            int next = 0;
            for (DirEnt de : listDir(cur)) {
                if (de.name().equals(name)) {
                    next = de.inum();
                    break;
                }
            }
            if (next == 0) return OptionalInt.empty();
            short type = inode(next).type();
            if (type == Fs.T_FREE)
                throw new CorruptImageException("directory " + cur + ": entry '" + name + "' names free inode " + next);
            cur = next;
        }
        return OptionalInt.of(cur);
    }

    /** A host string as a directory entry's name: its UTF-8 bytes, cut at DIRSIZ. */
    static String dirName(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new String(b, 0, Math.min(b.length, Fs.DIRSIZ), StandardCharsets.ISO_8859_1);
    }

    /** Inode inum, which must be allocated with a valid type. */
    private DInode allocated(int inum) throws CorruptImageException {
        DInode ip = inode(inum);
        switch (ip.type()) {
            case Fs.T_DIR, Fs.T_FILE, Fs.T_DEVICE -> { return ip; }
            case Fs.T_FREE -> throw new IllegalArgumentException("inode " + inum + " is free");
            default -> throw new CorruptImageException("inode " + inum + ": invalid type " + ip.type());
        }
    }

    @Override
    public String toString() {
        return "FsImage[" + sb + (overlay.isEmpty() ? "" : ", log replayed") + "]";
    }
}
