package xv6j.kernel;

/**
 * What fstat reports, laid out for user space as xv6's struct stat: 24 bytes,
 * int dev @0, uint ino @4, short type @8, short nlink @10, uint64 size @16.
 */
record Stat(int dev, int ino, short type, short nlink, long size) {
    static final int BYTES = 24;

    byte[] encode() {
        byte[] b = new byte[BYTES];
        putLE(b, 0, dev, 4);
        putLE(b, 4, ino, 4);
        putLE(b, 8, type, 2);
        putLE(b, 10, nlink, 2);
        putLE(b, 16, size, 8);
        return b;
    }

    private static void putLE(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) b[off + i] = (byte) (v >>> (8 * i));
    }
}
