// When caprevoke returns, no hart can still run code from the page either (docs/exo.md,
// decision 6): shootdown's reader, but the page it loses is the code it runs. A runner
// spins in a loop in a page /init wrote and granted it to execute, hot enough for the
// translator to compile; /init revokes the page (even rounds), or maps it again in the
// runner readable but not executable (odd rounds), and at once rewrites the loop to count
// elsewhere. The runner must fault at its next fetch: neither count may move after the
// call returns.
#include "rt.h"

#define CODE 0x10200000UL
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define ROUNDS 6
#define HOT 300000 // iterations before the revocation: far past the translator's threshold

struct mbox {
    volatile long runs, stale, faulted, cause;
};

// The loop, by hand (it runs from a page of its own): a0 = &counter.
//   ld t0, 0(a0); addi t0, t0, 1; sd t0, 0(a0); j .-12
static void write_loop(long off) {
    unsigned *c = (unsigned *)CODE;
    c[0] = 0x00053283u | (unsigned)off << 20;
    c[1] = 0x00128293u;
    c[2] = 0x00553023u | (unsigned)(off & 0x1f) << 7 | (unsigned)(off >> 5) << 25;
    c[3] = 0xff5ff06fu;
    __asm__ volatile("fence.i" ::: "memory");
}

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    m->faulted = (long)f->tval;
    m->cause = (long)f->cause;
    exit(0);
}

static long runner(long unused) {
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    ((void (*)(long))CODE)(MBOX);
    return -2;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long moved = 0, stale = 0, faulted = 0;
    for (int round = 0; round < ROUNDS; round++) {
        long p = page_map(CODE);
        write_loop(0);
        m->runs = m->stale = m->faulted = m->cause = 0;
        long r = spawn(runner, 0, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        long g = give_page((int)p, (int)r, CODE, CAP_R | CAP_X, MAP_R | MAP_X);
        EXPECT(g >= 0, 1);
        env_ctl((int)r, ENV_START, 0);
        WAIT_UNTIL(m->runs >= HOT, exosched(EXOSCHED_YIELD, 0, 0));
        if (round % 2 == 0) EXPECT(caprevoke((int)p), 1);
        else EXPECT(exo_map((int)r, CODE, (int)g, MAP_R), 0);
        long at = m->runs;
        write_loop(8); // what the page holds now counts in m->stale
        if (!ends_by_fault((int)r, &m->runs, at))
            printf("FAIL round %d: the runner still runs after its code page was revoked or made not executable (%ld more loops)\n",
                   round, m->runs - at);
        else EXPECT(wait_child((int)r), 0);
        moved += m->runs != at;
        stale += m->stale;
        if ((m->faulted & ~(EXO_PGSIZE - 1)) == (long)CODE && m->cause == 12) faulted++;
        else printf("FAIL round %d: the runner ended with cause %ld at 0x%lx\n", round, m->cause, m->faulted);
        capfree((int)p);
    }
    EXPECT(moved, 0);
    EXPECT(stale, 0);
    EXPECT(faulted, ROUNDS);
    printf("codeshoot: %d rounds, the runner faulted at its next fetch in %ld, ran on %ld, ran the new code %ld times\n",
           ROUNDS, faulted, moved, stale);
    printf("codeshoot: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
