// exo_batch and exo_grantmap as a hostile library OS would call them (red team 15): counts
// and arrays at their limits, arrays that straddle into pages not held or that an element
// takes away, chains of calls inside one crossing that use what an earlier element made or
// freed (handles are the lowest free, so a batch can name what it has not been told), rights
// asked back across elements, calls no batch may run, and grantmap to itself, to the dead,
// to a reused handle and to an environment whose quota cannot pay. The invariant checker
// runs after every kernel entry; each part also counts, with caprevoke, every copy of the
// page it shared, so a copy left behind by a call that failed shows.
#include "rt.h"

#define ARR 0x20000000UL       // a page for arrays
#define ARR2 0x20001000UL      // the page after it
#define PG 0x21000000UL        // our shared page
#define PG2 0x21001000UL       // where we map it (or others) again
#define PG3 0x21002000UL
#define CVA 0x22000000UL       // where the children get it
#define FAR 0x2000000000UL     // far from everything: a mapping there needs two page tables
#define UNTOUCHED 0x5eedL
#define QUOTA 16

static struct exo_call *at(exo_u64 va) {
    return (struct exo_call *)va;
}

static void set(struct exo_call *c, long num, long a0, long a1, long a2, long a3, long a4, long a5) {
    c->num = (exo_u64)num;
    c->a[0] = (exo_u64)a0, c->a[1] = (exo_u64)a1, c->a[2] = (exo_u64)a2;
    c->a[3] = (exo_u64)a3, c->a[4] = (exo_u64)a4, c->a[5] = (exo_u64)a5;
    c->ret = UNTOUCHED;
}

// Pages charged to memory capability m's quota.
static long used(int m) {
    struct exo_capinfo ci;
    memset(&ci, 0, sizeof ci);
    return capinfo(m, &ci) < 0 ? -1 : (long)ci.used;
}

// The handle our next new capability gets (the lowest free): what a batch can count on.
static long next_handle(void) {
    long h = capgrant(EXO_BOOT_CONSOLE, EXO_SELF, CAP_W, 0, 0, 0);
    capfree((int)h);
    return h;
}

