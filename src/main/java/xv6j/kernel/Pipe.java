package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A pipe, as xv6's pipe.c: a 512-byte ring buffer. Readers sleep while it is empty and
 * writers while it is full; a reader sees end of file once every write end is closed, and
 * a writer gets -1 once every read end is closed.
 */
final class Pipe {
    static final int PIPESIZE = 512;

    private final Kernel k;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] data = new byte[PIPESIZE];
    /** Bytes read and written, ever; the ring index is the count mod PIPESIZE. */
    private long nread;
    private long nwrite;
    private boolean readOpen = true;
    private boolean writeOpen = true;
    /** Distinct channels for readers and writers to sleep on. */
    private final Object readChan = new Object();
    private final Object writeChan = new Object();

    /** "pipe read" or "pipe write" if chan is one of this pipe's sleep channels, else null (the live view). */
    String channelName(Object chan) {
        return chan == readChan ? "pipe read" : chan == writeChan ? "pipe write" : null;
    }

    private Pipe(Kernel k) {
        this.k = k;
    }

    /** Makes a pipe and its two file ends; null (having freed all) if no file is free. */
    static File[] alloc(Kernel k) {
        File f0 = k.files.fileAlloc();
        if (f0 == null) return null;
        File f1 = k.files.fileAlloc();
        if (f1 == null) {
            k.files.fileClose(null, f0);
            return null;
        }
        Pipe pi = new Pipe(k);
        f0.type = File.Type.PIPE;
        f0.readable = true;
        f0.writable = false;
        f0.pipe = pi;
        f1.type = File.Type.PIPE;
        f1.readable = false;
        f1.writable = true;
        f1.pipe = pi;
        return new File[] {f0, f1};
    }

    void close(boolean writable) {
        lock.lock();
        try {
            if (writable) {
                writeOpen = false;
                k.procs.wakeup(readChan);
            } else {
                readOpen = false;
                k.procs.wakeup(writeChan);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes n bytes from user address addr; returns bytes written, or -1 if no reader or killed. */
    int write(Proc p, long addr, int n) {
        byte[] chunk = new byte[1];
        int i = 0;
        lock.lock();
        try {
            while (i < n) {
                if (!readOpen || k.procs.killed(p)) return -1;
                if (nwrite == nread + PIPESIZE) {
                    k.procs.wakeup(readChan);
                    if (!k.procs.sleepUnlessKilled(p, writeChan, lock)) return -1;
                } else {
                    // copy as much as fits without wrapping, straight from user memory
                    int room = (int) (nread + PIPESIZE - nwrite);
                    int at = (int) (nwrite % PIPESIZE);
                    int m = Math.min(Math.min(n - i, room), PIPESIZE - at);
                    if (chunk.length < m) chunk = new byte[m];
                    if (!k.vm.copyIn(p, chunk, 0, addr + i, m)) break;
                    System.arraycopy(chunk, 0, data, at, m);
                    nwrite += m;
                    i += m;
                }
            }
            k.procs.wakeup(readChan);
        } finally {
            lock.unlock();
        }
        return i;
    }

    /** Reads up to n bytes into user address addr; 0 at end of file, -1 if killed or addr is bad. */
    int read(Proc p, long addr, int n) {
        lock.lock();
        try {
            while (nread == nwrite && writeOpen) {
                if (!k.procs.sleepUnlessKilled(p, readChan, lock)) return -1;
            }
            int i = 0;
            while (i < n && nread != nwrite) {
                int at = (int) (nread % PIPESIZE);
                int m = (int) Math.min(Math.min(n - i, nwrite - nread), PIPESIZE - at);
                if (!k.vm.copyOut(p, addr + i, data, at, m)) {
                    if (i == 0) i = -1;
                    break;
                }
                nread += m;
                i += m;
            }
            k.procs.wakeup(writeChan);
            return i;
        } finally {
            lock.unlock();
        }
    }
}
