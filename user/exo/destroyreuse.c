// destroyreuse: an environment destroyed while another hart runs it loses every
// translation at once (SecureBindings.unbindAll: no entry cleared, no shootdown per
// binding, its page tables freed in bulk), and the ASID it gave back, taken at once by a
// new environment on the same hart, brings none of them along.
//
// Each round: a reader spins on a page of ours (the secret) at VA, hot in its TLB and in
// the translator's code, on another hart when there is one, and counts what it reads in
// the mailbox. We destroy it, then write 2 into the secret: a read of 2 by the reader is
// a translation that outlived its destruction. At once a newcomer (the reader's ASID is
// the lowest free one again) maps a page of its own at the same VA holding 3, and spins
// there: a read of anything but 3 is one of the reader's translations under the ASID it
// reused. Meanwhile a sibling reads a page the reader made and granted it: a grant is its
// holder's, so the page lives on with it, unchanged (had the bulk unbinding freed it,
// the newcomer's page could be that page, and the sibling would read 3).
#include "rt.h"

#define SECRET 0x50000000UL     // our own mapping of the secret
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define VA 0x101f0000UL         // where the reader reads the secret and the newcomer its page
#define GIFT 0x20a30000UL       // where the reader's page is mapped in the sibling
#define ROUNDS 4

struct mbox {
    volatile long reads, stale;             // the reader
    volatile long nreads, nstale;           // the newcomer
    volatile long greads, gstale;           // the sibling
    volatile long gift;                     // the reader's page, granted to the sibling
    volatile long sib;                      // the reader's handle on the sibling, plus 1
};

// Waits for the reader's page, then reads it for good.
static long sibling(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    WAIT_UNTIL(m->gift != 0, exosched(EXOSCHED_YIELD, 0, 0));
    for (;;) {
        if (*(volatile long *)GIFT != 5) m->gstale++;
        m->greads++;
    }
}

// Grants a page of its own (paid from its memory) to the sibling, then spins on VA.
static long reader(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    long p = page_map(STACK);
    if (p < 0) return -1;
    *(volatile long *)STACK = 5;
    long g = give_page((int)p, (int)m->sib - 1, GIFT, CAP_R, MAP_R);
    if (g < 0) return -1;
    m->gift = 1;
    for (;;) {
        if (*(volatile long *)VA == 2) m->stale++;
        m->reads++;
    }
}

static long newcomer(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    long p = page_map(VA);
    if (p < 0) return -1;
    *(volatile long *)VA = 3;
    for (;;) {
        if (*(volatile long *)VA != 3) m->nstale++;
        m->nreads++;
    }
}

// Waits up to 100 ticks for n reads (the counter at *c), yielding the hart (a loaded
// host may keep another hart from running for seconds).
static void await_reads(volatile long *c, long n) {
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    while (*c < n && exo_ticks(EXO_BOOT_CLOCK) < t0 + 100) exosched(EXOSCHED_YIELD, 0, 0);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long reads = 0, stale = 0, nreads = 0, nstale = 0, greads = 0, gstale = 0;
    for (int i = 0; i < ROUNDS; i++) {
        m->reads = m->stale = m->nreads = m->nstale = m->greads = m->gstale = m->gift = m->sib = 0;
        long s = page_map(SECRET);
        EXPECT(s >= 0, 1);
        *(volatile long *)SECRET = 1;
        long sib = spawn_sharing(sibling, 0, 0, (int)mh, MBOX);
        EXPECT(sib >= 0, 1);
        long r = spawn(reader, 0, SPAWN_STOPPED);
        EXPECT(r >= 0, 1);
        EXPECT(give_page((int)mh, (int)r, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        EXPECT(give_page((int)s, (int)r, VA, CAP_R, MAP_R) >= 0, 1);
        long rs = capgrant((int)sib, (int)r, CAP_W, 0, 0, 0); // the reader's name for the sibling
        EXPECT(rs >= 0, 1);
        m->sib = rs + 1;
        EXPECT(env_ctl((int)r, ENV_START, 0), 0);
        await_reads(&m->reads, 20000);
        await_reads(&m->greads, 1000);
        EXPECT(m->reads >= 20000 && m->greads >= 1000, 1);
        // The reader goes in the middle of its loop; what it still reads after this is stale.
        EXPECT(env_ctl((int)r, ENV_DESTROY, 0), 0);
        *(volatile long *)SECRET = 2;
        long n = spawn_sharing(newcomer, 0, 0, (int)mh, MBOX);
        EXPECT(n >= 0, 1);
        await_reads(&m->nreads, 20000);
        EXPECT(m->nreads >= 20000, 1);
        long g = m->greads;
        await_reads(&m->greads, g + 1000);
        EXPECT(m->greads >= g + 1000, 1);
        greads += m->greads;
        reads += m->reads;
        stale += m->stale;
        nreads += m->nreads;
        nstale += m->nstale;
        gstale += m->gstale;
        env_ctl((int)n, ENV_DESTROY, 0);
        env_ctl((int)sib, ENV_DESTROY, 0);
        capfree((int)n);
        capfree((int)sib);
        capfree((int)r);
        exo_unmap(EXO_SELF, SECRET);
        capfree((int)s);
    }
    EXPECT(stale, 0);
    EXPECT(nstale, 0);
    EXPECT(gstale, 0);
    printf("destroyreuse: %d rounds, %ld reads by the destroyed, %ld stale; %ld by the newcomer on its ASID, %ld stale; %ld by the holder of its page, %ld changed\n",
           ROUNDS, reads, stale, nreads, nstale, greads, gstale);
    printf("destroyreuse: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
