// exec: the program at path, with argv, in a new environment that becomes this process.
//
// kernel-exo cannot empty an environment and refill it while it runs, and the LibOS would
// not want it to: until the new program is complete, the old one must be able to go on
// (exec fails by returning -1). So exec builds a fresh environment beside this one (the
// file server makes it), loads the program into it (image.c), and asks the server to
// commit: the process, with its pid, parent, descriptors and current directory, is from
// then on the new environment, which the server starts; and the server destroys this one,
// in the middle of the commit call (a call survives its caller). The new one holds its
// own capabilities for all it needs; this one's hold on it was taken back before it
// started.
#include "libos.h"

static long exec_read(void *ctx, uint64 off, void *dst, long n) {
    long r = srv(SRV_EXEC_READ, (long)off, n, 0, 0);
    if (r > 0) lo_memmove(dst, IPC_DATA, r);
    return r;
}

// A program with disk storage: the server loads it itself (so that the code it gives the
// storage to is the program's own); we pass the arguments, packed into the data page:
// argc, then the strings one after another.
static int exec_sealed(char **argv, const char *name) {
    uchar *d = IPC_DATA;
    long off = sizeof(int);
    int argc = 0;
    for (;; argc++) {
        char *arg;
        if (argc >= LIBOS_MAXARG || copy_checked(&arg, &argv[argc], sizeof arg) < 0) goto fail;
        if (arg == 0) break;
        long len = strcopy_checked((char *)d + off, arg, IPC_DATA_SIZE - off);
        if (len < 0) goto fail;
        off += len + 1;
    }
    *(int *)d = argc;
    lo_strlcpy(IPC->path[0], name, SRV_MAXPATH);
    UPROC->exiting = 1;
    // If it succeeds, the server destroys this environment during the call: no return.
    srv(SRV_EXEC_SEALED, 0, 0, 0, 0);
    UPROC->exiting = 0;
fail:
    srv(SRV_EXEC_ABORT, 0, 0, 0, 0);
    return -1;
}

int exec(const char *path, char **argv) {
    libos_enter();
    if (strcopy_checked(IPC->path[0], path, SRV_MAXPATH) < 0) return libos_leave(-1);
    // The process's new name: the last element of the path.
    char name[LIBOS_NAMELEN];
    const char *last = IPC->path[0];
    for (const char *s = last; *s; s++) {
        if (*s == '/') last = s + 1;
    }
    lo_strlcpy(name, last, sizeof name);

    long how = srv(SRV_EXEC_OPEN, 0, 0, 0, 0);
    if (how < 0) return libos_leave(-1);
    if (how == 1) return libos_leave(exec_sealed(argv, name));
    exo_u64 out[6];
    if (srv(SRV_EXEC_ENV, 0, 0, 0, out) < 0) {
        srv(SRV_EXEC_ABORT, 0, 0, 0, 0);
        return libos_leave(-1);
    }
    int env = (int)out[1];
    struct image_src src = {exec_read, 0};
    if (image_build(env, UPROC->h_mem, &process_handles, &src, argv, UPROC->pid, UPROC->fd, name) < 0) goto fail;
    image_release();
    build_release();
    lo_strlcpy(IPC->path[0], name, SRV_MAXPATH);
    UPROC->exiting = 1;
    // If the commit succeeds, the server destroys this environment during the call: the
    // new one is the process. It does not return then.
    if (srv(SRV_EXEC_COMMIT, 0, 0, 0, 0) < 0) {
        UPROC->exiting = 0;
        goto fail;
    }
    for (;;) env_ctl(EXO_SELF, ENV_DESTROY, 0);
fail:
    srv(SRV_EXEC_ABORT, 0, 0, 0, 0);
    capfree(env);
    return libos_leave(-1);
}
