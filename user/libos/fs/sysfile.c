// The file-system calls, on behalf of a process (struct fsproc: its current directory
// and its descriptors). Paths arrive checked and NUL-terminated; every change to the
// disk happens inside one operation, committed when the server replies.
#include "fs.h"

struct file *fdfile(struct fsproc *p, int fd) {
    if (fd < 0 || fd >= NOFILE) return 0;
    return p->ofile[fd];
}

// Gives f the lowest free descriptor of p; -1 if there is none.
int fdalloc(struct fsproc *p, struct file *f) {
    for (int fd = 0; fd < NOFILE; fd++) {
        if (p->ofile[fd] == 0) {
            p->ofile[fd] = f;
            return fd;
        }
    }
    return -1;
}

void fs_procinit(struct fsproc *p) {
    p->cwd = iget(ROOTINO);
    for (int fd = 0; fd < NOFILE; fd++) p->ofile[fd] = 0;
    p->acct = -1;
}

void fs_procfork(struct fsproc *parent, struct fsproc *child) {
    for (int fd = 0; fd < NOFILE; fd++) child->ofile[fd] = parent->ofile[fd] ? filedup(parent->ofile[fd]) : 0;
    child->cwd = idup(parent->cwd);
    child->acct = -1;   // the caller's to set
}

// Closes every descriptor and lets go of the current directory.
void fs_procexit(struct fsproc *p) {
    for (int fd = 0; fd < NOFILE; fd++) {
        if (p->ofile[fd]) {
            struct file *f = p->ofile[fd];
            p->ofile[fd] = 0;
            fileclose(f);
        }
    }
    if (p->cwd) {
        begin_op();
        iput(p->cwd);
        end_op();
        p->cwd = 0;
    }
}

int fs_close(struct fsproc *p, int fd) {
    struct file *f = fdfile(p, fd);
    if (f == 0) return -1;
    p->ofile[fd] = 0;
    fileclose(f);
    return 0;
}

int fs_dup(struct fsproc *p, int fd) {
    struct file *f = fdfile(p, fd);
    if (f == 0) return -1;
    int nfd = fdalloc(p, f);
    if (nfd < 0) return -1;
    filedup(f);
    return nfd;
}

int fs_read(struct fsproc *p, int fd, uchar *dst, int n) {
    struct file *f = fdfile(p, fd);
    if (f == 0) return -1;
    return fileread(f, dst, n);
}

int fs_write(struct fsproc *p, int fd, const uchar *src, int n) {
    struct file *f = fdfile(p, fd);
    if (f == 0) return -1;
    return filewrite(f, src, n);
}

int fs_fstat(struct fsproc *p, int fd, struct stat *st) {
    struct file *f = fdfile(p, fd);
    if (f == 0) return -1;
    return filestat(f, st);
}

// Makes path a new link to the inode of old. Directories cannot be linked.
int fs_link(struct fsproc *p, const char *old, const char *new) {
    begin_op();
    struct inode *ip = namei(p->cwd, old);
    if (ip == 0) {
        end_op();
        return -1;
    }
    ilock(ip);
    // nlink is 16 bits on the disk: one link more than it holds would wrap it negative,
    // and the next unlink would find an inode with no links.
    if (ip->type == T_DIR || ip->nlink == 32767) {
        iunlockput(ip);
        end_op();
        return -1;
    }
    ip->nlink++;
    iupdate(ip);
    iunlock(ip);

    char name[DIRSIZ + 1];
    struct inode *dp = nameiparent(p->cwd, new, name);
    if (dp != 0) {
        ilock(dp);
        if (dirlink(dp, name, ip->inum) == 0) {
            iunlockput(dp);
            iput(ip);
            end_op();
            return 0;
        }
        iunlockput(dp);
    }
    // Undo the link count.
    ilock(ip);
    ip->nlink--;
    iupdate(ip);
    iunlockput(ip);
    end_op();
    return -1;
}

static uint sealed[NSEALED];
static int nsealed;

int fs_seal(uint inum) {
    if (fs_sealed(inum)) return 0;
    if (nsealed == NSEALED) return -1;
    sealed[nsealed++] = inum;
    return 0;
}

int fs_sealed(uint inum) {
    if (nsealed < 0 || nsealed > NSEALED) fs_panic("nsealed clobbered");
    for (int i = 0; i < nsealed; i++) {
        if (sealed[i] == inum) return 1;
    }
    return 0;
}

int fs_unlink(struct fsproc *p, const char *path) {
    char name[DIRSIZ + 1];
    begin_op();
    struct inode *dp = nameiparent(p->cwd, path, name);
    if (dp == 0) {
        end_op();
        return -1;
    }
    ilock(dp);
    uint off;
    struct inode *ip;
    // "." and ".." cannot be unlinked.
    if (namecmp(name, ".") == 0 || namecmp(name, "..") == 0 || (ip = dirlookup(dp, name, &off)) == 0) {
        iunlockput(dp);
        end_op();
        return -1;
    }
    ilock(ip);
    if (ip->nlink < 1) fs_panic("unlink: inode without links");
    if ((ip->type == T_DIR && !isdirempty(ip)) || fs_sealed(ip->inum)) {
        iunlockput(ip);
        iunlockput(dp);
        end_op();
        return -1;
    }
    struct dirent de;
    for (uint i = 0; i < sizeof de; i++) ((char *)&de)[i] = 0;
    if (writei(dp, (uchar *)&de, off, sizeof de) != sizeof de) fs_panic("unlink: cannot clear the entry");
    if (ip->type == T_DIR) {
        dp->nlink--;    // the child's ".." no longer names dp
        iupdate(dp);
    }
    iunlockput(dp);
    ip->nlink--;
    iupdate(ip);
    iunlockput(ip);
    end_op();
    return 0;
}

