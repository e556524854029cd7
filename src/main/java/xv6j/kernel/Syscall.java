package xv6j.kernel;

import xv6j.machine.Printable;

/**
 * System-call dispatch, as xv6's syscall.c: the number is in a7, arguments in a0..a5, the
 * result goes back in a0. The numbers are xv6-riscv's, so its binaries run unchanged;
 * 22 to 24 are xv6j's own.
 */
final class Syscall {
    static final int SYS_FORK = 1;
    static final int SYS_EXIT = 2;
    static final int SYS_WAIT = 3;
    static final int SYS_PIPE = 4;
    static final int SYS_READ = 5;
    static final int SYS_KILL = 6;
    static final int SYS_EXEC = 7;
    static final int SYS_FSTAT = 8;
    static final int SYS_CHDIR = 9;
    static final int SYS_DUP = 10;
    static final int SYS_GETPID = 11;
    static final int SYS_SBRK = 12;
    static final int SYS_SLEEP = 13;
    static final int SYS_UPTIME = 14;
    static final int SYS_OPEN = 15;
    static final int SYS_WRITE = 16;
    static final int SYS_MKNOD = 17;
    static final int SYS_UNLINK = 18;
    static final int SYS_LINK = 19;
    static final int SYS_MKDIR = 20;
    static final int SYS_CLOSE = 21;
    /** xv6j's own: the caller is the console's interactive shell (see ConsoleDevice). */
    static final int SYS_INTERACTIVE = 22;
    /** xv6j's own, Unix's: setpgid(pid, pgid) and getpgrp() (see ProcTable.setpgid). */
    static final int SYS_SETPGID = 23;
    static final int SYS_GETPGRP = 24;

    /** Numbers counted one by one for the live view (others count as 0). */
    static final int NSYSCALL = 32;

    private final Kernel k;
    private final SysProc sysProc;
    private final SysFile sysFile;
    /**
     * Calls made, per hart and by number (0 for numbers that are no call), for the live
     * view. Each hart counts in an array of its own, padded so that two harts never write
     * the same cache line; readers add them up without a lock.
     */
    private final long[][] counts;
    private static final int PAD = 8;

    Syscall(Kernel k) {
        this.k = k;
        this.sysProc = new SysProc(k);
        this.sysFile = new SysFile(k);
        this.counts = new long[k.machine().harts().length][PAD + NSYSCALL + PAD];
    }

    void syscall(Proc p) {
        int num = (int) p.trapframe.x[TrapFrame.A7];
        counts[p.cpu.id][PAD + (num > 0 && num < NSYSCALL ? num : 0)]++;
        long r = switch (num) {
            case SYS_FORK -> sysProc.fork(p);
            case SYS_EXIT -> sysProc.exit(p);
            case SYS_WAIT -> sysProc.waitChild(p);
            case SYS_PIPE -> sysFile.pipe(p);
            case SYS_READ -> sysFile.read(p);
            case SYS_KILL -> sysProc.kill(p);
            case SYS_EXEC -> sysFile.exec(p);
            case SYS_FSTAT -> sysFile.fstat(p);
            case SYS_CHDIR -> sysFile.chdir(p);
            case SYS_DUP -> sysFile.dup(p);
            case SYS_GETPID -> p.pid;
            case SYS_SBRK -> sysProc.sbrk(p);
            case SYS_SLEEP -> sysProc.sleep(p);
            case SYS_UPTIME -> k.ticks();
            case SYS_OPEN -> sysFile.open(p);
            case SYS_WRITE -> sysFile.write(p);
            case SYS_MKNOD -> sysFile.mknod(p);
            case SYS_UNLINK -> sysFile.unlink(p);
            case SYS_LINK -> sysFile.link(p);
            case SYS_MKDIR -> sysFile.mkdir(p);
            case SYS_CLOSE -> sysFile.close(p);
            case SYS_INTERACTIVE -> k.consoleDevice.setShell(p);
            case SYS_SETPGID -> k.procs.setpgid(p, argInt(p, 0), argInt(p, 1));
            case SYS_GETPGRP -> k.procs.getpgrp(p);
            default -> unknown(p, num);
        };
        p.trapframe.x[TrapFrame.A0] = r;
    }

    /** Calls made so far by number, all harts together (0: numbers that are no call). */
    long[] counts() {
        long[] sum = new long[NSYSCALL];
        for (long[] c : counts) for (int i = 0; i < NSYSCALL; i++) sum[i] += c[PAD + i];
        return sum;
    }

    /** xv6's name for call num, or null. */
    static String name(int num) {
        return switch (num) {
            case SYS_FORK -> "fork";
            case SYS_EXIT -> "exit";
            case SYS_WAIT -> "wait";
            case SYS_PIPE -> "pipe";
            case SYS_READ -> "read";
            case SYS_KILL -> "kill";
            case SYS_EXEC -> "exec";
            case SYS_FSTAT -> "fstat";
            case SYS_CHDIR -> "chdir";
            case SYS_DUP -> "dup";
            case SYS_GETPID -> "getpid";
            case SYS_SBRK -> "sbrk";
            case SYS_SLEEP -> "sleep";
            case SYS_UPTIME -> "uptime";
            case SYS_OPEN -> "open";
            case SYS_WRITE -> "write";
            case SYS_MKNOD -> "mknod";
            case SYS_UNLINK -> "unlink";
            case SYS_LINK -> "link";
            case SYS_MKDIR -> "mkdir";
            case SYS_CLOSE -> "close";
            case SYS_INTERACTIVE -> "interactive";
            case SYS_SETPGID -> "setpgid";
            case SYS_GETPGRP -> "getpgrp";
            default -> null;
        };
    }

    private long unknown(Proc p, int num) {
        if (num >= 0x100 && num < 0x200 && k.procs.isInit(p.pid)) {
            // init itself: the whole image is kernel-exo's (fs-exo.img). Say so in one line
            // and halt with status 1; init, which no kill may end ("init exiting"), never
            // runs again (a halting machine schedules no one).
            k.printf("xv6: %s was made for kernel-exo (its init made kernel-exo's system call %d), not for the"
                    + " xv6 kernel: boot it with make EXO=1 qemu, or scripts/kernel-exo%n", k.disk().path(), num);
            k.halt(1);
            k.procs.yield(p);
        } else if (num >= 0x100 && num < 0x200) {
            // Such a program can never work here, and its LibOS would retry for ever (init
            // on fs-exo.img printed this line millions of times): end it, as a bad trap would.
            k.printf("pid %d %s: system call %d is kernel-exo's: this program was built for kernel-exo, not the xv6 kernel: killed%n", p.pid, Printable.of(p.name), num);
            k.procs.setKilled(p);
        } else {
            k.printf("%d %s: unknown sys call %d%n", p.pid, Printable.of(p.name), num);
        }
        return -1;
    }

    // Argument fetching: the raw registers, as xv6's argint/argaddr/argstr.

    static int argInt(Proc p, int n) {
        return (int) p.trapframe.x[TrapFrame.A0 + n];
    }

    static long argAddr(Proc p, int n) {
        return p.trapframe.x[TrapFrame.A0 + n];
    }
}
