// Revocation against batches on other harts (red team 15). /init shares a page with a
// builder, which in batch after batch grantmaps it to two readers (replacing their mapping
// each time), grants it to itself, maps that, grantmaps a grant of the grant and frees the
// middle one, all in one crossing; a rewriter on another hart meanwhile rewrites the
// builder's array (a grantmap into a nested batch or a caprevoke and back). The readers
// spin on the page in hot loops. /init then revokes its own capability, the parent of all
// of it: caprevoke must count every copy the batches made (the builder counts them from
// its batches' results), and when it returns no reader and no builder reaches the page:
// /init frees it, takes the same physical page again as a fresh one of its own and writes
// a secret there, which nobody may read. Each must fault at its next access.
//
// Every wait here has a bound (WAIT_UNTIL), and nothing it waits for hangs on a race's
// luck: the builder's first batch of a round runs before the rewriter starts, so it
// reaches every element and maps the page for the readers. (Started together, the
// rewriter could spoil every batch the builder had: a batch reaches element 5 only if
// c[0], c[1] and c[4] are all grantmaps, which no two consecutive rewrites leave.)
#include "rt.h"

#define VA 0x10500000UL     // the readers' view of the page (the builder's grantmaps)
#define VA2 0x10600000UL    // reader 0's second view: a grant of a grant
#define BVA 0x10700000UL    // the builder's own view: /init's grant to it
#define BVA2 0x10800000UL   // the builder's view through the grant it makes itself
#define VICTIM 0x50000000UL // where /init maps the page it takes again
#define MBOX 0x30000000UL
#define ARRAY 0x32000000UL  // the builder's array, shared with the rewriter
#define STACK 0x31000000UL
#define ROUNDS 4
#define NR 2
#define HOT 50000 
#define MAXB 64             // batches a round at most: their copies stay until the revocation
#define VALUE 0x7a1e7a1e7a1eL
#define SECRET 0x5ec7e75ec7e7L
#define NEL 6

struct mbox {
    long page1, reader[NR], rewrite;             // the builder's handles and the round's kind, set by /init
    volatile long batches, made, mapped2, bruns, bstale, bfault, odd;
    volatile long rruns[NR], rstale[NR], rfault[NR];
    volatile long wruns, stop;
};

static long self = -1; // a reader's index; -1 in the builder

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    if (self < 0) m->bfault = (long)f->tval;
    else m->rfault[self] = (long)f->tval;
    exit(0);
}

static long reader(long which) {
    struct mbox *m = (struct mbox *)MBOX;
    self = which;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    volatile long *p = (volatile long *)VA, *q = (volatile long *)VA2;
    long stale = 0;
    for (long n = 1;; n++) {
        long a = p[0], b = which == 0 ? q[0] : VALUE;
        stale += (a != VALUE) + (b != VALUE);
        m->rstale[which] = stale;
        m->rruns[which] = n;
    }
}

static void call(struct exo_call *c, long num, long a0, long a1, long a2, long a3, long a4) {
    c->num = (exo_u64)num;
    c->a[0] = (exo_u64)a0, c->a[1] = (exo_u64)a1, c->a[2] = (exo_u64)a2;
    c->a[3] = (exo_u64)a3, c->a[4] = (exo_u64)a4, c->a[5] = 0;
    c->ret = 0;
}

// Copies of the page each element adds when it succeeds (the free of the middle grant
// leaves its one child in its place: one fewer).
static const long adds[NEL] = {1, 1, 1, 0, 1, -1};

static long builder(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    struct exo_call *c = (struct exo_call *)ARRAY;
    int p = (int)m->page1;
    for (long n = 1;; n++) {
        if (*(volatile long *)BVA != VALUE) m->bstale++; // faults once revoked
        if (m->batches < MAXB) {
            long h = capgrant(EXO_BOOT_CONSOLE, EXO_SELF, CAP_W, 0, 0, 0); // the lowest free handle
            capfree((int)h);
            call(&c[0], SYS_exo_grantmap, p, m->reader[0], CAP_R, (long)VA, MAP_R);
            call(&c[1], SYS_exo_grantmap, p, m->reader[1], CAP_R, (long)VA, MAP_R);
            call(&c[2], SYS_capgrant, p, EXO_SELF, CAP_R | CAP_GRANT, 0, 0);
            call(&c[3], SYS_exo_map, EXO_SELF, (long)BVA2, h, MAP_R, 0);
            call(&c[4], SYS_exo_grantmap, h, m->reader[0], CAP_R, (long)VA2, MAP_R);
            call(&c[5], SYS_capfree, h, 0, 0, 0, 0);
            long r = exo_batch(c, NEL);
            // What ran is what the kernel read when the batch began: each element that
            // succeeded returned a handle (or 0), whatever the rewriter wrote since.
            long made = 0;
            for (long i = 0; i < r && i < NEL; i++) made += adds[i];
            if (r < 0 || r > NEL || (r < NEL && c[r].ret >= 0)) m->odd++;
            // The middle grant, if the batch stopped after making it (unless a revocation
            // took it meanwhile: then it was counted there).
            if ((r == 3 || r == 4) && capfree((int)h) == 0) made--;
            if (r >= 5) m->mapped2 = 1;
            m->made += made;
            m->batches++;
            // The first batch ran alone; the rest race the rewriter, once it runs.
            if (n == 1 && m->rewrite) WAIT_UNTIL(m->wruns >= 1000, exosched(EXOSCHED_YIELD, 0, 0));
        } else {
            exosched(EXOSCHED_BLOCK, EV_TICK, 0); // (on one hart: let the readers get hot)
        }
        m->bruns = n;
    }
}

