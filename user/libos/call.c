// What every call of the xv6 API goes through: the kill check on the way in and out,
// the protected control transfer to the file server, and the LibOS's own messages.
#include "libos.h"

void libos_enter(void) {
    if (IPC->killed && !UPROC->exiting) exit(-1);
    UPROC->depth++;
}

long libos_leave(long r) {
    UPROC->depth--;
    if (IPC->killed && !UPROC->exiting) exit(-1);
    return r;
}

long srv(int op, long a1, long a2, long a3, exo_u64 *out) {
    exo_u64 args[6] = {(exo_u64)op, (exo_u64)a1, (exo_u64)a2, (exo_u64)a3, 0, 0};
    exo_u64 tmp[6];
    if (out == 0) out = tmp;
    if (UPROC->h_srv < 0) return -1;    // running bare: there is no server
    long r = pct_call(UPROC->h_srv, args, out);     // the transfer's status; the result is out[0]
    if (r != 0) {
        // The server is gone or refuses us: nothing the LibOS can do but say so.
        libos_say("libos: pid %d: the file server refused call %d (error %ld)\n", UPROC->pid, op, r);
        return -1;
    }
    return (long)out[0];
}

static void vsay(const char *fmt, lo_va_list ap) {
    char buf[160];
    int n = lo_vsnprintf(buf, sizeof buf, fmt, ap);
    exo_cons_write(UPROC->h_cons, buf, n);
}

void libos_say(const char *fmt, ...) {
    lo_va_list ap;
    lo_va_start(ap, fmt);
    vsay(fmt, ap);
    lo_va_end(ap);
}

void libos_die(const char *fmt, ...) {
    lo_va_list ap;
    lo_va_start(ap, fmt);
    vsay(fmt, ap);
    lo_va_end(ap);
    exit(-1);
}
