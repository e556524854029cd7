// Time is the kernel's. Ticks advance and slices end on the clock whatever a program does:
// here one environment traps into the kernel in a tight loop and another only computes,
// and /init, asleep until three ticks have passed, wakes on time while both still run.
#include "rt.h"

#define SHARED 0x30000000UL
#define LIMIT 30000000L     // a loop that stops by itself, long after it should have been stopped

struct shared {
    volatile long stop;
    volatile long calls;
    volatile long spins;
};

#define S ((struct shared *)SHARED)

static long looper(long unused) {
    while (!S->stop && S->calls < LIMIT) {
        exo_envid();
        S->calls++;
    }
    return 0;
}

static long spinner(long unused) {
    while (!S->stop) S->spins++;
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long l = spawn(looper, 0, SPAWN_STOPPED), p = spawn(spinner, 0, SPAWN_STOPPED);
    give_page((int)page, (int)l, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    give_page((int)page, (int)p, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    env_ctl((int)l, ENV_START, 0);
    env_ctl((int)p, ENV_START, 0);
    // Both running first, however long a loaded host keeps their harts' threads: then a
    // looper at its limit means time stopped, not a slow host. (On one hart the spinner
    // runs only if the looper's slices end on the clock.)
    WAIT_UNTIL(S->calls != 0 && S->spins != 0, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while (exo_ticks(EXO_BOOT_CLOCK) - t0 < 3) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    long calls = S->calls, spins = S->spins;
    S->stop = 1;
    EXPECT(calls < LIMIT, 1);               // woke while the looper was looping
    EXPECT(spins > 0, 1);                   // and the spinner had had its slices
    wait_child((int)l);
    wait_child((int)p);
    printf("ticks: %s\n", rt_failures() ? "FAILED" : "woke after 3 ticks; the looper and the spinner both ran");
    return 0;
}
