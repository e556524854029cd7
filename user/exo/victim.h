// A victim for the scheduler's attack programs (deadshares, chainshares): an environment
// on a share of its own that yields as often as it can for 3 ticks whenever it is told to,
// so /init can compare what a yield costs before and after it built something in the
// scheduler's way. Its page of shared words is at VICTIM_SHARED.
#pragma once
#include "rt.h"

#define VICTIM_SHARED 0x30000000UL

struct victim_shared {
    volatile long go, done, yields;
};

#define VS ((struct victim_shared *)VICTIM_SHARED)

static long victim(long unused) {
    for (;;) {
        while (!VS->go) exosched(EXOSCHED_YIELD, 0, 0);
        long n = 0, t0 = exo_ticks(EXO_BOOT_CLOCK);
        while (exo_ticks(EXO_BOOT_CLOCK) - t0 < 3) {
            exosched(EXOSCHED_YIELD, 0, 0);
            n++;
        }
        VS->yields = n;
        VS->go = 0;
        VS->done = 1;
    }
}

// Starts the victim on a thread of its own.
static void victim_start(void) {
    long page = page_map(VICTIM_SHARED);
    long v = spawn(victim, 0, SPAWN_STOPPED);
    give_page((int)page, (int)v, VICTIM_SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    env_ctl((int)v, ENV_START, 0);
}

// Has the victim yield for 3 ticks, sleeping meanwhile; returns how many yields it made.
static long victim_round(void) {
    VS->done = 0;
    VS->go = 1;
    while (!VS->done) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    return VS->yields;
}
