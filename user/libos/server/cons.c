// The console's input, shared by every process: one line discipline (lib/linedisc.c),
// fed from the exokernel's raw console when a process asks for input. The server's own
// thread only announces that keys have arrived (boot.c); reading them here, during a
// call, keeps the line buffer free of races. So typed keys are echoed when someone reads
// the console, which in practice is at once: the shell is always reading.
#include "sproc.h"
#include "../lib/linedisc.h"

static struct linedisc ld;

static void echo(void *arg, const char *s, int n) {
    exo_cons_write(SRV_CONS, s, n);
}

long cons_read(int slot, int fd, int n) {
    struct file *f = fdfile(&procs[slot].fs, fd);
    if (f == 0 || f->type != F_DEVICE || f->major != CONSOLE || !f->readable || n < 0) return -1;
    if (n > IPC_DATA_SIZE) n = IPC_DATA_SIZE;
    char keys[64];
    long k;
    while ((k = exo_cons_read(SRV_CONS, keys, sizeof keys)) > 0) {
        for (long i = 0; i < k; i++) {
            if (ld_input(&ld, (uchar)keys[i], echo, 0) == LD_PROCDUMP) proc_dump();
        }
    }
    int r = ld_read(&ld, proc_data(slot), n);
    return r < 0 ? SRV_AGAIN : r;
}
