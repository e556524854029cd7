package xv6j.kernel;

import xv6j.fs.DirEnt;
import xv6j.fs.Fs;

/** Directories, as xv6's fs.c: files of 16-byte entries (inum, 14-byte name). */
final class Dir {
    private final Kernel k;

    Dir(Kernel k) {
        this.k = k;
    }

    /** Names compare on their first DIRSIZ bytes, as xv6's namecmp. */
    static boolean nameEquals(String a, String b) {
        return truncate(a).equals(truncate(b));
    }

    static String truncate(String name) {
        return name.length() > Fs.DIRSIZ ? name.substring(0, Fs.DIRSIZ) : name;
    }

    /**
     * A found entry: the inode (unlocked, referenced) and the entry's byte offset. ip is
     * null when the entry exists but the inode table has no free entry to hold it.
     */
    record Found(Inode ip, int off) {}

    /** Looks name up in directory dp (locked). Returns null if absent. */
    Found dirLookup(Proc p, Inode dp, String name) {
        if (dp.type != Fs.T_DIR) throw new KernelPanic("dirlookup not DIR");
        byte[] de = new byte[Fs.DIRENT_SIZE];
        for (int off = 0; off < dp.size; off += Fs.DIRENT_SIZE) {
            if (k.itable.readi(p, dp, new IoBuf.Kernel(de, 0), off, Fs.DIRENT_SIZE) != Fs.DIRENT_SIZE)
                throw new KernelPanic("dirlookup read");
            DirEnt e = DirEnt.decode(de, 0);
            if (e.inum() == 0) continue;
            if (nameEquals(name, e.name())) return new Found(k.itable.iget(dp.dev, e.inum()), off);
        }
        return null;
    }

    /** Adds (name, inum) to directory dp (locked). Returns false if name is present or the write failed. */
    boolean dirLink(Proc p, Inode dp, String name, int inum) {
        Found f = dirLookup(p, dp, name);
        if (f != null) {
            if (f.ip() != null) k.itable.iput(p, f.ip());
            return false;
        }
        byte[] de = new byte[Fs.DIRENT_SIZE];
        int off;
        for (off = 0; off < dp.size; off += Fs.DIRENT_SIZE) {
            if (k.itable.readi(p, dp, new IoBuf.Kernel(de, 0), off, Fs.DIRENT_SIZE) != Fs.DIRENT_SIZE)
                throw new KernelPanic("dirlink read");
            if (DirEnt.decode(de, 0).inum() == 0) break;
        }
        new DirEnt(inum, truncate(name)).encode(de, 0);
        return k.itable.writei(p, dp, new IoBuf.Kernel(de, 0), off, Fs.DIRENT_SIZE) == Fs.DIRENT_SIZE;
    }

    /** Is directory dp (locked) empty except for "." and ".."? */
    boolean isEmpty(Proc p, Inode dp) {
        byte[] de = new byte[Fs.DIRENT_SIZE];
        for (int off = 2 * Fs.DIRENT_SIZE; off < dp.size; off += Fs.DIRENT_SIZE) {
            if (k.itable.readi(p, dp, new IoBuf.Kernel(de, 0), off, Fs.DIRENT_SIZE) != Fs.DIRENT_SIZE)
                throw new KernelPanic("isdirempty: readi");
            if (DirEnt.decode(de, 0).inum() != 0) return false;
        }
        return true;
    }
}
