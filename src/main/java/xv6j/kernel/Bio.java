package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Disk;

/**
 * The buffer cache, as xv6's bio.c: NBUF block buffers in an LRU list. At most one copy
 * of a block is cached, and a buffer is used by one process at a time (its sleep-lock),
 * which is what lets the file system's layers above reason about a block.
 */
final class Bio {
    private final ReentrantLock lock = new ReentrantLock();
    private final Buf head;
    private final Disk disk;

    Bio(ProcTable procs, Disk disk) {
        this.disk = disk;
        head = new Buf(new SleepLock(procs, "bcache head"));
        head.prev = head;
        head.next = head;
        for (int i = 0; i < Param.NBUF; i++) {
            Buf b = new Buf(new SleepLock(procs, "buffer"));
            b.next = head.next;
            b.prev = head;
            head.next.prev = b;
            head.next = b;
        }
    }

    /** The buffer for (dev, blockno), locked; recycles the least recently used free one. */
    private Buf bget(Proc p, int dev, int blockno) {
        lock.lock();
        Buf found = null;
        try {
            for (Buf b = head.next; b != head; b = b.next) {
                if (b.dev == dev && b.blockno == blockno) {
                    b.refcnt++;
                    found = b;
                    break;
                }
            }
            if (found == null) {
                for (Buf b = head.prev; b != head; b = b.prev) {
                    if (b.refcnt == 0) {
                        b.dev = dev;
                        b.blockno = blockno;
                        b.valid = false;
                        b.refcnt = 1;
                        found = b;
                        break;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (found == null) throw new KernelPanic("bget: no buffers");
        found.lock.acquire(p);
        return found;
    }

    /** A locked buffer with the contents of the block. */
    Buf bread(Proc p, int dev, int blockno) {
        Buf b = bget(p, dev, blockno);
        if (!b.valid) {
            disk.read(blockno, b.data);
            b.valid = true;
        }
        return b;
    }

    /** Writes b's contents to disk. b must be locked. Not durable until {@link #force}. */
    void bwrite(Proc p, Buf b) {
        if (!b.lock.holding(p)) throw new KernelPanic("bwrite");
        disk.write(b.blockno, b.data);
    }

    /** Makes every earlier bwrite durable. */
    void force() {
        disk.force();
    }

    /** Releases a locked buffer and moves it to the head of the LRU list. */
    void brelse(Proc p, Buf b) {
        if (!b.lock.holding(p)) throw new KernelPanic("brelse");
        b.lock.release();
        lock.lock();
        try {
            b.refcnt--;
            if (b.refcnt == 0) {
                b.next.prev = b.prev;
                b.prev.next = b.next;
                b.next = head.next;
                b.prev = head;
                head.next.prev = b;
                head.next = b;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keeps b in the cache until the log has written it (the log's reference). */
    void bpin(Buf b) {
        lock.lock();
        try {
            b.refcnt++;
        } finally {
            lock.unlock();
        }
    }

    void bunpin(Buf b) {
        lock.lock();
        try {
            b.refcnt--;
        } finally {
            lock.unlock();
        }
    }
}
