package xv6j.kernel;

/** An open file, as xv6's struct file: a pipe end, an inode with an offset, or a device. */
final class File {
    enum Type { NONE, PIPE, INODE, DEVICE }

    Type type = Type.NONE;
    /** References (file descriptors, in all processes). Protected by the file table's lock. */
    int ref;
    boolean readable;
    boolean writable;
    Pipe pipe;
    Inode ip;
    /** Offset, for INODE; protected by ip's lock. */
    long off;
    /** Major device number, for DEVICE. */
    short major;
}
