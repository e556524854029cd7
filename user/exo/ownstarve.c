// A callee's own thread and its callers (red team 20). A server takes protected control
// transfers and has work of its own: its own thread counts, as a LibOS's server reaps
// children or flushes a log. CALLERS environments, each on a share of /init's CPU, hold
// CAP_X on it and call it in a loop, each call a little work, by turns: whenever one call
// returns, another caller waits for the next. The kernel started a waiting caller's call
// the moment the one before returned, so the server's own thread ran only when no call
// was in progress and none waited, which callers calling by turns never allow: over
// WATCH ticks its count stood still (ExoAttackTest, on one, two and three harts).
//
// Prints, over WATCH ticks with every caller calling, once with the server's own thread on
// slices of 1 tick and once of OWN_SLICE: what that thread counted, the ticks it ran into
// (ENV_INFO), the calls served, and the longest round trip of one call in ticks (from the
// caller's last look at the clock before it to its first after: it includes waits for a
// CPU and for the server's own thread).
#include "rt.h"

#define CALLERS 3
#define WATCH 12
#define OWN_SLICE 3
#define SERVER_STACK 0x20000000UL
#define SHARED 0x31000000UL

struct shared {
    volatile long own;              // the server's own thread's count
    volatile long served;           // calls served
    volatile long stop, watching;
    volatile long slice, slice_set; // the slice the server's own thread is to take, and has taken
    volatile long longest;          // the longest round trip while watching, in ticks
    volatile long bad;              // calls that failed
    volatile long server_h;         // the server's handle in each caller (the same in all: they are made alike)
    volatile long calls[CALLERS];
};

#define S ((struct shared *)SHARED)

static void entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    S->served++;
    for (volatile int i = 0; i < 2000; i++) {
    }
    exo_u64 r[6] = {a1 + 1, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long server(long unused) {
    long r = page_map(SERVER_STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, SERVER_STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    for (;;) { // its own work: never blocks, never yields
        S->own++;
        if (S->slice != S->slice_set && (S->own & 1023) == 0) {
            if (exosched(EXOSCHED_SLICE, S->slice, 0) != 0) S->bad++;
            S->slice_set = S->slice;
        }
    }
}

static long caller(long i) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    while (!S->stop) {
        args[0] = (exo_u64)S->calls[i];
        long t0 = exo_ticks(EXO_BOOT_CLOCK);
        long r = pct_call((int)S->server_h, args, out);
        long t = exo_ticks(EXO_BOOT_CLOCK) - t0;
        if (r != 0 || out[0] != args[0] + 1) S->bad++;
        if (S->watching && t > S->longest) S->longest = t;
        S->calls[i]++;
    }
    return 0;
}

// WATCH ticks with every caller calling, the server's own slice being slice ticks.
static void watch(int s, long slice) {
    S->slice = slice;
    long w0 = exo_ticks(EXO_BOOT_CLOCK); // (its own thread takes it when it runs: maybe never)
    while (S->slice_set != slice && exo_ticks(EXO_BOOT_CLOCK) - w0 < WATCH) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    long own0 = S->own, served0 = S->served, ticks0 = env_ticks(s), t0 = exo_ticks(EXO_BOOT_CLOCK);
    S->longest = 0;
    S->watching = 1;
    sleep_ticks(WATCH);
    S->watching = 0;
    long own = S->own - own0, served = S->served - served0, ticks = env_ticks(s) - ticks0;
    long t = exo_ticks(EXO_BOOT_CLOCK) - t0;
    printf("ownstarve: over %ld ticks, %d callers calling, its slice %ld: the callee's own thread counted %ld, ran into "
           "%ld ticks; %ld calls served, the longest round trip %ld ticks\n",
           t, CALLERS, S->slice_set, own, ticks, served, S->longest);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long s = spawn(server, 0, SPAWN_STOPPED);
    EXPECT(s >= 0 && page >= 0, 1);
    EXPECT(give_page((int)page, (int)s, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(env_ctl((int)s, ENV_START, 0), 0);
    S->slice = 1;
    while (S->slice_set != 1) exosched(EXOSCHED_BLOCK, EV_TICK, 0); // its entry is registered: it counts

    long c[CALLERS];
    for (int i = 0; i < CALLERS; i++) {
        c[i] = spawn(caller, i, SPAWN_STOPPED);
        if (!EXPECT(c[i] >= 0, 1)) return 1;
        EXPECT(give_page((int)page, (int)c[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        long h = capgrant((int)s, (int)c[i], CAP_X, 0, 0, 0);
        if (i == 0) S->server_h = h;
        else EXPECT(h, S->server_h);
    }
    for (int i = 0; i < CALLERS; i++) EXPECT(env_ctl((int)c[i], ENV_START, 0), 0);
    for (int i = 0; i < CALLERS; i++)
        while (S->calls[i] == 0) exosched(EXOSCHED_BLOCK, EV_TICK, 0);

    watch((int)s, 1);
    watch((int)s, OWN_SLICE);
    S->stop = 1;
    for (int i = 0; i < CALLERS; i++) EXPECT(wait_child((int)c[i]), 0);
    EXPECT(S->bad, 0);
    printf(rt_failures() == 0 ? "ownstarve: ok\n" : "ownstarve: FAILED\n");
    return 0;
}
