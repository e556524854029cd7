// A sleep on a physical word (EXOSCHED_WAIT) must not outlive the sleeper's hold on the
// page: the word's page changes hands, and whoever holds it next must not wake, count or
// be watched by an environment that no longer reaches it. A sleeper waits on a word of
// a page /init shares with it; /init takes the page away (revokes it, unmaps it, maps
// another page over it, or revokes and frees it and takes the same physical page again
// as a fresh page of its own) and at once wakes the word through its own mapping. The
// wake must find nobody: a sleeper still listed would learn of the new holder's wake
// (its EXOSCHED_WAIT returns before the tick), and the new holder would count a
// stranger among its waiters. A round counts only if no tick came between the sleeper's
// sleep and the wake (every EXOSCHED_WAIT ends at a tick anyway).
#include "rt.h"

#define WORD 0x10300000UL  // the shared page, at the same address in both
#define OTHER 0x10400000UL // kind 2's page, mapped over WORD in the sleeper; kind 3's fresh page in /init
#define MBOX 0x30000000UL
#define KINDS 4
#define ROUNDS 6 // decided rounds of each kind
#define TRIES 60

static long mbox_handle;

static const char *kinds[KINDS] = {"revoked", "unmapped", "mapped over", "freed and taken again"};

struct mbox {
    volatile long done, waits, faults;
};

static long sleeper(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    while (!m->done) {
        m->waits++;
        if (exosched(EXOSCHED_WAIT, WORD, 0) < 0) m->faults++;
        if (m->faults) break; // the page is gone from WORD: nothing left to wait on
    }
    return 0;
}

static long waits_on_word(int r) {
    struct exo_envinfo info;
    if (env_ctl(r, ENV_INFO, &info) < 0) return 0;
    return info.waits == ENV_WAITS_WORD;
}

static long ppn_of(int h) {
    struct exo_capinfo info;
    return capinfo(h, &info) < 0 ? -1 : (long)info.first;
}

// One round of kind: 1 if the wake found a stale sleeper, 0 if it found none, -1 if a tick
// came between (or, kind 3, the freed page did not come back): undecided.
static int round_of(int kind) {
    struct mbox *m = (struct mbox *)MBOX;
    long p = page_map(WORD);
    *(volatile int *)WORD = 0;
    m->done = m->waits = m->faults = 0;
    long r = spawn(sleeper, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)mbox_handle, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)p, (int)r, WORD, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    long q = kind == 2 ? page_alloc() : -1;
    long gq = kind == 2 ? capgrant((int)q, (int)r, CAP_R | CAP_W, 0, 0, 0) : -1;
    env_ctl((int)r, ENV_START, 0);
    WAIT_UNTIL(waits_on_word((int)r), exosched(EXOSCHED_YIELD, 0, 0));
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    long woke, fresh = -1;
    long pa = ppn_of((int)p);
    switch (kind) {
    case 0: EXPECT(caprevoke((int)p), 1); break;
    case 1: EXPECT(exo_unmap((int)r, WORD), 0); break;
    case 2: EXPECT(exo_map((int)r, WORD, (int)gq, MAP_R | MAP_W), 0); break;
    default:
        EXPECT(caprevoke((int)p), 1);
        EXPECT(capfree((int)p), 0);
        p = -1;
        fresh = page_map(OTHER); // the lowest free page: the one just freed, as a rule
        break;
    }
    woke = exosched(EXOSCHED_WAKE, kind == 3 ? OTHER : WORD, 0);
    int decided = exo_ticks(EXO_BOOT_CLOCK) == t0 && (kind != 3 || ppn_of((int)fresh) == pa);
    m->done = 1;
    if (kind == 2) { // it may wait on q's word now: change it and wake it (no tick comes to an idle machine)
        EXPECT(exo_map(EXO_SELF, OTHER, (int)q, MAP_R | MAP_W), 0);
        *(volatile int *)OTHER = 1;
        exosched(EXOSCHED_WAKE, OTHER, 0);
    }
    EXPECT(wait_child((int)r), 0);
    capfree((int)r);
    if (p >= 0) capfree((int)p);
    if (q >= 0) capfree((int)q);
    if (fresh >= 0) capfree((int)fresh);
    if (!decided) return -1;
    if (woke != 0) printf("FAIL %s: the wake found %ld sleeper(s) that no longer held the page\n", kinds[kind], woke);
    return woke != 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    mbox_handle = page_map(MBOX);
    int stale = 0;
    for (int kind = 0; kind < KINDS; kind++) {
        int decided = 0;
        for (int t = 0; t < TRIES && decided < ROUNDS; t++) {
            int r = round_of(kind);
            if (r < 0) continue;
            decided++;
            stale += r;
        }
        printf("futexpeek: %s: %d rounds decided\n", kinds[kind], decided);
        EXPECT(decided, ROUNDS);
    }
    EXPECT(stale, 0);
    printf("futexpeek: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
