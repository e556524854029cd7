// forkbomb: what an outsider tries first. Every process forks for ever, and so does every
// child, until the process table is full; one ^C at the shell ends them all (ForkBombTest).
//
//   forkbomb          every process forks in a loop and stays
//   forkbomb churn    as the first, but half the children exit at once (their parents
//                     reap them), so some process is always in the middle of a fork
//   forkbomb orphans  every process forks twice (trying until each fork succeeds) and
//                     exits, so each of its children is init's by the time it forks in turn:
//                     shaped as a background command is, it is out of ^C's reach, and with
//                     the table full the shell cannot start `kill` (docs/design.md, ^C)
#include "user.h"

int main(int argc, char **argv) {
    int orphans = argc > 1 && strcmp(argv[1], "orphans") == 0;
    int churn = argc > 1 && strcmp(argv[1], "churn") == 0;
    printf("forkbomb: forking\n");
    for (;;) {
        if (orphans) {
            int pid;
            while ((pid = fork()) < 0)
                ;
            if (pid == 0) continue;     // the child starts over
            while ((pid = fork()) < 0)
                ;
            if (pid == 0) continue;
            exit(0);
        }
        int pid = fork();
        if (churn) {
            // Half the children exit at once and their parent reaps them when the table
            // is full, so slots keep coming free and forks are always under way.
            if (pid == 0 && getpid() % 2) exit(0);
            if (pid < 0) wait(0);
        }
    }
}
