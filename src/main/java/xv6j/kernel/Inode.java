package xv6j.kernel;

import xv6j.fs.Fs;

/**
 * An in-memory inode, as xv6's struct inode: a cached copy of a dinode plus the
 * bookkeeping of the inode table. dev, inum and ref are protected by the table's lock;
 * the rest by this inode's sleep-lock.
 */
public final class Inode {
    int dev;
    int inum;
    /** References to this table entry (open files, cwds, callers in progress). */
    int ref;
    final SleepLock lock;
    /** Has the dinode been read from disk? */
    boolean valid;

    short type;
    short major;
    short minor;
    short nlink;
    int size;
    final int[] addrs = new int[Fs.NDIRECT + 1];

    Inode(SleepLock lock) {
        this.lock = lock;
    }

    public int inum() { return inum; }
    public short type() { return type; }
}
