// The smallest program for kernel-exo: prints, spawns a child that prints, waits for it.
#include "rt.h"

static int counter = 40;

static long child(long arg) {
    counter += (int)arg; // the child's own copy of the data page
    printf("child: env %ld, counter %d\n", exo_envid(), counter);
    return 7;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    printf("hello from %s: env %ld, %lu boot pages\n", argv[0], exo_envid(), boot->npages);
    long c = spawn(child, 2, 0);
    EXPECT(c >= 0, 1);
    EXPECT(wait_child((int)c), 7);
    EXPECT(counter, 40);
    printf("hello: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
