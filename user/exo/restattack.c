// The callee's rest under attack (red team 21). Red team 20 made a callee rest once calls
// have kept its own thread from running for a tick: the next call waits until that thread
// has had a turn (ProtectedControlTransfer.restFirst). Every round here starts a server
// whose own thread works (it counts, never blocking) on a CPU share of its own, and
// CALLERS callers calling it by turns, so the server rests about once a tick; then /init
// strikes at a point that moves from round to round (a count of its own spins): it
// destroys the server, stops it, revokes its CPU, destroys a caller, revokes a caller's
// handle, or lets the server's own thread fault. Each round must end with every caller
// told what happened (a result, E_DEAD, E_BADCAP) and no call waiting for a rest that
// cannot come; the invariant checker runs after every kernel entry (ExoAttackTest).
//
// Then what a rest costs and gives, each over WATCH ticks:
//   chain   callers call B, whose entry calls C, whose own thread works: C rests in the
//           middle of a chain, and its callers' callers help it.
//   slice   the server's own thread on slices of SLICE_MAX ticks: the longest a rest holds.
//   share   a third party V that calls no one, beside the server and its callers: V's
//           ticks, and V's beside four environments that only spin, as a baseline.
// Prints one line each; "restattack: ok" at the end.
#include "rt.h"

#define CALLERS 3
#define ROUNDS 2
#define WATCH 5
#define SHARED 0x31000000UL
#define SERVER_STACK 0x20000000UL
#define SERVERS 2

// What a server's own thread does.
enum { OWN_WORK, OWN_FAULT, OWN_SLICE };

struct shared {
    volatile long mode;                // the servers' own threads' (OWN_*)
    volatile long fault_at;            // OWN_FAULT: the count at which the own thread faults
    volatile long own[SERVERS];        // each server's own count
    volatile long served[SERVERS];     // calls each served
    volatile long slice_set[SERVERS];  // each server's own thread is on its slice (OWN_SLICE) or registered
    volatile long stop;                // callers stop calling
    volatile long calls[CALLERS];      // calls each caller made
    volatile long ends[CALLERS];       // how each caller's last call ended: 0, or the error that ended its loop
    volatile long bad;                 // results that were neither right nor an error the attack explains
    volatile long watching, longest;   // the longest round trip while watching, in ticks
    volatile long handle[CALLERS][SERVERS]; // each caller's handles on the servers it calls
    volatile long nservers;            // how many servers each caller calls, in turn
    volatile long inner;               // the chain: B's handle on C (0: no chain)
    volatile long spins;               // the third party's count
};

#define S ((struct shared *)SHARED)

static int me; // a server's index (set before each spawn: the child gets a copy)

static void entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    S->served[me]++;
    for (volatile int i = 0; i < 2000; i++) {
    }
    exo_u64 r[6] = {a1 + 1, 0, 0, 0, 0, 0};
    if (S->inner && me == 0) { // B: the rest of the work is C's
        exo_u64 args[6] = {a1, 0, 0, 0, 0, 0}, out[6];
        long e = pct_call((int)S->inner, args, out);
        if (e != 0) r[0] = e; // (C's end: the caller sees the error)
        else if (out[0] != a1 + 1) S->bad++;
    }
    pct_return(r);
}

static long server(long i) {
    long r = page_map(SERVER_STACK);
    if (r >= 0) r = pct_register((void (*)(void))entry, SERVER_STACK + EXO_PGSIZE, PCT_ANY);
    if (r < 0) return r;
    if (S->mode == OWN_SLICE && exosched(EXOSCHED_SLICE, 100, 0) != 0) S->bad++;
    S->slice_set[i] = 1;
    if (S->inner && i == 0) // B works only in calls
        for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
    for (;;) {
        S->own[i]++;
        if (S->mode == OWN_FAULT && S->own[i] == S->fault_at) *(volatile long *)8 = 1; // no handler: its end
    }
}

static long caller(long i) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    for (long n = 0; !S->stop; n++) {
        args[0] = (exo_u64)S->calls[i];
        long t0 = exo_ticks(EXO_BOOT_CLOCK);
        long r = pct_call((int)S->handle[i][n % S->nservers], args, out);
        long t = exo_ticks(EXO_BOOT_CLOCK) - t0;
        if (r == E_DEAD || r == E_BADCAP || (r == 0 && (long)out[0] == E_DEAD)) {
            S->ends[i] = r == 0 ? E_DEAD : r;
            return 0;
        }
        if (r != 0 || out[0] != args[0] + 1) S->bad++;
        if (S->watching && t > S->longest) S->longest = t;
        S->calls[i]++;
    }
    return 0;
}

