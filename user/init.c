// The first user process. It gives itself the console as fds 0, 1 and 2 (which every
// process it starts inherits), then keeps a shell running: when the shell exits, a new
// one starts. As the parent of every orphan, it also reaps orphans as they exit.
//
// A shell that cannot be run at all (a corrupt image) is not tried again for ever, which
// would fill the screen and never halt a batch run: init says so and exits, which stops
// the kernel (panic: init exiting).
#include "user.h"

// The status of a child that could not exec the shell (the shell itself never exits so).
#define NOSHELL 127

static char *sh_argv[] = {"sh", 0};

int main(void) {
    if (open("console", O_RDWR) < 0) {
        // A fresh file system has no device node yet: make it.
        mknod("console", CONSOLE, 0);
        if (open("console", O_RDWR) < 0) exit(1);   // nowhere to even say why
    }
    dup(0);     // stdout
    dup(0);     // stderr

    for (;;) {
        printf("init: starting sh\n");
        int pid = fork();
        if (pid < 0) {
            printf("init: fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            exec("sh", sh_argv);
            printf("init: exec sh failed\n");
            exit(NOSHELL);
        }
        // Wait for the shell, burying any orphans that exit first.
        for (;;) {
            int status;
            int w = wait(&status);
            if (w == pid && status == NOSHELL) {
                printf("init: cannot run sh: the image may be corrupt (scripts/fsck checks it)\n");
                exit(1);
            }
            if (w == pid) break;
            if (w < 0) {
                printf("init: wait returned an error\n");
                exit(1);
            }
        }
    }
}
