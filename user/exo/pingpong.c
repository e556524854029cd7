// Two environments hand the CPU to each other with directed yield (EXOSCHED_YIELD_TO):
// each bumps a shared counter and yields to the other, which must have run in between.
#include "rt.h"

#define SHARED 0x30000000UL
#define ROUNDS 1000

struct shared {
    volatile long turn;     // even: ping's turn; odd: pong's
    long peer[2];           // each side's handle for the other
    long direct[2];         // yields after which the peer had run, as directed yield promises
    long again[2];          // E_AGAIN: the peer could not run then (on another hart)
    long done[2];
};

static long player(long side) {
    struct shared *s = (struct shared *)SHARED;
    int peer = (int)s->peer[side];
    for (long i = 0; i < ROUNDS; i++) {
        while (s->turn != 2 * i + side) exosched(EXOSCHED_YIELD, 0, 0); // only if the peer was elsewhere
        s->turn++;
        long r = exosched(EXOSCHED_YIELD_TO, peer, 0);
        if (r == E_AGAIN) s->again[side]++;
        else if (r == 0 && s->turn != 2 * i + side + 1) s->direct[side]++;
        else if (r != 0 && !(r == E_DEAD && i == ROUNDS - 1)) // (the peer may be gone after its last round)
            printf("FAIL yield_to = %ld\n", r);
    }
    s->done[side] = 1;
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    struct shared *s = (struct shared *)SHARED;
    long ping = spawn(player, 0, SPAWN_STOPPED);
    long pong = spawn(player, 1, SPAWN_STOPPED);
    EXPECT(page >= 0 && ping >= 0 && pong >= 0, 1);
    EXPECT(give_page((int)page, (int)ping, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)page, (int)pong, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    // Each gets a handle for the other that lets it yield to it (CAP_X) and nothing more.
    s->peer[0] = capgrant((int)pong, (int)ping, CAP_X, 0, 0, 0);
    s->peer[1] = capgrant((int)ping, (int)pong, CAP_X, 0, 0, 0);
    EXPECT(exosched(EXOSCHED_YIELD_TO, ping, 0), E_AGAIN); // stopped: it cannot run now
    env_ctl((int)ping, ENV_START, 0);
    env_ctl((int)pong, ENV_START, 0);
    EXPECT(wait_child((int)ping), 0);
    EXPECT(wait_child((int)pong), 0);
    EXPECT(s->turn, 2 * ROUNDS);
    EXPECT(s->done[0] && s->done[1], 1);
    printf("pingpong: %d rounds, turn %ld\n", ROUNDS, s->turn);
    printf("pingpong: directed %ld+%ld, again %ld+%ld\n", s->direct[0], s->direct[1], s->again[0], s->again[1]);
    printf("pingpong: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
