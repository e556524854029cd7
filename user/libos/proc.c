// Processes: exit, wait, kill, getpid, process groups, and time. The file server keeps the process table
// (pids, parents, exit statuses, who was killed), because it must outlive every process
// in it; the LibOS asks it, and waits for news on its IPC page's wake word.
#include "libos.h"

void exit(int status) {
    // A killed process exits with -1, whatever it asked for: it was killed first.
    if (IPC->killed) status = -1;
    UPROC->exiting = 1;
    srv(SRV_EXIT, status, 0, 0, 0);
    // The server has closed our files and made us a zombie; what is left of us goes with
    // the environment: every page and capability only we held.
    for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)status);
}

int wait(int *status) {
    libos_enter();
    // xv6 checks the status address only once it has a child to report; so does this, but
    // without taking the child: a bad address leaves it for another wait.
    if (status != 0 && copy_checked(status, status, sizeof *status) < 0) return libos_leave(-1);
    for (;;) {
        int seen = IPC->wake;
        exo_u64 out[6];
        long pid = srv(SRV_WAIT, 0, 0, 0, out);
        if (pid >= 0) {
            int st = (int)out[1];
            if (status != 0) copy_checked(status, &st, sizeof st);
            return libos_leave(pid);
        }
        if (pid != SRV_AGAIN || IPC->killed) return libos_leave(-1);
        exosched(EXOSCHED_WAIT, (long)&IPC->wake, seen);
    }
}

int kill(int pid) {
    libos_enter();
    return libos_leave(srv(SRV_KILL, pid, 0, 0, 0));
}

int interactive(void) {
    libos_enter();
    return libos_leave(srv(SRV_INTERACTIVE, 0, 0, 0, 0));
}

int setpgid(int pid, int pgid) {
    libos_enter();
    return libos_leave(srv(SRV_SETPGID, pid, pgid, 0, 0));
}

int getpgrp(void) {
    libos_enter();
    return libos_leave(srv(SRV_GETPGRP, 0, 0, 0, 0));
}

int getpid(void) {
    // The null call: one kill check, as xv6's return from a system call makes, and no
    // libos_enter/leave pair around a read that changes nothing (a kill upcall arriving in
    // between finds depth 0 and exits at once, which is what xv6 would do next anyway).
    if (IPC->killed && !UPROC->exiting) exit(-1);
    return UPROC->pid;
}

int uptime(void) {
    libos_enter();
    return libos_leave(exo_ticks(UPROC->h_clock));
}

int sleep(int n) {
    libos_enter();
    long t0 = exo_ticks(UPROC->h_clock);
    // Asleep until it returns, though each tick has it up to look at the time (pipe.c).
    IPC->asleep = 1;
    int r = 0;
    while (exo_ticks(UPROC->h_clock) - t0 < n) {
        if (IPC->killed) {
            r = -1;
            break;
        }
        exosched(EXOSCHED_BLOCK, EV_TICK | EV_NOTICE, 0);
    }
    IPC->asleep = 0;
    return libos_leave(r);
}
