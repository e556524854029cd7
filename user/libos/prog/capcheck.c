// capcheck: the capability wall between the two LibOSes, from the standard side. A
// process of the standard LibOS holds no capability for any disk block: not for the file
// system's (only the file server has those), not for kv's range (only /kv gets that, from
// the server, which loads kv itself). It tries to read blocks across the whole disk with
// every handle in its table, and passes if every try fails with E_BADCAP (no such handle)
// or E_TYPE (a handle, but not for disk blocks).
//
// It also asks the file server to let it build /kv's environment itself (so that it
// could run code of its own under kv's name): the server must refuse. And it tries to put
// a capability into the file server's table, which it may only call: the exokernel must
// refuse.
#include "user.h"
#include "libos/uproc.h"
#include "libos/srvproto.h"

static const char *err(long e) {
    switch (e) {
    case E_BADCAP: return "E_BADCAP";
    case E_TYPE: return "E_TYPE";
    case E_RIGHTS: return "E_RIGHTS";
    case E_RANGE: return "E_RANGE";
    default: return e >= 0 ? "allowed" : "another error";
    }
}

int main(void) {
    long page = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
    if (page < 0) {
        printf("capcheck: no page (%ld)\n", page);
        exit(1);
    }
    // Blocks of the file system (the superblock, the log, data) and beyond it, where kv's
    // range begins (the file system's default size is FSSIZE blocks).
    static const long blocks[] = {0, 1, 2, 100, FSSIZE - 1, FSSIZE, FSSIZE + 1, FSSIZE + 500, 100000};
    int bad = 0, tries = 0;
    for (int h = 0; h < 256; h++) {
        for (int i = 0; i < (int)(sizeof blocks / sizeof blocks[0]); i++) {
            long r = exo_disk(h, blocks[i], (int)page, 0, 0);
            tries++;
            if (r != E_BADCAP && r != E_TYPE) {
                printf("capcheck: handle %d, block %ld: %s\n", h, blocks[i], err(r));
                bad++;
            }
        }
    }
    printf("capcheck: %d reads of disk blocks with every handle of this process: %d not refused\n", tries, bad);

    exo_u64 args[6] = {SRV_EXEC_OPEN, 0, 0, 0, 0, 0}, out[6];
    for (int i = 0; i < 4; i++) IPC->path[0][i] = "/kv"[i];
    long r = pct_call(UPROC->h_srv, args, out);
    long sealed = r == 0 ? (long)out[0] : -1;
    args[0] = SRV_EXEC_ENV;
    r = pct_call(UPROC->h_srv, args, out);
    int built = r == 0 && (long)out[0] == 0;
    args[0] = SRV_EXEC_ABORT;
    pct_call(UPROC->h_srv, args, out);
    printf("capcheck: the file server %s a process build /kv's environment (it loads /kv itself: %s)\n",
           built ? "LETS" : "does not let", sealed == 1 ? "yes" : "no");
    bad += built || sealed != 1;
    long g = capgrant(UPROC->h_cons, UPROC->h_srv, CAP_W, 0, 0, 0);
    printf("capcheck: a capability put into the file server's table: %s\n", g == E_RIGHTS ? "E_RIGHTS" : err(g));
    bad += g != E_RIGHTS;
    printf(bad ? "capcheck: FAILED\n" : "capcheck: passed\n");
    exit(bad != 0);
}
