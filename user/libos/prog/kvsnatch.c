// kvsnatch: while a kv works (here on a hundred puts read from a file), starts another
// kv, to take kv's disk blocks from it. The file server gives a program's storage to one
// process at a time; it used to give it to the newest, revoking it from the one running,
// which then found its disk gone in the middle of its work and lost what its cache had not
// yet written: any process could so undo another's puts. Now the second kv gets no blocks
// while the first runs ("the file server gives no block range"), and every put survives
// (the test asks kv for the last one afterwards).
#include "libos/libos.h"

#define PUTS 100

int main(void) {
    int fd = open("kvsnatch.in", O_CREATE | O_WRONLY | O_TRUNC);
    for (int i = 0; i < PUTS; i++) {
        char buf[64];
        int n = lo_snprintf(buf, sizeof buf, "put key%d value%d\n", i, i);
        write(fd, buf, n);
    }
    close(fd);
    int worker = fork();
    if (worker == 0) {
        close(0);
        open("kvsnatch.in", O_RDONLY);
        close(1);
        open("kvsnatch.out", O_CREATE | O_WRONLY | O_TRUNC);
        char *av[] = {"kv", 0};
        exec("/kv", av);
        exit(1);
    }
    sleep(1);
    int thief = fork();
    if (thief == 0) {
        char *av[] = {"kv", "get", "key0", 0};
        exec("/kv", av);
        exit(1);
    }
    wait(0);
    wait(0);
    unlink("kvsnatch.in");
    unlink("kvsnatch.out");
    printf("kvsnatch: done\n");
    exit(0);
}
