package xv6j.kernel;

import xv6j.fs.Fs;

/**
 * The file system calls, as xv6's sysfile.c: argument checking, then calls into the
 * file and inode layers, each file-system change inside one transaction.
 */
final class SysFile {
    static final int O_RDONLY = 0x000;
    static final int O_WRONLY = 0x001;
    static final int O_RDWR = 0x002;
    static final int O_CREATE = 0x200;
    static final int O_TRUNC = 0x400;

    private final Kernel k;

    SysFile(Kernel k) {
        this.k = k;
    }

    /** The open file of descriptor argument n, or null if it is not an open descriptor. */
    private static File argFd(Proc p, int n) {
        int fd = Syscall.argInt(p, n);
        if (fd < 0 || fd >= Param.NOFILE) return null;
        return p.ofile[fd];
    }

    /** A path argument, or null if the address is bad or the path too long. */
    private String argPath(Proc p, int n) {
        return k.vm.copyInStr(p, Syscall.argAddr(p, n), Param.MAXPATH);
    }

    /** Gives f a file descriptor of p; -1 if all are in use. */
    private static int fdAlloc(Proc p, File f) {
        for (int fd = 0; fd < Param.NOFILE; fd++) {
            if (p.ofile[fd] == null) {
                p.ofile[fd] = f;
                return fd;
            }
        }
        return -1;
    }

    long dup(Proc p) {
        File f = argFd(p, 0);
        if (f == null) return -1;
        int fd = fdAlloc(p, f);
        if (fd < 0) return -1;
        k.files.fileDup(f);
        return fd;
    }

    long read(Proc p) {
        File f = argFd(p, 0);
        int n = Syscall.argInt(p, 2);
        if (f == null || n < 0) return -1;
        return k.files.fileRead(p, f, Syscall.argAddr(p, 1), n);
    }

    long write(Proc p) {
        File f = argFd(p, 0);
        int n = Syscall.argInt(p, 2);
        if (f == null || n < 0) return -1;
        return k.files.fileWrite(p, f, Syscall.argAddr(p, 1), n);
    }

    long close(Proc p) {
        File f = argFd(p, 0);
        if (f == null) return -1;
        p.ofile[Syscall.argInt(p, 0)] = null;
        k.files.fileClose(p, f);
        return 0;
    }

    long fstat(Proc p) {
        File f = argFd(p, 0);
        if (f == null) return -1;
        return k.files.fileStat(p, f, Syscall.argAddr(p, 1));
    }

    /** Creates the path new as a link to the same inode as old. */
    long link(Proc p) {
        String old = argPath(p, 0);
        String nu = argPath(p, 1);
        if (old == null || nu == null) return -1;
        k.log.beginOp(p);
        try {
            Inode ip = k.namei.namei(p, old);
            if (ip == null) return -1;
            k.itable.ilock(p, ip);
            // nlink is 16 bits on the disk: one link more than it holds would wrap it
            // negative, and the next unlink would find an inode with no links.
            if (ip.type == Fs.T_DIR || ip.nlink == Short.MAX_VALUE) {
                k.itable.iunlockput(p, ip);
                return -1;
            }
            ip.nlink++;
            k.itable.iupdate(p, ip);
            k.itable.iunlock(p, ip);

            String[] name = new String[1];
            Inode dp = k.namei.nameiParent(p, nu, name);
            if (dp != null) {
                k.itable.ilock(p, dp);
                // dp may have been removed since nameiParent let go of it (see create).
                if (dp.nlink > 0 && dp.dev == ip.dev && k.dir.dirLink(p, dp, name[0], ip.inum)) {
                    k.itable.iunlockput(p, dp);
                    k.itable.iput(p, ip);
                    return 0;
                }
                k.itable.iunlockput(p, dp);
            }
            k.itable.ilock(p, ip);
            ip.nlink--;
            k.itable.iupdate(p, ip);
            k.itable.iunlockput(p, ip);
            return -1;
        } finally {
            k.log.endOp(p);
        }
    }

