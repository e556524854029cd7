// A memory capability's range holds everything charged to it. /init partitions memory:
// a victim gets a range of 64 pages with a quota of 64, an attacker a range of its own at
// the top of RAM with a quota of 256, and between them they can take nothing from each
// other. The attacker maps one page 1 GiB apart again and again, so that each mapping
// needs two page-table pages, until its quota or its range runs out; then the victim
// takes pages until E_NOMEM. Its own quota must be what ran out: every page charged to
// it, its kernel memory's included, in its range, and no one else's there. The kernel
// took the pages of an environment's page tables and records from the lowest free page
// anywhere, so the attacker's page tables filled the victim's range, and the victim got
// E_NOMEM after a few pages with most of its quota unused.
#include "rt.h"

#define VICTIM_PAGES 64
#define ATTACKER_PAGES 256
#define GAP 64               // pages below the victim's range, for /init's own use
#define MBOX 0x30000000UL
#define FAR 0x1000000000UL   // where the attacker maps, 1 GiB apart
#define STEP (1UL << 30)

struct mbox {
    volatile long maps, mapErr;          // the attacker's
    volatile long pages, err, used, quota; // the victim's
};

static long attacker(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    long p = page_alloc();
    if (p < 0) return 1;
    long n = 0, r;
    while ((r = exo_map(EXO_SELF, FAR + (exo_u64)n * STEP, (int)p, MAP_R)) >= 0) n++;
    m->mapErr = r;
    m->maps = n;
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0); // keep what it took
}

static long victim(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    long n = 0, r;
    while ((r = page_alloc()) >= 0) n++;
    struct exo_capinfo ci;
    memset(&ci, 0, sizeof ci);
    capinfo(EXO_BOOT_MEMORY, &ci);
    m->used = (long)ci.used;
    m->quota = (long)ci.quota;
    m->err = r;
    m->pages = n;
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct exo_capinfo ram;
    EXPECT(capinfo(EXO_BOOT_MEMORY, &ram), 0);
    long mh = page_map(MBOX);
    struct mbox *m = (struct mbox *)MBOX;

    // The lowest free page now: /init's own pages go on from there, below the victim's range.
    long low = page_alloc();
    struct exo_capinfo ci;
    EXPECT(capinfo((int)low, &ci), 0);
    capfree((int)low);
    exo_u64 vfirst = ci.first + GAP;
    exo_u64 afirst = ram.first + ram.count - ATTACKER_PAGES;
    long vmem = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, (long)vfirst, VICTIM_PAGES, VICTIM_PAGES);
    long amem = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, (long)afirst, ATTACKER_PAGES, ATTACKER_PAGES);
    EXPECT(vmem >= 0 && amem >= 0, 1);

    int vh[5] = {(int)vmem, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    int ah[5] = {(int)amem, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    long v = spawn_with(victim, 0, SPAWN_STOPPED, vh);
    long a = spawn_with(attacker, 0, SPAWN_STOPPED, ah);
    EXPECT(v >= 0 && a >= 0, 1);
    EXPECT(give_page((int)mh, (int)v, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    EXPECT(give_page((int)mh, (int)a, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);

    env_ctl((int)a, ENV_START, 0);
    WAIT_UNTIL(m->maps != 0, exosched(EXOSCHED_YIELD, 0, 0));
    EXPECT(m->mapErr, E_NOMEM);
    env_ctl((int)v, ENV_START, 0);
    EXPECT(wait_child((int)v), 0);

    printf("ranges: the attacker made %ld mappings, then E_NOMEM\n", m->maps);
    printf("ranges: the victim took %ld pages, then %ld, with %ld of its quota of %ld used\n",
           m->pages, m->err, m->used, m->quota);
    EXPECT(m->err, E_NOMEM);
    EXPECT(m->used, m->quota);
    env_ctl((int)a, ENV_DESTROY, 0);
    printf("ranges: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
