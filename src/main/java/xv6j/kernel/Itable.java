package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;
import xv6j.fs.DInode;
import xv6j.fs.Fs;

/**
 * The inode layer, as xv6's fs.c: a table of NINODE in-memory inodes (iget, idup, iput),
 * their locks (ilock reads the dinode in), and file contents (bmap, readi, writei,
 * itrunc). Every change to an inode or its blocks is made inside a transaction.
 */
final class Itable {
    private final Kernel k;
    private final ReentrantLock lock = new ReentrantLock();
    private final Inode[] inode = new Inode[Param.NINODE];

    Itable(Kernel k) {
        this.k = k;
        for (int i = 0; i < inode.length; i++) inode[i] = new Inode(new SleepLock(k.procs, "inode"));
    }

    /**
     * Allocates a free on-disk inode of the given type; returns it unlocked, or null if no
     * dinode is free or the inode table is full.
     */
    Inode ialloc(Proc p, int dev, short type) {
        var sb = k.fs.sb();
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            Buf bp = k.bio.bread(p, dev, Fs.iblock(inum, sb));
            int off = (inum % Fs.IPB) * Fs.DINODE_SIZE;
            if (bp.data[off] == 0 && bp.data[off + 1] == 0 && !beingFreed(dev, inum)) { // a free inode
                // A table entry first: with none free, the dinode must stay free too, or
                // it would be allocated on the disk with nothing naming it.
                Inode ip = iget(dev, inum);
                if (ip == null) {
                    k.bio.brelse(p, bp);
                    return null;
                }
                DInode d = new DInode(type, (short) 0, (short) 0, (short) 0, 0, new int[Fs.NDIRECT + 1]);
                d.encode(bp.data, off);
                k.log.logWrite(bp); // marks it allocated on the disk
                k.bio.brelse(p, bp);
                return ip;
            }
            k.bio.brelse(p, bp);
        }
        return null;
    }

    /**
     * Whether the table entry of (dev, inum), a dinode free on the disk, is still referenced:
     * iput marks the dinode free before it drops its own last reference. ialloc must pass it
     * by. Taking that entry would give the new inode the freeing iput's reference as well,
     * and when the new inode was unlinked its last iput could see two references, leave it
     * be, and leak it, allocated with no links (two harts: one frees while another runs
     * mkdir and unlink). Caller holds the dinode's block, so no other ialloc can take the
     * entry meanwhile.
     */
    private boolean beingFreed(int dev, int inum) {
        lock.lock();
        try {
            for (Inode ip : inode) if (ip.ref > 0 && ip.dev == dev && ip.inum == inum) return true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Copies a modified in-memory inode to disk. Caller holds ip's lock, in a transaction. */
    void iupdate(Proc p, Inode ip) {
        Buf bp = k.bio.bread(p, ip.dev, Fs.iblock(ip.inum, k.fs.sb()));
        new DInode(ip.type, ip.major, ip.minor, ip.nlink, ip.size, ip.addrs)
                .encode(bp.data, (ip.inum % Fs.IPB) * Fs.DINODE_SIZE);
        k.log.logWrite(bp);
        k.bio.brelse(p, bp);
    }

    /**
     * The table entry for (dev, inum), unlocked, without reading the disk; null if every
     * entry is in use. Open files and current directories hold entries as long as they
     * like, so a full table is resource exhaustion that fails the call, not a panic.
     */
    Inode iget(int dev, int inum) {
        lock.lock();
        try {
            Inode empty = null;
            for (Inode ip : inode) {
                if (ip.ref > 0 && ip.dev == dev && ip.inum == inum) {
                    ip.ref++;
                    return ip;
                }
                if (empty == null && ip.ref == 0) empty = ip;
            }
            if (empty == null) return null;
            empty.dev = dev;
            empty.inum = inum;
            empty.ref = 1;
            empty.valid = false;
            return empty;
        } finally {
            lock.unlock();
        }
    }

    /** Another reference to ip (ip = idup(ip1) idiom). */
    Inode idup(Inode ip) {
        lock.lock();
        try {
            ip.ref++;
            return ip;
        } finally {
            lock.unlock();
        }
    }

    /** Locks ip, reading it from disk if needed. */
    void ilock(Proc p, Inode ip) {
        if (ip == null || ip.ref < 1) throw new KernelPanic("ilock");
        ip.lock.acquire(p);
        if (!ip.valid) {
            // A directory entry of a corrupt image may name any number up to 65535.
            int ninodes = k.fs.sb().ninodes();
            if (ip.inum < 1 || ip.inum >= ninodes)
                throw new KernelPanic(String.format("inode %d is outside the inode table (1..%d): the file system is corrupt (run fsck)",
                        ip.inum, ninodes - 1));
            Buf bp = k.bio.bread(p, ip.dev, Fs.iblock(ip.inum, k.fs.sb()));
            DInode d = DInode.decode(bp.data, (ip.inum % Fs.IPB) * Fs.DINODE_SIZE);
            k.bio.brelse(p, bp);
            ip.type = d.type();
            ip.major = d.major();
            ip.minor = d.minor();
            ip.nlink = d.nlink();
            ip.size = d.size();
            for (int i = 0; i <= Fs.NDIRECT; i++) ip.addrs[i] = d.addr(i);
            ip.valid = true;
            if (ip.type == 0) throw new KernelPanic("ilock: inode " + ip.inum + " is free (no type): the file system is corrupt (run fsck)");
        }
    }

    void iunlock(Proc p, Inode ip) {
        if (ip == null || !ip.lock.holding(p) || ip.ref < 1) throw new KernelPanic("iunlock");
        ip.lock.release();
    }

    /**
     * Drops a reference. The last reference to an inode with no links frees it and its
     * blocks on disk, so every iput must be inside a transaction.
     */
    void iput(Proc p, Inode ip) {
        lock.lock();
        try {
            if (ip.ref == 1 && ip.valid && ip.nlink == 0) {
                // No other process can hold a reference (ref == 1), so ip's lock is free.
                lock.unlock();
                try {
                    ip.lock.acquire(p);
                    itrunc(p, ip);
                    ip.type = 0;
                    iupdate(p, ip);
                    ip.valid = false;
                    ip.lock.release();
                } finally {
                    lock.lock();
                }
            }
            ip.ref--;
        } finally {
            lock.unlock();
        }
    }

    /** Table entries referenced now (tests' leak checks). */
    int inUse() {
        lock.lock();
        try {
            int n = 0;
            for (Inode ip : inode) if (ip.ref > 0) n++;
            return n;
        } finally {
            lock.unlock();
        }
    }

    void iunlockput(Proc p, Inode ip) {
        iunlock(p, ip);
        iput(p, ip);
    }

    /**
     * The disk block holding the bn'th block of ip, allocated if absent and alloc; 0 if
     * the disk is full, or if absent and not alloc. Only writes allocate: a read runs
     * outside any transaction, and would otherwise allocate a block for a hole in a
     * corrupt image's file (xv6 panics "log_write outside of trans"), or, inside one (a
     * directory lookup), quietly mark it used on the disk.
     */
    private int bmap(Proc p, Inode ip, int bn, boolean alloc) {
        if (bn < Fs.NDIRECT) {
            int addr = inData(ip, ip.addrs[bn]);
            if (addr == 0 && alloc) {
                addr = k.fs.balloc(p, ip.dev);
                if (addr == 0) return 0;
                ip.addrs[bn] = addr;
            }
            return addr;
        }
        bn -= Fs.NDIRECT;
        if (bn < Fs.NINDIRECT) {
            int ind = inData(ip, ip.addrs[Fs.NDIRECT]);
            if (ind == 0 && !alloc) return 0;
            if (ind == 0) {
                ind = k.fs.balloc(p, ip.dev);
                if (ind == 0) return 0;
                ip.addrs[Fs.NDIRECT] = ind;
            }
            Buf bp = k.bio.bread(p, ip.dev, ind);
            int addr = bp.getInt(4 * bn);
            if (addr == 0 && alloc) {
                addr = k.fs.balloc(p, ip.dev);
                if (addr != 0) {
                    bp.putInt(4 * bn, addr);
                    k.log.logWrite(bp);
                }
            }
            k.bio.brelse(p, bp);
            return inData(ip, addr);
        }
        throw new KernelPanic("bmap: out of range");
    }

    /**
     * addr, a block address read from ip or its indirect block, if it is 0 or a data block;
     * a corrupt image's address elsewhere (the log, the inodes, past the disk) panics with
     * a message that says so, as xv6 would panic, rather than read or overwrite that block.
     */
    private int inData(Inode ip, int addr) {
        var sb = k.fs.sb();
        if (addr != 0 && (addr < sb.datastart() || addr >= sb.size())) {
            throw new KernelPanic(String.format("inode %d: block address %d is outside the data blocks (%d..%d):"
                    + " the file system is corrupt (run fsck)", ip.inum, addr, sb.datastart(), sb.size() - 1));
        }
        return addr;
    }

    /** Frees all of ip's blocks. Caller holds ip's lock, in a transaction. */
    void itrunc(Proc p, Inode ip) {
        for (int i = 0; i < Fs.NDIRECT; i++) {
            if (ip.addrs[i] != 0) {
                k.fs.bfree(p, ip.dev, ip.addrs[i]);
                ip.addrs[i] = 0;
            }
        }
        if (ip.addrs[Fs.NDIRECT] != 0) {
            Buf bp = k.bio.bread(p, ip.dev, ip.addrs[Fs.NDIRECT]);
            for (int j = 0; j < Fs.NINDIRECT; j++) {
                int a = bp.getInt(4 * j);
                if (a != 0) k.fs.bfree(p, ip.dev, a);
            }
            k.bio.brelse(p, bp);
            k.fs.bfree(p, ip.dev, ip.addrs[Fs.NDIRECT]);
            ip.addrs[Fs.NDIRECT] = 0;
        }
        ip.size = 0;
        iupdate(p, ip);
    }

    /** The stat of ip, as xv6's struct stat (dev, ino, type, nlink, size). Caller holds ip's lock. */
    Stat stati(Inode ip) {
        return new Stat(ip.dev, ip.inum, ip.type, ip.nlink, ip.size & 0xffffffffL);
    }

    /**
     * Reads up to n bytes at offset off of ip into dst. Returns the bytes read, or -1 if
     * dst is a bad user address. Caller holds ip's lock.
     */
    int readi(Proc p, Inode ip, IoBuf dst, long off, int n) {
        long size = ip.size & 0xffffffffL;
        if (off > size || off + n < off || n < 0) return 0;
        if (off + n > size) n = (int) (size - off);
        int tot = 0;
        while (tot < n) {
            int addr = bmap(p, ip, (int) (off / Fs.BSIZE), false);
            // xv6 never leaves a hole below a file's size: only a corrupt image has one.
            if (addr == 0)
                throw new KernelPanic(String.format("inode %d: block %d is missing below its size %d: the file system is corrupt (run fsck)",
                        ip.inum, off / Fs.BSIZE, size));
            Buf bp = k.bio.bread(p, ip.dev, addr);
            int m = (int) Math.min(n - tot, Fs.BSIZE - off % Fs.BSIZE);
            boolean ok = dst.copyOut(k.vm, tot, bp.data, (int) (off % Fs.BSIZE), m);
            k.bio.brelse(p, bp);
            if (!ok) return -1;
            tot += m;
            off += m;
        }
        return tot;
    }

    /**
     * Writes n bytes from src at offset off of ip, growing it. Returns the bytes written:
     * fewer if the disk filled, src went bad part way, or the file reached MAXFILE blocks;
     * -1 if off is beyond the end. Caller holds ip's lock, in a transaction.
     */
    int writei(Proc p, Inode ip, IoBuf src, long off, int n) {
        if (off > (ip.size & 0xffffffffL) || off + n < off || n < 0) return -1;
        // xv6 refuses the whole of a piece that would pass MAXFILE, so where a long write
        // stops depends on how filewrite cut it (the LibOS cuts it otherwise). Writing up
        // to the limit, as when the disk fills, ends every such write at the same byte.
        long max = (long) Fs.MAXFILE * Fs.BSIZE;
        if (off > max) return -1;
        n = (int) Math.min(n, max - off);
        // Each piece is copied in whole before the block is touched: a source that goes bad
        // part way through a piece would otherwise leave bytes in the cached block that no
        // transaction logged, bytes that reads would see though the write says it did not
        // write them, and that a later transaction on the block would carry to the disk.
        byte[] piece = new byte[Fs.BSIZE];
        int tot = 0;
        while (tot < n) {
            int m = (int) Math.min(n - tot, Fs.BSIZE - off % Fs.BSIZE);
            if (!src.copyIn(k.vm, tot, piece, 0, m)) break;
            int addr = bmap(p, ip, (int) (off / Fs.BSIZE), true);
            if (addr == 0) break;
            Buf bp = k.bio.bread(p, ip.dev, addr);
            System.arraycopy(piece, 0, bp.data, (int) (off % Fs.BSIZE), m);
            k.log.logWrite(bp);
            k.bio.brelse(p, bp);
            tot += m;
            off += m;
        }
        if (off > (ip.size & 0xffffffffL)) ip.size = (int) off;
        // Write the inode back even if the size did not change: bmap may have added blocks.
        iupdate(p, ip);
        return tot;
    }
}
