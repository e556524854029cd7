// The first user process. It gives itself the console as fds 0, 1 and 2 (which every
// process it starts inherits), then keeps a shell running: when the shell exits, a new
// one starts. As the parent of every orphan, it also reaps orphans as they exit.
//
// A shell that cannot be run at all (a corrupt image) is not tried again for ever, which
// would fill the screen and never halt a batch run: init says so and exits, which stops
// the kernel (panic: init exiting). Nor is one that runs but ends at once, time after
// time (an image whose sh is some other program, or garbage that exits): a user's ^D
// ends a shell too, and gets a new one, but nobody types ^D at ten prompts in a row,
// each within a second of its appearing.
#include "user.h"

// The status of a child that could not exec the shell (the shell itself never exits so).
#define NOSHELL 127
// Shells in a row that each ended within BRIEF ticks of starting, after which init stops.
#define BRIEFRUNS 10
#define BRIEF 10

static char *sh_argv[] = {"sh", 0};

int main(void) {
    if (open("console", O_RDWR) < 0) {
        // A fresh file system has no device node yet: make it.
        mknod("console", CONSOLE, 0);
        if (open("console", O_RDWR) < 0) exit(1);   // nowhere to even say why
    }
    dup(0);     // stdout
    dup(0);     // stderr

    int brief = 0;      // shells in a row that ended within BRIEF ticks
    for (;;) {
        printf("init: starting sh\n");
        int started = uptime();
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
            if (w == pid) {
                brief = uptime() - started < BRIEF ? brief + 1 : 0;
                break;
            }
            if (w < 0) {
                printf("init: wait returned an error\n");
                exit(1);
            }
        }
        if (brief == BRIEFRUNS) {
            printf("init: sh ended at once %d times in a row: the image may be corrupt (scripts/fsck checks it)\n",
                   BRIEFRUNS);
            exit(1);
        }
    }
}
