// Environments that destroy themselves in the middle of things (red team 19).
//
// First, a callee that ends itself inside its entry, serving one call with two more
// callers waiting in its queue: every caller's pct_call returns E_DEAD (none waits for
// good), the callee's status is the one it chose, and a later call is E_DEAD.
//
// Then, rounds in which a victim ends itself while an attacker on another hart (or in
// turn, on one) works on it as hard as it can: yields to it, grants and grantmaps pages
// into it, asks its state and calls it. In odd rounds the victim ends itself in its own
// thread, in even rounds inside the attacker's call. Every result is one the call may
// give (after the end, E_DEAD), and nothing granted into the dead outlives it: revoking
// the page finds only the attacker's own copy, and every page of the quota comes back.
#include "rt.h"

#define SHARED 0x30000000UL
#define STACK 0x31000000UL
#define GIVE 0x32000000UL    // where the attacker's grantmaps map the page in the victim
#define ROUNDS 6
#define WAIT 200000

struct shared {
    long handle[3];          // per caller: its CAP_X handle on the callee
    volatile long in_call;   // the callee has begun serving a call
    volatile long release;   // ... and may end itself
    volatile long calls;
    // the rounds
    volatile long round;     // even: the victim ends itself in the attacker's call
    volatile long victim_h;  // the attacker's handle on the victim (CAP_R|CAP_W|CAP_X)
    volatile long page_h;    // the attacker's handle on the page it grants (with CAP_GRANT)
    volatile long victim_go; // the victim may end itself
    volatile long bad;       // results no call may give
    volatile long last_bad_what, last_bad_r;
    volatile long ops;       // the attacker's calls this round
    volatile long after;     // calls it made after it saw the victim dead
    volatile long attack_done; // the attacker is done (1: it saw the victim dead; 2: never)
};

#define S ((struct shared *)SHARED)

// ---- part 1: a callee that ends itself while serving a call ----

static void ender_entry(long caller, long op) {
    exo_u64 r[6] = {42};
    S->calls++;
    S->in_call = 1;
    WAIT_UNTIL(S->release, exosched(EXOSCHED_YIELD, 0, 0));
    exit(9); // in the middle of the call, with callers queued
    pct_return(r);
}

static long ender(long unused) {
    if (page_map(STACK) < 0 || pct_register((void (*)(void))ender_entry, STACK + EXO_PGSIZE, PCT_ANY) < 0) return -1;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE | EV_PCT, 0);
}

