package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
        int ninodeblocks = ninodes / Fs.IPB + 1;
        int nbitmap = size / Fs.BPB + 1;
        int logstart = 2;
        int inodestart = logstart + nlog;
        int bmapstart = inodestart + ninodeblocks;
        int nmeta = bmapstart + nbitmap;
        return new SuperBlock(Fs.FSMAGIC, size, size - nmeta, ninodes, nlog, logstart, inodestart, bmapstart);
    }

    /** First data block: everything before it is metadata. */
    public int datastart() {
        return size - nblocks;
    }
}