static long spinner(long unused) {
    for (;;) S->spins++;
}

static long page; // the shared page's handle

// A child on a CPU share of its own (cpu: our handle for the share, so we can revoke it).
static long child(long (*fn)(long), long arg, long *cpu) {
    long share = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);
    const int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)share};
    long h = spawn_with(fn, arg, SPAWN_STOPPED, handles);
    if (!EXPECT(share >= 0 && h >= 0, 1)) exit(1);
    EXPECT(give_page((int)page, (int)h, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    if (cpu) *cpu = share;
    return h;
}

struct cast {
    long server[SERVERS], server_cpu[SERVERS];
    long caller[CALLERS], through[CALLERS][SERVERS]; // what each caller's handle derives from
};

static void reset(int mode) {
    memset((void *)S, 0, sizeof *S);
    S->mode = mode;
    S->nservers = 1;
}

// Starts n servers and the callers, each caller with a handle on each server; returns once
// every caller has made a call.
static void start(struct cast *c, int n) {
    S->nservers = n;
    for (int j = 0; j < n; j++) {
        me = j;
        c->server[j] = child(server, j, &c->server_cpu[j]);
        EXPECT(env_ctl((int)c->server[j], ENV_START, 0), 0);
        WAIT_UNTIL(S->slice_set[j], exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    }
    for (int i = 0; i < CALLERS; i++) {
        c->caller[i] = child(caller, i, 0);
        for (int j = 0; j < n; j++) {
            c->through[i][j] = capgrant((int)c->server[j], EXO_SELF, CAP_ALL, 0, 0, 0);
            S->handle[i][j] = capgrant((int)c->through[i][j], (int)c->caller[i], CAP_X, 0, 0, 0);
            EXPECT(S->handle[i][j] >= 0, 1);
        }
    }
    for (int i = 0; i < CALLERS; i++) EXPECT(env_ctl((int)c->caller[i], ENV_START, 0), 0);
    for (int i = 0; i < CALLERS; i++) WAIT_UNTIL(S->calls[i] > 0 || S->ends[i], exosched(EXOSCHED_BLOCK, EV_TICK, 0));
}

// Every caller ends (told to stop, or by what the attack did); then the servers go.
static void finish(struct cast *c, int n) {
    S->stop = 1;
    for (int i = 0; i < CALLERS; i++) EXPECT(wait_child((int)c->caller[i]), 0);
    for (int j = 0; j < n; j++) {
        env_ctl((int)c->server[j], ENV_DESTROY, 0);
        wait_child((int)c->server[j]);
        caprevoke((int)c->server_cpu[j]);
        capfree((int)c->server_cpu[j]);
        for (int i = 0; i < CALLERS; i++) capfree((int)c->through[i][j]);
    }
}

static long calls_now(void) {
    long n = 0;
    for (int i = 0; i < CALLERS; i++) n += S->calls[i];
    return n;
}

// Calls go on for two ticks: no caller waits for a rest that cannot come.
static int calls_go_on(void) {
    long before = calls_now();
    sleep_ticks(2);
    return calls_now() > before;
}

enum { KILL_SERVER, STOP_SERVER, REVOKE_CPU, KILL_CALLER, REVOKE_CALLER, FAULT, ATTACKS };
static const char *names[ATTACKS] = {"kill-server", "stop-server", "revoke-cpu", "kill-caller", "revoke-caller", "fault"};

static void attack(int what, int round) {
    struct cast c;
    reset(what == FAULT ? OWN_FAULT : OWN_WORK);
    S->fault_at = -1;
    start(&c, 1);
    sleep_ticks(2); // calls have kept the server's own thread: it has rested, and will again
    for (volatile long i = 0; i < round * 7919; i++) {
    } // where in the tick the blow falls moves each round
    int victim = round % CALLERS;
    switch (what) {
    case KILL_SERVER:
        EXPECT(env_ctl((int)c.server[0], ENV_DESTROY, 0), 0);
        for (int i = 0; i < CALLERS; i++) WAIT_UNTIL(S->ends[i] == E_DEAD, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
        break;
    case STOP_SERVER: { // a stopped server serves its calls: nothing waits for its own thread now
        long own = S->own[0];
        EXPECT(env_ctl((int)c.server[0], ENV_STOP, 0), 0);
        EXPECT(calls_go_on(), 1);
        long own1 = S->own[0];
        sleep_ticks(1);
        EXPECT(S->own[0] == own1 && own1 >= own, 1); // (its own code stopped)
        EXPECT(env_ctl((int)c.server[0], ENV_START, 0), 0);
        EXPECT(calls_go_on(), 1);
        break;
    }
    case REVOKE_CPU: { // its own thread can run no more: at most the turn a rest under way owes it
        EXPECT(caprevoke((int)c.server_cpu[0]) >= 1, 1);
        EXPECT(calls_go_on(), 1);
        long own = S->own[0];
        EXPECT(calls_go_on(), 1);
        EXPECT(S->own[0], own);
        break;
    }
    case KILL_CALLER:
        EXPECT(env_ctl((int)c.caller[victim], ENV_DESTROY, 0), 0);
        EXPECT(wait_child((int)c.caller[victim]), 0);
        c.caller[victim] = -1;
        EXPECT(calls_go_on(), 1);
        break;
    case REVOKE_CALLER:
        EXPECT(caprevoke((int)c.through[0][0]) >= 1, 1); // caller 0's handle
        WAIT_UNTIL(S->ends[0] == E_BADCAP, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
        EXPECT(calls_go_on(), 1);
        break;
    case FAULT:
        S->fault_at = S->own[0] + 1 + round * 1009; // its own thread faults a little later each round
        for (int i = 0; i < CALLERS; i++) WAIT_UNTIL(S->ends[i] == E_DEAD, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
        break;
    }
    if (what == KILL_CALLER) { // (it has been waited for)
        S->stop = 1;
        for (int i = 0; i < CALLERS; i++)
            if (i != victim) EXPECT(wait_child((int)c.caller[i]), 0);
        c.caller[victim] = c.caller[(victim + 1) % CALLERS];
        env_ctl((int)c.server[0], ENV_DESTROY, 0);
        wait_child((int)c.server[0]);
        caprevoke((int)c.server_cpu[0]);
        capfree((int)c.server_cpu[0]);
        for (int i = 0; i < CALLERS; i++) capfree((int)c.through[i][0]);
    } else {
        finish(&c, 1);
    }
    EXPECT(S->bad, 0);
}

// WATCH ticks of calls with n servers: each server's own ticks and count, the calls, the longest round trip.
static void watch(const char *what, struct cast *c, int n) {
    long own0[SERVERS], ticks0[SERVERS];
    for (int j = 0; j < n; j++) own0[j] = S->own[j], ticks0[j] = env_ticks((int)c->server[j]);
    long calls0 = calls_now(), t0 = exo_ticks(EXO_BOOT_CLOCK);
    S->longest = 0;
    S->watching = 1;
    sleep_ticks(WATCH);
    S->watching = 0;
    printf("restattack: %s: over %ld ticks, %ld calls, the longest round trip %ld ticks; own ticks", what,
           exo_ticks(EXO_BOOT_CLOCK) - t0, calls_now() - calls0, S->longest);
    for (int j = 0; j < n; j++) printf(" %ld", env_ticks((int)c->server[j]) - ticks0[j]);
    printf(", counted");
    for (int j = 0; j < n; j++) printf(" %ld", S->own[j] - own0[j]);
    printf("\n");
}

// The chain: callers -> B -> C, C's own thread working; then C is destroyed under it.
static void chain(void) {
    struct cast c;
    reset(OWN_WORK);
    me = 1;
    long cc, ccpu;
    cc = child(server, 1, &ccpu);
    EXPECT(env_ctl((int)cc, ENV_START, 0), 0);
    WAIT_UNTIL(S->slice_set[1], exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    // B is server 0; it gets a handle on C before it starts (inner is read in calls only).
    S->inner = -1;
    me = 0;
    c.server[0] = child(server, 0, &c.server_cpu[0]);
    S->inner = capgrant((int)cc, (int)c.server[0], CAP_X, 0, 0, 0);
    EXPECT(S->inner >= 0, 1);
    EXPECT(env_ctl((int)c.server[0], ENV_START, 0), 0);
    WAIT_UNTIL(S->slice_set[0], exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    for (int i = 0; i < CALLERS; i++) {
        c.caller[i] = child(caller, i, 0);
        c.through[i][0] = capgrant((int)c.server[0], EXO_SELF, CAP_ALL, 0, 0, 0);
        S->handle[i][0] = capgrant((int)c.through[i][0], (int)c.caller[i], CAP_X, 0, 0, 0);
    }
    for (int i = 0; i < CALLERS; i++) EXPECT(env_ctl((int)c.caller[i], ENV_START, 0), 0);
    for (int i = 0; i < CALLERS; i++) WAIT_UNTIL(S->calls[i] > 0, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    long ct = env_ticks((int)cc), co = S->own[1];
    struct cast w = c;
    w.server[1] = cc;
    watch("chain (B's, C's)", &w, 2);
    EXPECT(env_ticks((int)cc) - ct > 0 && S->own[1] > co, 1); // C's own thread ran, in the middle of the chain
    EXPECT(env_ctl((int)cc, ENV_DESTROY, 0), 0); // C goes: B's calls into it fail, and B's callers learn it
    for (int i = 0; i < CALLERS; i++) WAIT_UNTIL(S->ends[i] == E_DEAD, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    wait_child((int)cc);
    caprevoke((int)ccpu);
    capfree((int)ccpu);
    finish(&c, 1);
    EXPECT(S->bad, 0);
}

static void measure(const char *what, int mode, int n) {
    struct cast c;
    reset(mode);
    start(&c, n);
    if (mode == OWN_SLICE) sleep_ticks(2); // (its first long turn under way)
    watch(what, &c, n);
    finish(&c, n);
    EXPECT(S->bad, 0);
}

// V's ticks over WATCH, beside the server and its callers, and beside four spinners.
static void share(void) {
    struct cast c;
    long vcpu, v;
    for (int baseline = 0; baseline < 2; baseline++) {
        reset(OWN_WORK);
        v = child(spinner, 0, &vcpu);
        EXPECT(env_ctl((int)v, ENV_START, 0), 0);
        long others[1 + CALLERS], ocpu[1 + CALLERS];
        if (baseline) {
            for (int i = 0; i < 1 + CALLERS; i++) {
                others[i] = child(spinner, 0, &ocpu[i]);
                EXPECT(env_ctl((int)others[i], ENV_START, 0), 0);
            }
        } else {
            start(&c, 1);
        }
        sleep_ticks(2);
        long v0 = env_ticks((int)v), t0 = exo_ticks(EXO_BOOT_CLOCK);
        long s0 = baseline ? 0 : env_ticks((int)c.server[0]);
        sleep_ticks(WATCH);
        long vt = env_ticks((int)v) - v0, t = exo_ticks(EXO_BOOT_CLOCK) - t0;
        if (baseline) {
            printf("restattack: share: over %ld ticks beside four spinners, V ran into %ld\n", t, vt);
            for (int i = 0; i < 1 + CALLERS; i++) {
                env_ctl((int)others[i], ENV_DESTROY, 0);
                wait_child((int)others[i]);
                caprevoke((int)ocpu[i]);
                capfree((int)ocpu[i]);
            }
        } else {
            printf("restattack: share: over %ld ticks beside the server and %d callers, V ran into %ld, the server's own "
                   "thread %ld\n", t, CALLERS, vt, env_ticks((int)c.server[0]) - s0);
            finish(&c, 1);
        }
        env_ctl((int)v, ENV_DESTROY, 0);
        wait_child((int)v);
        caprevoke((int)vcpu);
        capfree((int)vcpu);
    }
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    page = page_map(SHARED);
    EXPECT(page >= 0, 1);
    for (int what = 0; what < ATTACKS; what++) {
        for (int round = 0; round < ROUNDS; round++) attack(what, round);
        printf("restattack: %s: %d rounds held\n", names[what], ROUNDS);
    }
    chain();
    measure("slice", OWN_SLICE, 1);
    share();
    printf(rt_failures() == 0 ? "restattack: ok\n" : "restattack: FAILED\n");
    return 0;
}
