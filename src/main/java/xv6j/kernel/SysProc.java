package xv6j.kernel;

/** The process system calls, as xv6's sysproc.c. */
final class SysProc {
    private final Kernel k;

    SysProc(Kernel k) {
        this.k = k;
    }

    long exit(Proc p) {
        k.procs.exit(p, Syscall.argInt(p, 0));
        return 0; // not reached
    }

    long fork(Proc p) {
        return k.procs.fork(p);
    }

    long waitChild(Proc p) {
        return k.procs.waitChild(p, Syscall.argAddr(p, 0));
    }

    long sbrk(Proc p) {
        int n = Syscall.argInt(p, 0);
        long addr = p.sz;
        if (!k.procs.growProc(p, n)) return -1;
        return addr;
    }

    long sleep(Proc p) {
        int n = Math.max(0, Syscall.argInt(p, 0));
        Object chan = k.ticksChannel();
        var lk = k.ticksLock();
        lk.lock();
        try {
            long ticks0 = k.ticks();
            while (k.ticks() - ticks0 < n) {
                if (!k.procs.sleepUnlessKilled(p, chan, lk)) return -1;
            }
        } finally {
            lk.unlock();
        }
        return 0;
    }

    long kill(Proc p) {
        return k.procs.kill(Syscall.argInt(p, 0));
    }
}
