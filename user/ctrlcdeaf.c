// ctrlcdeaf: a foreground program that makes itself deaf to ^C. Run by the interactive
// shell, it descends from it, so it may claim the console as the interactive one; then ^C
// kills only its descendants, and nothing would ever take it off the console. Both kernels
// kill such a program with ^C: a shell above the bottom one that is neither reading the
// console nor waiting for a child (beyond the short while a shell is busy between the two)
// is no shell (xv6j.kernel.ConsoleDevice, user/libos/server/cons.c).
//
//   ctrlcdeaf          claims the console and spins
//   ctrlcdeaf fork     the same, with a spinning child first, so ^C has something of its own to kill
//   ctrlcdeaf sleep    claims the console, reads one line as a shell at its prompt would,
//                      then sleeps on the clock for good
//   ctrlcdeaf pipe     the same, then sleeps for good reading a pipe that it alone can write
// The last two never run again, so their own time never passes the grace: only where they
// sleep tells them from a shell.
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

int main(int argc, char **argv) {
    char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "fork") == 0 && fork() == 0) {
        for (;;) { }
    }
    if (interactive() != 0) {
        printf("ctrlcdeaf: the console refused our claim\n");
        exit(1);
    }
    if (strcmp(mode, "sleep") == 0 || strcmp(mode, "pipe") == 0) {
        char line[64];
        printf("ctrlcdeaf: the console is ours; a line?\n");
        int n = read(0, line, sizeof line);
        int fds[2];
        if (strcmp(mode, "pipe") == 0 && pipe(fds) < 0) {
            printf("ctrlcdeaf: no pipe\n");
            exit(1);
        }
        printf("ctrlcdeaf: read %d bytes; asleep on the %s\n", n, mode[0] == 's' ? "clock" : "pipe");
        for (;;) {
            if (mode[0] == 's') sleep(1000);
            else read(fds[0], line, sizeof line);
        }
    }
    printf("ctrlcdeaf: the console is ours; spinning\n");
    for (volatile unsigned long i = 0;; i++) { }
}