// Rewrites the numbers of the builder's grantmaps by turns into calls a batch refuses.
static long rewriter(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    struct exo_call *c = (struct exo_call *)ARRAY;
    static const long nums[] = {SYS_exo_batch, SYS_caprevoke, SYS_exo_grantmap, SYS_pct_call};
    for (long n = 0; !m->stop; n++) {
        c[n % 3 == 2 ? 4 : n % 3].num = (exo_u64)nums[n % 4];
        m->wruns = n;
    }
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    long stale = 0, faulted = 0, again = 0, counted = 0, rewritten = 0, batches = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int rewrite = round % 2; // odd rounds with the rewriter
        memset((void *)MBOX, 0, EXO_PGSIZE);
        long p = page_map(VICTIM);
        *(volatile long *)VICTIM = VALUE;
        exo_unmap(EXO_SELF, VICTIM);
        long arr = page_alloc();
        long r[NR], b, w = -1;
        for (int i = 0; i < NR; i++) {
            r[i] = spawn(reader, i, SPAWN_STOPPED);
            EXPECT(give_page((int)mh, (int)r[i], MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        }
        b = spawn(builder, 0, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)b, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        EXPECT(give_page((int)arr, (int)b, ARRAY, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        m->page1 = give_page((int)p, (int)b, BVA, CAP_R | CAP_GRANT, MAP_R);
        m->rewrite = rewrite;
        for (int i = 0; i < NR; i++) m->reader[i] = capgrant((int)r[i], (int)b, CAP_W, 0, 0, 0);
        EXPECT(m->page1 >= 0 && m->reader[0] >= 0 && m->reader[1] >= 0, 1);
        // The builder's first batch, alone, maps the page for the readers; then the
        // rewriter starts (the builder waits for it), and then the readers.
        env_ctl((int)b, ENV_START, 0);
        WAIT_UNTIL(m->mapped2 || env_state((int)b) == ENV_STATE_EXITED, exosched(EXOSCHED_YIELD, 0, 0));
        if (!EXPECT(m->mapped2, 1)) exit(1); // (the builder faulted: the readers would too)
        if (rewrite) {
            w = spawn(rewriter, 0, SPAWN_STOPPED);
            EXPECT(give_page((int)mh, (int)w, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
            EXPECT(give_page((int)arr, (int)w, ARRAY, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
            env_ctl((int)w, ENV_START, 0);
            WAIT_UNTIL(m->wruns >= 1000, exosched(EXOSCHED_YIELD, 0, 0));
        }
        for (int i = 0; i < NR; i++) env_ctl((int)r[i], ENV_START, 0);
        for (int i = 0; i < NR; i++) {
            WAIT_UNTIL(m->rruns[i] >= HOT || env_state((int)r[i]) == ENV_STATE_EXITED, exosched(EXOSCHED_YIELD, 0, 0));
            if (m->rruns[i] < HOT) printf("FAIL round %d: reader %d faulted at 0x%lx before the revocation\n", round, i, m->rfault[i]);
        }
        struct exo_capinfo before, after;
        EXPECT(capinfo((int)p, &before), 0);
        long n = caprevoke((int)p);
        long bruns = m->bruns, rruns[NR];
        for (int i = 0; i < NR; i++) rruns[i] = m->rruns[i];
        EXPECT(capfree((int)p), 0);
        long v = page_map(VICTIM);
        EXPECT(capinfo((int)v, &after), 0);
        again += after.first == before.first;
        volatile long *s = (volatile long *)VICTIM;
        for (int i = 0; i < 512; i++) s[i] = SECRET;
        if (!ends_by_fault((int)b, &m->bruns, bruns)) printf("FAIL round %d: the builder still runs on the page after its revocation\n", round);
        for (int i = 0; i < NR; i++)
            if (!ends_by_fault((int)r[i], &m->rruns[i], rruns[i]))
                printf("FAIL round %d: reader %d still runs on the page after its revocation\n", round, i);
        m->stop = 1;
        if (w >= 0) {
            WAIT_UNTIL(env_state((int)w) == ENV_STATE_EXITED, exosched(EXOSCHED_BLOCK, EV_CHILD | EV_TICK, 0));
            EXPECT(wait_child((int)w), 0);
            rewritten += m->wruns > 0;
            capfree((int)w);
        }
        // The page, the builder's hold (1) and every copy its batches made.
        if (n != 1 + m->made)
            printf("FAIL round %d: caprevoke removed %ld, the batches made %ld (+1)\n", round, n, m->made);
        counted += n == 1 + m->made;
        EXPECT(m->odd, 0);
        EXPECT(m->batches > 0 && m->batches <= MAXB, 1);
        batches += m->batches;
        stale += m->bstale;
        faulted += m->bfault == (long)BVA;
        for (int i = 0; i < NR; i++) {
            stale += m->rstale[i];
            faulted += m->rfault[i] == (long)VA || (i == 0 && m->rfault[i] == (long)VA2);
            capfree((int)r[i]);
        }
        capfree((int)b);
        capfree((int)arr);
        capfree((int)v);
    }
    EXPECT(stale, 0);
    EXPECT(faulted, ROUNDS * (NR + 1));
    EXPECT(counted, ROUNDS);
    printf("batchrace: %d rounds (%ld with the array rewritten), %ld batches, the page taken again in %ld\n", ROUNDS,
           rewritten, batches, again);
    printf("batchrace: every copy counted in %ld, %ld of %d faulted, %ld secrets read\n", counted, faulted,
           ROUNDS * (NR + 1), stale);
    printf("batchrace: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
