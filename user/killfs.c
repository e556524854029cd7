// killfs: kill processes in the middle of file-system work, again and again, then show
// the file system is still whole: what the survivors write reads back, and nothing the
// victims left behind is half made. Run it, then check the image with fsck.
#include "user.h"

#define ROUNDS 6
#define VICTIMS 3

static char buf[8 * BSIZE];

// A victim: creates, grows, links, renames by link+unlink, and removes its files forever.
static void victim(int v) {
    char a[] = "kfa0", b[] = "kfb0";
    a[3] += v;
    b[3] += v;
    for (int i = 0;; i++) {
        int fd = open(a, O_CREATE | O_RDWR | O_TRUNC);
        if (fd >= 0) {
            memset(buf, 'a' + (i % 26), sizeof buf);
            write(fd, buf, sizeof buf);    // a write larger than one log transaction
            close(fd);
        }
        unlink(b);
        link(a, b);
        unlink(a);
        mkdir("kfdir");
        unlink("kfdir");
    }
}

int main(void) {
    for (int r = 0; r < ROUNDS; r++) {
        int pids[VICTIMS];
        for (int v = 0; v < VICTIMS; v++) {
            pids[v] = fork();
            if (pids[v] < 0) {
                printf("killfs: fork failed\n");
                exit(1);
            }
            if (pids[v] == 0) victim(v);
        }
        sleep(1);
        for (int v = 0; v < VICTIMS; v++) kill(pids[v]);
        for (int v = 0; v < VICTIMS; v++) {
            int status;
            if (wait(&status) < 0 || status != -1) {
                printf("killfs: a victim did not die killed\n");
                exit(1);
            }
        }
    }

    // The survivor's turn: everything must still work.
    int fd = open("kfsurvivor", O_CREATE | O_RDWR | O_TRUNC);
    if (fd < 0) {
        printf("killfs: cannot create after the kills\n");
        exit(1);
    }
    for (int i = 0; i < (int)sizeof buf; i++) buf[i] = 'A' + i % 26;
    if (write(fd, buf, sizeof buf) != sizeof buf) {
        printf("killfs: write after the kills failed\n");
        exit(1);
    }
    close(fd);
    fd = open("kfsurvivor", O_RDONLY);
    memset(buf, 0, sizeof buf);
    if (fd < 0 || read(fd, buf, sizeof buf) != sizeof buf) {
        printf("killfs: read after the kills failed\n");
        exit(1);
    }
    close(fd);
    for (int i = 0; i < (int)sizeof buf; i++) {
        if (buf[i] != 'A' + i % 26) {
            printf("killfs: byte %d reads back wrong\n", i);
            exit(1);
        }
    }
    // Leave the victims' last files for the check after a reboot.
    printf("killfs: %d rounds of %d victims killed; the file system works\n", ROUNDS, VICTIMS);
    exit(0);
}
