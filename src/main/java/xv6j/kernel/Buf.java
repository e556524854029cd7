package xv6j.kernel;

import xv6j.fs.Fs;

/** A block buffer of the buffer cache, as xv6's struct buf. */
final class Buf {
    /** Has data been read from disk? */
    boolean valid;
    int dev;
    int blockno;
    /** References from bget callers and from the log (bpin). Protected by the cache lock. */
    int refcnt;
    final SleepLock lock;
    final byte[] data = new byte[Fs.BSIZE];
    /** LRU list, most recently used after the head. Protected by the cache lock. */
    Buf prev;
    Buf next;

    Buf(SleepLock lock) {
        this.lock = lock;
    }

    int getInt(int off) {
        return (data[off] & 0xff) | (data[off + 1] & 0xff) << 8 | (data[off + 2] & 0xff) << 16 | (data[off + 3] & 0xff) << 24;
    }

    void putInt(int off, int v) {
        data[off] = (byte) v;
        data[off + 1] = (byte) (v >>> 8);
        data[off + 2] = (byte) (v >>> 16);
        data[off + 3] = (byte) (v >>> 24);
    }
}
