// stressfs: several processes each write a file of their own at the same time, then
// read it back and check every byte, then remove it.
#include "user.h"

#define WRITERS 4
#define BLOCKS 20

static char data[BSIZE];

// The byte at offset i of writer w's file.
static char pattern(int w, int i) { return 'a' + (w * 7 + i / BSIZE + i) % 26; }

static int stress(int w) {
    char path[] = "stressfs0";
    path[8] += w;
    int fd = open(path, O_CREATE | O_RDWR | O_TRUNC);
    if (fd < 0) {
        printf("stressfs: cannot create %s\n", path);
        return 1;
    }
    for (int b = 0; b < BLOCKS; b++) {
        for (int i = 0; i < BSIZE; i++) data[i] = pattern(w, b * BSIZE + i);
        if (write(fd, data, BSIZE) != BSIZE) {
            printf("stressfs: write %s failed\n", path);
            return 1;
        }
    }
    close(fd);

    printf("read %d\n", w);
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("stressfs: cannot reopen %s\n", path);
        return 1;
    }
    for (int b = 0; b < BLOCKS; b++) {
        if (read(fd, data, BSIZE) != BSIZE) {
            printf("stressfs: short read of %s\n", path);
            return 1;
        }
        for (int i = 0; i < BSIZE; i++) {
            if (data[i] != pattern(w, b * BSIZE + i)) {
                printf("stressfs: %s: wrong byte at offset %d\n", path, b * BSIZE + i);
                return 1;
            }
        }
    }
    if (read(fd, data, 1) != 0) {
        printf("stressfs: %s is longer than written\n", path);
        return 1;
    }
    close(fd);
    if (unlink(path) < 0) {
        printf("stressfs: cannot remove %s\n", path);
        return 1;
    }
    return 0;
}

int main(void) {
    printf("stressfs starting\n");
    for (int w = 0; w < WRITERS; w++) {
        int pid = fork();
        if (pid < 0) {
            printf("stressfs: fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            printf("write %d\n", w);
            exit(stress(w));
        }
    }
    int failed = 0;
    for (int w = 0; w < WRITERS; w++) {
        int status;
        if (wait(&status) < 0 || status != 0) failed = 1;
    }
    printf(failed ? "stressfs FAILED\n" : "stressfs ok\n");
    exit(failed);
}
