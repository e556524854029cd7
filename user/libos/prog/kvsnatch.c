// kvsnatch: while a kv works (here on a hundred puts sent through a pipe), starts another
// kv, to take kv's disk blocks from it. The file server gives a program's storage to one
// process at a time; it used to give it to the newest, revoking it from the one running,
// which then found its disk gone in the middle of its work and lost what its cache had not
// yet written: any process could so undo another's puts. Now the second kv gets no blocks
// while the first runs ("the file server gives no block range"), and every put survives
// (the test asks kv for the last one afterwards).
//
// The order is made, not waited for: more puts than a pipe holds are written before the
// second kv starts, so the first has opened its disk and is reading them; and the pipe
// stays open until the second has ended, so the first is still running then. (A sleep of
// a tick used to stand for this, and on a loaded host the second kv sometimes came first.)
#include "libos/libos.h"

#define PUTS 100

static void puts_to(int fd, int from, int to) {
    for (int i = from; i < to; i++) {
        char buf[64];
        int n = lo_snprintf(buf, sizeof buf, "put key%d value%d\n", i, i);
        write(fd, buf, n);
    }
}

int main(void) {
    int p[2];
    if (pipe(p) < 0) {
        printf("kvsnatch: pipe failed\n");
        exit(1);
    }
    int worker = fork();
    if (worker == 0) {
        close(0);
        dup(p[0]);
        close(p[0]);
        close(p[1]);
        close(1);
        open("kvsnatch.out", O_CREATE | O_WRONLY | O_TRUNC);
        char *av[] = {"kv", 0};
        exec("/kv", av);
        exit(1);
    }
    close(p[0]);
    // 50 puts are about 900 bytes, more than the pipe's 512: the last write returns only
    // once the first kv has its disk and reads.
    puts_to(p[1], 0, PUTS / 2);
    int thief = fork();
    if (thief == 0) {
        char *av[] = {"kv", "get", "key0", 0};
        exec("/kv", av);
        exit(1);
    }
    int status = 0, w;
    while ((w = wait(&status)) >= 0 && w != thief) {}
    printf("kvsnatch: a second kv while the first runs: %s\n", status == 0 ? "GOT THE DISK" : "refused");
    puts_to(p[1], PUTS / 2, PUTS);
    close(p[1]);
    wait(0);
    unlink("kvsnatch.out");
    printf("kvsnatch: done\n");
    exit(0);
}
