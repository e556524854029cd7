package xv6j.kernel;

/** A character device reached through a device inode (xv6's devsw entry). */
interface Device {
    /** Reads up to n bytes into user address dst. Returns the count, or -1. */
    int read(Proc p, long dst, int n);

    /** Writes n bytes from user address src. Returns the count written, or -1. */
    int write(Proc p, long src, int n);
}
