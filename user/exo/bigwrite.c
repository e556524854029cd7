// No call does more work than its caller can be made to wait for with every hart held:
// exo_cons_write prints at most EXO_CONS_MAX bytes a call. It printed everything it was
// given, and a page mapped at a quarter of a million addresses made one call print a
// gigabyte, with the kernel's lock held all along (every hart stopped, and in a test the
// JVM out of heap for the captured output).
#include "rt.h"

#define FAR 0x100000000UL
#define TIMES 64

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long p = page_map(0x30000000UL);
    memset((void *)0x30000000UL, '.', EXO_PGSIZE);
    for (long i = 0; i < TIMES; i++) EXPECT(exo_map(EXO_SELF, FAR + i * EXO_PGSIZE, (int)p, MAP_R), 0);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, (void *)FAR, TIMES * EXO_PGSIZE), EXO_CONS_MAX);
    EXPECT(exo_cons_write(EXO_BOOT_CONSOLE, (void *)(FAR + (TIMES - 1) * EXO_PGSIZE + 1), EXO_CONS_MAX), E_FAULT);
    printf("\nbigwrite: %s\n", rt_failures() ? "FAILED" : "one call wrote one page");
    return 0;
}
