// killfork: a process killed while its fork waits for the file server gets no child. ^C
// kills a whole group in one call to the server, and a member's fork can be waiting in the
// server's queue behind that call, its LibOS's look at killed already behind it: served
// after the kill, it made a child that started unkilled, outlived its parent as init's,
// and forked on (forktest bomb, ForkBombTest). Here the process kills itself with a bare
// call, then forks past its LibOS's look (as if already exiting, which the LibOS lets
// through): the same order of the two calls at the server, every time.
#include "libos/libos.h"

int main(void) {
    int pid = fork();
    if (pid < 0) {
        printf("killfork: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        srv(SRV_KILL, UPROC->pid, 0, 0, 0);
        UPROC->exiting = 1;
        int child = fork();
        if (child == 0) {
            printf("killfork: a child of a killed process runs: FAILED\n");
            exit(0);
        }
        printf("killfork: the killed process's fork returned %d: %s\n", child, child < 0 ? "refused" : "FAILED");
        UPROC->exiting = 0;
        exit(0);    // killed: the status is -1 whatever this says
    }
    int status = 0;
    int w = wait(&status);
    sleep(2);   // a child that ran would have said so by now
    int ok = w == pid && status == -1;
    printf("killfork: the killed process exited with %d: %s\n", status, ok ? "passed" : "FAILED");
    exit(!ok);
}
