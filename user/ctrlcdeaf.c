// ctrlcdeaf: a foreground program that makes itself deaf to ^C. Run by the interactive
// shell, it descends from it, so it may claim the console as the interactive one; then ^C
// kills only its descendants, and nothing would ever take it off the console. Both kernels
// kill such a program with ^C: a shell above the bottom one that is neither reading the
// console nor waiting for a child (beyond the short while a shell is busy between the two)
// is no shell (xv6j.kernel.ConsoleDevice, user/libos/server/cons.c).
//
//   ctrlcdeaf          claims the console and spins; says when it is past a shell's grace
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

#define GRACE 3 // both kernels' LISTEN_GRACE: ticks of its own time a shell may be busy

// Ticks of our own time so far, as the kernel counts them for a shell's grace (or fewer),
// so that a test can type one ^C once we are past it, and a grown grace shows. kernel-exo
// says: ENV_INFO's ticks, which its LibOS's console reads. xv6 has no call for it, so we
// count the changes of uptime we see: a change within a slice is a tick the kernel counts
// at the trap that saw it, and we leave the CPU only when a tick, counted so, ends a slice.
static long own_ticks(void) {
#ifdef XV6J_EXO
    struct exo_envinfo info;
    return env_ctl(EXO_SELF, ENV_INFO, &info) < 0 ? 0 : (long)info.ticks;
#else
    static int last = -1;
    static long seen;
    int now = uptime();
    if (last >= 0 && now != last) seen++;
    last = now;
    return seen;
#endif
}

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
    long claimed = own_ticks();
    printf("ctrlcdeaf: the console is ours; spinning\n");
    while (own_ticks() - claimed <= GRACE) { }
    printf("ctrlcdeaf: past a shell's grace; spinning\n");
    for (volatile unsigned long i = 0;; i++) { }
}
