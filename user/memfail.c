// memfail [MAX]: fork, exec and sbrk running out of memory at every point, and giving
// back every page they took before they failed.
//
// For n = 0, 1, ... MAX (48 by default) pages left free: a hog child takes all memory
// but n pages, then fork, exec and sbrk are tried, each of which fails part-way through
// for some n (after copying some pages, after building part of the new image, after
// mapping some of the growth). Then the hog goes, and the free memory must be exactly
// what it was before. Every try runs in a process of its own that is waited for, so
// nothing is left to init or to a later round.
#include "user.h"
#include "countfree.h"

static int pipe_or_die(int p[2]) {
    if (pipe(p) < 0) {
        printf("memfail: pipe failed\n");
        exit(1);
    }
    return 0;
}

static int fork_or_die(void) {
    int pid = fork();
    if (pid < 0) {
        printf("memfail: fork failed with memory free\n");
        exit(1);
    }
    return pid;
}

// A child that waits for a byte on go, then does what = 'e' (exec this program with -x,
// which exits 0 at once) or 's' (grow by more pages than are free, which fails after
// mapping those there are; then by what is free, which may or may not fit with the page
// tables it needs). Its exit status says how the try went: 0 it worked, 1 it failed.
static int tryer(int go[2], char what, int n) {
    int pid = fork_or_die();
    if (pid == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1) exit(3);
        if (what == 'e') {
            char *argv[] = {"memfail", "-x", 0};
            exec("memfail", argv);
            exit(1);
        }
        int grew = sbrk((n + 8) * PGSIZE) != (char *)-1;
        sbrk(n * PGSIZE);
        exit(!grew);
    }
    return pid;
}

// A child that takes all memory but n pages, says so on ready, and waits to be killed.
static int hog(int ready[2], int n) {
    int pid = fork_or_die();
    if (pid == 0) {
        close(ready[0]);
        for (int step = 1 << 26; step >= PGSIZE; step /= 2) {
            while (sbrk(step) != (char *)-1) {}
        }
        sbrk(-n * PGSIZE);
        write(ready[1], "r", 1);
        for (;;) sleep(100);
    }
    return pid;
}

static int status_of(int pid) {
    int status = -9;
    if (wait(&status) != pid) {
        printf("memfail: wait did not return child %d\n", pid);
        exit(1);
    }
    return status;
}

int main(int argc, char *argv[]) {
    if (argc == 2 && strcmp(argv[1], "-x") == 0) exit(0);  // the exec try's program
    int max = argc > 1 ? atoi(argv[1]) : 48;
    int failed[3] = {0, 0, 0};  // how many n made fork, exec, sbrk fail
    int lost = 0;
    uint64 before = countfree();
    for (int n = 0; n <= max; n++) {
        int go[2], ready[2];
        pipe_or_die(go);
        pipe_or_die(ready);
        int e = tryer(go, 'e', n);
        int s = tryer(go, 's', n);
        close(go[0]);
        int h = hog(ready, n);
        close(ready[1]);
        char c;
        if (read(ready[0], &c, 1) != 1) {
            printf("memfail: the hog did not report\n");
            exit(1);
        }
        close(ready[0]);

        int f = fork();
        if (f == 0) exit(0);
        if (f > 0) status_of(f);
        else failed[0]++;
        write(go[1], "ee", 2);  // one byte for each tryer
        close(go[1]);
        int es = -9, ss = -9;
        for (int i = 0; i < 2; i++) {   // in whichever order they end
            int status = -9;
            int pid = wait(&status);
            if (pid == e) es = status;
            else if (pid == s) ss = status;
            else {
                printf("memfail: wait returned %d, not a tryer\n", pid);
                exit(1);
            }
        }
        failed[1] += es != 0;
        failed[2] += ss != 0;
        if (es > 1 || ss > 1) {
            printf("memfail: %d pages free: exec try %d, sbrk try %d\n", n, es, ss);
            exit(1);
        }
        kill(h);
        status_of(h);

        uint64 after = countfree();
        if (after != before) {
            printf("memfail: %d pages free: %ld pages before, %ld after\n", n, before / PGSIZE, after / PGSIZE);
            lost++;
        }
    }
    printf("memfail: fork failed %d times, exec %d, sbrk %d in %d rounds\n", failed[0], failed[1], failed[2], max + 1);
    if (lost || failed[0] == 0) {   // no fork failed: memory never ran out
        printf("memfail FAILED\n");
        exit(1);
    }
    printf("memfail OK\n");
    exit(0);
}
