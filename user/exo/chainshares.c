// A CPU capability's round holds only the capabilities under which some thread can run
// now (docs/exo.md, decision 9): a thread that has CPU but is stopped, blocked or waiting
// for a callee that cannot run costs no one's turn, however long the chain of shares above
// it. Here a victim on a share of its own yields as often as it can for 3 ticks, while
// /init sleeps; then /init derives a chain of CPU capabilities from a second share, each
// from the one before, and gives the last to an environment it never starts, and the
// victim yields for 3 ticks again. When rounds held every capability some thread had CPU
// under, each of the victim's yields walked down the whole chain (on the wall clock,
// 59860 yields in 3 ticks before, 23 after). ExoAttackTest counts the scheduler's steps;
// by hand, `scripts/kernel-exo` on the wall clock compares the two counts this prints.
#include "victim.h"

#define CHAIN 50000

static long idle(long unused) {
    for (;;) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long group = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 1, 0);
    victim_start();
    long before = victim_round();
    long end = group;
    for (int i = 0; i < CHAIN; i++) {
        end = capgrant((int)end, EXO_SELF, CAP_ALL, 0, 1, 0);
        EXPECT(end >= 0, 1);
    }
    const int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)end};
    EXPECT(spawn_with(idle, 0, SPAWN_STOPPED, handles) >= 0, 1);
    long after = victim_round();
    printf("chainshares: the victim yielded %ld times in 3 ticks, %ld with a chain of %d shares above a stopped environment\n",
           before, after, CHAIN);
    return 0;
}
