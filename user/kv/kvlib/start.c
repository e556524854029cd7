// kv's start: exec'd by the standard LibOS, which left kv's pages mapped through kv's
// own capabilities and described them in the hand-off (libos/uproc.h). kvlib only needs
// the handles it gives (memory, the server, the console, the clock) and its upcall stack;
// the software page table it ignores from here on: kvlib manages memory without one.
#include "kvlib.h"
#include "libos/entry.h"

// _start, the standard LibOS's own (libos/entry.h): exec'd, kv_start then main and
// kv_exit; from the boot loader, kv_booted.
LIBOS_ENTRY(kv_start, kv_exit, kv_booted)

void kv_start(void) {
    UPROC->envid = (int)exo_envid();
    UPROC->exiting = 0;
    kv_upcalls();
}

// Started by the boot loader: there is no file server, so no block range to be had. The
// message names the program, for kvlib serves other LibOSes than kv's (pager's).
void kv_booted(int argc, char **argv);
void kv_booted(int argc, char **argv) {
    const char *name = argc > 0 ? argv[0] : "this program";
    char msg[128];
    int n = lo_snprintf(msg, sizeof msg, "%s: needs the file server: run it from the shell, not as the first program\n", name);
    exo_cons_write(EXO_BOOT_CONSOLE, msg, n);
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)1L);
}
