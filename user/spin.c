// spin [TICKS]: computes for TICKS ticks of uptime (20, two seconds, unless told), then
// says so. A CPU-bound job to run in the background (spin &) and watch the shell take
// the next command meanwhile, at a terminal or from a script.
#include "user.h"

int main(int argc, char **argv) {
    if (argc > 2 || (argc == 2 && !isnum(argv[1]))) {
        fprintf(2, "usage: spin [TICKS]\n");     // ("spin x" spun for 0 ticks)
        exit(1);
    }
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int start = uptime();
    volatile unsigned long x = 0;
    while (uptime() - start < n) {
        for (int i = 0; i < 100000; i++) x += i;
    }
    printf("spin: %d ticks done\n", n);
    exit(0);
}
