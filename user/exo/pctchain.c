// A chain of calls is its maker's, and so is what it costs: DEPTH environments, each
// calling the next, the innermost yielding as often as it can, beside a victim on a
// share of its own yielding for 3 ticks (victim.h), before and after the chain is built.
// The kernel walked a chain to find its root and its innermost callee at every entry of
// the chain's thread, and a call walked every caller above it, all with the one lock
// held: every hart's time (docs/exo.md, decision 8).
#include "victim.h"

#define DEPTH 1500
#define STACK 0x20000000UL  // each node's call stack
#define SHARED 0x31000000UL

struct chain_shared {
    volatile long next_h, first_h, stop, reached, yields, ready;
};
#define CS ((struct chain_shared *)SHARED)

static void entry(long caller, long depth, long a2, long a3, long a4, long a5, long a6) {
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    if (depth == DEPTH - 1) {
        CS->reached = 1;
        while (!CS->stop) {
            exosched(EXOSCHED_YIELD, 0, 0);
            CS->yields++;
        }
    } else {
        exo_u64 args[6] = {depth + 1, 0, 0, 0, 0, 0}, out[6];
        r[0] = pct_call((int)CS->next_h, args, out);
    }
    pct_return(r);
}

static long node(long unused) {
    long r = page_map(STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    __atomic_fetch_add(&CS->ready, 1, __ATOMIC_SEQ_CST); // a call into it now finds its entry
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static long client(long unused) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    return pct_call((int)CS->first_h, args, out);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    victim_start();
    long before = victim_round();
    static long n[DEPTH];
    for (int i = 0; i < DEPTH; i++) {
        n[i] = spawn(node, 0, SPAWN_STOPPED);
        if (n[i] < 0) { printf("pctchain: spawn %d failed: %ld\n", i, n[i]); return 1; }
        EXPECT(give_page((int)page, (int)n[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    }
    for (int i = 0; i + 1 < DEPTH; i++) {
        long h = capgrant((int)n[i + 1], (int)n[i], CAP_X, 0, 0, 0);
        if (i == 0) CS->next_h = h; // made alike, so the same handle in every node
        else EXPECT(h, CS->next_h);
    }
    for (int i = 0; i < DEPTH; i++) EXPECT(env_ctl((int)n[i], ENV_START, 0), 0);
    // Every node registered before the first call: on two harts the client could reach a
    // node not yet registered, the call was refused, and this waited for ever.
    while (CS->ready < DEPTH) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    long c = spawn(client, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)page, (int)c, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    CS->first_h = capgrant((int)n[0], (int)c, CAP_X, 0, 0, 0);
    EXPECT(env_ctl((int)c, ENV_START, 0), 0);
    while (!CS->reached) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    long y0 = CS->yields;
    long after = victim_round();
    long chain = CS->yields - y0;
    CS->stop = 1;
    EXPECT(wait_child((int)c), 0);
    printf("pctchain: the victim yielded %ld times in 3 ticks, %ld beside a chain of %d calls (whose innermost yielded %ld)\n",
           before, after, DEPTH, chain);
    return 0;
}
