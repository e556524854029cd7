// ctrlcsteal: a background process that claims to be the console's interactive shell
// whenever a key is typed (it wakes on EV_CONSOLE, which needs no capability), for the ticks
// given, so that ^C would kill its children (it has none) instead of what the real shell
// runs meanwhile. Only a shell init started, or a process started by the interactive shell
// that still descends from it, may be the interactive one; a background process is handed
// to init at once, so the claims are refused and ^C reaches the shell's command. Before,
// any process could claim it, and a runaway command could no longer be interrupted.
#include "libos/libos.h"

int main(int argc, char **argv) {
    int ticks = argc > 1 ? atoi(argv[1]) : 20;
    int given = 0;
    int end = uptime() + ticks;
    // Once a key comes, the shell is at its prompt again: the background command it forked
    // twice is init's by now.
    exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);
    while (uptime() < end) {
        given += interactive() == 0;
        exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_TICK, 0);
    }
    printf("ctrlcsteal: the console %s\n", given ? "TOOK OUR CLAIM" : "refused our claims");
    exit(0);
}
