// A CPU-bound environment that never makes a system call is preempted at the end of its
// slice, and so is a busy /init: each makes progress while the other spins. Then /init
// takes slice-end upcalls, first yielding from its handler, then ignoring them (it is
// preempted anyway after its grace tick).
#include "rt.h"

#define SHARED 0x30000000UL
#define UPCALL_STACK 0x31000000UL
#define WORK 400000L // iterations of /init's busy loop: several slices

struct shared {
    volatile long spins;
};

static long spinner(long unused) {
    struct shared *s = (struct shared *)SHARED;
    for (;;) s->spins++;
}

// Spins for n iterations, counting how often the spinner moved meanwhile (so we were off the CPU).
static long busy(long n, long *moves) {
    struct shared *s = (struct shared *)SHARED;
    long last = s->spins, sum = 0;
    *moves = 0;
    for (long i = 0; i < n; i++) {
        sum += i ^ (sum >> 3);
        long now = s->spins;
        if (now != last) {
            (*moves)++;
            last = now;
        }
    }
    return sum;
}

static volatile long upcalls, bad_frames;
static volatile int yield_in_handler;

static void on_slice(struct exo_frame *f) {
    upcalls++;
    if (f->kind != UPCALL_SLICE || f->cause != (1UL << 63 | 5)) bad_frames++;
    if (yield_in_handler) {
        exosched(EXOSCHED_YIELD, 0, 0);
    } else {
        // Ignore it: spin on, and be preempted after the grace tick.
        long m;
        busy(400000, &m); // about two ticks
    }
    exo_resume(f);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct shared *s = (struct shared *)SHARED;
    long page = page_map(SHARED);
    long sp = spawn(spinner, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)page, (int)sp, SHARED, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    env_ctl((int)sp, ENV_START, 0);

    // Busy until the spinner has moved twice while we were (a slice or two with one hart).
    long t0 = exo_ticks(EXO_BOOT_CLOCK), s0 = s->spins, moves = 0, m;
    for (int i = 0; i < 1000 && moves < 2; i++) {
        busy(WORK, &m);
        moves += m;
    }
    long t1 = exo_ticks(EXO_BOOT_CLOCK), s1 = s->spins;
    EXPECT(s1 > s0, 1); // the spinner ran while we were busy
    printf("preempt: busy for %ld ticks, spinner moved %ld times\n", t1 - t0, moves);

    // Slice upcalls, each answered by a yield from the handler.
    EXPECT(page_map(UPCALL_STACK) >= 0, 1);
    EXPECT(exo_upcall(on_slice, UPCALL_STACK + EXO_PGSIZE, UPCALL_SLICE), 0);
    // (Work until two have come: with wall-clock time, how many slices WORK takes varies.)
    yield_in_handler = 1;
    for (int i = 0; i < 1000 && upcalls < 2; i++) busy(WORK, &moves);
    long yielded = upcalls;
    EXPECT(yielded >= 2, 1);
    printf("preempt: %ld slice upcalls, spinner moved %ld times\n", yielded, moves);

    // Slice upcalls ignored: the handler runs on past its grace tick and is preempted.
    yield_in_handler = 0;
    long s2 = s->spins;
    for (int i = 0; i < 1000 && upcalls < yielded + 2; i++) busy(WORK, &moves);
    EXPECT(upcalls >= yielded + 2, 1);
    EXPECT(s->spins > s2, 1);
    EXPECT(bad_frames, 0);
    EXPECT(exo_upcall(0, 0, 0), 0);

    EXPECT(env_ctl((int)sp, ENV_DESTROY, (void *)3L), 0);
    EXPECT(wait_child((int)sp), 3);
    printf("preempt: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
