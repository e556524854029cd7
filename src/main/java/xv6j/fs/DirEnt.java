package xv6j.fs;

import java.nio.charset.StandardCharsets;

/**
 * A directory entry: a 16-bit inode number (0 = free slot) and a name of up to DIRSIZ
 * bytes, NUL-padded (and not NUL-terminated when it is exactly DIRSIZ long).
 */
public record DirEnt(int inum, String name) {

    public DirEnt {
        if (inum < 0 || inum > 0xffff) throw new IllegalArgumentException("inum out of range: " + inum);
        if (name.getBytes(StandardCharsets.ISO_8859_1).length > Fs.DIRSIZ)
            throw new IllegalArgumentException("name longer than DIRSIZ: " + name);
    }

    public static DirEnt decode(byte[] buf, int off) {
        int inum = (buf[off] & 0xff) | (buf[off + 1] & 0xff) << 8;
        int n = 0;
        while (n < Fs.DIRSIZ && buf[off + 2 + n] != 0) n++;
        return new DirEnt(inum, new String(buf, off + 2, n, StandardCharsets.ISO_8859_1));
    }

    public void encode(byte[] buf, int off) {
        buf[off] = (byte) inum;
        buf[off + 1] = (byte) (inum >>> 8);
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < Fs.DIRSIZ; i++) buf[off + 2 + i] = i < n.length ? n[i] : 0;
    }
}
