// Kernel memory is paid for from quotas. An environment given memory with a small quota
// can fill its capability table, its page tables and its environments' records only until
// that quota is used up: each attempt then fails with E_NOMEM, everything comes back when
// it lets go, and the rest of the machine feels nothing. Nor can it push capabilities
// into an environment that it may only call.
#include "rt.h"

#define QUOTA 48
#define SHARED 0x30000000UL
#define STACK 0x31000000UL
#define FAR 0x100000000UL   // where the attacker maps one page again and again, 2 MiB apart
#define STEP (2UL << 20)    // so that each mapping needs a page table of its own

struct shared {
    long server_for_attacker;   // the attacker's handle on the server: CAP_X only
};

static void server_entry(long caller) {
    exo_u64 r[6] = {0};
    pct_return(r);
}

static long server(long unused) {
    page_map(STACK);
    pct_register((void (*)(void))server_entry, STACK + EXO_PGSIZE, PCT_ANY);
    for (;;) exosched(EXOSCHED_BLOCK, EV_NOTICE, 0);
}

// Pages charged to the quota of our memory capability.
static long used(void) {
    struct exo_capinfo ci;
    memset(&ci, 0, sizeof ci);
    return capinfo(EXO_BOOT_MEMORY, &ci) < 0 ? -1 : (long)ci.used;
}

static long attacker(long unused) {
    struct shared *s = (struct shared *)SHARED;
    long base = used();
    EXPECT(base > 0 && base < QUOTA, 1);

    // Capabilities: every slot of the table is a record paid from the quota.
    long first = -1, n = 0, err = 0;
    for (;;) {
        long h = capgrant(EXO_BOOT_CONSOLE, EXO_SELF, CAP_W, 0, 0, 0);
        if (h < 0) {
            err = h;
            break;
        }
        if (first < 0) first = h;
        if (++n > (long)QUOTA * EXO_RECORDS_PER_PAGE) break;
    }
    EXPECT(err, E_NOMEM);
    EXPECT(n <= (long)QUOTA * EXO_RECORDS_PER_PAGE, 1);
    printf("quota: %ld capabilities, then E_NOMEM\n", n > 1000 ? n / 1000 * 1000 : n);
    for (long h = first; h < first + n; h++) capfree((int)h);
    EXPECT(used(), base);

    // Environments: each a record and a root page table.
    long envs[QUOTA];
    int ne = 0;
    err = 0;
    while (ne < QUOTA) {
        long e = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
        if (e < 0) {
            err = e;
            break;
        }
        envs[ne++] = e;
    }
    EXPECT(err, E_NOMEM);
    EXPECT(ne <= QUOTA / EXO_ENV_PAGES, 1);
    for (int i = 0; i < ne; i++) capfree((int)envs[i]);    // nobody names them: they go
    EXPECT(used(), base);

    // Page tables: one page mapped again and again, each time in a new page table.
    long p = page_alloc();
    long maps = 0;
    err = 0;
    for (;;) {
        long r = exo_map(EXO_SELF, FAR + (exo_u64)maps * STEP, (int)p, MAP_R);
        if (r < 0) {
            err = r;
            break;
        }
        if (++maps > QUOTA) break;
    }
    EXPECT(err, E_NOMEM);
    EXPECT(maps <= QUOTA, 1);
    for (long i = 0; i < maps; i++) exo_unmap(EXO_SELF, FAR + (exo_u64)i * STEP);
    capfree((int)p);
    EXPECT(used(), base);   // the page tables unmapping emptied went back
    printf("quota: %ld page tables, then E_NOMEM; unmapped, all back\n", maps);

    // Quotas derived from quotas: a chain only so deep, since every charge walks it.
    long q = EXO_BOOT_MEMORY;
    int depth = 0;
    for (long r; depth < 1000 && (r = capgrant((int)q, EXO_SELF, CAP_ALL, 0, 0, 8)) >= 0; depth++) q = r;
    EXPECT(depth < 1000, 1);
    EXPECT(capgrant((int)q, EXO_SELF, CAP_ALL, 0, 0, 8), E_RANGE);
    printf("quota: quotas derive %s levels deep at most\n", depth > 100 ? "a hundred-odd" : "FEW");

    // CPU capabilities derived from each other, thousands deep, each a share of the last:
    // the scheduler walks such a tree without a deep stack (a child runs on the deepest).
    long cpu = EXO_BOOT_CPU;
    int chain = 0;
    for (long r; chain < 20000 && (r = capgrant((int)cpu, EXO_SELF, CAP_ALL, 0, 0, 0)) >= 0; chain++) cpu = r;
    EXPECT(chain > 1000, 1);
    for (int i = 0; i < 100; i++) exosched(EXOSCHED_YIELD, 0, 0);

    // The right to call the server is not the right to fill its table.
    EXPECT(capgrant(EXO_BOOT_CONSOLE, (int)s->server_for_attacker, CAP_W, 0, 0, 0), E_RIGHTS);
    return rt_failures();
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long before = used();
    long srv = spawn(server, 0, 0);
    long page = page_map(SHARED);
    long q = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, QUOTA);
    EXPECT(srv >= 0 && page >= 0 && q >= 0, 1);
    struct exo_capinfo ci;
    EXPECT(capinfo((int)q, &ci), 0);
    EXPECT(ci.quota, QUOTA);
    EXPECT(capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, 1L << 40), E_RANGE);  // more than all RAM
    EXPECT(capgrant((int)q, EXO_SELF, CAP_ALL, 0, 0, QUOTA + 1), E_RANGE);         // more than its source

    int h[5] = {(int)q, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    long a = spawn_with(attacker, 0, SPAWN_STOPPED, h);
    EXPECT(a >= 0, 1);
    give_page((int)page, (int)a, SHARED, CAP_R | CAP_W, MAP_R | MAP_W);
    ((struct shared *)SHARED)->server_for_attacker = capgrant((int)srv, (int)a, CAP_X, 0, 0, 0);
    env_ctl((int)a, ENV_START, 0);
    EXPECT(wait_child((int)a), 0);
    capfree((int)a);
    capfree((int)q);
    env_ctl((int)srv, ENV_DESTROY, 0);
    capfree((int)srv);
    capfree((int)page);
    EXPECT(used(), before);     // nothing of the attack is left anywhere
    printf("quota: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
