// bigwrite: one write of 10000 bytes to the console, which kernel-exo prints at most
// EXO_CONS_MAX bytes a call: the LibOS's write goes on until all are written.
#include "libos/libos.h"

static char buf[10001];

int main(void) {
    for (int i = 0; i < 10000; i++) buf[i] = (char)('a' + i % 26);
    buf[10000] = '\n';
    int n = write(1, buf, sizeof buf);
    printf("bigwrite: wrote %d\n", n);
    exit(0);
}
