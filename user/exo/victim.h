// A victim for the attack programs on performance isolation (deadshares, chainshares,
// callwaiters, pctchain, diskforce, conslock): an environment on a share of its own that
// yields as often as it can for 3 ticks whenever it is told to, so /init can compare what
// a yield costs before and after it built something in its way. Its page of shared words
// is at VICTIM_SHARED.
#pragma once
#include "rt.h"

#define VICTIM_SHARED 0x30000000UL

struct victim_shared {
    volatile long go, done, yields;
    volatile long longest; // the longest between two of its yields in the last round, in time CSR units (10 MHz)
};

#define VS ((struct victim_shared *)VICTIM_SHARED)

static exo_u64 rdtime(void) {
    exo_u64 t;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

static long victim(long unused) {
    for (;;) {
        while (!VS->go) exosched(EXOSCHED_YIELD, 0, 0);
        long n = 0, longest = 0, t0 = exo_ticks(EXO_BOOT_CLOCK);
        exo_u64 last = rdtime();
        while (exo_ticks(EXO_BOOT_CLOCK) - t0 < 3) {
            exosched(EXOSCHED_YIELD, 0, 0);
            exo_u64 now = rdtime();
            if ((long)(now - last) > longest) longest = (long)(now - last);
            last = now;
            n++;
        }
        VS->yields = n;
        VS->longest = longest;
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

// Has the victim yield for 3 ticks, sleeping meanwhile; returns how many yields it made
// (VS->longest / 10: its longest wait, in microseconds).
static long victim_round(void) {
    VS->done = 0;
    VS->go = 1;
    while (!VS->done) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    return VS->yields;
}
