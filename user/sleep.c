// sleep ticks: waits that many ticks of the clock (ten a second), then exits; a job to
// leave running in the background (`sleep 30 &`), or a pause between commands.
#include "user.h"

int main(int argc, char **argv) {
    int n = 0;
    char *s = argc == 2 ? argv[1] : "";
    if (*s == 0) goto usage;
    for (; *s; s++) {
        // Digits only, and no more than fit: "sleep 5s" or "sleep -1" is a mistake, not 5 or 0.
        if (*s < '0' || *s > '9' || n > 100000000) goto usage;
        n = n * 10 + (*s - '0');
    }
    if (sleep(n) < 0) exit(1); // killed (^C)
    exit(0);
usage:
    fprintf(2, "usage: sleep ticks (a tick is a tenth of a second)\n");
    exit(1);
}
