// execgrip: does exec's steps by hand and tries to keep a hold on the new environment, to
// stop or destroy it later, in the middle of a call to the file server (issue 9, finding
// 2). The server gives the builder R|W on the new environment, to build it, and takes that
// back (with every copy derived from it) before it starts it; and the commit destroys the
// builder's own environment, in the middle of the commit call. So nothing of ours
// outlives the commit, and the new program runs untouched. (Nor could an accomplice run:
// a process's CPU capability cannot be granted.)
#include "libos/libos.h"

static long exec_read(void *ctx, uint64 off, void *dst, long n) {
    long r = srv(SRV_EXEC_READ, (long)off, n, 0, 0);
    if (r > 0) lo_memmove(dst, IPC_DATA, r);
    return r;
}

int main(void) {
    lo_strlcpy(IPC->path[0], "/echo", SRV_MAXPATH);
    exo_u64 out[6];
    if (srv(SRV_EXEC_OPEN, 0, 0, 0, 0) != 0 || srv(SRV_EXEC_ENV, 0, 0, 0, out) != 0) {
        printf("execgrip: FAIL no exec\n");
        exit(1);
    }
    int env = (int)out[1];
    struct exo_capinfo ci;
    capinfo(env, &ci);
    printf("execgrip: our hold on the new environment: rights %s\n", ci.rights == (CAP_R | CAP_W) ? "R|W" : "OTHER");
    long copy = capgrant(env, EXO_SELF, CAP_W, 0, 0, 0);         // a copy, to keep after the commit
    printf("execgrip: a copy with GRANT: %s; a CPU for an accomplice: %s\n",
           capgrant(env, EXO_SELF, CAP_W | CAP_GRANT, 0, 0, 0) == E_RIGHTS ? "refused" : "GIVEN",
           capgrant(UPROC->h_cpu, EXO_SELF, CAP_X, 0, 0, 0) == E_RIGHTS ? "refused" : "GIVEN");
    static char *argv[] = {"echo", "execgrip: the new program runs untouched", 0};
    struct image_src src = {exec_read, 0};
    if (image_build(env, UPROC->h_mem, &process_handles, &src, argv, UPROC->pid, UPROC->fd, "echo") < 0) {
        printf("execgrip: FAIL cannot build\n");
        exit(1);
    }
    image_release();
    build_release();
    lo_strlcpy(IPC->path[0], "echo", SRV_MAXPATH);
    printf("execgrip: committing\n");
    srv(SRV_EXEC_COMMIT, 0, 0, 0, 0);
    // Only if the commit left us alive: try to take the new program down.
    for (int i = 0; i < 1000; i++) {
        if (env_ctl((int)copy, ENV_STOP, 0) == 0 || env_ctl(env, ENV_DESTROY, (void *)-1L) == 0) {
            printf("execgrip: FAIL stopped or destroyed the new program\n");
            exit(1);
        }
        exosched(EXOSCHED_YIELD, 0, 0);
    }
    printf("execgrip: FAIL still running after the commit\n");
    exit(1);
}