// Makes path a new inode of the given type and returns it locked; or, for T_FILE, returns
// an existing file or device of that name. 0 on failure. Inside an operation.
static struct inode *create(struct fsproc *p, const char *path, short type, short major, short minor) {
    char name[DIRSIZ + 1];
    struct inode *dp = nameiparent(p->cwd, path, name);
    if (dp == 0) return 0;
    ilock(dp);
    struct inode *ip = dirlookup(dp, name, 0);
    if (ip != 0) {
        iunlockput(dp);
        ilock(ip);
        if (type == T_FILE && (ip->type == T_FILE || ip->type == T_DEVICE)) return ip;
        iunlockput(ip);
        return 0;
    }
    ip = ialloc(type);
    if (ip == 0) {
        iunlockput(dp);
        return 0;
    }
    ilock(ip);
    ip->major = major;
    ip->minor = minor;
    ip->nlink = 1;
    iupdate(ip);
    int ok = 1;
    if (type == T_DIR) {
        // No nlink++ for ".": that would be a cycle in the reference counts.
        ok = dirlink(ip, ".", ip->inum) == 0 && dirlink(ip, "..", dp->inum) == 0;
    }
    if (ok) ok = dirlink(dp, name, ip->inum) == 0;
    if (!ok) {
        // Give the inode back: with no links, iput frees it.
        ip->nlink = 0;
        iupdate(ip);
        iunlockput(ip);
        iunlockput(dp);
        return 0;
    }
    if (type == T_DIR) {
        dp->nlink++;    // the new ".."
        iupdate(dp);
    }
    iunlockput(dp);
    return ip;
}

int fs_open(struct fsproc *p, const char *path, int omode) {
    struct inode *ip;
    begin_op();
    if (omode & O_CREATE) {
        ip = create(p, path, T_FILE, 0, 0);
        if (ip == 0) {
            end_op();
            return -1;
        }
    } else {
        ip = namei(p->cwd, path);
        if (ip == 0) {
            end_op();
            return -1;
        }
        ilock(ip);
        if (ip->type == T_DIR && omode != O_RDONLY) {
            iunlockput(ip);
            end_op();
            return -1;
        }
    }
    int writes = (omode & (O_WRONLY | O_RDWR | O_TRUNC)) != 0;
    if ((ip->type == T_DEVICE && (ip->major < 0 || ip->major >= NDEV)) || (writes && fs_sealed(ip->inum))) {
        iunlockput(ip);
        end_op();
        return -1;
    }
    struct file *f = filealloc(p->acct);
    int fd = f == 0 ? -1 : fdalloc(p, f);
    if (fd < 0) {
        if (f) fileclose(f);
        iunlockput(ip);
        end_op();
        return -1;
    }
    if (ip->type == T_DEVICE) {
        f->type = F_DEVICE;
        f->major = ip->major;
    } else {
        f->type = F_INODE;
        f->off = 0;
    }
    f->ip = ip;
    f->readable = !(omode & O_WRONLY);
    f->writable = (omode & O_WRONLY) || (omode & O_RDWR);
    if ((omode & O_TRUNC) && ip->type == T_FILE) itrunc(ip);
    iunlock(ip);
    end_op();
    return fd;
}

int fs_mkdir(struct fsproc *p, const char *path) {
    begin_op();
    struct inode *ip = create(p, path, T_DIR, 0, 0);
    if (ip == 0) {
        end_op();
        return -1;
    }
    iunlockput(ip);
    end_op();
    return 0;
}

int fs_mknod(struct fsproc *p, const char *path, short major, short minor) {
    // A node for a major no driver can have, or a negative minor, is no device: open
    // would refuse it, and fsck rightly calls an image holding one broken.
    if (major < 1 || major >= NDEV || minor < 0) return -1;
    begin_op();
    struct inode *ip = create(p, path, T_DEVICE, major, minor);
    if (ip == 0) {
        end_op();
        return -1;
    }
    iunlockput(ip);
    end_op();
    return 0;
}

int fs_chdir(struct fsproc *p, const char *path) {
    begin_op();
    struct inode *ip = namei(p->cwd, path);
    if (ip == 0) {
        end_op();
        return -1;
    }
    ilock(ip);
    if (ip->type != T_DIR) {
        iunlockput(ip);
        end_op();
        return -1;
    }
    iunlock(ip);
    iput(p->cwd);
    p->cwd = ip;
    end_op();
    return 0;
}
