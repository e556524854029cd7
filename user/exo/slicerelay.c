// A turn is one slice, however its holders pass it around. Two environments, each on a
// share of /init's, register a slice upcall, whose grace is one more tick; when it comes,
// each hands the rest of its slice to the other (EXOSCHED_YIELD_TO), which then runs to
// the end of that grace tick and gets an upcall and a grace tick of its own, and hands it
// back, for 12 ticks. A victim on a share of its own yields meanwhile and notes the
// longest it went without running, in ticks. A directed yield's target began afresh, as if its own slice
// had just ended and it had not had its grace yet, so the pair relayed one turn for as
// long as it liked and no one else ran on their hart (docs/exo.md, decision 9).
#include "rt.h"

#define SHARED 0x30000000UL
#define STACK 0x31000000UL // the upcall stack of each relay runner
#define RELAY_TICKS 12      // how long the relay runs

struct shared {
    volatile long start, relays[2], partner[2];
    volatile long victim_gap, victim_yields, victim_done;
};
#define S ((struct shared *)SHARED)

static volatile int due; // (each runner has its own copy)

static void on_slice(struct exo_frame *f) {
    due = 1;
    exo_resume(f);
}

static long runner(long me) {
    if (page_map(STACK) < 0) return -1;
    if (exo_upcall(on_slice, STACK + EXO_PGSIZE, UPCALL_SLICE) < 0) return -2;
    while (exo_ticks(EXO_BOOT_CLOCK) < S->start + RELAY_TICKS) {
        if (due) {
            due = 0;
            if (exosched(EXOSCHED_YIELD_TO, S->partner[me], 0) == 0) S->relays[me]++;
        }
    }
    return 0;
}

static long victim(long unused) {
    long gap = 0, n = 0, last = exo_ticks(EXO_BOOT_CLOCK);
    while (last < S->start + RELAY_TICKS + 5) {
        exosched(EXOSCHED_YIELD, 0, 0);
        long now = exo_ticks(EXO_BOOT_CLOCK);
        if (now - last > gap) gap = now - last;
        last = now;
        n++;
    }
    S->victim_gap = gap;
    S->victim_yields = n;
    S->victim_done = 1;
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long shared = page_map(SHARED);
    long a = spawn_sharing(runner, 0, SPAWN_STOPPED, (int)shared, SHARED);
    long b = spawn_sharing(runner, 1, SPAWN_STOPPED, (int)shared, SHARED);
    long v = spawn_sharing(victim, 0, SPAWN_STOPPED, (int)shared, SHARED);
    EXPECT(a >= 0 && b >= 0 && v >= 0, 1);
    S->partner[0] = capgrant((int)b, (int)a, CAP_X, 0, 0, 0); // a's handle on b, and b's on a
    S->partner[1] = capgrant((int)a, (int)b, CAP_X, 0, 0, 0);
    EXPECT(S->partner[0] >= 0 && S->partner[1] >= 0, 1);
    S->start = exo_ticks(EXO_BOOT_CLOCK);
    env_ctl((int)v, ENV_START, 0);
    env_ctl((int)a, ENV_START, 0);
    env_ctl((int)b, ENV_START, 0);
    WAIT_UNTIL(S->victim_done, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    printf("slicerelay: the pair relayed %ld times; the victim yielded %ld times, the longest %ld ticks without running\n",
           S->relays[0] + S->relays[1], S->victim_yields, S->victim_gap);
    wait_child((int)a);
    wait_child((int)b);
    return 0;
}
