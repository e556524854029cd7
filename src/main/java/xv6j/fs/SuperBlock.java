package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The superblock (block 1): the sizes and start blocks of each region of the image.
 * Eight little-endian 32-bit fields, in xv6's order.
 */
public record SuperBlock(int magic, int size, int nblocks, int ninodes, int nlog,
                         int logstart, int inodestart, int bmapstart) {

    public static final int BYTES = 32;

    /** Reads a superblock from the first 32 bytes of a block. */
    public static SuperBlock decode(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        return new SuperBlock(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12),
                b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28));
    }

    /** Writes this superblock into the first 32 bytes of a block. */
    public void encode(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, magic).putInt(4, size).putInt(8, nblocks).putInt(12, ninodes)
                .putInt(16, nlog).putInt(20, logstart).putInt(24, inodestart).putInt(28, bmapstart);
    }

    /**
     * The standard layout for an image of {@code size} blocks with {@code ninodes} inodes
     * and a log region of {@code nlog} blocks (header included), as xv6's mkfs computes it.
     */
    public static SuperBlock layout(int size, int ninodes, int nlog) {
        int logstart = 2;
        int inodestart = logstart + nlog;
        int bmapstart = inodestart + inodeBlocksMade(ninodes);
        int nmeta = bmapstart + bitmapBlocksMade(size);
        return new SuperBlock(Fs.FSMAGIC, size, size - nmeta, ninodes, nlog, logstart, inodestart, bmapstart);
    }

    /** First data block: everything before it is metadata. */
    public int datastart() {
        return size - nblocks;
    }

    /**
     * Inode blocks xv6's mkfs makes for ninodes inodes: ninodes / IPB + 1, one more than
     * they fill when ninodes is a multiple of IPB (and inode 0 is never used). The spare
     * block is part of the format as xv6 makes it, not a gap.
     */
    public static int inodeBlocksMade(int ninodes) {
        return ninodes / Fs.IPB + 1;
    }

    /** Bitmap blocks xv6's mkfs makes: size / BPB + 1, one spare when size is a multiple of BPB. */
    public static int bitmapBlocksMade(int size) {
        return size / Fs.BPB + 1;
    }

    /** Inode blocks a kernel reaches: inode ninodes-1 is the last one ialloc hands out. */
    public int inodeBlocksNeeded() {
        return (ninodes - 1) / Fs.IPB + 1;
    }

    /** Bitmap blocks a kernel reaches: balloc reads the bit of every block below size. */
    public int bitmapBlocksNeeded() {
        return (size - 1) / Fs.BPB + 1;
    }

    /**
     * What makes this superblock unusable on an image of {@code imageBlocks} blocks: a bad
     * magic, sizes that do not fit the image or each other, regions out of order or
     * overlapping. Empty when a reader can rely on every region. Gaps between regions are
     * not listed here: a kernel copes with them (xv6's mkfs leaves none).
     */
    public List<String> problems(long imageBlocks) {
        List<String> p = new ArrayList<>();
        if (magic != Fs.FSMAGIC) {
            // Nothing else in a block without the magic is worth reading as a superblock.
            p.add(String.format("superblock: bad magic 0x%08x (expected 0x%08x)", magic, Fs.FSMAGIC));
            return p;
        }
        if (size <= 0) p.add("superblock: size " + size + " is not positive");
        else if (size > Fs.MAXFSSIZE)
            p.add("superblock: size " + size + " blocks is more than an xv6j file system may have (" + Fs.MAXFSSIZE + ")");
        else if (size > imageBlocks)
            p.add("superblock: size " + size + " blocks is larger than the image (" + imageBlocks + " blocks)");
        if (ninodes <= Fs.ROOTINO)
            p.add("superblock: ninodes " + ninodes + " leaves no room for the root inode " + Fs.ROOTINO);
        else if (ninodes > 0x10000)
            p.add("superblock: ninodes " + ninodes + " is more than a 16-bit directory entry can name");
        if (nlog < 2) p.add("superblock: nlog " + nlog + " is too small for a log header and one log block");
        if (nblocks <= 0) p.add("superblock: nblocks " + nblocks + " leaves no data blocks");
        if (!p.isEmpty()) return p;

        // Every field is plausible on its own; now the regions must follow one another.
        // long arithmetic: the fields are untrusted and their sums may overflow an int.
        if (logstart < 2) p.add("superblock: log starts at block " + logstart + ", over the boot or super block");
        long logEnd = (long) logstart + nlog;
        if (inodestart < logEnd)
            p.add("superblock: inode blocks start at " + inodestart + ", inside the log (blocks "
                    + logstart + ".." + (logEnd - 1) + ")");
        long inodeEnd = (long) inodestart + inodeBlocksNeeded();
        if (bmapstart < inodeEnd)
            p.add("superblock: bitmap starts at " + bmapstart + ", inside the " + ninodes + " inodes (blocks "
                    + inodestart + ".." + (inodeEnd - 1) + ")");
        long bmapEnd = (long) bmapstart + bitmapBlocksNeeded();
        if (datastart() < bmapEnd)
            p.add("superblock: data starts at " + datastart() + " (size " + size + " - nblocks " + nblocks
                    + "), inside the bitmap (blocks " + bmapstart + ".." + (bmapEnd - 1) + ")");
        return p;
    }
}
