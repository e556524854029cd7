package xv6j.fs;

/**
 * The constants of xv6's on-disk file-system format, shared by mkfs, fsck and both
 * kernels. The layout of an image, in blocks of {@link #BSIZE} bytes:
 *
 * <pre>
 *   [ boot | super | log header, log ... | inodes ... | bitmap ... | data ... ]
 *     0      1       logstart               inodestart   bmapstart
 * </pre>
 */
public final class Fs {
    private Fs() {}

    /** Block size in bytes. */
    public static final int BSIZE = 1024;
    /** Superblock magic. */
    public static final int FSMAGIC = 0x10203040;
    /** The root directory's inode number. */
    public static final int ROOTINO = 1;

    /** Direct block addresses in an inode. */
    public static final int NDIRECT = 12;
    /** Block addresses in the indirect block. */
    public static final int NINDIRECT = BSIZE / 4;
    /** Largest file, in blocks. */
    public static final int MAXFILE = NDIRECT + NINDIRECT;

    /** Bytes of a file name in a directory entry (not NUL-terminated when full). */
    public static final int DIRSIZ = 14;
    /** Bytes of one on-disk inode. */
    public static final int DINODE_SIZE = 64;
    /** Bytes of one directory entry. */
    public static final int DIRENT_SIZE = 16;
    /** Inodes per block. */
    public static final int IPB = BSIZE / DINODE_SIZE;
    /** Bitmap bits per block. */
    public static final int BPB = BSIZE * 8;

    /** Inode types (dinode.type). 0 means the inode is free. */
    public static final short T_FREE = 0;
    public static final short T_DIR = 1;
    public static final short T_FILE = 2;
    public static final short T_DEVICE = 3;

    // xv6-riscv's kernel/param.h values that fix the image layout.
    /** Blocks one file-system operation may write. */
    public static final int MAXOPBLOCKS = 10;
    /** Blocks one transaction may log: the most the log header names (xv6's LOGBLOCKS). */
    public static final int LOGSIZE = MAXOPBLOCKS * 3;
    /**
     * Blocks of the log region mkfs makes: the header and LOGSIZE blocks after it, as
     * xv6-riscv's mkfs (nlog = LOGBLOCKS + 1). Older xv6 made LOGSIZE blocks, header
     * included, which holds one block less than three operations may reserve; the kernels
     * take either, and any nlog of 2 or more, using min(LOGSIZE, nlog - 1) of it.
     */
    public static final int NLOG = LOGSIZE + 1;
    /** Default image size in blocks. */
    public static final int FSSIZE = 2000;
    /**
     * The largest image, in blocks, that mkfs makes and fsck and the kernels take (2 GiB):
     * fsck keeps a word per block, and a sparse image file of any size costs nothing to
     * make, so a superblock or a --size of 2^31 blocks must be refused, not tried.
     */
    public static final int MAXFSSIZE = 1 << 21;
    /** Default number of inodes mkfs makes. */
    public static final int NINODES = 200;
    /** Device major numbers are below this (xv6's devsw table size). */
    public static final int NDEV = 10;

    /** Block of inode inum. */
    public static int iblock(int inum, SuperBlock sb) {
        return inum / IPB + sb.inodestart();
    }

    /** Bitmap block holding the bit of block b. */
    public static int bblock(int b, SuperBlock sb) {
        return b / BPB + sb.bmapstart();
    }
}
