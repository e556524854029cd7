// CPU time is divided along the derivation tree of CPU capabilities: an environment that
// gives its CPU to many others shares out its own time, and takes none from its peers.
// Here a victim and a group of spinners each hold a share of /init's CPU; the group's
// share is divided among twelve, and the victim still runs about as long as all of them.
#include "rt.h"

#define SHARED 0x30000000UL
#define NSPIN 12
#define TICKS 30

struct shared {
    volatile long stop;
    volatile long count[NSPIN + 1];
};

#define S ((struct shared *)SHARED)

static long spin(long i) {
    while (!S->stop) S->count[i]++;
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long group = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);   // a share we hand on
    EXPECT(page >= 0 && group >= 0, 1);
    long env[NSPIN + 1];
    int h[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)group};
    env[0] = spawn(spin, 0, SPAWN_STOPPED);
    for (int i = 1; i <= NSPIN; i++) env[i] = spawn_with(spin, i, SPAWN_STOPPED, h);
    for (int i = 0; i <= NSPIN; i++) give_page((int)page, (int)env[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    for (int i = 0; i <= NSPIN; i++) env_ctl((int)env[i], ENV_START, 0);
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while (exo_ticks(EXO_BOOT_CLOCK) - t0 < TICKS) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    S->stop = 1;
    long group_total = 0;
    for (int i = 1; i <= NSPIN; i++) group_total += S->count[i];
    for (int i = 0; i <= NSPIN; i++) wait_child((int)env[i]);
    // Half and half, give or take (on two harts the twelve may also have the hart the
    // victim is not on while it runs; round robin over all thirteen would give the victim
    // a thirteenth of one hart's time, or two thirteenths of two).
    EXPECT(S->count[0] * 3 > group_total, 1);
    EXPECT(group_total * 3 > S->count[0], 1);
    printf("cpushare: %s\n", rt_failures() ? "FAILED" : "the victim ran as long as the twelve together");
    return 0;
}
