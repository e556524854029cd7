// kvsteal: tries to get kv's disk blocks without being kv, every way a process could.
//   1. Build an environment under /kv's name with code of its own: ask the file server to
//      exec /kv, but load kvsteal's image instead of kv's (issue 9, finding 1).
//   2. Change the code that gets kv's blocks, or the table that gives them: write to /kv,
//      truncate it, unlink it; write /storage.
// It prints what it got; "kvsteal: passed" when every way was refused.
#include "libos/libos.h"

static int fd = -1;

static long read_self(void *ctx, uint64 off, void *dst, long n) {
    uchar *buf = dst;
    long done = 0;
    while (done < n) {
        // The data page is the server's window on us: read a bounded piece at a time.
        long r = srv(SRV_READ, fd, n - done, 0, 0);
        if (r <= 0) break;
        lo_memmove(buf + done, IPC_DATA, r);
        done += r;
    }
    return done;
}

static int seek_to(uint64 off) {
    // No lseek in xv6: reopen and read up to off.
    close(fd);
    fd = open("/kvsteal", O_RDONLY);
    static char skip[512];
    while (off > 0) {
        long n = off < sizeof skip ? (long)off : (long)sizeof skip;
        if (read(fd, skip, (int)n) != n) return -1;
        off -= n;
    }
    return 0;
}

static long read_at(void *ctx, uint64 off, void *dst, long n) {
    if (seek_to(off) < 0) return -1;
    return read_self(ctx, off, dst, n);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        // Running in the environment built under /kv's name: did the server give us kv's blocks?
        printf("kvsteal: running as /kv with our own code; storage handle %d: %s\n", UPROC->h_storage,
               UPROC->h_storage >= 0 ? "GOT kv's blocks" : "none");
        exit(UPROC->h_storage >= 0);
    }
    int bad = 0;

    // 1. Our code under kv's name.
    lo_strlcpy(IPC->path[0], "/kv", SRV_MAXPATH);
    long opened = srv(SRV_EXEC_OPEN, 0, 0, 0, 0);
    exo_u64 out[6];
    long built = opened < 0 ? -1 : srv(SRV_EXEC_ENV, 0, 0, 0, out);
    if (built >= 0) {
        printf("kvsteal: FAIL the server let us build /kv's environment\n");
        int env = (int)out[1];
        fd = open("/kvsteal", O_RDONLY);
        static char *cargv[] = {"kv", "child", 0};
        struct image_src src = {read_at, 0};
        if (image_build(env, UPROC->h_mem, &process_handles, &src, cargv, UPROC->pid, UPROC->fd, "kv") == 0) {
            image_release();
            build_release();
            lo_strlcpy(IPC->path[0], "kv", SRV_MAXPATH);
            srv(SRV_EXEC_COMMIT, 0, 0, 0, 0);   // we become "kv": main above runs, as the child
        }
        exit(1);
    }
    printf("kvsteal: the server refuses to let a process build /kv's environment\n");
    srv(SRV_EXEC_ABORT, 0, 0, 0, 0);

    // 2. kv's code changed.
    int w = open("/kv", O_WRONLY);
    int t = open("/kv", O_RDWR | O_TRUNC);
    int c = open("/kv", O_CREATE | O_WRONLY);
    int u = unlink("/kv");
    int s = open("/storage", O_WRONLY);
    if (w >= 0 || t >= 0 || c >= 0 || u == 0 || s >= 0) {
        bad++;
        printf("kvsteal: FAIL kv's program or the storage table can be changed (%d %d %d %d %d)\n", w, t, c, u, s);
    } else {
        printf("kvsteal: /kv and /storage cannot be written, truncated or unlinked\n");
    }
    printf("kvsteal: /kv can still be read: %s\n", open("/kv", O_RDONLY) >= 0 ? "yes" : "no");

    printf(bad ? "kvsteal: FAILED\n" : "kvsteal: passed\n");
    exit(bad != 0);
}
