// scratch: unmap cost with many mappings of one page capability
#include "rt.h"

#define FAR 0x100000000UL
#define N 400000

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long p = page_alloc();
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    long n = 0;
    for (; n < N; n++) if (exo_map(EXO_SELF, FAR + n * EXO_PGSIZE, (int)p, MAP_R) < 0) break;
    long t1 = exo_ticks(EXO_BOOT_CLOCK);
    for (long i = 0; i < 20000; i++) exo_unmap(EXO_SELF, FAR + i * EXO_PGSIZE);
    long t2 = exo_ticks(EXO_BOOT_CLOCK);
    printf("mapped %ld in %ld ticks; 20000 unmaps (oldest first) in %ld ticks\n", n, t1 - t0, t2 - t1);
    return 0;
}
