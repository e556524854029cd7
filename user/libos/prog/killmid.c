// killmid: kills processes in the middle of their calls to the file server, round after
// round, and checks that every one dies and the file system stays whole for the rest.
// Each round starts a writer, which writes a file of its own 4 KiB a call, and a hammer,
// which turns its upcalls off (so that its LibOS cannot end it when it is killed) and
// calls the file server as fast as it can: only the server's forced kill ends it,
// destroying its environment wherever it is, most likely in the middle of a call.
#include "libos/libos.h"

static uint seed;

static uint rnd(void) {
    seed = seed * 1103515245 + 12345;
    return seed >> 16;
}

static char buf[4096];

static void name_of(char *name, int round) {
    lo_strlcpy(name, "km", 16);
    name[2] = (char)('a' + round % 26);
    name[3] = 0;
}

static void writer(int round) {
    char name[16];
    name_of(name, round);
    for (;;) {
        int fd = open(name, O_CREATE | O_WRONLY | O_TRUNC);
        if (fd < 0) exit(2);
        while (write(fd, buf, sizeof buf) == sizeof buf) {}
        close(fd);
    }
}

static void hammer(void) {
    exo_upcall(0, 0, 0);    // no slice upcall: the LibOS cannot end us when killed
    exo_u64 args[6] = {SRV_FSTAT, 1, 0, 0, 0, 0}, out[6];
    for (;;) pct_call(UPROC->h_srv, args, out);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    seed = (uint)uptime() + 7;
    for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (char)('a' + i % 26);
    int survivors = 0;
    for (int r = 0; r < rounds; r++) {
        int w = fork();
        if (w == 0) writer(r);
        int h = fork();
        if (h == 0) hammer();
        if (w < 0 || h < 0) {
            printf("killmid: FAIL fork failed in round %d\n", r);
            exit(1);
        }
        sleep(1 + (int)(rnd() % 3));
        kill(w);
        kill(h);
        for (int k = 0; k < 2; k++) {
            int status = 0;
            int pid = wait(&status);
            if ((pid != w && pid != h) || status != -1) survivors++;
        }
        char name[16];
        name_of(name, r);
        unlink(name);
    }
    // The file system works for everyone else: a file written and read back.
    int fd = open("kmcheck", O_CREATE | O_WRONLY);
    int ok = fd >= 0 && write(fd, buf, sizeof buf) == sizeof buf;
    close(fd);
    static char back[4096];
    fd = open("kmcheck", O_RDONLY);
    ok = ok && fd >= 0 && read(fd, back, sizeof back) == sizeof back && lo_memcmp(back, buf, sizeof buf) == 0;
    close(fd);
    unlink("kmcheck");
    if (survivors || !ok) {
        printf("killmid: FAIL %d victims did not die as killed; the file system %s\n", survivors, ok ? "works" : "FAILED");
        exit(1);
    }
    printf("killmid: %d rounds: every victim died, the file system works\n", rounds);
    exit(0);
}
