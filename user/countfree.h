// countfree: how much memory a process can get, for the tests that check nothing leaks
// (usertests, sysfuzz, badexec). Include after user.h.
//
// A child grows itself until sbrk fails, in shrinking steps, and reports the total
// through a pipe; it frees it all when it exits. Measuring from user space through sbrk
// counts the same thing on both kernels: xv6's free page list, or the pages the LibOS can
// still get from the exokernel.

static uint64 countfree(void) {
    int p[2];
    if (pipe(p) < 0) return 0;
    int pid = fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        close(p[0]);
        uint64 total = 0;
        for (int step = 1 << 26; step >= PGSIZE; step /= 2) {
            while (sbrk(step) != (char *)-1) total += step;
        }
        write(p[1], &total, sizeof total);
        exit(0);
    }
    close(p[1]);
    uint64 total = 0;
    if (read(p[0], &total, sizeof total) != sizeof total) total = 0;
    close(p[0]);
    wait(0);
    return total;
}