    long unlink(Proc p) {
        String path = argPath(p, 0);
        if (path == null) return -1;
        k.log.beginOp(p);
        try {
            String[] name = new String[1];
            Inode dp = k.namei.nameiParent(p, path, name);
            if (dp == null) return -1;
            k.itable.ilock(p, dp);
            // Cannot unlink "." or "..".
            if (Dir.nameEquals(name[0], ".") || Dir.nameEquals(name[0], "..")) {
                k.itable.iunlockput(p, dp);
                return -1;
            }
            Dir.Found found = k.dir.dirLookup(p, dp, name[0]);
            if (found == null || found.ip() == null) {
                k.itable.iunlockput(p, dp);
                return -1;
            }
            Inode ip = found.ip();
            k.itable.ilock(p, ip);
            if (ip.nlink < 1) throw new KernelPanic("unlink: nlink < 1");
            if (ip.type == Fs.T_DIR && !k.dir.isEmpty(p, ip)) {
                k.itable.iunlockput(p, ip);
                k.itable.iunlockput(p, dp);
                return -1;
            }
            byte[] zero = new byte[Fs.DIRENT_SIZE];
            if (k.itable.writei(p, dp, new IoBuf.Kernel(zero, 0), found.off(), Fs.DIRENT_SIZE) != Fs.DIRENT_SIZE)
                throw new KernelPanic("unlink: writei");
            if (ip.type == Fs.T_DIR) {
                dp.nlink--; // the child's ".." no longer refers to dp
                k.itable.iupdate(p, dp);
            }
            k.itable.iunlockput(p, dp);
            ip.nlink--;
            k.itable.iupdate(p, ip);
            k.itable.iunlockput(p, ip);
            return 0;
        } finally {
            k.log.endOp(p);
        }
    }

    /**
     * Creates path as a new inode of the given type and returns it locked; for T_FILE an
     * existing file or device is returned instead. Null on failure. In a transaction.
     */
    private Inode create(Proc p, String path, short type, short major, short minor) {
        String[] name = new String[1];
        Inode dp = k.namei.nameiParent(p, path, name);
        if (dp == null) return null;
        k.itable.ilock(p, dp);
        // nameiParent refuses a removed directory, but it let go of dp's lock before this
        // took it: another process may have removed dp in between. A name added to it
        // would be lost with it, its inode leaked.
        if (dp.nlink == 0) {
            k.itable.iunlockput(p, dp);
            return null;
        }
        Dir.Found found = k.dir.dirLookup(p, dp, name[0]);
        if (found != null) {
            Inode ip = found.ip();
            k.itable.iunlockput(p, dp);
            if (ip == null) return null; // no room in the inode table
            k.itable.ilock(p, ip);
            if (type == Fs.T_FILE && (ip.type == Fs.T_FILE || ip.type == Fs.T_DEVICE)) return ip;
            k.itable.iunlockput(p, ip);
            return null;
        }
        Inode ip = k.itable.ialloc(p, dp.dev, type);
        if (ip == null) {
            k.itable.iunlockput(p, dp);
            return null;
        }
        k.itable.ilock(p, ip);
        ip.major = major;
        ip.minor = minor;
        ip.nlink = 1;
        k.itable.iupdate(p, ip);

        boolean ok = true;
        if (type == Fs.T_DIR) {
            // No ip.nlink++ for ".": avoid a cyclic reference count.
            ok = k.dir.dirLink(p, ip, ".", ip.inum) && k.dir.dirLink(p, ip, "..", dp.inum);
        }
        ok = ok && k.dir.dirLink(p, dp, name[0], ip.inum);
        if (!ok) {
            // Undo: the inode is freed by iput, as it has no links.
            ip.nlink = 0;
            k.itable.iupdate(p, ip);
            k.itable.iunlockput(p, ip);
            k.itable.iunlockput(p, dp);
            return null;
        }
        if (type == Fs.T_DIR) {
            dp.nlink++; // for ".."
            k.itable.iupdate(p, dp);
        }
        k.itable.iunlockput(p, dp);
        return ip;
    }

