// memhog: takes all the memory it can, every way a process can: page tables (one page
// mapped again and again, each time in a page table of its own), environments, pages of
// its own (capalloc from its memory capability), and its heap (sbrk). Then it holds it
// all for the ticks given, and exits. Its memory is its quota: the shell keeps a reserve
// it cannot take, so the shell, the file server and kv go on working meanwhile.
// "memhog measure [ticks]" waits that many ticks, then only counts the pages it could
// take, gives them back, and says so.
#include "libos/libos.h"

#define FAR 0x1000000000UL      // far above the heap: page tables of their own

static long heap(void) {
    long got = 0;
    for (int step = 1 << 26; step >= (int)PG; step /= 2) {
        while (sbrk(step) != (char *)-1) got += step;
    }
    return got / (long)PG;
}

int main(int argc, char **argv) {
    if (argc > 1 && lo_strcmp(argv[1], "measure") == 0) {
        sleep(argc > 2 ? atoi(argv[2]) : 0);
        printf("memhog: could take %ld pages\n", heap());
        exit(0);
    }
    int ticks = argc > 1 ? atoi(argv[1]) : 100;
    long tables = 0, envs = 0, pages = 0;
    long p = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
    while (p >= 0 && tables < 2000 && exo_map(EXO_SELF, FAR + (uint64)tables * (2UL << 20), (int)p, MAP_R) == 0) tables++;
    while (envs < 200 && capalloc(CAP_ENV, 0, UPROC->h_mem, 0) >= 0) envs++;
    while (pages < 2000 && capalloc(CAP_PAGE, -1, UPROC->h_mem, 0) >= 0) pages++;
    long h = heap();
    printf("memhog: holding its quota: %ld heap pages, %ld pages, %ld environments, %ld page tables\n", h, pages,
           envs, tables);
    sleep(ticks);
    exit(0);
}
