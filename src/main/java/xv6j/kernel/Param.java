package xv6j.kernel;

/** The kernel's fixed sizes, with xv6-riscv's values (kernel/param.h). */
public final class Param {
    private Param() {}

    /** Maximum number of processes. */
    public static final int NPROC = 64;
    /** Open files per process. */
    public static final int NOFILE = 16;
    /** Open files per system. */
    public static final int NFILE = 100;
    /** Maximum number of active in-memory inodes. */
    public static final int NINODE = 50;
    /** Maximum major device number. */
    public static final int NDEV = 10;
    /** Device number of the file-system disk. */
    public static final int ROOTDEV = 1;
    /** Maximum exec arguments. */
    public static final int MAXARG = 32;
    /** Blocks one file-system operation may write. */
    public static final int MAXOPBLOCKS = xv6j.fs.Fs.MAXOPBLOCKS;
    /** Blocks of the on-disk log region. */
    public static final int LOGSIZE = xv6j.fs.Fs.LOGSIZE;
    /** Size of the disk block cache. */
    public static final int NBUF = MAXOPBLOCKS * 3;
    /** Maximum file path name. */
    public static final int MAXPATH = 128;
    /** User stack pages (below it, one guard page). */
    public static final int USERSTACK = 1;
    /** Major device number of the console. */
    public static final int CONSOLE = 1;
}