    long open(Proc p) {
        String path = argPath(p, 0);
        int omode = Syscall.argInt(p, 1);
        if (path == null) return -1;
        k.log.beginOp(p);
        try {
            Inode ip;
            if ((omode & O_CREATE) != 0) {
                ip = create(p, path, Fs.T_FILE, (short) 0, (short) 0);
                if (ip == null) return -1;
            } else {
                ip = k.namei.namei(p, path);
                if (ip == null) return -1;
                k.itable.ilock(p, ip);
                if (ip.type == Fs.T_DIR && omode != O_RDONLY) {
                    k.itable.iunlockput(p, ip);
                    return -1;
                }
            }
            if (ip.type == Fs.T_DEVICE && (ip.major < 0 || ip.major >= Param.NDEV)) {
                k.itable.iunlockput(p, ip);
                return -1;
            }
            File f = k.files.fileAlloc();
            int fd = f == null ? -1 : fdAlloc(p, f);
            if (fd < 0) {
                if (f != null) k.files.fileClose(p, f);
                k.itable.iunlockput(p, ip);
                return -1;
            }
            if (ip.type == Fs.T_DEVICE) {
                f.type = File.Type.DEVICE;
                f.major = ip.major;
            } else {
                f.type = File.Type.INODE;
                f.off = 0;
            }
            f.ip = ip;
            f.readable = (omode & O_WRONLY) == 0;
            f.writable = (omode & O_WRONLY) != 0 || (omode & O_RDWR) != 0;
            if ((omode & O_TRUNC) != 0 && ip.type == Fs.T_FILE) k.itable.itrunc(p, ip);
            k.itable.iunlock(p, ip);
            return fd;
        } finally {
            k.log.endOp(p);
        }
    }

    long mkdir(Proc p) {
        String path = argPath(p, 0);
        if (path == null) return -1;
        k.log.beginOp(p);
        try {
            Inode ip = create(p, path, Fs.T_DIR, (short) 0, (short) 0);
            if (ip == null) return -1;
            k.itable.iunlockput(p, ip);
            return 0;
        } finally {
            k.log.endOp(p);
        }
    }

    long mknod(Proc p) {
        String path = argPath(p, 0);
        if (path == null) return -1;
        short major = (short) Syscall.argInt(p, 1);
        short minor = (short) Syscall.argInt(p, 2);
        // A node for a major no driver can have, or a negative minor, is no device: open
        // would refuse it, and fsck rightly calls an image holding one broken.
        if (major < 1 || major >= Param.NDEV || minor < 0) return -1;
        k.log.beginOp(p);
        try {
            Inode ip = create(p, path, Fs.T_DEVICE, major, minor);
            if (ip == null) return -1;
            k.itable.iunlockput(p, ip);
            return 0;
        } finally {
            k.log.endOp(p);
        }
    }

    long chdir(Proc p) {
        String path = argPath(p, 0);
        if (path == null) return -1;
        k.log.beginOp(p);
        try {
            Inode ip = k.namei.namei(p, path);
            if (ip == null) return -1;
            k.itable.ilock(p, ip);
            if (ip.type != Fs.T_DIR) {
                k.itable.iunlockput(p, ip);
                return -1;
            }
            k.itable.iunlock(p, ip);
            k.itable.iput(p, p.cwd);
            p.cwd = ip;
            return 0;
        } finally {
            k.log.endOp(p);
        }
    }

    long exec(Proc p) {
        String path = argPath(p, 0);
        if (path == null) return -1;
        long uargv = Syscall.argAddr(p, 1);
        String[] argv = new String[Param.MAXARG];
        int argc = 0;
        for (;; argc++) {
            if (argc >= Param.MAXARG) return -1;
            Long uarg = k.vm.copyIn64(p, uargv + 8L * argc);
            if (uarg == null) return -1;
            if (uarg == 0) break;
            argv[argc] = k.vm.copyInStr(p, uarg, Riscv.PGSIZE);
            if (argv[argc] == null) return -1;
        }
        return k.exec.exec(p, path, java.util.Arrays.copyOf(argv, argc));
    }

    long pipe(Proc p) {
        long fdarray = Syscall.argAddr(p, 0);
        File[] ends = Pipe.alloc(k);
        if (ends == null) return -1;
        int fd0 = fdAlloc(p, ends[0]);
        int fd1 = fd0 < 0 ? -1 : fdAlloc(p, ends[1]);
        if (fd0 < 0 || fd1 < 0) {
            if (fd0 >= 0) p.ofile[fd0] = null;
            k.files.fileClose(p, ends[0]);
            k.files.fileClose(p, ends[1]);
            return -1;
        }
        byte[] out = {(byte) fd0, (byte) (fd0 >> 8), (byte) (fd0 >> 16), (byte) (fd0 >> 24),
                (byte) fd1, (byte) (fd1 >> 8), (byte) (fd1 >> 16), (byte) (fd1 >> 24)};
        if (!k.vm.copyOut(p, fdarray, out, 0, 8)) {
            p.ofile[fd0] = null;
            p.ofile[fd1] = null;
            k.files.fileClose(p, ends[0]);
            k.files.fileClose(p, ends[1]);
            return -1;
        }
        return 0;
    }
}
