// The console's input, shared by every process: one line discipline (lib/linedisc.c),
// fed from the exokernel's raw console. The server's own thread may not touch it (a call
// may be running), so keys are taken in during calls: when a process reads the console,
// and each time the interactive shell asks after its children (SRV_WAIT, which a waiting
// shell's LibOS repeats at least every tick). So typed keys are echoed at once while the
// shell is at its prompt, and within a tick while it runs a command.
//
// ^C interrupts the foreground: the processes the interactive shell waits for, its
// descendants, are killed (never the shell, never init). A shell becomes the interactive
// one with SRV_INTERACTIVE (user.h's interactive()) before each prompt, so one started
// from another takes over until it exits. xv6j's kernel does the same in its console
// driver (xv6j.kernel.ConsoleDevice).
#include "sproc.h"
#include "../lib/linedisc.h"

static struct linedisc ld;
static int shell = -1;      // the interactive shell's slot, and its pid (slots are reused)
static int shell_pid;

static void echo(void *arg, const char *s, int n) {
    exo_cons_write(SRV_CONS, s, n);
}

void cons_interactive(int slot) {
    shell = slot;
    shell_pid = procs[slot].pid;
}

int cons_is_shell(int slot) {
    return slot == shell;
}

// Kills what the interactive shell waits for; returns how many processes that was.
static int interrupt_foreground(void) {
    if (shell < 0 || procs[shell].state != P_LIVE || procs[shell].pid != shell_pid) return 0;
    int n = 0;
    for (int i = 0; i < NPROC; i++) {
        if (procs[i].state != P_LIVE && procs[i].state != P_EMBRYO) continue;
        for (int a = procs[i].parent; a >= 0; a = procs[a].parent) {
            if (a == shell) {
                proc_kill(procs[i].pid);    // refuses init; killing twice is harmless
                n++;
                break;
            }
        }
    }
    return n;
}

void cons_poll(void) {
    char keys[64];
    long k;
    while ((k = exo_cons_read(SRV_CONS, keys, sizeof keys)) > 0) {
        for (long i = 0; i < k; i++) {
            int ev = ld_input(&ld, (uchar)keys[i], echo, 0);
            if (ev == LD_PROCDUMP) proc_dump();
            else if (ev == LD_INTERRUPT) ld_interrupted(&ld, interrupt_foreground() == 0, echo, 0);
        }
    }
}

long cons_read(int slot, int fd, int n) {
    struct file *f = fdfile(&procs[slot].fs, fd);
    if (f == 0 || f->type != F_DEVICE || f->major != CONSOLE || !f->readable || n < 0) return -1;
    if (n > IPC_DATA_SIZE) n = IPC_DATA_SIZE;
    cons_poll();
    // A killed reader (^C kills one) takes nothing: what was typed goes to the next.
    if (procs[slot].killed) return -1;
    int r = ld_read(&ld, proc_data(slot), n);
    return r < 0 ? SRV_AGAIN : r;
}
