package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A long-term lock, as xv6's sleeplock: a process that waits for it sleeps and gives its
 * CPU to others. Held across disk I/O and anything else that may sleep, which a plain
 * lock must never be (with one CPU, the holder could never run again to release it).
 */
public final class SleepLock {
    private final ProcTable procs;
    private final ReentrantLock lk = new ReentrantLock();
    private final String name;
    private boolean locked;
    private volatile Proc holder;

    SleepLock(ProcTable procs, String name) {
        this.procs = procs;
        this.name = name;
    }

    void acquire(Proc p) {
        lk.lock();
        try {
            while (locked) procs.sleep(p, this, lk);
            locked = true;
            holder = p;
        } finally {
            lk.unlock();
        }
    }

    void release() {
        lk.lock();
        try {
            locked = false;
            holder = null;
            procs.wakeup(this);
        } finally {
            lk.unlock();
        }
    }

    boolean holding(Proc p) {
        lk.lock();
        try {
            return locked && holder == p;
        } finally {
            lk.unlock();
        }
    }

    /**
     * The process holding it, or null, for a deadlock's report. Read without lk: the
     * reporter holds the process table's lock, which sleep takes while holding lk.
     */
    Proc holder() {
        return holder;
    }

    @Override
    public String toString() {
        return "sleeplock " + name;
    }
}
