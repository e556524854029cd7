// Revocation reaches every copy, on every hart (docs/exo.md, decisions 3 and 6). One page
// is reachable many ways at once: two reader environments, each mapping it at two
// addresses, through capabilities derived along different branches (a grant of the page,
// a grant of a grant); each reader spins on its addresses, on another hart when there is
// one, on translations its TLB cached. Then /init revokes
//   page:    the page's own capability: every copy below it goes, with every mapping;
//   memory:  the memory capability the page came from: the page itself is freed, and
//            /init at once takes the same physical page again and writes to it.
// After either, no reader may read the new value through any of its addresses: each must
// fault at its next read.
#include "rt.h"

#define PAGE 0x50000000UL   // /init's own mapping of the page
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define ROUNDS 6
#define NREADERS 2

// Each reader's two addresses (TLB slots of their own: the TLB is direct-mapped by page number).
static const exo_u64 where[NREADERS][2] = {{0x101f0000UL, 0x20a30000UL}, {0x101f0000UL, 0x31b70000UL}};

struct mbox {
    volatile long reads[NREADERS], stale[NREADERS], faulted[NREADERS];
};

static long self;           // which reader this environment is (its data is its own copy)

static void on_fault(struct exo_frame *f) {
    struct mbox *m = (struct mbox *)MBOX;
    m->faulted[self] = (long)f->tval;
    exit(0);
}

static long reader(long me) {
    struct mbox *m = (struct mbox *)MBOX;
    self = me;
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -1;
    volatile long *a = (volatile long *)where[me][0], *b = (volatile long *)where[me][1];
    for (;;) {
        // Both addresses every time, in turn first: a stale translation at either is seen.
        long x = (m->reads[me] & 1) ? *a : *b;
        long y = (m->reads[me] & 1) ? *b : *a;
        if (x == 2 || y == 2) m->stale[me]++;
        m->reads[me]++;
    }
}

// One round: returns how many readers faulted at one of their addresses; adds stale reads.
static int round(int mode, long mh, long *stale) {
    struct mbox *m = (struct mbox *)MBOX;
    long mem = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, 0);
    long p = capalloc(CAP_PAGE, -1, (int)mem, 0);
    EXPECT(exo_map(EXO_SELF, PAGE, (int)p, MAP_R | MAP_W), 0);
    *(volatile long *)PAGE = 1;
    long via = capgrant((int)p, EXO_SELF, CAP_R | CAP_GRANT, 0, 0, 0);     // a branch of our own
    long r[NREADERS];
    for (int i = 0; i < NREADERS; i++) {
        m->reads[i] = m->stale[i] = m->faulted[i] = 0;
        r[i] = spawn(reader, i, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)r[i], MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        // Reader 0: through a grant of the page, at two addresses. Reader 1: one address
        // through that, the other through a grant of our branch (a grandchild of the page).
        long g = give_page((int)p, (int)r[i], where[i][0], CAP_R, MAP_R);
        EXPECT(g >= 0, 1);
        if (i == 0) EXPECT(exo_map((int)r[i], where[i][1], (int)g, MAP_R), 0);
        else EXPECT(give_page((int)via, (int)r[i], where[i][1], CAP_R, MAP_R) >= 0, 1);
        env_ctl((int)r[i], ENV_START, 0);
        WAIT_UNTIL(m->reads[i] >= 1000, exosched(EXOSCHED_YIELD, 0, 0));
    }
    if (mode == 0) {
        EXPECT(caprevoke((int)p), 4);       // our branch, a grant to each reader, the grandchild
        *(volatile long *)PAGE = 2;
    } else {
        struct exo_capinfo ci;
        EXPECT(capinfo((int)p, &ci), 0);
        EXPECT(caprevoke((int)mem), 5);     // the page and its four copies: it is free again
        long again = capalloc(CAP_PAGE, (long)ci.first, EXO_BOOT_MEMORY, 0);
        EXPECT(again >= 0, 1);
        EXPECT(exo_map(EXO_SELF, PAGE, (int)again, MAP_R | MAP_W), 0);
        *(volatile long *)PAGE = 2;
        p = again;
    }
    long at[NREADERS]; // (counted after the revocation: a later count may miss a loop, never blame one)
    for (int i = 0; i < NREADERS; i++) at[i] = m->reads[i];
    int faulted = 0;
    for (int i = 0; i < NREADERS; i++) {
        if (!ends_by_fault((int)r[i], &m->reads[i], at[i])) printf("FAIL reader %d still reads the page after its revocation\n", i);
        else EXPECT(wait_child((int)r[i]), 0);
        *stale += m->stale[i];
        faulted += m->faulted[i] == (long)where[i][0] || m->faulted[i] == (long)where[i][1];
        capfree((int)r[i]);
    }
    exo_unmap(EXO_SELF, PAGE);
    capfree((int)p);
    if (mode == 0) capfree((int)via);
    capfree((int)mem);
    return faulted;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long mh = page_map(MBOX);
    static const char *names[] = {"page", "memory"};
    for (int mode = 0; mode < 2; mode++) {
        long stale = 0;
        int faulted = 0;
        for (int i = 0; i < ROUNDS; i++) faulted += round(mode, mh, &stale);
        EXPECT(stale, 0);
        EXPECT(faulted, ROUNDS * NREADERS);
        printf("revokeall: %s: %d rounds, %d of %d readers faulted, %ld stale reads\n", names[mode], ROUNDS, faulted,
               ROUNDS * NREADERS, stale);
    }
    printf("revokeall: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
