// File descriptors. The file server holds each process's descriptor table, its open
// files and their offsets (which is what makes offsets shared after fork and dup, and an
// unlinked file readable until its last close); the LibOS keeps a copy of each
// descriptor's type (uproc->fd), so that it can move pipe data and console output
// without asking the server. Every call here that changes descriptors updates the copy
// from the server's reply.
//
// Paths and the program's buffers are copied with checked copies: a bad pointer makes
// the call fail with -1, as on xv6, and never reaches the server.
#include "libos.h"

struct fdinfo *fdget(int fd) {
    if (fd < 0 || fd >= LIBOS_NOFILE || UPROC->fd[fd].type == FD_NONE) return 0;
    return &UPROC->fd[fd];
}

void fdinfo_set(int fd, const exo_u64 *out) {
    struct fdinfo *f = &UPROC->fd[fd];
    f->type = (uchar)out[1];
    f->readable = (uchar)(out[1] >> 8);
    f->writable = (uchar)(out[1] >> 16);
    f->major = (short)out[2];
    f->pipe = (short)out[3];
}

// Copies a path argument into the IPC page (slot i). 0, or -1 if it is a bad address or
// longer than MAXPATH.
static int argpath(int i, const char *path) {
    return strcopy_checked(IPC->path[i], path, SRV_MAXPATH) < 0 ? -1 : 0;
}

int open(const char *path, int flags) {
    libos_enter();
    if (argpath(0, path) < 0) return libos_leave(-1);
    exo_u64 out[6];
    long fd = srv(SRV_OPEN, flags, 0, 0, out);
    if (fd >= 0) fdinfo_set((int)fd, out);
    return libos_leave(fd);
}

int close(int fd) {
    libos_enter();
    if (fdget(fd) == 0) return libos_leave(-1);
    long r = srv(SRV_CLOSE, fd, 0, 0, 0);
    if (r == 0) UPROC->fd[fd].type = FD_NONE;
    return libos_leave(r);
}

int dup(int fd) {
    libos_enter();
    if (fdget(fd) == 0) return libos_leave(-1);
    long nfd = srv(SRV_DUP, fd, 0, 0, 0);
    if (nfd >= 0) UPROC->fd[nfd] = UPROC->fd[fd];
    return libos_leave(nfd);
}

// Reads a file through the server, a page at a time: each piece is read into the IPC
// page, then copied out. A short piece is the end of the file.
static int file_read(int fd, char *buf, int n) {
    int got = 0;
    do {
        int chunk = n - got < IPC_DATA_SIZE ? n - got : IPC_DATA_SIZE;
        long r = srv(SRV_READ, fd, chunk, 0, 0);
        if (r < 0) return got > 0 ? got : -1;
        if (r > 0 && copy_checked(buf + got, IPC_DATA, r) < 0) return -1;
        got += r;
        if (r < chunk) break;
    } while (got < n);
    return got;
}

// Writes a file through the server, a page at a time. All or -1, as xv6's filewrite.
static int file_write(int fd, const char *buf, int n) {
    int done = 0;
    while (done < n) {
        int chunk = n - done < IPC_DATA_SIZE ? n - done : IPC_DATA_SIZE;
        if (copy_checked(IPC_DATA, buf + done, chunk) < 0) return -1;
        long r = srv(SRV_WRITE, fd, chunk, 0, 0);
        if (r != chunk) return -1;
        done += chunk;
    }
    return n;
}

int read(int fd, void *buf, int n) {
    libos_enter();
    struct fdinfo *f = fdget(fd);
    if (f == 0 || !f->readable || n < 0) return libos_leave(-1);
    long r = -1;
    switch (f->type) {
    case FD_PIPE: r = pipe_read(f->pipe, buf, n); break;
    case FD_DEVICE: r = f->major == CONSOLE ? console_read(fd, buf, n) : -1; break;
    case FD_INODE: r = file_read(fd, buf, n); break;
    }
    return libos_leave(r);
}

int write(int fd, const void *buf, int n) {
    libos_enter();
    struct fdinfo *f = fdget(fd);
    if (f == 0 || !f->writable || n < 0) return libos_leave(-1);
    long r = -1;
    switch (f->type) {
    case FD_PIPE: r = pipe_write(f->pipe, buf, n); break;
    case FD_DEVICE: r = f->major == CONSOLE ? console_write(buf, n) : -1; break;
    case FD_INODE: r = file_write(fd, buf, n); break;
    }
    return libos_leave(r);
}

int fstat(int fd, struct stat *st) {
    libos_enter();
    if (fdget(fd) == 0) return libos_leave(-1);
    long r = srv(SRV_FSTAT, fd, 0, 0, 0);
    if (r == 0 && copy_checked(st, IPC->st, sizeof *st) < 0) r = -1;
    return libos_leave(r);
}

int pipe(int *fds) {
    libos_enter();
    int pair[2];
    // Can we write the answer? Then make the pipe; if writing fails after all, undo it.
    if (copy_checked(fds, fds, sizeof pair) < 0) return libos_leave(-1);
    exo_u64 out[6];
    if (srv(SRV_PIPE, 0, 0, 0, out) < 0) return libos_leave(-1);
    pair[0] = (int)out[1];
    pair[1] = (int)out[2];
    struct fdinfo end = {FD_PIPE, 1, 0, 0, 0, (short)out[3]};
    UPROC->fd[pair[0]] = end;
    end.readable = 0;
    end.writable = 1;
    UPROC->fd[pair[1]] = end;
    if (copy_checked(fds, pair, sizeof pair) < 0) {
        for (int i = 0; i < 2; i++) {
            srv(SRV_CLOSE, pair[i], 0, 0, 0);
            UPROC->fd[pair[i]].type = FD_NONE;
        }
        return libos_leave(-1);
    }
    return libos_leave(0);
}

// The path calls: one path (or two) into the IPC page, one call.
static int pathcall(int op, const char *a, const char *b, long x, long y) {
    libos_enter();
    if (argpath(0, a) < 0 || (b != 0 && argpath(1, b) < 0)) return libos_leave(-1);
    return libos_leave(srv(op, x, y, 0, 0));
}

int link(const char *old, const char *new) {
    return pathcall(SRV_LINK, old, new, 0, 0);
}

int unlink(const char *path) {
    return pathcall(SRV_UNLINK, path, 0, 0, 0);
}

int mkdir(const char *path) {
    return pathcall(SRV_MKDIR, path, 0, 0, 0);
}

int mknod(const char *path, short major, short minor) {
    return pathcall(SRV_MKNOD, path, 0, major, minor);
}

int chdir(const char *path) {
    return pathcall(SRV_CHDIR, path, 0, 0, 0);
}
