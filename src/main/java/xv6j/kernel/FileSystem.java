package xv6j.kernel;

import xv6j.fs.Fs;
import xv6j.fs.Orphans;
import xv6j.fs.SuperBlock;

/**
 * The file system's bottom: the superblock and the block allocator (xv6's fs.c, first
 * part). Inodes are in {@link Itable}, directories in {@link Dir}, paths in {@link Namei}.
 */
final class FileSystem {
    private final Kernel k;
    private SuperBlock sb;

    FileSystem(Kernel k) {
        this.k = k;
    }

    SuperBlock sb() {
        return sb;
    }

    /**
     * Reads and checks the superblock, recovers the log, then frees the orphans. Runs in
     * the first process, p.
     */
    void init(Proc p) {
        int blocks = k.disk().blocks();
        if (blocks < 2) throw new KernelPanic("fsinit: a disk of " + blocks + " block" + (blocks == 1 ? "" : "s") + " has no superblock (not an xv6 image?)");
        Buf b = k.bio.bread(p, Param.ROOTDEV, 1);
        SuperBlock s = SuperBlock.decode(b.data);
        k.bio.brelse(p, b);
        String bad = check(s, k.disk().blocks());
        if (bad != null) throw new KernelPanic("fsinit: " + bad);
        sb = s;
        k.log.init(p, Param.ROOTDEV, sb);
        ireclaim(p);
    }

    /**
     * Frees each inode left allocated with no links, as xv6's ireclaim: a file unlinked
     * while a process still had it open when the machine stopped, whose last iput never
     * came. This is that iput, at boot. An orphan's type and blocks come from the disk:
     * one that is corrupt (xv6j.fs.Orphans says how) is left alone with a line on the
     * console, since freeing it could free metadata or a live file's blocks; fsck reports it.
     */
    private void ireclaim(Proc p) {
        for (Orphans.Orphan o : Orphans.find(sb, bno -> {
            Buf b = k.bio.bread(p, Param.ROOTDEV, bno);
            byte[] copy = b.data.clone();
            k.bio.brelse(p, b);
            return copy;
        })) {
            if (!o.reclaimable()) {
                k.printf("ireclaim: orphaned inode %d is corrupt (%s): left for fsck%n", o.inum(), o.problem());
                continue;
            }
            k.printf("ireclaim: orphaned inode %d%n", o.inum());
            Inode ip = k.itable.iget(Param.ROOTDEV, o.inum());
            k.log.beginOp(p);
            k.itable.ilock(p, ip);
            k.itable.iunlock(p, ip);
            k.itable.iput(p, ip);
            k.log.endOp(p);
        }
    }

    /**
     * Why a superblock cannot be used with a disk of diskBlocks blocks, or null if it can:
     * fsck's checks of it (xv6j.fs.SuperBlock), whose arithmetic cannot overflow. (The
     * kernel's own, in ints, let a bitmap start of 2^31-1 through, and balloc read past
     * the disk.)
     */
    static String check(SuperBlock s, int diskBlocks) {
        java.util.List<String> problems = s.problems(diskBlocks);
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Zeroes a block (in the log). */
    private void bzero(Proc p, int dev, int bno) {
        Buf b = k.bio.bread(p, dev, bno);
        java.util.Arrays.fill(b.data, (byte) 0);
        k.log.logWrite(b);
        k.bio.brelse(p, b);
    }

    /** Allocates a zeroed disk block; returns 0 if the disk is full. */
    int balloc(Proc p, int dev) {
        for (int b = 0; b < sb.size(); b += Fs.BPB) {
            Buf bp = k.bio.bread(p, dev, Fs.bblock(b, sb));
            for (int bi = 0; bi < Fs.BPB && b + bi < sb.size(); bi++) {
                int m = 1 << (bi % 8);
                if ((bp.data[bi / 8] & m) == 0) {
                    bp.data[bi / 8] |= (byte) m;
                    k.log.logWrite(bp);
                    k.bio.brelse(p, bp);
                    bzero(p, dev, b + bi);
                    return b + bi;
                }
            }
            k.bio.brelse(p, bp);
        }
        return 0;
    }

    /** Frees a disk block. */
    void bfree(Proc p, int dev, int b) {
        if (b < sb.datastart() || b >= sb.size()) throw new KernelPanic("bfree: block " + b + " is not a data block");
        Buf bp = k.bio.bread(p, dev, Fs.bblock(b, sb));
        int bi = b % Fs.BPB;
        int m = 1 << (bi % 8);
        if ((bp.data[bi / 8] & m) == 0) throw new KernelPanic("freeing free block " + b);
        bp.data[bi / 8] &= (byte) ~m;
        k.log.logWrite(bp);
        k.bio.brelse(p, bp);
    }
}
