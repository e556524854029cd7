package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;
import xv6j.fs.Fs;

/** The system's open files, as xv6's file.c: NFILE entries shared by all processes. */
final class FileTable {
    private final Kernel k;
    private final ReentrantLock lock = new ReentrantLock();
    private final File[] file = new File[Param.NFILE];
    final Device[] devsw = new Device[Param.NDEV];

    FileTable(Kernel k) {
        this.k = k;
        for (int i = 0; i < file.length; i++) file[i] = new File();
    }

    /** A free file structure with ref 1, or null if all NFILE are in use. */
    File fileAlloc() {
        lock.lock();
        try {
            for (File f : file) {
                if (f.ref == 0) {
                    f.ref = 1;
                    return f;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Open files now (tests' leak checks). */
    int inUse() {
        lock.lock();
        try {
            int n = 0;
            for (File f : file) if (f.ref > 0) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    File fileDup(File f) {
        lock.lock();
        try {
            if (f.ref < 1) throw new KernelPanic("filedup");
            f.ref++;
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Drops a reference; the last one closes the pipe end or releases the inode. */
    void fileClose(Proc p, File f) {
        File.Type type;
        Pipe pipe;
        boolean writable;
        Inode ip;
        lock.lock();
        try {
            if (f.ref < 1) throw new KernelPanic("fileclose");
            if (--f.ref > 0) return;
            type = f.type;
            pipe = f.pipe;
            writable = f.writable;
            ip = f.ip;
            f.ref = 0;
            f.type = File.Type.NONE;
            f.pipe = null;
            f.ip = null;
            f.off = 0;
        } finally {
            lock.unlock();
        }
        if (type == File.Type.PIPE) {
            pipe.close(writable);
        } else if (type == File.Type.INODE || type == File.Type.DEVICE) {
            k.log.beginOp(p);
            k.itable.iput(p, ip);
            k.log.endOp(p);
        }
    }

    /** Copies f's metadata to user address addr. Returns 0, or -1. */
    int fileStat(Proc p, File f, long addr) {
        if (f.type == File.Type.INODE || f.type == File.Type.DEVICE) {
            k.itable.ilock(p, f.ip);
            Stat st = k.itable.stati(f.ip);
            k.itable.iunlock(p, f.ip);
            return k.vm.copyOut(p, addr, st.encode(), 0, Stat.BYTES) ? 0 : -1;
        }
        return -1;
    }

    /** Reads up to n bytes from f into user address addr. */
    int fileRead(Proc p, File f, long addr, int n) {
        if (!f.readable) return -1;
        return switch (f.type) {
            case PIPE -> f.pipe.read(p, addr, n);
            case DEVICE -> {
                Device d = device(f.major);
                yield d == null ? -1 : d.read(p, addr, n);
            }
            case INODE -> {
                k.itable.ilock(p, f.ip);
                int r = k.itable.readi(p, f.ip, new IoBuf.User(p, addr), f.off, n);
                if (r > 0) f.off += r;
                k.itable.iunlock(p, f.ip);
                yield r;
            }
            case NONE -> throw new KernelPanic("fileread");
        };
    }

    /** Writes n bytes from user address addr to f. Returns n, or -1. */
    int fileWrite(Proc p, File f, long addr, int n) {
        if (!f.writable) return -1;
        return switch (f.type) {
            case PIPE -> f.pipe.write(p, addr, n);
            case DEVICE -> {
                Device d = device(f.major);
                yield d == null ? -1 : d.write(p, addr, n);
            }
            case INODE -> writeInode(p, f, addr, n);
            case NONE -> throw new KernelPanic("filewrite");
        };
    }

    /**
     * Writes in pieces small enough for one transaction each, so a big write cannot
     * overflow the log: a piece touches at most the inode, an indirect block, a bitmap
     * block and its data blocks (xv6's arithmetic).
     */
    private int writeInode(Proc p, File f, long addr, int n) {
        int max = ((Param.MAXOPBLOCKS - 1 - 1 - 2) / 2) * Fs.BSIZE;
        int i = 0;
        while (i < n) {
            int n1 = Math.min(n - i, max);
            k.log.beginOp(p);
            k.itable.ilock(p, f.ip);
            int r = k.itable.writei(p, f.ip, new IoBuf.User(p, addr + i), f.off, n1);
            if (r > 0) f.off += r;
            k.itable.iunlock(p, f.ip);
            k.log.endOp(p);
            if (r != n1) break; // error from writei
            i += r;
        }
        return i == n ? n : -1;
    }

    private Device device(short major) {
        return major >= 0 && major < Param.NDEV ? devsw[major] : null;
    }
}
