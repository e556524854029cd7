package xv6j.kernel;

import java.util.concurrent.Semaphore;

/**
 * Per-process state, as xv6's struct proc. Its kernel side runs on a thread of its own
 * (xv6's kernel stack), which holds a hart only between being scheduled and giving it
 * back: {@link #baton} is how the scheduler hands it the CPU (xv6's swtch).
 *
 * <p>state, chan, untilKilled, killed, xstate, pid, pgid, parent and forker are protected by the process table's lock.
 */
public final class Proc {
    final int slot;

    ProcState state = ProcState.UNUSED;
    /** What it sleeps on, if SLEEPING. */
    Object chan;
    /**
     * If SLEEPING: whether in a sleep a kill ends (the console, a pipe, sleep(n)), which
     * lasts as long as the program likes, rather than in one of the kernel's own short
     * waits (a sleep-lock, the log).
     */
    boolean untilKilled;
    /**
     * In sleep(n) until it returns: asleep on the clock, though each tick wakes it for a
     * moment to look at the time. A ^C in that moment must find it asleep still (no shell
     * sleeps so), else it took the sleeper for a shell within its grace, which a sleeper
     * never leaves (ConsoleDevice). Written by its own CPU, read under the table's lock.
     */
    volatile boolean inSleepCall;
    boolean killed;
    /** Exit status for the parent's wait. */
    int xstate;
    int pid;
    Proc parent;
    /** The pid of the process that forked this one; unlike parent, orphaning keeps it. */
    int forker;
    /**
     * Its process group (Unix's pgid): its forker's at fork, whatever becomes of the
     * forker, until setpgid moves it. ^C kills the interactive shell's group (ConsoleDevice).
     */
    int pgid;
    /**
     * Ticks this process has run into: slices it ended because the clock ticked while it
     * had a CPU. A process waiting for a CPU, or on a host thread the host is not running,
     * gains none, so this is its own time, where the machine's ticks are everyone's.
     */
    volatile long ticksRun;
    /**
     * ticksRun when it last claimed the console, took a line from it or saw a child end:
     * what a shell does between commands (ConsoleDevice tells a shell from a deaf program
     * by it, and a shell starved of its CPU must not look deaf).
     */
    volatile long listenedAt;

    // Private to the process; no lock needed.
    /** Size of process memory in bytes: [0, sz) is the process's (mapped, or lazy above lazyFrom). */
    long sz;
    /**
     * Where pages without memory may begin: the lowest old break sbrk(n, SBRK_LAZY) grew
     * from (page-rounded), or MAXVA if the process has grown lazily into no page it still
     * has. The kernel mapped every page below it itself (exec's image and stack, eager
     * sbrk), so uvmUnmap and uvmCopy panic if one is missing there, as xv6's did before
     * lazy sbrk. One address, not a list of lazy ranges: eager growth above a lazy part
     * goes unchecked until a shrink takes the lazy part away.
     */
    long lazyFrom = Riscv.MAXVA;
    /** Physical address of the root page-table page. */
    long pagetable;
    /**
     * Identity of the address space in pagetable (what a hart's TLB may hold): unique
     * across reuse of its pages, and renewed whenever mappings are removed.
     */
    long addressSpace;
    final TrapFrame trapframe = new TrapFrame();
    final File[] ofile = new File[Param.NOFILE];
    Inode cwd;
    String name = "";

    /** The process's kernel thread. */
    Thread thread;
    /** Released by a scheduler to run this process (swtch into it). */
    final Semaphore baton = new Semaphore(0);
    /** The CPU running this process, while RUNNING. */
    Cpu cpu;
    /** Ticks when this process last got a CPU (wall-clock time slices). */
    long sliceStart;

    Proc(int slot) {
        this.slot = slot;
    }

    public int pid() { return pid; }
    public String name() { return name; }
    public ProcState state() { return state; }
    public long sz() { return sz; }
    public long pagetable() { return pagetable; }
}
