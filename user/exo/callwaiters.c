// Threads helping a chain another CPU runs cost no one's turn: a turn of a thread whose
// call waits for a busy callee runs the chain serving that callee (helping), so such a
// thread can run now and is a member of its share's round; but while another CPU runs
// that chain, the turn has nothing to run. Here a victim on a share of its own yields as
// often as it can for 3 ticks, while /init sleeps; then /init starts WAITERS environments
// on a second share, each calling one server whose entry spins until told to stop, and
// the victim yields for 3 ticks again. On two harts one of them runs the server's call
// while the victim yields on the other, and a pick that passed over every waiter of the
// busy server cost each of the victim's yields that many steps (docs/exo.md, decision
// 9). ExoAttackTest counts the scheduler's steps; by hand, `scripts/kernel-exo` on the
// wall clock compares the two counts this prints.
#include "victim.h"

#define WAITERS 300
#define SERVER_STACK 0x20000000UL // the page the server's calls run on
#define SERVER_SHARED 0x31000000UL

struct server_shared {
    volatile long stop, calls;
};

#define SS ((struct server_shared *)SERVER_SHARED)

static long server_h; // the server's handle in each waiter (the same in all: they are made alike)

static void entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    SS->calls++;
    while (!SS->stop) {
        for (volatile int i = 0; i < 1000; i++) {
        }
    }
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long server(long unused) {
    long r = page_map(SERVER_STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, SERVER_STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static long waiter(long unused) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    long r;
    WAIT_UNTIL((r = pct_call((int)server_h, args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    return r;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SERVER_SHARED);
    long s = spawn(server, 0, SPAWN_STOPPED);
    EXPECT(s >= 0 && page >= 0, 1);
    EXPECT(give_page((int)page, (int)s, SERVER_SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(env_ctl((int)s, ENV_START, 0), 0);
    long group = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 1, 0);
    victim_start();
    long before = victim_round();

    const int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)group};
    static long w[WAITERS];
    for (int i = 0; i < WAITERS; i++) {
        w[i] = spawn_with(waiter, 0, SPAWN_STOPPED, handles);
        if (!EXPECT(w[i] >= 0, 1)) return 1;
        long h = capgrant((int)s, (int)w[i], CAP_X, 0, 0, 0);
        if (i == 0) server_h = h; // the first learns the handle for the others' copies; it never starts
        else EXPECT(h, server_h);
    }
    for (int i = 1; i < WAITERS; i++) EXPECT(env_ctl((int)w[i], ENV_START, 0), 0);
    // Until the server is busy and every other waiter waits for it.
    for (;;) {
        int blocked = 0;
        for (int i = 1; i < WAITERS; i++) blocked += env_state((int)w[i]) == ENV_STATE_BLOCKED;
        if (SS->calls == 1 && blocked == WAITERS - 2) break;
        exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    }
    long after = victim_round();
    SS->stop = 1;
    printf("callwaiters: the victim yielded %ld times in 3 ticks, %ld with %d waiters of a busy server\n", before, after,
           WAITERS - 1);
    return 0;
}
