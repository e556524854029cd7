// When caprevoke returns, no hart can still reach the page (docs/exo.md, decision 6). A
// reader spins on a shared page; /init revokes it and at once writes a new value through
// its own mapping. The reader must fault, never see the new value: with several harts
// it runs on another hart during the revocation, on translations its TLB cached before.
#include "rt.h"

#define PAGE 0x101f0000UL // a TLB slot of its own (the TLB is direct-mapped by page number)
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define ROUNDS 10

struct mbox {
    volatile long reads, stale, faulted;
};

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    m->faulted = (long)f->tval;
    exit(0);
}

static long reader(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    for (;;) {
        if (*(volatile long *)PAGE == 2) m->stale++;
        m->reads++;
    }
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long stale = 0, faulted = 0;
    for (int round = 0; round < ROUNDS; round++) {
        long p = page_map(PAGE);
        *(volatile long *)PAGE = 1;
        m->reads = m->stale = m->faulted = 0;
        long r = spawn(reader, 0, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        EXPECT(give_page((int)p, (int)r, PAGE, CAP_R, MAP_R) >= 0, 1);
        env_ctl((int)r, ENV_START, 0);
        WAIT_UNTIL(m->reads >= 1000, exosched(EXOSCHED_YIELD, 0, 0));
        EXPECT(caprevoke((int)p), 1);
        *(volatile long *)PAGE = 2;
        // It faults at its next read; if it still reads after a few ticks, it reads stale translations.
        long t0 = exo_ticks(EXO_BOOT_CLOCK);
        while (env_state((int)r) != ENV_STATE_EXITED && exo_ticks(EXO_BOOT_CLOCK) < t0 + 5)
            exosched(EXOSCHED_BLOCK, EV_CHILD | EV_TICK, 0);
        if (env_state((int)r) != ENV_STATE_EXITED) {
            printf("FAIL the reader still reads the page after its revocation\n");
            env_ctl((int)r, ENV_DESTROY, 0);
        }
        EXPECT(wait_child((int)r), 0);
        stale += m->stale;
        faulted += m->faulted == (long)PAGE;
        capfree((int)p);
    }
    EXPECT(stale, 0);
    EXPECT(faulted, ROUNDS);
    printf("shootdown: %d rounds, the reader faulted in %ld, saw the new value %ld times\n", ROUNDS, faulted, stale);
    printf("shootdown: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
