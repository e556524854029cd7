// exec: the program at path, with argv, in a new environment that becomes this process.
//
// kernel-exo cannot empty an environment and refill it while it runs, and the LibOS would
// not want it to: until the new program is complete, the old one must be able to go on
// (exec fails by returning -1). So the file server builds a fresh environment beside this
// one and loads the program into it (image.c, in the server: each page of the file goes
// from the server's buffer cache straight into the page the program will own), from the
// process's own memory capability; then it commits: the process, with its pid, parent,
// descriptors and current directory, is from then on the new environment, which the
// server starts; and the server destroys this one, in the middle of the call (a call
// survives its caller). Nothing of this environment's reaches the new one: it holds its
// own capabilities for all it needs, and the image is the file's.
//
// SRV_EXEC: the path in the IPC page, the arguments packed into the data page, argc, then
// the strings one after another; one call for a program of up to 64 pages, and for a
// larger one a call per piece of it, the server serving others between them
// (user/libos/server/proc.c). (The LibOS built the image itself once, reading
// the file through the server: each page was copied twice, into the IPC page and from it,
// and each read was a call. The protocol's EXEC_OPEN, EXEC_ENV, EXEC_READ and EXEC_COMMIT
// still let a process build a program by hand.)
#include "libos.h"

int exec(const char *path, char **argv) {
    libos_enter();
    if (strcopy_checked(IPC->path[0], path, SRV_MAXPATH) < 0) return libos_leave(-1);
    uchar *d = IPC_DATA;
    long off = sizeof(int);
    int argc = 0;
    for (;; argc++) {
        // As xv6: the terminating 0 must be among the first MAXARG entries. Packed, the
        // strings take less room than on the new program's one-page stack (which also
        // holds the argv array and aligns each string): the server refuses what does not
        // fit there, as xv6's exec.
        char *arg;
        if (argc >= LIBOS_MAXARG || copy_checked(&arg, &argv[argc], sizeof arg) < 0) return libos_leave(-1);
        if (arg == 0) break;
        long len = strcopy_checked((char *)d + off, arg, IPC_DATA_SIZE - off);
        if (len < 0) return libos_leave(-1);
        off += len + 1;
    }
    *(int *)d = argc;
    UPROC->exiting = 1;
    // If it succeeds, the server destroys this environment during the call that builds the
    // last piece: no return. Until then each call builds a piece (EXEC_GOING: the next at
    // once), or finds another's build first (EXEC_QUEUED: ask again after a tick, or when
    // the server's notice says it is our turn).
    int going = 0;
    for (;;) {
        exo_u64 out[6];
        long r = srv(SRV_EXEC, going, 0, 0, out);
        if (r != SRV_AGAIN || IPC->killed) break;
        going = out[1] == EXEC_GOING;
        if (!going) exosched(EXOSCHED_BLOCK, EV_TICK | EV_NOTICE, 0);
    }
    UPROC->exiting = 0;
    return libos_leave(-1);
}
