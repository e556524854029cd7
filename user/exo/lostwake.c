// A lost wake-up is not a clean halt: /init's child sleeps on a word (EXOSCHED_WAIT) that
// no one will ever wake, /init waits for the child (EV_CHILD), and the script has no more lines. The
// machine halted with status 0 as if all were done; now it names the sleeper (not /init,
// which waits for its child as a parent does) and halts with status 1 (docs/exo.md,
// decision 12). Typed "wake" rather than "sleep", /init wakes the child and all ends cleanly.
#include "rt.h"

#define SHARED 0x30000000UL
#define WORD ((volatile int *)SHARED)

static long sleeper(long unused) {
    while (*WORD == 0) exosched(EXOSCHED_WAIT, (long)WORD, 0);
    return 7;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long c = spawn_sharing(sleeper, 0, 0, (int)page, SHARED);
    EXPECT(c >= 0, 1);
    char line[8];
    long n;
    while ((n = exo_cons_read(EXO_BOOT_CONSOLE, line, sizeof line - 1)) == E_AGAIN)
        exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);
    if (n >= 4 && memcmp(line, "wake", 4) == 0) {
        *WORD = 1;
        exosched(EXOSCHED_WAKE, (long)WORD, 0);
    }
    printf("lostwake: the child ended with %ld\n", wait_child((int)c));
    return 0;
}
