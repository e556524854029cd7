// A long time slice buys no more CPU than a short one. EXOSCHED_SLICE lets an environment
// run up to 100 ticks at a time; if turns were counted whatever their length, one that
// asked for long slices would take nearly all of its share's parent's time from its
// peers (issue 9's attackers' successors: a slice of 100 ran 50 times as long as a peer
// with the default one, and froze everyone else for ten seconds at a time). Turns are
// counted in ticks instead, so a peer still runs as long. And how long a share's slices
// may be is its capability's: a share granted with a longest slice of one tick cannot
// ask for more, nor derive a share that could. Three peers beside the hog, so that on two
// harts too the spinners outnumber the harts by more than the hog's one: with two, the hog
// could take at most one hart of two however its turns were counted, and no peer less
// than half the other, and the test could not fail there.
#include "rt.h"

#define SHARED 0x30000000UL
#define TICKS 40
#define SLICE 5
#define SPINNERS 4          // the hog, [1], and three peers

struct shared {
    volatile long stop;
    volatile long count[SPINNERS];
};

#define S ((struct shared *)SHARED)

static long spin(long i) {
    if (i == 1 && exosched(EXOSCHED_SLICE, SLICE, 0) != 0) return 1;
    while (!S->stop) S->count[i]++;
    return 0;
}

// A child on a share whose slices are at most one tick.
static long limited(long unused) {
    struct exo_capinfo ci;
    EXPECT(capinfo(EXO_BOOT_CPU, &ci), 0);
    EXPECT(ci.count, 1);
    EXPECT(exosched(EXOSCHED_SLICE, 2, 0), E_RANGE);
    EXPECT(exosched(EXOSCHED_SLICE, 1, 0), 0);
    EXPECT(capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_X, 0, 2, 0), E_RANGE);    // no longer share from it
    EXPECT(capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_X, 0, 0, 0) >= 0, 1);     // the same, as long as its own
    return rt_failures();
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct exo_capinfo ci;
    EXPECT(capinfo(EXO_BOOT_CPU, &ci), 0);
    EXPECT(ci.count, 100);
    EXPECT(capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 101, 0), E_RANGE);
    long one = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 1, 0);
    int h[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)one};
    EXPECT(wait_child((int)spawn_with(limited, 0, 0, h)), 0);

    long page = page_map(SHARED);
    long env[SPINNERS];
    for (int i = 0; i < SPINNERS; i++) env[i] = spawn(spin, i, SPAWN_STOPPED);
    for (int i = 0; i < SPINNERS; i++) give_page((int)page, (int)env[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    for (int i = 0; i < SPINNERS; i++) env_ctl((int)env[i], ENV_START, 0);
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while (exo_ticks(EXO_BOOT_CLOCK) - t0 < TICKS) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    S->stop = 1;
    long hog = S->count[1], least = -1, most = 0;
    for (int i = 0; i < SPINNERS; i++) {
        if (i == 1) continue;
        if (least < 0 || S->count[i] < least) least = S->count[i];
        if (S->count[i] > most) most = S->count[i];
    }
    for (int i = 0; i < SPINNERS; i++) EXPECT(wait_child((int)env[i]), 0);
    // About even (the long slice's first turn is not yet paid back when we stop); before
    // turns were counted in ticks, the hog ran five times as long as its peer.
    EXPECT(hog < 2 * least, 1);
    EXPECT(most < 2 * hog, 1);
    printf("slices: %s\n", rt_failures() ? "FAILED" : "a slice of 5 ticks ran about as long as a peer's of 1");
    return 0;
}
