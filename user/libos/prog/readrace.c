// readrace: a console reader caught between the file server's "no line yet" and its block
// on EV_CONSOLE — as the LibOS's console_read is when it is preempted there — while its
// parent, a shell on the console's stack, waits for it: the parent's wait takes the keys
// typed meanwhile into the server's line buffer, and EV_CONSOLE, pending only while keys
// wait in kernel-exo's buffer, is gone. The reader must still get its line. It says
// "readrace: ready" when it is in the window (type a line then), and "readrace: read ..."
// with what it read.
#include "libos/libos.h"

int main(void) {
    if (interactive() < 0) {
        printf("readrace: FAIL not the interactive shell\n");
        exit(1);
    }
    int c = fork();
    if (c == 0) {
        if (srv(SRV_CONSREAD, 0, 64, 0, 0) != SRV_AGAIN) {
            printf("readrace: FAIL a line was waiting\n");
            exit(1);
        }
        printf("readrace: ready\n");
        // The window, held open for a second: the parent's waits take the keys in.
        long t0 = exo_ticks(UPROC->h_clock);
        while (exo_ticks(UPROC->h_clock) - t0 < 10) {
        }
        exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_NOTICE, 0);    // as console_read, then its retry
        char buf[64];
        int n = read(0, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        printf("readrace: read %s", buf);
        exit(0);
    }
    wait(0);
    printf("readrace: done\n");
    exit(0);
}