static long idle(long unused) {
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

// A stopped child whose kernel memory is paid from memory handle m.
static long child_on(int m) {
    int hs[5] = {m, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    return spawn_with(idle, 0, SPAWN_STOPPED, hs);
}

// Counts, and arrays the caller does not hold readable and writable: nothing runs.
static void counts(void) {
    struct exo_call *c = at(ARR);
    long base = used(EXO_BOOT_MEMORY);
    for (int i = 0; i < EXO_BATCH_MAX; i++) set(&c[i], SYS_exo_unmap, EXO_SELF, (long)(FAR + i * EXO_PGSIZE), 0, 0, 0, 0);
    EXPECT(exo_batch(c, 0), 0);
    EXPECT(c[0].ret, UNTOUCHED);
    EXPECT(exo_batch(c, EXO_BATCH_MAX), EXO_BATCH_MAX); // a page of them, exactly
    EXPECT(c[0].ret, 0);
    EXPECT(c[63].ret, 0);
    // Each refused count or array, with a capalloc first that would show if it ran.
    long bad_n[] = {EXO_BATCH_MAX + 1, -1, -64, 1L << 32, (1L << 32) + 1, (long)(1UL << 63), 0x7fffffffffffffffL};
    for (unsigned i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
        set(&c[0], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
        EXPECT(exo_batch(c, bad_n[i]), E_INVAL);
        EXPECT(c[0].ret, UNTOUCHED);
    }
    exo_u64 bad_p[] = {0, 8, EXO_UTOP - 64, EXO_UTOP, EXO_MAXVA - 64, 1UL << 63, -64UL, ARR + EXO_PGSIZE - 64};
    for (unsigned i = 0; i < sizeof bad_p / sizeof bad_p[0]; i++) {
        set(&c[63], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
        EXPECT(exo_batch((struct exo_call *)bad_p[i], 2), E_FAULT); // the last: its second element is on ARR2, not mapped
        EXPECT(c[63].ret, UNTOUCHED);
    }
    // Straddling into a page held readable only.
    long ro = page_alloc();
    EXPECT(exo_map(EXO_SELF, ARR2, (int)ro, MAP_R), 0);
    EXPECT(exo_batch(&c[63], 2), E_FAULT);
    EXPECT(c[63].ret, UNTOUCHED);
    // Misaligned, within pages held: runs (the kernel copies bytes, not words).
    struct exo_call *m = (struct exo_call *)(ARR + 3);
    set(m, SYS_exo_unmap, EXO_SELF, (long)FAR, 0, 0, 0, 0);
    EXPECT(exo_batch(m, 1), 1);
    EXPECT(m->ret, 0);
    exo_unmap(EXO_SELF, ARR2);
    capfree((int)ro);
    EXPECT(used(EXO_BOOT_MEMORY), base);
}

// An element that takes any of the array away (unmaps it, or maps a page held readable
// only over it) ends the batch after it, though its own ret lies on a page it left: the
// calls after it, whose results could not be told, do not run.
static void taken(void) {
    long page2 = page_map(ARR2);
    long ro = page_alloc();
    long base = used(EXO_BOOT_MEMORY), h = next_handle();
    struct exo_call *c = at(ARR + EXO_PGSIZE - 64); // c[0] on ARR, c[1..2] on ARR2
    for (int how = 0; how < 3; how++) {
        EXPECT(exo_map(EXO_SELF, ARR2, (int)page2, MAP_R | MAP_W), 0);
        if (how == 0) set(&c[0], SYS_exo_unmap, EXO_SELF, (long)ARR2, 0, 0, 0, 0);
        if (how == 1) set(&c[0], SYS_exo_map, EXO_SELF, (long)ARR2, ro, MAP_R, 0, 0);
        if (how == 2) set(&c[0], SYS_capfree, page2, 0, 0, 0, 0, 0);
        set(&c[1], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
        set(&c[2], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
        long r = exo_batch(c, 3);
        if (r != 1) printf("FAIL a batch ran on past the element that took its array (way %d): %ld\n", how, r);
        EXPECT(c[0].ret, 0);
        EXPECT(used(EXO_BOOT_MEMORY), base - (how == 2));
        EXPECT(next_handle(), how == 2 ? page2 : h);
        if (how == 2) page2 = page_alloc();
    }
    exo_unmap(EXO_SELF, ARR2);
    capfree((int)page2);
    capfree((int)ro);
    // The ret on the page taken is not written: mapped again, it holds what it did.
    long a = page_map(PG3);
    struct exo_call *d = at(PG3);
    set(&d[0], SYS_exo_unmap, EXO_SELF, (long)PG3, 0, 0, 0, 0);
    set(&d[1], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
    EXPECT(exo_batch(d, 2), 1);
    EXPECT(exo_map(EXO_SELF, PG3, (int)a, MAP_R | MAP_W), 0);
    EXPECT(d[0].ret, UNTOUCHED);
    EXPECT(d[1].ret, UNTOUCHED);
    exo_unmap(EXO_SELF, PG3);
    capfree((int)a);
}

// Every call but the six: E_INVAL as the element's result, and nothing after it runs.
static void refused(int p, int child) {
    struct exo_call *c = at(ARR);
    long base = used(EXO_BOOT_MEMORY);
    long nums[] = {SYS_caprevoke, SYS_exosched, SYS_capinfo, SYS_env_ctl, SYS_exo_disk, SYS_exo_pagerefs,
                   SYS_exo_cons_write, SYS_exo_cons_read, SYS_exo_ticks, SYS_exo_upcall, SYS_exo_resume,
                   SYS_exo_notices, SYS_pct_register, SYS_pct_call, SYS_pct_return, SYS_exo_envid, SYS_exo_batch,
                   0, 1, 21, SYS_exo_batch + 1, -1, SYS_capalloc | (1L << 32), SYS_exo_map - (1L << 32)};
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        long n = nums[i];
        // Arguments that would do harm if the call ran: revoke our page, destroy the
        // child, a batch of this array itself.
        long a0 = n == SYS_caprevoke ? p : n == SYS_env_ctl ? child : n == SYS_exo_batch ? (long)ARR : 0;
        long a1 = n == SYS_env_ctl ? ENV_DESTROY : n == SYS_exo_batch ? 2 : 0;
        set(&c[0], n, a0, a1, 0, 0, 0, 0);
        set(&c[1], SYS_capalloc, CAP_PAGE, -1, EXO_BOOT_MEMORY, 0, 0, 0);
        EXPECT(exo_batch(c, 2), 0);
        EXPECT(c[0].ret, E_INVAL);
        EXPECT(c[1].ret, UNTOUCHED);
    }
    EXPECT(used(EXO_BOOT_MEMORY), base);
    EXPECT(env_state(child), ENV_STATE_STOPPED);
}

// Chains in one crossing, each element naming what an earlier one made by the handle it
// will have. Returns how many copies of p (granted, then kept) the chains leave.
static long chains(int p, int child) {
    struct exo_call *c = at(ARR);
    long kept = 0;
    // Grant, then revoke (refused), then use: the grant stands, nothing after the refusal runs.
    set(&c[0], SYS_exo_grantmap, p, child, CAP_R | CAP_GRANT, (long)CVA, MAP_R, 0);
    set(&c[1], SYS_caprevoke, p, 0, 0, 0, 0, 0);
    set(&c[2], SYS_exo_map, EXO_SELF, (long)PG2, p, MAP_R, 0, 0);
    EXPECT(exo_batch(c, 3), 1);
    EXPECT(c[0].ret >= 0, 1);
    EXPECT(c[1].ret, E_INVAL);
    EXPECT(c[2].ret, UNTOUCHED);
    kept++;

    // Rights asked back across elements: derive with fewer, then try to use more.
    long h = next_handle();
    struct { long num, a0, a1, a2, a3, a4; long want; } esc[] = {
        {SYS_exo_map, EXO_SELF, (long)PG2, h, MAP_R | MAP_W, 0, E_RIGHTS},
        {SYS_exo_map, EXO_SELF, (long)PG2, h, MAP_R | MAP_X, 0, E_RIGHTS},
        {SYS_capgrant, h, EXO_SELF, CAP_R | CAP_W | CAP_GRANT, 0, 0, E_RIGHTS},
        {SYS_capgrant, h, EXO_SELF, CAP_R | CAP_GRANT | CAP_REVOKE, 0, 0, E_RIGHTS},
        {SYS_exo_grantmap, h, child, CAP_R | CAP_W, (long)CVA, MAP_R, E_RIGHTS},
        {SYS_exo_grantmap, h, child, CAP_R, (long)CVA, MAP_R | MAP_W, E_RIGHTS},
        {SYS_exo_grantmap, h, child, CAP_R, (long)CVA, MAP_R | MAP_X, E_RIGHTS},
        {SYS_exo_grantmap, h, EXO_SELF, CAP_R | CAP_X, (long)PG2, MAP_R, E_RIGHTS},
        {SYS_capfree, h, 0, 0, 0, 0, 0},
    };
    for (unsigned i = 0; i < sizeof esc / sizeof esc[0]; i++) {
        set(&c[0], SYS_capgrant, p, EXO_SELF, CAP_R | CAP_GRANT, 0, 0, 0);
        set(&c[1], esc[i].num, esc[i].a0, esc[i].a1, esc[i].a2, esc[i].a3, esc[i].a4, 0);
        set(&c[2], SYS_capfree, h, 0, 0, 0, 0, 0);
        long r = exo_batch(c, 3);
        EXPECT(c[0].ret, h);
        EXPECT(c[1].ret, esc[i].want);
        if (r == 1) capfree((int)h);
        else if (esc[i].want < 0) printf("FAIL escalation %u ran: %ld\n", i, c[1].ret);
    }
    // A hold without CAP_GRANT grants nothing; a name of the child without CAP_W maps
    // and grants nothing into it.
    set(&c[0], SYS_capgrant, p, EXO_SELF, CAP_R, 0, 0, 0);
    set(&c[1], SYS_exo_grantmap, h, child, CAP_R, (long)CVA, MAP_R, 0);
    EXPECT(exo_batch(c, 2), 1);
    EXPECT(c[1].ret, E_RIGHTS);
    capfree((int)h);
    long he = next_handle();
    set(&c[0], SYS_capgrant, child, EXO_SELF, CAP_R | CAP_X | CAP_GRANT, 0, 0, 0);
    set(&c[1], SYS_exo_grantmap, p, he, CAP_R, (long)CVA, MAP_R, 0);
    set(&c[2], SYS_exo_map, he, (long)CVA, 0, MAP_R, 0, 0);
    set(&c[3], SYS_capgrant, p, he, CAP_R, 0, 0, 0);
    set(&c[4], SYS_exo_unmap, he, (long)CVA, 0, 0, 0, 0);
    EXPECT(exo_batch(c, 2), 1);
    EXPECT(c[0].ret, he);
    EXPECT(c[1].ret, E_RIGHTS);
    for (int i = 2; i < 5; i++) {
        EXPECT(exo_batch(&c[i], 1), 0);
        EXPECT(c[i].ret, E_RIGHTS);
    }
    capfree((int)he);

    // exo_map of a page another element just granted away: a grant takes nothing from
    // the granter. Freed in the batch, it is gone for the elements after, not for the child.
    long q0 = page_alloc();
    long q = capgrant((int)q0, EXO_SELF, CAP_ALL, 0, 0, 0);
    set(&c[0], SYS_exo_grantmap, q, child, CAP_R | CAP_W, (long)CVA + EXO_PGSIZE, MAP_R | MAP_W, 0);
    set(&c[1], SYS_exo_map, EXO_SELF, (long)PG2, q, MAP_R | MAP_W, 0, 0);
    set(&c[2], SYS_capfree, q, 0, 0, 0, 0, 0);
    set(&c[3], SYS_exo_map, EXO_SELF, (long)PG3, q, MAP_R, 0, 0);
    set(&c[4], SYS_exo_grantmap, q, child, CAP_R, (long)CVA, MAP_R, 0);
    EXPECT(exo_batch(c, 5), 3);
    EXPECT(c[3].ret, E_BADCAP);
    EXPECT(c[4].ret, UNTOUCHED);
    EXPECT(exo_unmap(EXO_SELF, PG2), 0); // (the free took the mapping with it: no error either way)
    EXPECT(caprevoke((int)q0), 1);         // the child's copy, in q's place under q0
    capfree((int)q0);
    return kept;
}

// capfree, within a batch, of the memory that pays for an environment the batch just
// mapped pages into and for a page the batch allocated and mapped: the environment
// ends with every copy it held, the page stays (charged to the quota, which lives on).
static void payer_freed(int p) {
    long m = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, QUOTA);
    long ch = child_on((int)m);
    EXPECT(ch >= 0, 1);
    long hp = next_handle();
    struct exo_call *c = at(ARR);
    set(&c[0], SYS_capalloc, CAP_PAGE, -1, m, 0, 0, 0);
    set(&c[1], SYS_exo_map, EXO_SELF, (long)PG3, hp, MAP_R | MAP_W, 0, 0);
    set(&c[2], SYS_exo_grantmap, p, ch, CAP_R | CAP_GRANT, (long)CVA, MAP_R, 0);
    set(&c[3], SYS_exo_grantmap, p, ch, CAP_R, (long)FAR, MAP_R, 0); // page tables on m's quota
    set(&c[4], SYS_capfree, m, 0, 0, 0, 0, 0);
    set(&c[5], SYS_exo_grantmap, p, ch, CAP_R, (long)CVA + EXO_PGSIZE, MAP_R, 0);
    set(&c[6], SYS_capalloc, CAP_PAGE, -1, m, 0, 0, 0);
    EXPECT(exo_batch(c, 7), 5);
    EXPECT(c[0].ret, hp);
    EXPECT(c[5].ret, E_DEAD);
    EXPECT(c[6].ret, UNTOUCHED);
    EXPECT(env_state((int)ch), ENV_STATE_EXITED);
    volatile long *w = (volatile long *)PG3;
    w[0] = 42;
    EXPECT(w[0], 42);
    struct exo_capinfo ci;
    EXPECT(capinfo((int)hp, &ci), 0);
    EXPECT(ci.type, CAP_PAGE);
    EXPECT(caprevoke(p), 0); // the dead child's copies went with it
    capfree((int)hp);        // unmaps PG3
    capfree((int)ch);
}

// grantmap to itself, to the dead, through a handle number taken again, and to an
// environment whose quota cannot pay for the page tables: E_NOMEM, and no copy left.
static void targets(int p) {
    struct exo_call *c = at(ARR);
    volatile long *s = (volatile long *)PG, *t = (volatile long *)PG2;
    s[1] = 0x1234;
    long h = exo_grantmap(p, EXO_SELF, CAP_R, PG2, MAP_R);
    EXPECT(h >= 0, 1);
    EXPECT(t[1], 0x1234);
    struct exo_capinfo ci;
    EXPECT(capinfo((int)h, &ci), 0);
    EXPECT(ci.rights, CAP_R);
    EXPECT(exo_map(EXO_SELF, PG2, (int)h, MAP_R | MAP_W), E_RIGHTS);
    EXPECT(caprevoke(p), 1);
    EXPECT(exo_grantmap(p, EXO_SELF, CAP_ALL | 0x20, PG2, MAP_R), E_INVAL);

    // The dead: destroyed, its name still held (it lingers, EXITED).
    long d = spawn(idle, 0, SPAWN_STOPPED);
    EXPECT(env_ctl((int)d, ENV_DESTROY, 0), 0);
    EXPECT(exo_grantmap(p, (int)d, CAP_R, CVA, MAP_R), E_DEAD);
    EXPECT(exo_grantmap(p, (int)d, CAP_R, 0, 0), E_DEAD);
    set(&c[0], SYS_exo_grantmap, p, d, CAP_R, (long)CVA, MAP_R, 0);
    EXPECT(exo_batch(c, 1), 0);
    EXPECT(c[0].ret, E_DEAD);
    // Its handle freed and taken again by something else, then by another child.
    capfree((int)d);
    long other = capgrant(EXO_BOOT_CONSOLE, EXO_SELF, CAP_W, 0, 0, 0);
    EXPECT(other, d);
    EXPECT(exo_grantmap(p, (int)other, CAP_R, CVA, MAP_R), E_TYPE);
    capfree((int)other);
    EXPECT(caprevoke(p), 0);

    // A child on a quota we fill: its page tables cannot be paid.
    long m = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, QUOTA);
    long ch = child_on((int)m);
    EXPECT(ch >= 0, 1);
    long fill[QUOTA];
    int nf = 0;
    while (nf < QUOTA) {
        long f = capalloc(CAP_PAGE, -1, (int)m, 0);
        if (f < 0) {
            EXPECT(f, E_NOMEM);
            break;
        }
        fill[nf++] = f;
    }
    EXPECT(nf > 2, 1);
    long a = exo_grantmap(p, (int)ch, CAP_R, 0, 0); // room for records is there
    EXPECT(a >= 0, 1);
    EXPECT(exo_grantmap(p, (int)ch, CAP_R, FAR, MAP_R), E_NOMEM);
    set(&c[0], SYS_exo_grantmap, p, ch, CAP_R, (long)FAR, MAP_R, 0);
    set(&c[1], SYS_exo_grantmap, p, ch, CAP_R, 0, 0, 0);
    EXPECT(exo_batch(c, 2), 0);
    EXPECT(c[0].ret, E_NOMEM);
    EXPECT(c[1].ret, UNTOUCHED);
    long b = exo_grantmap(p, (int)ch, CAP_R, 0, 0);
    EXPECT(b, a + 1); // the failed ones left no handle taken in the child's table
    EXPECT(used((int)m), QUOTA);
    capfree((int)fill[--nf]);
    capfree((int)fill[--nf]);
    EXPECT(exo_grantmap(p, (int)ch, CAP_R, FAR, MAP_R), b + 1); // now it can pay
    EXPECT(caprevoke(p), 3); // a, b and the last: no copy of a failed one anywhere
    // The quota full again, grants with no mapping until the child's page of records is
    // full and another cannot be paid: E_NOMEM, alone and batched, and no copy of it left.
    while (nf < QUOTA) {
        long f = capalloc(CAP_PAGE, -1, (int)m, 0);
        if (f < 0) break;
        fill[nf++] = f;
    }
    long k = 0, g;
    while ((g = exo_grantmap(p, (int)ch, CAP_R, 0, 0)) >= 0 && k < EXO_RECORDS_PER_PAGE) k++;
    EXPECT(g, E_NOMEM);
    EXPECT(k > 0, 1);
    set(&c[0], SYS_exo_grantmap, p, ch, CAP_R, 0, 0, 0);
    EXPECT(exo_batch(c, 1), 0);
    EXPECT(c[0].ret, E_NOMEM);
    EXPECT(caprevoke(p), k);
    EXPECT(env_ctl((int)ch, ENV_DESTROY, 0), 0);
    capfree((int)ch);
    while (nf > 0) capfree((int)fill[--nf]);
    EXPECT(used((int)m), 0);
    capfree((int)m);
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long arr = page_map(ARR);
    long p = page_map(PG);
    long child = spawn(idle, 0, SPAWN_STOPPED);
    EXPECT(arr >= 0 && p >= 0 && child >= 0, 1);
    long base = used(EXO_BOOT_MEMORY);
    counts();
    printf("batchedge: counts and arrays refused, nothing ran\n");
    taken();
    printf("batchedge: an element that takes the array ends the batch after it\n");
    refused((int)p, (int)child);
    printf("batchedge: calls a batch may not run are refused\n");
    long kept = chains((int)p, (int)child);
    EXPECT(caprevoke((int)p), kept);
    printf("batchedge: chains in one crossing\n");
    payer_freed((int)p);
    printf("batchedge: the payer freed mid-batch\n");
    targets((int)p);
    printf("batchedge: grantmap targets\n");
    EXPECT(used(EXO_BOOT_MEMORY), base);
    printf("batchedge: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
