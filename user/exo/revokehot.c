// When caprevoke returns, compiled code on another hart neither reads nor writes the page
// any more, even in a loop that reuses one access's translation for the next through the
// same base register (translator round 11) and hops between regions without leaving
// compiled code (round 16: the eager engine). Two workers spin in such a
// loop on a page /init shares with them read-write: a load, a store and a load through one
// base register. /init revokes the page, frees it, takes the same physical page again as
// a fresh page of its own (a victim's, as any environment's next capalloc could be) and
// at once writes its secret there. No worker may read the secret, nor its marks land in
// the victim's page: each must fault at its next access.
#include "rt.h"

#define PAGE 0x10500000UL   // the workers' page (a TLB slot of its own)
#define VICTIM 0x50000000UL // where /init maps the page it takes again
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define ROUNDS 6
#define MAXW 2
#define HOT 200000 // iterations before the revocation: far past the translator's threshold
#define SECRET 0x5ec7e75ec7e7L
#define MARK 0x3a3a3a3a3a3aL

struct mbox {
    volatile long runs[MAXW], stale[MAXW], faulted[MAXW];
};

static long self; // which worker this environment is (its data is its own copy)

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    m->faulted[self] = (long)f->tval;
    exit(0);
}

static long worker(long which) {
    struct mbox *m = (struct mbox *)MBOX;
    self = which;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    volatile long *p = (volatile long *)PAGE + 64 * which;
    long stale = 0;
    for (long n = 1;; n++) {
        long a = p[0];  // three accesses through one base register, unchanged between them
        p[1] = MARK;
        long b = p[2];
        stale += (a == SECRET) + (b == SECRET);
        m->stale[which] = stale;
        m->runs[which] = n;
    }
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    int workers = MAXW; // (on two harts one shares /init's; on three each has its own)
    long mh = page_map(MBOX);
    long stale = 0, marks = 0, faulted = 0, again = 0;
    for (int round = 0; round < ROUNDS; round++) {
        long p = page_map(PAGE);
        long r[MAXW];
        for (int w = 0; w < workers; w++) {
            m->runs[w] = m->stale[w] = m->faulted[w] = 0;
            r[w] = spawn(worker, w, SPAWN_STOPPED);
            EXPECT(give_page((int)mh, (int)r[w], MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
            EXPECT(give_page((int)p, (int)r[w], PAGE, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
            env_ctl((int)r[w], ENV_START, 0);
        }
        for (int w = 0; w < workers; w++) WAIT_UNTIL(m->runs[w] >= HOT, exosched(EXOSCHED_YIELD, 0, 0));
        struct exo_capinfo before, after;
        EXPECT(capinfo((int)p, &before), 0);
        EXPECT(caprevoke((int)p), workers);
        long at[MAXW];
        for (int w = 0; w < workers; w++) at[w] = m->runs[w];
        EXPECT(capfree((int)p), 0);
        long v = page_map(VICTIM);
        EXPECT(capinfo((int)v, &after), 0);
        again += after.first == before.first;
        volatile long *s = (volatile long *)VICTIM;
        for (int i = 0; i < 512; i += 2) s[i] = SECRET;
        for (int w = 0; w < workers; w++) {
            if (!ends_by_fault((int)r[w], &m->runs[w], at[w])) printf("FAIL worker %d still runs on the page after its revocation\n", w);
            else EXPECT(wait_child((int)r[w]), 0);
            stale += m->stale[w];
            faulted += m->faulted[w] == (long)PAGE + 8 * 64 * w || m->faulted[w] == (long)PAGE + 8 * (64 * w + 1)
                       || m->faulted[w] == (long)PAGE + 8 * (64 * w + 2);
            capfree((int)r[w]);
        }
        for (int i = 1; i < 512; i += 2) marks += s[i] != 0;
        capfree((int)v);
    }
    EXPECT(stale, 0);
    EXPECT(marks, 0);
    EXPECT(faulted, ROUNDS * workers);
    printf("revokehot: %d rounds, %d worker(s), the page taken again in %ld, %ld of %d faulted, "
           "%ld secrets read, %ld marks in the victim's page\n",
           ROUNDS, workers, again, faulted, ROUNDS * workers, stale, marks);
    printf("revokehot: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
