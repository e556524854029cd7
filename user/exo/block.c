// An environment blocked on an event wakes when it arrives: a clock tick, a child's exit,
// console input, an EXOSCHED_WAKE on a word it waits on. When the script is used up and
// it blocks on the console again, nothing can happen any more and the machine halts.
#include "rt.h"

#define SHARED 0x30000000UL

static long sleeper(long n) {
    // Sleeps for n ticks, then exits with the tick it saw last.
    long t0 = exo_ticks(EXO_BOOT_CLOCK), t = t0;
    while (t < t0 + n) {
        exosched(EXOSCHED_BLOCK, EV_TICK, 0);
        t = exo_ticks(EXO_BOOT_CLOCK);
    }
    return t;
}

static long waker(long unused) {
    volatile int *word = (volatile int *)SHARED;
    *word = 1;
    return exosched(EXOSCHED_WAKE, SHARED, 0); // how many it woke
}

// Reads one line of console input, blocking while none waits.
static long readline(char *buf, long max) {
    long n = 0;
    while (n < max) {
        long r = exo_cons_read(EXO_BOOT_CONSOLE, buf + n, max - n);
        if (r == E_AGAIN) {
            EXPECT(exosched(EXOSCHED_BLOCK, EV_CONSOLE, 0) & EV_CONSOLE, EV_CONSOLE);
            continue;
        }
        if (r < 0) return r;
        n += r;
        if (buf[n - 1] == '\n') break;
    }
    return n;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    char buf[64];

    // Ticks: each BLOCK on EV_TICK returns once a tick has come (the first may be pending).
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    for (int i = 0; i < 3; i++) EXPECT(exosched(EXOSCHED_BLOCK, EV_TICK, 0), EV_TICK);
    long t1 = exo_ticks(EXO_BOOT_CLOCK);
    EXPECT(t1 > t0, 1);
    EXPECT(t1 - t0 <= 3, 1);
    printf("block: ticks %ld -> %ld\n", t0, t1);

    // A child's exit.
    long c = spawn(sleeper, 2, 0);
    EXPECT(exosched(EXOSCHED_BLOCK, EV_CHILD, 0), EV_CHILD);
    struct exo_envinfo info;
    EXPECT(env_ctl((int)c, ENV_INFO, &info), 0);
    EXPECT(info.state, ENV_STATE_EXITED);
    EXPECT(info.status >= t1 + 2, 1);
    printf("block: child exited at tick %d\n", info.status);

    // A word: wait while it is 0; a child sets it and wakes us.
    long page = page_map(SHARED);
    c = spawn(waker, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)page, (int)c, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(exosched(EXOSCHED_WAIT, SHARED, 1), 0); // not 1: returns at once
    env_ctl((int)c, ENV_START, 0);
    while (*(volatile int *)SHARED == 0) exosched(EXOSCHED_WAIT, SHARED, 0);
    // It woke us, unless (with several harts) it ran before we waited.
    printf("block: woken from the word; the waker woke %ld\n", wait_child((int)c));

    // Console input: none yet (a script is typed only when the machine waits for it), so a
    // read says E_AGAIN; block until a line comes.
    // (Said after the read, so a test typing on seeing it cannot beat the read.)
    EXPECT(exo_cons_read(EXO_BOOT_CONSOLE, buf, sizeof buf), E_AGAIN);
    printf("block: waiting for input\n");
    for (int line = 0; line < 2; line++) {
        long n = readline(buf, sizeof buf - 1);
        EXPECT(n > 0, 1);
        buf[n > 0 ? n : 0] = 0;
        printf("block: read %s", buf);
    }
    printf("block: %s\n", rt_failures() ? "FAILED" : "ok");
    // The script is used up: this sleeps forever, so the machine halts.
    readline(buf, sizeof buf - 1);
    printf("block: FAIL: read past the end of the script\n");
    return 1;
}
