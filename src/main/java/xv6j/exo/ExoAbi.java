package xv6j.exo;

/**
 * The numbers of user/exo.h, the exokernel's contract with every library OS: errors,
 * capability types and rights, scheduling ops, events, environment ops, upcall kinds,
 * layouts of the structs the kernel reads and writes, and the system-call numbers.
 * Each constant has exo.h's name; exo.h explains what it means.
 */
public final class ExoAbi {
    private ExoAbi() {}

    // ---- errors ----
    public static final long E_INVAL = -1, E_BADCAP = -2, E_TYPE = -3, E_RIGHTS = -4, E_NOMEM = -5,
            E_RANGE = -6, E_FULL = -7, E_BUSY = -8, E_REFUSED = -9, E_DEAD = -10, E_FAULT = -11, E_AGAIN = -12;

    // ---- capability types ----
    public static final int CAP_PAGE = 1, CAP_MEMORY = 2, CAP_BLOCKS = 3, CAP_ENV = 4, CAP_CPU = 5,
            CAP_CONSOLE = 6, CAP_CLOCK = 7;

    // ---- rights ----
    public static final int CAP_R = 0x01, CAP_W = 0x02, CAP_X = 0x04, CAP_GRANT = 0x08, CAP_REVOKE = 0x10,
            CAP_ALL = 0x1f;

    // ---- boot handles and layout ----
    public static final int EXO_BOOT_MEMORY = 0, EXO_BOOT_DISK = 1, EXO_BOOT_CONSOLE = 2, EXO_BOOT_CLOCK = 3,
            EXO_BOOT_CPU = 4, EXO_BOOT_PAGES = 5;
    public static final int EXO_BOOT_STACK_PAGES = 4;
    public static final int EXO_SELF = -1;
    public static final int EXO_PGSIZE = 4096;
    public static final long EXO_MAXVA = 1L << 38;
    public static final long EXO_UTOP = EXO_MAXVA - (1L << 30);
    public static final int EXO_BSIZE = 1024;
    /** The most exo_cons_write writes in one call. */
    public static final int EXO_CONS_MAX = 4096;
    /**
     * exo_disk's operations. The disk has a write cache, as real disks do: a cached write is
     * on the disk, but a crash may lose it until a later flush or synchronous write has
     * returned, and cached writes reach stable storage in no promised order. A LibOS orders
     * its writes with flushes as its own crash safety needs (a log: its blocks, flush, the
     * header, flush, ...), and pays for no more flushes than that.
     */
    public static final int EXO_DISK_READ = 0, EXO_DISK_WRITE = 1, EXO_DISK_WRITE_CACHED = 2, EXO_DISK_FLUSH = 3;
    /** Handles per environment: 0 .. EXO_NCAP-1. */
    public static final int EXO_NCAP = 1 << 16;
    /** Kernel records (capabilities, mappings) one page of an environment's kernel memory holds. */
    public static final int EXO_RECORDS_PER_PAGE = 64;
    /** Pages an environment costs from its creation: its record and its root page table. */
    public static final int EXO_ENV_PAGES = 2;

    // ---- exosched ----
    public static final int EXOSCHED_YIELD = 0, EXOSCHED_YIELD_TO = 1, EXOSCHED_SLICE = 2, EXOSCHED_BLOCK = 3,
            EXOSCHED_WAIT = 4, EXOSCHED_WAKE = 5;
    public static final int EV_PCT = 0x01, EV_CHILD = 0x02, EV_CONSOLE = 0x04, EV_TICK = 0x08, EV_NOTICE = 0x10,
            EV_KEY = 0x20, EV_ALL = 0x3f;
    public static final int SLICE_MAX = 100;

    // ---- env_ctl ----
    public static final int ENV_START = 0, ENV_STOP = 1, ENV_DESTROY = 2, ENV_GETREGS = 3, ENV_SETREGS = 4,
            ENV_INFO = 5;
    public static final int ENV_STATE_STOPPED = 0, ENV_STATE_RUNNABLE = 1, ENV_STATE_BLOCKED = 2,
            ENV_STATE_EXITED = 3;
    public static final int ENV_WAITS_NONE = 0, ENV_WAITS_EVENTS = 1, ENV_WAITS_WORD = 2, ENV_WAITS_CALLEE = 3;

    // ---- secure bindings ----
    public static final int MAP_R = 0x1, MAP_W = 0x2, MAP_X = 0x4;

    // ---- upcalls ----
    public static final int UPCALL_FAULT = 0x1, UPCALL_SLICE = 0x2, UPCALL_NOTICE = 0x4, UPCALL_ALL = 0x7;
    /** scause of a supervisor timer interrupt: what a slice upcall reports as its cause. */
    public static final long CAUSE_TIMER = (1L << 63) | 5;

    // ---- protected control transfer ----
    public static final int PCT_ANY = 0, PCT_KNOWN = 1;

    // ---- struct sizes (bytes) ----
    /** struct exo_capinfo: int type, int rights, u64 first, count, quota, used. */
    public static final int CAPINFO_SIZE = 40;
    /** struct exo_regs: x[32], f[32], pc, fcsr. */
    public static final int REGS_SIZE = 66 * 8;
    /** struct exo_frame: regs, kind, cause, tval. */
    public static final int FRAME_SIZE = REGS_SIZE + 3 * 8;
    /** struct exo_call (exo_batch's element): u64 num, u64 a[6], i64 ret. */
    public static final int CALL_SIZE = 64;
    /** The most calls one exo_batch runs. */
    public static final int EXO_BATCH_MAX = 64;
    /** struct exo_envinfo: int id, parent, state, status; u64 ticks; int waits, on; u64 ended; int cpu (and padding). */
    public static final int ENVINFO_SIZE = 48;

    // ---- system-call numbers (a7) ----
    public static final int SYS_capalloc = 0x100, SYS_capfree = 0x101, SYS_capgrant = 0x102, SYS_caprevoke = 0x103,
            SYS_exosched = 0x104, SYS_capinfo = 0x105, SYS_env_ctl = 0x106, SYS_exo_map = 0x107,
            SYS_exo_unmap = 0x108, SYS_exo_disk = 0x109, SYS_exo_pagerefs = 0x10a, SYS_exo_cons_write = 0x10b,
            SYS_exo_cons_read = 0x10c, SYS_exo_ticks = 0x10d, SYS_exo_upcall = 0x10e, SYS_exo_resume = 0x10f,
            SYS_exo_notices = 0x110, SYS_pct_register = 0x111, SYS_pct_call = 0x112, SYS_pct_return = 0x113,
            SYS_exo_envid = 0x114, SYS_exo_grantmap = 0x115, SYS_exo_batch = 0x116;
    public static final int SYS_FIRST = SYS_capalloc, SYS_LAST = SYS_exo_batch;

    /** Register numbers the kernel uses by name. */
    public static final int RA = 1, SP = 2, A0 = 10, A1 = 11, A2 = 12, A6 = 16, A7 = 17;
}
