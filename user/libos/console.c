// The console, the client's side. Output goes straight to the console capability. Input
// is line-edited by the file server, which holds the one line buffer every process reads
// from (as the xv6 kernel's console driver does): a read asks it for a line, and while
// there is none, blocks until keys arrive (EV_CONSOLE, pending while input waits) or a
// revocation notice says the process was killed.
#include "libos.h"

// kernel-exo writes at most EXO_CONS_MAX bytes a call: a long write is many, and a kill
// ends it between two (xv6's consolewrite stops at a bad address too, with what it wrote).
int console_write(const char *buf, int n) {
    int done = 0;
    while (done < n) {
        long m = n - done < EXO_CONS_MAX ? n - done : EXO_CONS_MAX;
        lazy_touch(buf + done, m);
        long r = exo_cons_write(UPROC->h_cons, buf + done, m);
        if (r < 0) return done > 0 ? done : -1;
        done += (int)r;
        if (UPROC->h_srv >= 0 && IPC->killed && done < n) break;
    }
    return done;
}

// Running bare there is no server: read raw input as it comes.
static int bare_read(char *buf, int n) {
    lazy_touch(buf, n);
    for (;;) {
        long r = exo_cons_read(UPROC->h_cons, buf, n);
        if (r != E_AGAIN) return r < 0 ? -1 : (int)r;
        exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);
    }
}

int console_read(int fd, char *buf, int n) {
    if (UPROC->h_srv < 0) return bare_read(buf, n);
    if (n > IPC_DATA_SIZE) n = IPC_DATA_SIZE;
    for (;;) {
        long r = srv(SRV_CONSREAD, fd, n, 0, 0);
        if (r != SRV_AGAIN) {
            if (r > 0 && copy_checked(buf, IPC_DATA, r) < 0) return -1;
            return (int)r;
        }
        if (IPC->killed) return -1;
        // The server has taken every key that was there: EV_CONSOLE is now pending only
        // if more came since, so this cannot sleep through a key.
        exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_NOTICE, 0);
    }
}
