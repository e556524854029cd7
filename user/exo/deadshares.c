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
#include "rt.h"

#define SHARED 0x30000000UL
#define DEAD 50000

struct shared {
    volatile long go, done, yields;
};

#define S ((struct shared *)SHARED)

static long victim(long unused) {
    for (;;) {
        while (!S->go) exosched(EXOSCHED_YIELD, 0, 0);
        long n = 0, t0 = exo_ticks(EXO_BOOT_CLOCK);
        while (exo_ticks(EXO_BOOT_CLOCK) - t0 < 3) {
            exosched(EXOSCHED_YIELD, 0, 0);
            n++;
        }
        S->yields = n;
        S->go = 0;
        S->done = 1;
    }
}

static long round_of_yields(void) {
    S->done = 0;
    S->go = 1;
    while (!S->done) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    return S->yields;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long group = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 1, 0);
    long v = spawn(victim, 0, SPAWN_STOPPED);
    give_page((int)page, (int)v, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    env_ctl((int)v, ENV_START, 0);
    long before = round_of_yields();
    for (int i = 0; i < DEAD; i++) EXPECT(capgrant(group, EXO_SELF, CAP_X, 0, 1, 0) >= 0, 1);
    long after = round_of_yields();
    printf("deadshares: the victim yielded %ld times in 3 ticks, %ld with %d dead shares of /init's\n", before, after, DEAD);
    return 0;
}
