// ctrlcsteal: a background process that claims to be the console's interactive shell
// again and again, for the ticks given, so that ^C would kill its children (it has none)
// instead of what the real shell runs meanwhile. Only a shell init started, or a process
// started by the interactive shell that still descends from it, may be the interactive
// one; a background process is handed to init at once (the shell's intermediate child
// exits), so the claims are refused and ^C reaches the shell's command. Before, any
// process could claim it, and a runaway command could no longer be interrupted.
//
// On kernel-exo it claims whenever a key is typed (EV_CONSOLE needs no capability); the
// xv6 kernel has no such event, so there it claims every tick.
#ifdef XV6J_EXO
#include "libos/libos.h"
#else
#include "user.h"
#endif

// Waits until the shell is surely at its prompt again, the background command init's.
static void settle(void) {
#ifdef XV6J_EXO
    exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);    // a key: the shell reads its next line
#else
    sleep(5);
#endif
}

// Waits for the next moment worth a claim.
static void next(void) {
#ifdef XV6J_EXO
    exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_TICK, 0);
#else
    sleep(1);
#endif
}

int main(int argc, char **argv) {
    int ticks = argc > 1 ? atoi(argv[1]) : 20;
    int given = 0;
    int end = uptime() + ticks;
    settle();
    while (uptime() < end) {
        given += interactive() == 0;
        next();
    }
    printf("ctrlcsteal: the console %s\n", given ? "TOOK OUR CLAIM" : "refused our claims");
    exit(0);
}
