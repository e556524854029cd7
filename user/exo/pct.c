// Protected control transfer: six arguments in and six results out, in registers; nested
// calls; the callee's own thread of control kept aside during a call; and the errors.
#include "rt.h"

#define SERVER_STACK 0x20000000UL // the page the callee's calls run on

enum { OP_COMPUTE, OP_NESTED, OP_SELF, OP_DIE };

static long calls;  // in each server's own copy of the data page
static long waited; // how often the server's own thread woke

// The entry: a0 = the caller's id, a1..a6 = its arguments (a1 is the operation here).
static void entry(long caller, long op, long a, long b, long c, long d, long e) {
    calls++;
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    if (op == OP_COMPUTE) {
        r[0] = a + b;
        r[1] = b * c;
        r[2] = c - d;
        r[3] = d ^ 0x5555;
        r[4] = caller;
        r[5] = calls + e;
    } else if (op == OP_NESTED) {
        // Call on into the environment named by our handle e, and add one to what it says.
        exo_u64 args[6] = {OP_COMPUTE, a, b, c, d, 0}, out[6];
        long s = pct_call((int)e, args, out);
        for (int i = 0; i < 6; i++) r[i] = out[i] + 1;
        r[5] = s;
    } else if (op == OP_SELF) {
        exo_u64 args[6] = {OP_COMPUTE, 0, 0, 0, 0, 0}, out[6];
        r[0] = pct_call(EXO_SELF, args, out);
    } else if (op == OP_DIE) {
        exit(9);
    }
    pct_return(r);
}

// A server: registers its entry, then its own thread sleeps; calls run whenever they come.
static long server(long policy) {
    long r = page_map(SERVER_STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, SERVER_STACK + EXO_PGSIZE, (int)policy);
    if (r < 0) return r;
    for (;;) {
        exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
        waited++;
    }
}

static long env_id(int h) {
    struct exo_envinfo info;
    return env_ctl(h, ENV_INFO, &info) < 0 ? -1 : info.id;
}

// Calls until the server has registered its entry (E_REFUSED until then).
static long call(int env, exo_u64 *args, exo_u64 *out) {
    long r;
    WAIT_UNTIL((r = pct_call(env, args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    return r;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long me = exo_envid();
    long s1 = spawn(server, PCT_ANY, 0);
    long s2 = spawn(server, PCT_ANY, 0);
    EXPECT(s1 >= 0 && s2 >= 0, 1);

    exo_u64 args[6] = {OP_COMPUTE, 1, 2, 3, 40, 100}, out[6];
    EXPECT(call((int)s1, args, out), 0);
    EXPECT(out[0], 3);
    EXPECT(out[1], 6);
    EXPECT(out[2], 3 - 40);
    EXPECT(out[3], 40 ^ 0x5555);
    EXPECT(out[4], me);
    EXPECT(out[5], 101);
    printf("pct: results %ld %ld %ld %ld %ld %ld\n", (long)out[0], (long)out[1], (long)out[2], (long)out[3],
           (long)out[4], (long)out[5]);

    // Many round trips, each with its own values: nothing leaks from one call to the next.
    int wrong = 0;
    for (long i = 1; i <= 1000; i++) {
        exo_u64 a[6] = {OP_COMPUTE, i, i * 3, i << 20, -i, 0}, o[6];
        if (pct_call((int)s1, a, o) != 0 || o[0] != (exo_u64)(i + i * 3) || o[1] != (exo_u64)(i * 3 * (i << 20)) ||
            o[2] != (exo_u64)((i << 20) + i) || o[3] != (exo_u64)(-i ^ 0x5555) || o[4] != (exo_u64)me ||
            o[5] != (exo_u64)(i + 1))
            wrong++;
    }
    EXPECT(wrong, 0);
    // Its own thread sleeps, the calls notwithstanding. (On two harts it may have been
    // answering calls before it reached its sleep: the entry is registered first.)
    for (int i = 0; i < 100000 && env_state((int)s1) == ENV_STATE_RUNNABLE; i++) exosched(EXOSCHED_YIELD, 0, 0);
    EXPECT(env_state((int)s1), ENV_STATE_BLOCKED);

    // Nested: s1 calls s2 through a handle we grant it, and adds one to each result.
    long s2_for_s1 = capgrant((int)s2, (int)s1, CAP_X, 0, 0, 0);
    EXPECT(s2_for_s1 >= 0, 1);
    exo_u64 nested[6] = {OP_NESTED, 10, 20, 30, 4, s2_for_s1};
    EXPECT(call((int)s2, args, out), 0); // s2 is up
    EXPECT(pct_call((int)s1, nested, out), 0);
    EXPECT(out[0], 31);
    EXPECT(out[1], 601);
    EXPECT(out[2], 27);
    EXPECT(out[3], (4 ^ 0x5555) + 1);
    EXPECT(out[4], env_id((int)s1) + 1); // s2 was called by s1
    EXPECT(out[5], 0);                   // s1's call into s2 succeeded

    // Errors. out is untouched when the transfer fails.
    out[0] = 77;
    EXPECT(pct_call(EXO_SELF, args, out), E_REFUSED); // we registered no entry
    EXPECT(pct_call(12345, args, out), E_BADCAP);
    EXPECT(pct_call(EXO_BOOT_CONSOLE, args, out), E_TYPE);
    long weak = capgrant((int)s1, EXO_SELF, CAP_R, 0, 0, 0);
    EXPECT(pct_call((int)weak, args, out), E_RIGHTS); // no CAP_X
    EXPECT(out[0], 77);
    exo_u64 self[6] = {OP_SELF, 0, 0, 0, 0, 0};
    EXPECT(pct_call((int)s1, self, out), 0);
    EXPECT(out[0], E_BUSY); // s1 calling itself would wait for itself

    // A server that accepts only callers it holds a capability for: we are not one.
    long picky = spawn(server, PCT_KNOWN, 0);
    long r;
    for (int i = 0; i < 100 && (r = pct_call((int)picky, args, out)) == E_REFUSED; i++) exosched(EXOSCHED_YIELD, 0, 0);
    EXPECT(r, E_REFUSED);

    // A callee that dies during the call: the call fails with E_DEAD, and later ones too.
    exo_u64 die[6] = {OP_DIE, 0, 0, 0, 0, 0};
    EXPECT(pct_call((int)s2, die, out), E_DEAD);
    EXPECT(wait_child((int)s2), 9);
    EXPECT(pct_call((int)s2, args, out), E_DEAD);
    // s1's handle for s2 still names it (exited): s1's nested call reports E_DEAD.
    EXPECT(pct_call((int)s1, nested, out), 0);
    EXPECT(out[5], E_DEAD);

    env_ctl((int)s1, ENV_DESTROY, 0);
    env_ctl((int)picky, ENV_DESTROY, 0);
    printf("pct: %d checks, %s\n", rt_checks, rt_failures() ? "FAILED" : "all passed");
    return 0;
}
