// exo.h: whatever happens to a caller in the middle of its call, its CPU capability or
// its capability for the callee revoked included, the call runs on in the callee until
// the callee returns. A client on a share of /init's calls a server whose entry counts
// until released; /init revokes the share, or the client's handle on the server, in the
// middle of the call, then releases it. The call must end.
#include "rt.h"

#define MBOX 0x30000000UL
#define PCT_STACK 0x31000000UL

struct mbox {
    volatile long in_call, count, release, call_done, handle;
};
#define M ((struct mbox *)MBOX)

static long mh; // the page of struct mbox

static void entry(long caller, long a1, long a2, long a3, long a4, long a5, long a6) {
    M->in_call = 1;
    while (!M->release) M->count++;
    M->call_done = 1;
    exo_u64 r[6] = {0, 0, 0, 0, 0, 0};
    pct_return(r);
}

static long server(long unused) {
    if (page_map(PCT_STACK) < 0) return -1;
    if (pct_register((void (*)(void))entry, PCT_STACK + EXO_PGSIZE, PCT_ANY) < 0) return -2;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

static long client(long unused) {
    exo_u64 args[6] = {0, 0, 0, 0, 0, 0}, out[6];
    long r;
    WAIT_UNTIL((r = pct_call((int)M->handle, args, out)) != E_REFUSED, exosched(EXOSCHED_YIELD, 0, 0));
    return r;
}

static long wait_ticks(volatile long *flag, long n) {
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while ((flag == 0 || !*flag) && exo_ticks(EXO_BOOT_CLOCK) < t0 + n) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
    return flag ? *flag : 0;
}

enum { LOSE_CPU, LOSE_HANDLE };

static void one(int what) {
    long share = capgrant(EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);
    EXPECT(share >= 0, 1);
    const int handles[5] = {EXO_BOOT_MEMORY, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, (int)share};
    long s = spawn(server, 0, SPAWN_STOPPED);
    long c = spawn_with(client, 0, SPAWN_STOPPED, handles);
    M->in_call = M->count = M->release = M->call_done = 0;
    EXPECT(give_page((int)mh, (int)s, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)mh, (int)c, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    long through = capgrant((int)s, EXO_SELF, CAP_ALL, 0, 0, 0); // what the client's handle derives from
    M->handle = capgrant((int)through, (int)c, CAP_X, 0, 0, 0);
    env_ctl((int)s, ENV_START, 0);
    env_ctl((int)c, ENV_START, 0);
    EXPECT(wait_ticks(&M->in_call, 50), 1);
    EXPECT(caprevoke(what == LOSE_CPU ? (int)share : (int)through) >= 1, 1);
    long at = M->count;
    M->release = 1;
    if (!wait_ticks(&M->call_done, 100))
        printf("FAIL the call stopped when its caller's %s was revoked (count %ld then, %ld after 100 ticks)\n",
               what == LOSE_CPU ? "CPU" : "handle on the callee", at, M->count);
    EXPECT(M->call_done, 1);
    env_ctl((int)c, ENV_DESTROY, 0);
    env_ctl((int)s, ENV_DESTROY, 0);
    capfree((int)through);
    capfree((int)share);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    mh = page_map(MBOX);
    one(LOSE_CPU);
    one(LOSE_HANDLE);
    printf("cpuloss: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