static long caller(long i) {
    exo_u64 args[6] = {0}, out[6] = {0};
    long r;
    WAIT_UNTIL((r = pct_call((int)S->handle[i], args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    return r == 0 ? (long)out[0] : r;
}

static void until(volatile long *flag, long want) {
    for (int i = 0; i < WAIT && *flag < want; i++) exosched(EXOSCHED_YIELD, 0, 0);
}

static void until_blocked(long env) {
    for (int i = 0; i < WAIT && env_state((int)env) != ENV_STATE_BLOCKED; i++) exosched(EXOSCHED_YIELD, 0, 0);
}

static void ends_in_its_call(long page) {
    long s = spawn_sharing(ender, 0, 0, (int)page, SHARED);
    long c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = spawn_sharing(caller, i, SPAWN_STOPPED, (int)page, SHARED);
        S->handle[i] = capgrant((int)s, (int)c[i], CAP_X, 0, 0, 0);
    }
    EXPECT(env_ctl((int)c[0], ENV_START, 0), 0);
    until(&S->in_call, 1);
    EXPECT(S->in_call, 1);
    for (int i = 1; i < 3; i++) {
        EXPECT(env_ctl((int)c[i], ENV_START, 0), 0);
        until_blocked(c[i]); // in the callee's queue
        EXPECT(env_state((int)c[i]), ENV_STATE_BLOCKED);
    }
    S->release = 1;
    for (int i = 0; i < 3; i++) EXPECT(wait_child((int)c[i]), E_DEAD);
    EXPECT(wait_child((int)s), 9);
    EXPECT(S->calls, 1);
    exo_u64 args[6] = {0}, out[6];
    EXPECT(pct_call((int)s, args, out), E_DEAD);
    for (int i = 0; i < 3; i++) capfree((int)c[i]);
    capfree((int)s);
    printf("selfend: a callee that ended itself mid-call failed its caller and its queue with E_DEAD\n");
}

// ---- part 2: the victim ends itself while an attacker works on it ----

static void victim_entry(long caller, long op) {
    exo_u64 r[6] = {42};
    if ((S->round & 1) == 0 && S->victim_go) exit(7); // in the attacker's call
    pct_return(r);
}

static long victim(long unused) {
    if (page_map(STACK) < 0 || pct_register((void (*)(void))victim_entry, STACK + EXO_PGSIZE, PCT_ANY) < 0) return -1;
    WAIT_UNTIL(S->victim_go, exosched(EXOSCHED_YIELD, 0, 0));
    if (S->round & 1) exit(7); // in its own thread
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static void bad(long what, long r) {
    S->bad++;
    S->last_bad_what = what;
    S->last_bad_r = r;
}

static long attacker(long unused) {
    int v = (int)S->victim_h, p = (int)S->page_h;
    struct exo_envinfo info;
    exo_u64 args[6] = {0}, out[6];
    long dead_seen = 0;
    // Until a while after every call says the victim is dead.
    for (long i = 0; dead_seen < 64 && i < 2000000; i++) {
        long r, dead = 0;
        switch (i % 6) {
        case 0:
            r = exosched(EXOSCHED_YIELD_TO, v, 0);
            if (r == E_DEAD) dead = 1;
            else if (r != 0 && r != E_AGAIN) bad(0, r);
            break;
        case 1:
            r = capgrant(p, v, CAP_R, 0, 0, 0);
            if (r == E_DEAD) dead = 1;
            else if (r < 0) bad(1, r);
            break;
        case 2:
            r = exo_grantmap(p, v, CAP_R | CAP_W, GIVE, MAP_R | MAP_W);
            if (r == E_DEAD) dead = 1;
            else if (r < 0) bad(2, r);
            break;
        case 3:
            r = env_ctl(v, ENV_INFO, &info);
            if (r != 0) bad(3, r);
            else if (info.state == ENV_STATE_EXITED) dead = 1;
            break;
        case 4:
            r = pct_call(v, args, out);
            if (r == E_DEAD) dead = 1;
            else if (r == 0) { if (out[0] != 42) bad(4, (long)out[0]); }
            else if (r != E_REFUSED) bad(4, r);
            break;
        default:
            if (i == 6 * 20 * S->round + 5) S->victim_go = 1; // more calls in each round, let it end
            r = exo_map(v, GIVE, 5, MAP_R); // a handle number of its table we never learnt for sure
            if (r == E_DEAD) dead = 1;
            else if (r != 0 && r != E_BADCAP && r != E_TYPE) bad(5, r);
            break;
        }
        S->ops++;
        if (dead) dead_seen++;
        if (dead_seen) S->after++;
    }
    // Keep our copy of the page for /init to count, and wait to be destroyed.
    S->attack_done = dead_seen >= 64 ? 1 : 2;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static void ends_under_attack(long page) {
    struct exo_capinfo mem0, mem1;
    long ops = 0, after = 0;
    EXPECT(capinfo(EXO_BOOT_MEMORY, &mem0), 0);
    long given = page_alloc(); // the page the attacker grants on
    for (int round = 1; round <= ROUNDS; round++) {
        S->round = round;
        S->victim_go = 0;
        S->ops = S->after = S->attack_done = 0;
        long v = spawn_sharing(victim, 0, 0, (int)page, SHARED);
        long a = spawn_sharing(attacker, 0, SPAWN_STOPPED, (int)page, SHARED);
        S->victim_h = capgrant((int)v, (int)a, CAP_R | CAP_W | CAP_X, 0, 0, 0);
        S->page_h = capgrant((int)given, (int)a, CAP_R | CAP_W | CAP_GRANT, 0, 0, 0);
        EXPECT(S->victim_h >= 0 && S->page_h >= 0, 1);
        EXPECT(env_ctl((int)a, ENV_START, 0), 0);
        EXPECT(wait_child((int)v), 7);
        WAIT_UNTIL(S->attack_done, exosched(EXOSCHED_YIELD, 0, 0));
        EXPECT(S->attack_done, 1);
        // Nothing granted into the victim outlived it: only the attacker's copy is left.
        EXPECT(caprevoke((int)given), 1);
        EXPECT(env_ctl((int)a, ENV_DESTROY, 0), 0);
        capfree((int)a);
        capfree((int)v);
        ops += S->ops;
        after += S->after;
        if (S->bad) printf("FAIL round %d: %ld bad results (call %ld gave %ld)\n", round, S->bad, S->last_bad_what, S->last_bad_r);
        S->bad = 0;
    }
    capfree((int)given);
    EXPECT(capinfo(EXO_BOOT_MEMORY, &mem1), 0);
    EXPECT(mem1.used, mem0.used);
    printf("selfend: %d victims ended themselves under attack (%ld calls, %ld of them on the dead); every page came back\n",
           ROUNDS, ops, after);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    ends_in_its_call(page);
    ends_under_attack(page);
    printf("selfend: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
