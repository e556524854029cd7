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

    /** sbrk's second argument (xv6-riscv's kernel/vm.h): pages now, or on first use. */
    static final int SBRK_EAGER = 1;
    static final int SBRK_LAZY = 2;

    /**
     * sbrk(n, type): moves the break by n and returns the old one. SBRK_LAZY growth only
     * moves the break; each page gets memory when first touched (UserTrap, Vm.vmFault),
     * and a touch with no memory left kills the process. Any other type is eager, as
     * before the second argument existed, so a program whose stub leaves a1 unset still
     * learns at sbrk that memory ran out (xv6-riscv takes every type but SBRK_EAGER as lazy).
     */
    long sbrk(Proc p) {
        int n = Syscall.argInt(p, 0);
        int type = Syscall.argInt(p, 1);
        long addr = p.sz;
        if (type == SBRK_LAZY && n > 0) {
            if (addr + n > Riscv.MAXVA) return -1;
            p.lazyFrom = Math.min(p.lazyFrom, Riscv.pgRoundUp(addr));
            p.sz = addr + n;
        } else if (!k.procs.growProc(p, n)) {
            return -1;
        }
        return addr;
    }

    long sleep(Proc p) {
        int n = Math.max(0, Syscall.argInt(p, 0));
        Object chan = k.ticksChannel();
        var lk = k.ticksLock();
        p.inSleepCall = true;
        lk.lock();
        try {
            long ticks0 = k.ticks();
            while (k.ticks() - ticks0 < n) {
                if (!k.procs.sleepUnlessKilled(p, chan, lk)) return -1;
            }
        } finally {
            lk.unlock();
            p.inSleepCall = false;
        }
        return 0;
    }

    long kill(Proc p) {
        return k.procs.kill(Syscall.argInt(p, 0));
    }
}
