// forktest: fork until the process table is full, then wait for every child.
// The kernel must refuse a fork before it runs out of its NPROC slots, and wait must
// then account for exactly the children that were made.
#include "user.h"

#define N 1000

int main(void) {
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
