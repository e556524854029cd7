// capcheck: the capability wall between the two LibOSes, from the standard side. A
// process of the standard LibOS holds no capability for any disk block: not for the file
// system's (only the file server has those), not for kv's range (only a process running
// /kv gets that). It tries to read blocks across the whole disk with every handle in its
// table, and passes if every try fails with E_BADCAP (no such handle) or E_TYPE (a handle,
// but not for disk blocks).
//
// It also asks the file server for kv's range, as kv does: the server must refuse, since
// this process is not running /kv.
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

    exo_u64 args[6] = {SRV_KVDISK, 0, 0, 0, 0, 0}, out[6];
    long r = pct_call(UPROC->h_srv, args, out);
    int granted = r == 0 && (long)out[0] == 0;
    printf("capcheck: the file server %s kv's block range to a program that is not /kv\n",
           granted ? "GAVE" : "refuses");
    bad += granted;
    printf(bad ? "capcheck: FAILED\n" : "capcheck: passed\n");
    exit(bad != 0);
}
