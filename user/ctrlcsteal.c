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
//
//   ctrlcsteal TICKS         claims for TICKS ticks (20 if none)
//   ctrlcsteal TICKS FILE    claims until FILE is there, says so after the next claim, and
//                            claims on for TICKS ticks: a test that runs `cat > FILE` as the
//                            shell's command (the shell's child makes FILE, then execs cat)
//                            then knows a claim came while that was the shell's command,
//                            however slow its host
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

// Whether file is there yet.
static int made(const char *file) {
    int fd = open(file, O_RDONLY);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

int main(int argc, char **argv) {
    int ticks = argc > 1 ? atoi(argv[1]) : 20;
    const char *file = argc > 2 ? argv[2] : 0;
    int given = 0;
    int end = file ? -1 : uptime() + ticks;
    settle();
    while (end < 0 || uptime() < end) {
        int seen = end < 0 && made(file); // (before the claim: the claim comes after it)
        given += interactive() == 0;
        if (seen) {
            printf("ctrlcsteal: claimed after %s was made\n", file);
            end = uptime() + ticks;
        }
        next();
    }
    printf("ctrlcsteal: the console %s\n", given ? "TOOK OUR CLAIM" : "refused our claims");
    exit(0);
}
