// A chain of calls is its maker's, and so is what it costs: DEPTH environments, each
// calling the next, the innermost yielding as often as it can, beside a victim on a
// share of its own yielding for 3 ticks (victim.h), before and after the chain is built.
// The kernel walked a chain to find its root and its innermost callee at every entry of
// the chain's thread, and a call walked every caller above it, all with the one lock
// held: every hart's time (docs/exo.md, decision 8).
//
// Typed "cpuless", only the innermost node keeps its CPU, and the client loses its own
// once the chain is built: the thread then runs on the first CPU capability down the
// chain (Env.threadCap), which the kernel found by walking the chain whenever the
// thread changed; the innermost then calls a leaf that returns at once, in a loop, each
// call's start and end such a change.
#include "victim.h"

#define DEPTH 1500
#define STACK 0x20000000UL  // each node's call stack
#define SHARED 0x31000000UL

struct chain_shared {
    volatile long next_h, first_h, stop, reached, yields, ready, cpuless, leaf_h;
};
#define CS ((struct chain_shared *)SHARED)

static void entry(long caller, long depth, long a2, long a3, long a4, long a5, long a6) {
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    if (depth == DEPTH - 1) {
        CS->reached = 1;
        while (!CS->stop) {
            if (CS->cpuless) {
                exo_u64 none[6] = {0, 0, 0, 0, 0, 0}, out[6];
                if (pct_call((int)CS->leaf_h, none, out) != 0) break;
            } else {
                exosched(EXOSCHED_YIELD, 0, 0);
            }
            CS->yields++;
        }
    } else {
        exo_u64 args[6] = {depth + 1, 0, 0, 0, 0, 0}, out[6];
        r[0] = pct_call((int)CS->next_h, args, out);
    }
    pct_return(r);
}

static long node(long index) {
    long r = page_map(STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    __atomic_fetch_add(&CS->ready, 1, __ATOMIC_SEQ_CST); // a call into it now finds its entry
    if (CS->cpuless && index != DEPTH - 1) capfree(EXO_BOOT_CPU);
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static void leaf_entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long leaf(long unused) {
    long r = page_map(STACK);
    if (r >= 0) r = pct_register((void (*)(void))leaf_entry, STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    __atomic_fetch_add(&CS->ready, 1, __ATOMIC_SEQ_CST);
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static long client(long unused) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    return pct_call((int)CS->first_h, args, out);
}

// The console's first line, if any (the mode).
static void read_line(char *buf, int max) {
    int n = 0;
    while (n < max - 1) {
        long r = exo_cons_read(EXO_BOOT_CONSOLE, buf + n, 1);
        if (r == E_AGAIN) {
            exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0);
            continue;
        }
        if (r != 1 || buf[n] == '\n') break;
        n++;
    }
    buf[n] = 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    char mode[16];
    read_line(mode, sizeof mode);
    CS->cpuless = strcmp(mode, "cpuless") == 0;
    victim_start();
    long before = victim_round();
    static long n[DEPTH];
    for (int i = 0; i < DEPTH; i++) {
        n[i] = spawn(node, i, SPAWN_STOPPED);
        if (n[i] < 0) { printf("pctchain: spawn %d failed: %ld\n", i, n[i]); return 1; }
        EXPECT(give_page((int)page, (int)n[i], SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    }
    for (int i = 0; i + 1 < DEPTH; i++) {
        long h = capgrant((int)n[i + 1], (int)n[i], CAP_X, 0, 0, 0);
        if (i == 0) CS->next_h = h; // made alike, so the same handle in every node
        else EXPECT(h, CS->next_h);
    }
    long l = spawn(leaf, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)page, (int)l, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    CS->leaf_h = capgrant((int)l, (int)n[DEPTH - 1], CAP_X, 0, 0, 0);
    EXPECT(env_ctl((int)l, ENV_START, 0), 0);
    for (int i = 0; i < DEPTH; i++) EXPECT(env_ctl((int)n[i], ENV_START, 0), 0);
    // Every node registered before the first call: on two harts the client could reach a
    // node not yet registered, the call was refused, and this waited for ever.
    WAIT_UNTIL(CS->ready >= DEPTH + 1, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    // The client runs on a share of ours, which we take back once the chain is built.
    long share = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);
    int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)share};
    long c = spawn_with(client, 0, SPAWN_STOPPED, handles);
    EXPECT(give_page((int)page, (int)c, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    CS->first_h = capgrant((int)n[0], (int)c, CAP_X, 0, 0, 0);
    EXPECT(env_ctl((int)c, ENV_START, 0), 0);
    WAIT_UNTIL(CS->reached, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    if (CS->cpuless) EXPECT(caprevoke((int)share), 1);
    long y0 = CS->yields;
    long after = victim_round();
    long chain = CS->yields - y0;
    if (CS->cpuless) EXPECT(capgrant((int)share, (int)c, CAP_X, 0, 0, 0) >= 0, 1); // so that the chain unwinds
    CS->stop = 1;
    EXPECT(wait_child((int)c), 0);
    printf("pctchain: the victim yielded %ld times in 3 ticks, %ld beside a chain of %d calls%s (whose innermost %s %ld times)\n",
           before, after, DEPTH, CS->cpuless ? " under a root without CPU" : "", CS->cpuless ? "called a leaf" : "yielded", chain);
    return 0;
}
