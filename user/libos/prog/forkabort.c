// forkabort: asks the file server to undo the fork of a child that is already running
// (SRV_FORK_ABORT is for a child its parent could not finish building). Had the server
// done it, the child would have vanished from the process table with no zombie and no
// exit, and the children it had forked would have kept its freed slot as their parent:
// the next process to get that slot (here, a new child of ours) would adopt them, wait
// for them and reap them, though it never forked them.
// It prints what happened; "forkabort: refused" when the server would not.
#include "libos/libos.h"

int main(void) {
    int p[2];
    pipe(p);
    int c = fork();
    if (c == 0) {
        // The child: forks a grandchild that outlives it, says so, and waits a while.
        int g = fork();
        if (g == 0) {
            sleep(20);
            exit(7);
        }
        write(p[1], &g, sizeof g);
        sleep(40);
        exit(3);
    }
    int g;
    read(p[0], &g, sizeof g);
    long r = srv(SRV_FORK_ABORT, c, 0, 0, 0);
    printf("forkabort: undoing the fork of a running child: %s\n", r == 0 ? "FAIL done" : "refused");
    // A new child: does it adopt the grandchild?
    int n = fork();
    if (n == 0) {
        int status = 0;
        int got = wait(&status);
        if (got == g) printf("forkabort: FAIL a new child reaped a process it never forked (pid %d)\n", got);
        exit(0);
    }
    int status = -1;
    int got;
    int reaped_c = 0;
    while ((got = wait(&status)) >= 0) {
        if (got == c && status == 3) reaped_c = 1;
    }
    printf("forkabort: the child %s\n", reaped_c ? "ran to its end and was reaped" : "FAIL vanished");
    exit(0);
}
