// forktest: fork until the process table is full, then wait for every child.
// The kernel must refuse a fork before it runs out of its NPROC slots, and wait must
// then account for exactly the children that were made.
//
// forktest bomb [churn|orphans|daemons]: a fork bomb, what an outsider tries first, never ending
// by itself. Every process forks for ever, and so does every child, until the table is
// full; one ^C at the shell ends them all (ForkBombTest).
//   churn    half the children exit at once (their parents reap them when the table is
//            full), so slots keep coming free and some fork is always under way
//   orphans  every process forks twice (trying until each fork succeeds) and exits, so
//            each of its children is init's by the time it forks in turn: shaped as a
//            background command is, and with the table full the shell cannot start
//            `kill`; only the shell's process group, which every process inherits, lets
//            ^C reach it (docs/design.md, ^C)
//   daemons  as orphans, but every process first leaves for a group of its own
//            (setpgid(0,0)), as a Unix daemon does: out of ^C's reach on both kernels;
//            only the console monitor's killall ends it (MonitorKillTest)
#include "user.h"

#define N 1000

static void bomb(char *how) {
    int churn = how && strcmp(how, "churn") == 0;
    int daemons = how && strcmp(how, "daemons") == 0;
    int orphans = daemons || (how && strcmp(how, "orphans") == 0);
    printf("fork bomb\n");
    for (;;) {
        int pid;
        if (daemons) setpgid(0, 0);
        if (orphans) {
            while ((pid = fork()) < 0)
                ;
            if (pid == 0) continue;     // the child starts over
            while ((pid = fork()) < 0)
                ;
            if (pid == 0) continue;
            exit(0);
        }
        pid = fork();
        if (churn) {
            if (pid == 0 && getpid() % 2) exit(0);
            if (pid < 0) wait(0);
        }
    }
}

int main(int argc, char **argv) {
    // A mistyped mode must not start a bomb of another kind (or the plain test) instead.
    int bombing = argc > 1 && strcmp(argv[1], "bomb") == 0;
    if ((argc > 1 && !bombing) || argc > 3 ||
        (argc == 3 && strcmp(argv[2], "churn") != 0 && strcmp(argv[2], "orphans") != 0 && strcmp(argv[2], "daemons") != 0)) {
        fprintf(2, "usage: forktest [bomb [churn|orphans|daemons]]\n");
        exit(1);
    }
    if (bombing) bomb(argv[2]);
    printf("fork test\n");
    int n;
    for (n = 0; n < N; n++) {
        int pid = fork();
        if (pid < 0) break;
        if (pid == 0) exit(0);      // a zombie holds its slot until waited for
    }
    if (n == N) {
        printf("fork claimed to work %d times!\n", N);
        exit(1);
    }
    if (n == 0 || n >= NPROC) {
        printf("fork test: %d forks succeeded, expected between 1 and %d\n", n, NPROC - 1);
        exit(1);
    }
    for (; n > 0; n--) {
        if (wait(0) < 0) {
            printf("wait stopped early\n");
            exit(1);
        }
    }
    if (wait(0) != -1) {
        printf("wait got too many\n");
        exit(1);
    }
    printf("fork test OK\n");
    exit(0);
}
