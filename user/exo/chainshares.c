// The known limit of decision 9 (docs/exo.md), measured: a pick still passes over threads
// that have CPU but cannot run now, with the capabilities on the path down to them. Here a
// victim on a share of its own yields as often as it can for 3 ticks, while /init sleeps;
// then /init derives a chain of CPU capabilities from a second share, each from the one
// before, and gives the last to an environment it never starts, and the victim yields for
// 3 ticks again. No test runs it: it shows what is left, until rounds count only threads
// that can run now.
#include "rt.h"

#define SHARED 0x30000000UL
#define CHAIN 50000

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

static long idle(long unused) {
    for (;;) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
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
    long end = group;
    for (int i = 0; i < CHAIN; i++) {
        end = capgrant((int)end, EXO_SELF, CAP_ALL, 0, 1, 0);
        EXPECT(end >= 0, 1);
    }
    const int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)end};
    EXPECT(spawn_with(idle, 0, SPAWN_STOPPED, handles) >= 0, 1);
    long after = round_of_yields();
    printf("chainshares: the victim yielded %ld times in 3 ticks, %ld with a chain of %d shares above a stopped environment\n",
           before, after, CHAIN);
    return 0;
}
