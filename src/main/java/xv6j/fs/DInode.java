package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An on-disk inode: 64 bytes. type, major, minor and nlink are 16-bit; size is 32-bit;
 * then NDIRECT direct block addresses and one indirect block address.
 *
 * @param addrs NDIRECT+1 block numbers; 0 means no block
 */
public record DInode(short type, short major, short minor, short nlink, int size, int[] addrs) {

    public DInode {
        if (addrs.length != Fs.NDIRECT + 1) throw new IllegalArgumentException("addrs must have NDIRECT+1 entries");
        addrs = addrs.clone();
    }

    public static DInode empty() {
        return new DInode(Fs.T_FREE, (short) 0, (short) 0, (short) 0, 0, new int[Fs.NDIRECT + 1]);
    }

    /** Reads the inode at byte offset off of a block. */
    public static DInode decode(byte[] block, int off) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        int[] addrs = new int[Fs.NDIRECT + 1];
        for (int i = 0; i < addrs.length; i++) addrs[i] = b.getInt(off + 12 + 4 * i);
        return new DInode(b.getShort(off), b.getShort(off + 2), b.getShort(off + 4), b.getShort(off + 6),
                b.getInt(off + 8), addrs);
    }

    /** Writes this inode at byte offset off of a block. */
    public void encode(byte[] block, int off) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(off, type).putShort(off + 2, major).putShort(off + 4, minor).putShort(off + 6, nlink)
                .putInt(off + 8, size);
        for (int i = 0; i < addrs.length; i++) b.putInt(off + 12 + 4 * i, addrs[i]);
    }

    /** Block address i (0..NDIRECT); a copy is kept so the record stays immutable. */
    public int addr(int i) {
        return addrs[i];
    }

    @Override
    public int[] addrs() {
        return addrs.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DInode d && type == d.type && major == d.major && minor == d.minor
                && nlink == d.nlink && size == d.size && Arrays.equals(addrs, d.addrs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(addrs) + size + 7 * type + 13 * nlink;
    }

    @Override
    public String toString() {
        return "DInode[type=" + type + ", major=" + major + ", minor=" + minor + ", nlink=" + nlink
                + ", size=" + size + ", addrs=" + Arrays.toString(addrs) + "]";
    }
}
