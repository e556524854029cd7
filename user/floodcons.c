// floodcons MIB: one write(2) of MIB MiB of dots to standard output, then a line saying
// how much went out. A process in one long write to the console must still die promptly
// when killed (^C): the kernel looks for the kill between the pieces it copies.
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

int main(int argc, char **argv) {
    int mib = argc > 1 ? atoi(argv[1]) : 0;
    if (mib <= 0 || mib > 1024) {
        fprintf(2, "usage: floodcons MIB (1 to 1024)\n");
        exit(1);
    }
    int n = mib << 20;
    char *buf = sbrk(n);
    if (buf == (char *)-1) {
        fprintf(2, "floodcons: no memory for %d MiB\n", mib);
        exit(1);
    }
    memset(buf, '.', n);
    printf("floodcons: %d bytes in one write\n", n);
    int w = write(1, buf, n);
    printf("\nfloodcons: wrote %d\n", w);
    exit(0);
}
