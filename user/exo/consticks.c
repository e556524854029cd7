// The clock runs while everyone waits: /init waits for a key at a terminal, and when one
// comes, the ticks it reads have counted the time that passed. Then it exits, and with
// nothing left to run the machine halts, and says so.
#include "rt.h"

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    printf("consticks: waiting for a key\n");
    char c;
    while (exo_cons_read(EXO_BOOT_CONSOLE, &c, 1) != 1) exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);
    printf("consticks: a key after %ld ticks\n", exo_ticks(EXO_BOOT_CLOCK) - t0);
    return 0;
}
