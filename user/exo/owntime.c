// An environment's own time (ENV_INFO's ticks) is the ticks its thread ran into, not those
// it waited for a CPU. A LibOS judges by it whether a program is busy or kept waiting: the
// standard LibOS's console gives a shell a grace of a few ticks between reading a line and
// waiting for its command before ^C takes it for a deaf program, and counted in the
// machine's ticks, a shell kept from its CPU by a busy machine aged through its grace
// without running (user/libos/server/cons.c).
//
// A victim spins beside six spinners, each on a share of /init's CPU, for 21 ticks of the
// machine (more if its host thread got too little of them to count two of its own): it
// runs a seventh of them on one hart, two sevenths on two, and its own time must say so.
// Asleep 10 ticks, and stopped 10 more, it does not age; and ENV_INFO says what it sleeps
// on.
#include "rt.h"

#define SHARED 0x30000000UL
#define NSPIN 6
#define BUSY 21
#define OWN 2
#define CAP 400
#define SLEEP 10

struct shared {
    volatile long stop;
    volatile long busy_own, busy_machine, slept_own, slept_machine;
    volatile long done;
};

#define S ((struct shared *)SHARED)

static long own_ticks(int h) {
    struct exo_envinfo info;
    memset(&info, 0xff, sizeof info);
    if (env_ctl(h, ENV_INFO, &info) < 0) return -1;
    return (long)info.ticks;
}

static long spin(long i) {
    while (!S->stop) { }
    return 0;
}

static long victim(long unused) {
    long o0 = own_ticks(EXO_SELF), t0 = exo_ticks(EXO_BOOT_CLOCK);
    // (The clock asked every 10000 rounds: a system call at each would leave the checker
    // after every kernel entry most of the work.)
    // Until BUSY ticks of the machine have passed and it has run into OWN of its own (on a
    // busy host a thread may get far less than its share of the machine's wall-clock
    // ticks; the share is what is checked below), or CAP ticks, past which its own time
    // is taken to be broken.
    for (volatile long i = 1;; i++) {
        if (i % 10000 != 0) continue;
        long t = exo_ticks(EXO_BOOT_CLOCK) - t0;
        if ((t >= BUSY && own_ticks(EXO_SELF) - o0 >= OWN) || t >= CAP) break;
    }
    long o1 = own_ticks(EXO_SELF), t1 = exo_ticks(EXO_BOOT_CLOCK);
    S->busy_own = o1 - o0;
    S->busy_machine = t1 - t0;
    S->stop = 1;
    while (exo_ticks(EXO_BOOT_CLOCK) - t1 < SLEEP) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    S->slept_own = own_ticks(EXO_SELF) - o1;
    S->slept_machine = exo_ticks(EXO_BOOT_CLOCK) - t1;
    S->done = 1;
    for (;;) exosched(EXOSCHED_BLOCK, EV_CHILD, 0); // (it has none: stopped here by /init, then destroyed)
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    EXPECT(page >= 0, 1);
    long env[NSPIN + 1];
    env[0] = spawn(victim, 0, SPAWN_STOPPED);
    for (int i = 1; i <= NSPIN; i++) env[i] = spawn(spin, i, SPAWN_STOPPED);
    for (int i = 0; i <= NSPIN; i++) give_page((int)page, (int)env[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    for (int i = 0; i <= NSPIN; i++) env_ctl((int)env[i], ENV_START, 0);
    WAIT_UNTIL(S->done, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    for (int i = 1; i <= NSPIN; i++) wait_child((int)env[i]);
    // What it is blocked in, as ENV_INFO says: an event that will not come.
    struct exo_envinfo info;
    EXPECT(env_ctl((int)env[0], ENV_INFO, &info), 0);
    EXPECT(info.state, ENV_STATE_BLOCKED);
    EXPECT(info.waits, ENV_WAITS_EVENTS);
    EXPECT(info.on, EV_CHILD);
    // Stopped (it was blocked: now it could not run even if woken) for 10 ticks.
    EXPECT(env_ctl((int)env[0], ENV_STOP, 0), 0);
    long o = own_ticks((int)env[0]), t = exo_ticks(EXO_BOOT_CLOCK);
    while (exo_ticks(EXO_BOOT_CLOCK) - t < SLEEP) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    long stopped_own = own_ticks((int)env[0]) - o, stopped_machine = exo_ticks(EXO_BOOT_CLOCK) - t;
    env_ctl((int)env[0], ENV_DESTROY, 0);
    printf("owntime: busy %ld of %ld ticks, asleep %ld of %ld, stopped %ld of %ld\n", S->busy_own,
           S->busy_machine, S->slept_own, S->slept_machine, stopped_own, stopped_machine);
    // A seventh (one hart) or two (two harts) of the machine's ticks, give or take a tick
    // at each end; not all of them.
    EXPECT(S->busy_own >= OWN && S->busy_own * 2 < S->busy_machine, 1);
    EXPECT(S->slept_machine >= SLEEP && S->slept_own <= 1, 1);
    EXPECT(stopped_machine >= SLEEP && stopped_own == 0, 1);
    printf("owntime: %s\n", rt_failures() ? "FAILED" : "a wait for a CPU is not the environment's own time");
    return 0;
}
