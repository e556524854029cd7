// The exokernel's basic costs, for xv6j.bench.ExoBench: each operation N times in a loop,
// between a "begin NAME" and an "end NAME N INSTRUCTIONS" line. The instructions are the
// user-mode instructions the hart retired meanwhile (every environment's: a round trip's
// both sides); ExoBench times the lines as they appear, for the wall time.
#include "rt.h"

#define N 20000
#define SHARED 0x30000000UL
#define STACK 0x31000000UL
#define SERVER_STACK 0x32000000UL
#define TOUCH 0x10000000UL
#define FAR 0x100000000UL
#define CROWD 50000

static unsigned long instret(void) {
    unsigned long n;
    asm volatile("rdinstret %0" : "=r"(n));
    return n;
}

static unsigned long t0;

static void begin(const char *name) {
    printf("begin %s\n", name);
    t0 = instret();
}

static void end(const char *name, long n) {
    unsigned long d = instret() - t0;
    printf("end %s %ld %lu\n", name, n, d);
}

// ---- upcalls ----

static long fault_page; // the page the handler mapped last

static void on_fault(struct exo_frame *f) {
    if (f->cause == 3) {
        f->regs.pc += (*(unsigned short *)f->regs.pc & 3) == 3 ? 4 : 2; // skip the ebreak
    } else if ((fault_page = page_map(f->tval & ~(exo_u64)(EXO_PGSIZE - 1))) < 0) {
        panic("exobench: cannot map 0x%lx", (long)f->tval);
    }
    exo_resume(f);
}

// ---- protected control transfer ----

static void entry(long caller, long a) {
    exo_u64 r[6] = {(exo_u64)a + 1, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long server(long unused) {
    if (page_map(SERVER_STACK) < 0) return -1;
    pct_register((void (*)(void))entry, SERVER_STACK + EXO_PGSIZE, PCT_ANY);
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

// ---- directed yield ----

struct shared {
    long peer[2];
    volatile long turn;
};

static long player(long side) {
    struct shared *s = (struct shared *)SHARED;
    if (side == 0) begin("yield_pingpong");
    for (long i = 0; i < N; i++) {
        while (s->turn != 2 * i + side) exosched(EXOSCHED_YIELD, 0, 0);
        s->turn++;
        exosched(EXOSCHED_YIELD_TO, s->peer[side], 0);
    }
    if (side == 0) end("yield_pingpong", N);
    return 0;
}

// ---- a futex word ----

// Two environments take turns through one word: each waits (EXOSCHED_WAIT) until the word
// says it is its turn, bumps it and wakes the other (EXOSCHED_WAKE).
static long waker(long side) {
    volatile int *w = (volatile int *)(SHARED + 64);
    if (side == 0) begin("wake_pingpong");
    for (long i = 0; i < N; i++) {
        int seen;
        while ((seen = *w) != 2 * i + side) exosched(EXOSCHED_WAIT, (long)w, seen);
        *w = seen + 1;
        exosched(EXOSCHED_WAKE, (long)w, 0);
    }
    if (side == 0) end("wake_pingpong", N);
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long sum = 0;

    begin("null_call");
    for (long i = 0; i < N; i++) sum += exo_envid();
    end("null_call", N);

    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) panic("no upcall stack");
    begin("fault_upcall");
    for (long i = 0; i < N; i++) asm volatile("ebreak");
    end("fault_upcall", N);

    long p = page_alloc();
    begin("map_unmap");
    for (long i = 0; i < N; i++) {
        exo_map(EXO_SELF, TOUCH, (int)p, MAP_R | MAP_W);
        exo_unmap(EXO_SELF, TOUCH);
    }
    end("map_unmap", N);

    // The same, of a page mapped at CROWD other addresses too: one unmap must not cost
    // more for a page that has many mappings (a list of them made it scan them all).
    for (long i = 0; i < CROWD; i++) exo_map(EXO_SELF, FAR + i * EXO_PGSIZE, (int)p, MAP_R);
    begin("unmap_crowded");
    for (long i = 0; i < N; i++) {
        exo_map(EXO_SELF, TOUCH, (int)p, MAP_R | MAP_W);
        exo_unmap(EXO_SELF, TOUCH);
    }
    end("unmap_crowded", N);
    capfree((int)p); // and with it every mapping

    // Each touch faults; the handler allocates and maps a page; then freeing it (which
    // unmaps it) makes the next touch fault again.
    begin("page_fault");
    for (long i = 0; i < N; i++) {
        *(volatile long *)TOUCH = i;
        capfree((int)fault_page);
    }
    end("page_fault", N);

    long srv = spawn(server, 0, 0);
    exo_u64 args[6] = {0}, out[6];
    while (pct_call((int)srv, args, out) == E_REFUSED) exosched(EXOSCHED_YIELD, 0, 0);
    begin("pct_roundtrip");
    for (long i = 0; i < N; i++) {
        args[0] = i;
        if (pct_call((int)srv, args, out) != 0 || out[0] != (exo_u64)i + 1) panic("exobench: bad call %ld", i);
    }
    end("pct_roundtrip", N);
    env_ctl((int)srv, ENV_DESTROY, 0);

    long page = page_map(SHARED);
    struct shared *s = (struct shared *)SHARED;
    long ping = spawn(player, 0, SPAWN_STOPPED), pong = spawn(player, 1, SPAWN_STOPPED);
    give_page((int)page, (int)ping, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    give_page((int)page, (int)pong, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    s->peer[0] = capgrant((int)pong, (int)ping, CAP_X, 0, 0, 0);
    s->peer[1] = capgrant((int)ping, (int)pong, CAP_X, 0, 0, 0);
    env_ctl((int)ping, ENV_START, 0);
    env_ctl((int)pong, ENV_START, 0);
    wait_child((int)ping);
    wait_child((int)pong);

    long wa = spawn(waker, 0, SPAWN_STOPPED), wb = spawn(waker, 1, SPAWN_STOPPED);
    give_page((int)page, (int)wa, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    give_page((int)page, (int)wb, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    env_ctl((int)wa, ENV_START, 0);
    env_ctl((int)wb, ENV_START, 0);
    wait_child((int)wa);
    wait_child((int)wb);

    printf("exobench: done %ld\n", sum);
    return 0;
}
