// orphans [N [ROUNDS]]: can init keep up with orphans? N times (200 by default), fork a
// child that forks a grandchild and exits at once. The grandchild, now init's, exits at
// once too, and only init can free its process slot; this process waits for its own
// child only. If init does not get to run while the loop goes on, the process table
// fills with init's zombies (NPROC is 64) and fork fails. A fork that fails is counted,
// in the loop or in a child, never retried.
#include "user.h"

static int round_of(int n) {
    int failed = 0;
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0) {
            failed++;
            continue;
        }
        if (pid == 0) {
            int grandchild = fork();
            if (grandchild == 0) exit(0);
            exit(grandchild < 0);   // tell the parent the grandchild's fork failed
        }
        int status = -1;
        if (wait(&status) != pid) {
            printf("orphans: wait did not return the child\n");
            exit(1);
        }
        failed += status != 0;
    }
    return failed;
}

int main(int argc, char *argv[]) {
    int n = argc > 1 ? atoi(argv[1]) : 200;
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    if (n <= 0 || rounds <= 0) {
        printf("usage: orphans [N [ROUNDS]]\n");
        exit(1);
    }
    int bad = 0;
    for (int r = 0; r < rounds; r++) {
        int failed = round_of(n);
        if (failed) {
            printf("orphans: round %d: %d of %d forks failed\n", r, failed, 2 * n);
            bad++;
        }
    }
    if (bad) {
        printf("orphans: %d of %d rounds failed\n", bad, rounds);
        exit(1);
    }
    printf("orphans OK\n");
    exit(0);
}
