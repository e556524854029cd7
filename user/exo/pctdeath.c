// A call survives its caller. Whatever happens to the caller of a protected control
// transfer (destroyed or stopped while the callee works), the callee runs the call to
// its end and is never resumed in a state it did not choose. Stopping the callee stops
// its own code, not the calls it serves. And a callee that was itself
// waiting to call on for a caller that died makes its own call when its turn comes, with
// its own arguments: no register of its own thread reaches anyone, and no result lands
// in its own thread.
#include "rt.h"

#define SHARED 0x30000000UL
#define STACK 0x31000000UL
#define WAIT 100000

enum { OP_SLOW, OP_GATE, OP_RELAY };

struct shared {
    long handle[4];             // per child: its handle on the callee it calls
    volatile long in_call;      // the slow call has begun
    volatile long release;      // ... and may end
    volatile long finished;     // slow calls run to their end
    volatile long gate;         // OP_GATE calls wait for this
    volatile long gated;        // an OP_GATE call is waiting
    volatile long relaying;     // the relay has made its nested call
    volatile long relay_done;   // ... and it returned, with this first result:
    volatile long relay_result;
    volatile long got[6];       // the arguments the gated callee's second call received
    volatile long own_bad;      // own threads woken with something that is not an event
    volatile long calls;
};

#define S ((struct shared *)SHARED)

// ---- callees ----

static void entry(long caller, long op, long a, long b, long c, long d, long e) {
    exo_u64 r[6] = {42, 0, 0, 0, 0, 0};
    long call = ++S->calls;
    if (op == OP_SLOW) {
        S->in_call = 1;
        WAIT_UNTIL(S->release, exosched(EXOSCHED_YIELD, 0, 0));
        S->finished++;
    } else if (op == OP_GATE) {
        if (call > 1) {     // the call made on behalf of the dead caller's callee
            long got[6] = {op, a, b, c, d, e};
            for (int i = 0; i < 6; i++) S->got[i] = got[i];
        }
        S->gated = 1;
        WAIT_UNTIL(S->gate, exosched(EXOSCHED_YIELD, 0, 0));
        r[0] = 7;
    } else if (op == OP_RELAY) {
        // Call on into the gated callee (handle a), which is busy: wait in its queue.
        exo_u64 args[6] = {OP_GATE, 111, 112, 113, 114, 115}, out[6] = {0};
        S->relaying = 1;
        long s = pct_call((int)a, args, out);
        S->relay_result = s == 0 ? (long)out[0] : s;
        S->relay_done = 1;
    }
    pct_return(r);
}

// A callee's own thread: sleeps, and checks what each wake-up returned.
static long callee(long unused) {
    if (page_map(STACK) < 0 || pct_register((void (*)(void))entry, STACK + EXO_PGSIZE, PCT_ANY) < 0) return -1;
    for (;;) {
        long ev = exosched(EXOSCHED_BLOCK, EV_NOTICE | EV_PCT, 0);
        if (ev <= 0 || (ev & ~(EV_NOTICE | EV_PCT)) != 0) S->own_bad++;
    }
}

// ---- callers: child i calls through S->handle[i] with op ----

