package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;
import xv6j.fs.LogHeader;
import xv6j.fs.SuperBlock;

/**
 * The write-ahead log, as xv6's log.c: every file-system system call is a transaction
 * (beginOp ... endOp) whose block writes reach their home locations only after all of
 * them are safely in the log. A crash before the commit point loses the whole call; a
 * crash after it is finished by recovery at the next boot.
 *
 * <p>Several calls may be in one transaction (group commit): the log commits when the
 * last outstanding call ends. Disk order is enforced with {@link Bio#force}: the logged
 * blocks are on disk before the header that commits them, the home blocks before the
 * header is cleared, and the cleared header before the log region is written again: four
 * forces a commit, since within one force the disk may write blocks in any order.
 */
final class Log {
    private final Kernel k;
    private final ReentrantLock lock = new ReentrantLock();
    private int start;
    private int size;
    private int dev;
    /** Calls executing between beginOp and endOp. */
    private int outstanding;
    private boolean committing;
    /** Set at shutdown: no new transactions. */
    private boolean closed;
    /** Home block numbers of the blocks logged so far in this transaction. */
    private final int[] block = new int[Param.LOGSIZE];
    private int n;
    private long commits;

    Log(Kernel k) {
        this.k = k;
    }

    /** Reads the log's place from the superblock and finishes any committed transaction. */
    void init(Proc p, int dev, SuperBlock sb) {
        this.dev = dev;
        this.start = sb.logstart();
        this.size = sb.nlog();
        // A longer log than ours is fine, as in xv6: a transaction uses at most LOGSIZE
        // of its blocks (xv6-riscv's own mkfs makes nlog = LOGBLOCKS + 1 = 31).
        if (size < 2)
            throw new KernelPanic("initlog: log size " + size + " in the superblock is not usable");
        recover(p);
    }

    /** Copies committed blocks from the log to their home locations. */
    private void installTrans(Proc p, boolean recovering) {
        for (int tail = 0; tail < n; tail++) {
            Buf lbuf = k.bio.bread(p, dev, start + tail + 1);
            Buf dbuf = k.bio.bread(p, dev, block[tail]);
            System.arraycopy(lbuf.data, 0, dbuf.data, 0, lbuf.data.length);
            k.bio.bwrite(p, dbuf);
            if (!recovering) k.bio.bunpin(dbuf);
            k.bio.brelse(p, lbuf);
            k.bio.brelse(p, dbuf);
        }
    }

    private void readHead(Proc p) {
        Buf buf = k.bio.bread(p, dev, start);
        LogHeader lh = LogHeader.decode(buf.data, capacity());
        k.bio.brelse(p, buf);
        if (lh == null) throw new KernelPanic("initlog: corrupt log header");
        n = lh.n();
        for (int i = 0; i < n; i++) {
            block[i] = lh.block(i);
            if (block[i] <= start + size - 1 || block[i] >= k.fs.sb().size())
                throw new KernelPanic("initlog: log header names block " + block[i] + " outside the inode, bitmap and data blocks");
        }
    }

    /** Writes the in-memory header to disk: with n > 0 this is the commit point. */
    private void writeHead(Proc p) {
        Buf buf = k.bio.bread(p, dev, start);
        int[] b = new int[n];
        System.arraycopy(block, 0, b, 0, n);
        java.util.Arrays.fill(buf.data, (byte) 0);
        new LogHeader(b).encode(buf.data);
        k.bio.bwrite(p, buf);
        k.bio.brelse(p, buf);
    }

    private void recover(Proc p) {
        readHead(p);
        if (n > 0) {
            installTrans(p, true);
            k.bio.force();
        }
        n = 0;
        writeHead(p);
        k.bio.force();
    }

    /**
     * Blocks one transaction may hold: the region less its header, and no more than the
     * header can name. An image whose region is LOGSIZE blocks (older xv6's mkfs) holds
     * one less than LOGSIZE, so admission must count this, not LOGSIZE.
     */
    private int capacity() {
        return Math.min(Param.LOGSIZE, size - 1);
    }

    /** Starts a file-system call's transaction; waits while the log is busy or could overflow. */
    void beginOp(Proc p) {
        lock.lock();
        try {
            for (;;) {
                if (committing || closed) {
                    k.procs.sleep(p, this, lock);
                } else if (n + (outstanding + 1) * Param.MAXOPBLOCKS > capacity()) {
                    // this call might exhaust log space; wait for the commit
                    k.procs.sleep(p, this, lock);
                } else {
                    outstanding++;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends a call's transaction; commits if it was the last outstanding one. */
    void endOp(Proc p) {
        boolean doCommit = false;
        lock.lock();
        try {
            outstanding--;
            if (committing) throw new KernelPanic("log.committing");
            if (outstanding == 0) {
                doCommit = true;
                committing = true;
            } else {
                // beginOp may be waiting for log space, and this call's reservation is free now.
                k.procs.wakeup(this);
            }
        } finally {
            lock.unlock();
        }
        if (doCommit) {
            // Commit without the lock: it sleeps on buffers. committing keeps others out.
            commit(p);
            lock.lock();
            try {
                committing = false;
                k.procs.wakeup(this);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Copies modified blocks from the cache to the log. */
    private void writeLog(Proc p) {
        for (int tail = 0; tail < n; tail++) {
            Buf to = k.bio.bread(p, dev, start + tail + 1);
            Buf from = k.bio.bread(p, dev, block[tail]);
            System.arraycopy(from.data, 0, to.data, 0, to.data.length);
            k.bio.bwrite(p, to);
            k.bio.brelse(p, from);
            k.bio.brelse(p, to);
        }
    }

    private void commit(Proc p) {
        if (n > 0) {
            writeLog(p);
            k.bio.force();        // the logged blocks are on disk ...
            writeHead(p);
            k.bio.force();        // ... before the header commits them
            installTrans(p, false);
            k.bio.force();        // the home blocks are on disk before the header is erased
            n = 0;
            writeHead(p);
            k.bio.force();        // ... and the erased header before the next transaction's
                                  // blocks overwrite the log: a crash must not replay the old
                                  // header over the new blocks (a force lets writes land in
                                  // any order)
            commits++;
        }
    }

    /**
     * Records that buffer b (modified, locked) belongs to the current transaction; its
     * block is written at commit. Replaces bwrite in file-system code.
     */
    void logWrite(Buf b) {
        lock.lock();
        try {
            if (n >= capacity()) throw new KernelPanic("too big a transaction");
            if (outstanding < 1) throw new KernelPanic("log_write outside of trans");
            int i;
            for (i = 0; i < n; i++) {
                if (block[i] == b.blockno) break; // absorption
            }
            block[i] = b.blockno;
            if (i == n) {
                k.bio.bpin(b);
                n++;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shutdown: lets running calls finish, admits no new ones, and returns once the last
     * transaction is committed. The image is then consistent without recovery.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** True when no call is in a transaction and nothing waits to commit. */
    boolean quiet() {
        lock.lock();
        try {
            return outstanding == 0 && !committing && n == 0;
        } finally {
            lock.unlock();
        }
    }

    long commits() {
        return commits;
    }
}
