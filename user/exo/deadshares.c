// A CPU capability's round goes to its holder's thread and to each capability derived
// from it under which some thread runs; members that cannot run pass their turn on. Here a
// victim on a share of its own yields as often as it can for 3 ticks, while /init sleeps;
// then /init derives many CPU capabilities into its own table from a second share (none
// is anyone's run capability, so none can ever run) and the victim yields for 3 ticks
// again. What the victim's yields cost must not depend on capabilities that can never
// run: rounds used to hold every derived capability, and on the wall clock the victim's
// yields fell a thousandfold (docs/exo.md, decision 9). ExoAttackTest counts the
// scheduler's steps; by hand, `scripts/kernel-exo` on the wall clock compares the two
// counts this prints.
#include "victim.h"

#define DEAD 50000

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long group = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 1, 0);
    victim_start();
    long before = victim_round();
    for (int i = 0; i < DEAD; i++) EXPECT(capgrant(group, EXO_SELF, CAP_X, 0, 1, 0) >= 0, 1);
    long after = victim_round();
    printf("deadshares: the victim yielded %ld times in 3 ticks, %ld with %d dead shares of /init's\n", before, after, DEAD);
    return 0;
}
