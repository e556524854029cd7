// lazyfork [N]: can a process whose lazy break (sbrklazy) reaches the top of user memory,
// with only two pages of memory behind it, fork and exit as quickly as a small one? It
// grows its break lazily to MAXVA (256 GiB), touches one page at the bottom of the
// heap and the last one, then N times (1 by default) forks a child that checks both and
// exits, and waits for it; it prints the ticks all that took.
// A kernel that walks such a break page by page (2^26 pages) in fork and exit takes
// seconds to do it; one that passes over missing page-table pages takes no time.
#include "user.h"

#define MAXVA (1L << 38)
#define STEP (1 << 30)

int main(int argc, char *argv[]) {
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    if (rounds <= 0) {
        printf("usage: lazyfork [N]\n");
        exit(1);
    }
    char *base = sbrk(0);
    while ((long) sbrk(0) < MAXVA) {
        long left = MAXVA - (long) sbrk(0);
        if (sbrklazy(left < STEP ? (int) left : STEP) == (char *) -1) break;
    }
    char *top = sbrk(0);
    if (top <= base) {
        printf("lazyfork: sbrklazy did not grow\n");
        exit(1);
    }
    base[0] = 'a';
    top[-1] = 'z';
    int t0 = uptime();
    for (int i = 0; i < rounds; i++) {
        int pid = fork();
        if (pid < 0) {
            printf("lazyfork: fork failed\n");
            exit(1);
        }
        if (pid == 0) exit(base[0] == 'a' && top[-1] == 'z' ? 0 : 1);
        int status = -1;
        wait(&status);
        if (status != 0) {
            printf("lazyfork: the child did not see its parent's pages\n");
            exit(1);
        }
    }
    int t1 = uptime();
    printf("lazyfork: a break of %d MiB, %d forks and exits in %d ticks\n", (int) ((top - base) >> 20), rounds, t1 - t0);
    exit(0);
}