static long caller(long arg) {
    long i = arg & 0xff, op = arg >> 8;
    exo_u64 args[6] = {(exo_u64)op, (exo_u64)S->handle[3], 0, 0, 0, 0}, out[6] = {0};
    // A callee just started may not have registered its entry yet: that refusal is
    // not the one under test, so wait it out.
    long r;
    WAIT_UNTIL((r = pct_call((int)S->handle[i], args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    return r == 0 ? (long)out[0] : r;
}

static long child(long (*fn)(long), long arg, long callee_h, int i, long page) {
    long c = spawn(fn, arg, SPAWN_STOPPED);
    if (c < 0) return c;
    give_page((int)page, (int)c, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    S->handle[i] = capgrant((int)callee_h, (int)c, CAP_X, 0, 0, 0);
    env_ctl((int)c, ENV_START, 0);
    return c;
}

static void until(volatile long *flag, long want) {
    for (int i = 0; i < WAIT && *flag < want; i++) exosched(EXOSCHED_YIELD, 0, 0);
}

static void until_blocked(long env) {
    for (int i = 0; i < WAIT && env_state((int)env) != ENV_STATE_BLOCKED; i++) exosched(EXOSCHED_YIELD, 0, 0);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long page = page_map(SHARED);
    long s = spawn(callee, 0, SPAWN_STOPPED);
    give_page((int)page, (int)s, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    env_ctl((int)s, ENV_START, 0);
    exo_u64 args[6] = {OP_SLOW}, out[6];
    S->release = 1;
    long r;
    WAIT_UNTIL((r = pct_call((int)s, args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    EXPECT(r, 0);
    EXPECT(S->finished, 1);

    // The caller is destroyed in the middle of the call: the call still runs to its end.
    S->in_call = S->release = 0;
    long c = child(caller, 0 | OP_SLOW << 8, s, 0, page);
    until(&S->in_call, 1);
    EXPECT(env_ctl((int)c, ENV_DESTROY, (void *)5L), 0);
    S->release = 1;
    until(&S->finished, 2);
    EXPECT(S->finished, 2);
    EXPECT(pct_call((int)s, args, out), 0);     // and the callee is free for the next
    EXPECT(out[0], 42);
    capfree((int)c);

    // The caller is stopped in the middle: the call ends; the caller gets its result
    // when it is started again.
    S->in_call = S->release = 0;
    c = child(caller, 1 | OP_SLOW << 8, s, 1, page);
    until(&S->in_call, 1);
    EXPECT(env_ctl((int)c, ENV_STOP, 0), 0);
    S->release = 1;
    until(&S->finished, 4);
    EXPECT(S->finished, 4);
    EXPECT(env_ctl((int)c, ENV_START, 0), 0);
    EXPECT(wait_child((int)c), 42);
    capfree((int)c);
    printf("pctdeath: calls ran to their end with their callers destroyed or stopped\n");

    // The callee is stopped in the middle: its own code stops, not the call it serves
    // (exo.h), which ends and returns to its caller; a new call runs too.
    S->in_call = S->release = 0;
    c = child(caller, 2 | OP_SLOW << 8, s, 2, page);
    until(&S->in_call, 1);
    EXPECT(env_ctl((int)s, ENV_STOP, 0), 0);
    S->release = 1;
    EXPECT(wait_child((int)c), 42);
    EXPECT(S->finished, 5);
    EXPECT(pct_call((int)s, args, out), 0);
    EXPECT(S->finished, 6);
    EXPECT(env_state((int)s), ENV_STATE_STOPPED);
    EXPECT(env_ctl((int)s, ENV_START, 0), 0);
    capfree((int)c);
    printf("pctdeath: a stopped callee's calls ran to their end\n");

    // A relay called by R calls on into a gated callee that is busy with another call, and
    // waits in its queue; R dies meanwhile. When the gate opens, the relay's own call is
    // served, with its arguments, and its result returns into that call.
    long g = spawn(callee, 0, SPAWN_STOPPED), relay = spawn(callee, 0, SPAWN_STOPPED);
    give_page((int)page, (int)g, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    give_page((int)page, (int)relay, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    S->handle[3] = capgrant((int)g, (int)relay, CAP_X, 0, 0, 0);
    env_ctl((int)g, ENV_START, 0);
    env_ctl((int)relay, ENV_START, 0);
    S->calls = 0;
    long x = child(caller, 2 | OP_GATE << 8, g, 2, page);      // occupies the gated callee
    until(&S->gated, 1);
    long rr = child(caller, 0 | OP_RELAY << 8, relay, 0, page);
    until(&S->relaying, 1);
    until_blocked(relay);                   // in the gated callee's queue
    EXPECT(env_ctl((int)rr, ENV_DESTROY, (void *)5L), 0);
    S->gate = 1;
    until(&S->relay_done, 1);
    EXPECT(S->relay_done, 1);
    EXPECT(S->relay_result, 7);
    long want[6] = {OP_GATE, 111, 112, 113, 114, 115};
    for (int i = 0; i < 6; i++) EXPECT(S->got[i], want[i]);
    EXPECT(wait_child((int)x), 7);
    EXPECT(S->own_bad, 0);
    printf("pctdeath: a queued call of a dead caller's callee carried its own arguments\n");

    env_ctl((int)s, ENV_DESTROY, 0);
    env_ctl((int)g, ENV_DESTROY, 0);
    env_ctl((int)relay, ENV_DESTROY, 0);
    printf("pctdeath: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
