// A call into an environment that is in its upcall handler. The handler's frame and its
// stack are the environment's own state, which exo.h promises to keep around a call; but
// an upcall of the call (its entry faults here) is written to the same upcall stack, over
// the frame and the stack of the handler the call interrupted. So such a call must wait
// until the handler ends (exo_resume), as it waits for a callee serving another call.
//
// The server takes a fault on its own thread and stays in its handler (yielding) until
// /init releases it; meanwhile a client calls it, and the call's entry faults too. The
// handler must find its own frame as the kernel wrote it, and the call must begin only
// after the handler resumed.
#include "rt.h"

#define MBOX 0x30000000UL
#define PCT_STACK 0x31000000UL
#define UPCALL_STACK 0x32000000UL
#define OWN_FAULT 0x7000000UL   // nothing is mapped at either
#define CALL_FAULT 0x7100000UL

struct mbox {
    volatile long in_handler, release, clobbered, own_done, call_started, call_faults;
    volatile long client_calling, client_done, call_result, handle;
};
#define M ((struct mbox *)MBOX)

static void skip(struct exo_frame *f) {
    f->regs.pc += (*(unsigned short *)f->regs.pc & 3) == 3 ? 4 : 2;
}

static void handler(struct exo_frame *f) {
    if (f->tval == CALL_FAULT) {
        M->call_faults++;
        skip(f);
        exo_resume(f);
    }
    if (f->tval != OWN_FAULT) exit(3);
    M->in_handler = 1;
    WAIT_UNTIL(M->release, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    if (f->tval != OWN_FAULT) {
        M->clobbered = (long)f->tval; // resuming this frame would run the call's code on our thread
        exit(4);
    }
    M->in_handler = 0;
    skip(f);
    exo_resume(f);
}

static void entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    M->call_started = 1;
    (void)*(volatile long *)CALL_FAULT;
    exo_u64 r[6] = {77, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long server(long unused) {
    if (page_map(PCT_STACK) < 0 || page_map(UPCALL_STACK) < 0) return -1;
    if (pct_register((void (*)(void))entry, PCT_STACK + EXO_PGSIZE, PCT_ANY) < 0) return -2;
    if (exo_upcall(handler, UPCALL_STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -3;
    (void)*(volatile long *)OWN_FAULT;
    M->own_done = 1;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static long client(long unused) {
    WAIT_UNTIL(M->in_handler, exosched(EXOSCHED_BLOCK, EV_TICK, 0));
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    M->client_calling = 1;
    long r = pct_call((int)M->handle, args, out);
    M->call_result = r == 0 ? (long)out[0] : r;
    M->client_done = 1;
    return 0;
}

// Waits up to n ticks until *flag (if any) is set; returns it.
static long wait_ticks(volatile long *flag, long n) {
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while ((flag == 0 || !*flag) && exo_ticks(EXO_BOOT_CLOCK) < t0 + n) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    return flag ? *flag : 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long mh = page_map(MBOX);
    long s = spawn(server, 0, SPAWN_STOPPED);
    long c = spawn(client, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)mh, (int)s, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)mh, (int)c, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    M->handle = capgrant((int)s, (int)c, CAP_X, 0, 0, 0);
    EXPECT(M->handle >= 0, 1);
    env_ctl((int)s, ENV_START, 0);
    env_ctl((int)c, ENV_START, 0);
    wait_ticks(&M->in_handler, 20);
    wait_ticks(&M->client_calling, 20);
    EXPECT(M->in_handler && M->client_calling, 1);
    wait_ticks(0, 2);
    if (M->call_started) printf("FAIL the call began while the server was in its handler\n");
    EXPECT(M->call_started, 0);
    M->release = 1;
    wait_ticks(&M->client_done, 20);
    wait_ticks(&M->own_done, 20);
    if (M->clobbered) printf("FAIL the handler's frame was overwritten by the call's upcall (tval 0x%lx)\n", M->clobbered);
    EXPECT(M->clobbered, 0);
    EXPECT(M->client_done, 1);
    EXPECT(M->call_result, 77);
    EXPECT(M->call_faults, 1);
    EXPECT(M->own_done, 1);
    EXPECT(env_state((int)s), ENV_STATE_BLOCKED);
    env_ctl((int)s, ENV_DESTROY, 0);
    EXPECT(wait_child((int)c), 0);
    if (!rt_failures()) printf("handlercall: the call waited for the handler, which found its own frame\n");
    printf("handlercall: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
