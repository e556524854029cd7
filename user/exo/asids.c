// Address-space ids are the machine's, not any quota's: Sv39 has 65536 of them, and an
// environment costs 2 pages, so 512 MiB of quota (half of the largest machine) paid for
// an environment on every ASID, after which no one could make one, whatever their quota.
// /init makes environments from its memory (named from the tables of a few holders, so
// they live on) until only a reserve of its quota is left; then a victim's quota of its
// own must still pay for an environment. Then several environments share what is left of
// the ASIDs and each must see only its own page at the one address they all use.
#include "rt.h"

#define RESERVE 600          // pages of /init's quota the attack leaves
#define PER_HOLDER 60000     // CAP_ENV handles in one holder's table (EXO_NCAP is 65536)
#define HOLDERS 4
#define VA 0x10000000UL
#define MBOX 0x30000000UL
#define SHARERS 6
#define ROUNDS 200

struct mbox {
    volatile long go, done, wrong;
};
#define M ((struct mbox *)MBOX)

static long left(int mem) {
    struct exo_capinfo ci;
    if (capinfo(mem, &ci) < 0) return -1;
    return (long)(ci.quota - ci.used);
}

// Each sharer maps a page of its own at VA and checks it sees its own id there, yielding
// between looks so that the others run on the same hart, with the same ASID.
static long sharer(long id) {
    if (page_map(VA) < 0) return -1;
    volatile long *p = (volatile long *)VA;
    *p = id;
    WAIT_UNTIL(M->go, exosched(EXOSCHED_YIELD, 0, 0));
    for (int i = 0; i < ROUNDS; i++) {
        if (*p != id) __atomic_add_fetch(&M->wrong, 1, __ATOMIC_SEQ_CST);
        *p = id;
        exosched(EXOSCHED_YIELD, 0, 0);
    }
    __atomic_add_fetch(&M->done, 1, __ATOMIC_SEQ_CST);
    return 0;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long mh = page_map(MBOX);
    long victim = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, 64); // a quota of its own
    EXPECT(victim >= 0, 1);
    long holder[HOLDERS];
    for (int i = 0; i < HOLDERS; i++) holder[i] = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
    long made = 0, err = 0;
    while (left(EXO_BOOT_MEMORY) > RESERVE) {
        if (made == (long)HOLDERS * PER_HOLDER) break;
        long h = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
        if (h < 0) {
            err = h;
            break;
        }
        long g = capgrant((int)h, (int)holder[made / PER_HOLDER], CAP_R, 0, 0, 0);
        capfree((int)h);
        if (g < 0) {
            err = g;
            break;
        }
        made++;
    }
    long l = left(EXO_BOOT_MEMORY);
    if (err != 0) printf("FAIL made %ld environments, then error %ld with %ld pages of quota left\n", made, err, l);
    long v = capalloc(CAP_ENV, 0, (int)victim, 0);
    if (v < 0) printf("FAIL the victim's own quota cannot pay for an environment (error %ld)\n", v);
    EXPECT(v >= 0, 1);
    capfree((int)v);
    for (int i = 0; i < HOLDERS; i++) capfree((int)holder[i]); // every environment they named goes

    long s[SHARERS];
    for (int i = 0; i < SHARERS; i++) {
        s[i] = spawn(sharer, i + 1, SPAWN_STOPPED);
        EXPECT(give_page((int)mh, (int)s[i], MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
        env_ctl((int)s[i], ENV_START, 0);
    }
    M->go = 1;
    for (int i = 0; i < SHARERS; i++) EXPECT(wait_child((int)s[i]), 0);
    EXPECT(M->done, SHARERS);
    EXPECT(M->wrong, 0);
    printf("asids: %ld environments made; %d more on what ASIDs were left saw another's page %ld times\n", made, SHARERS, M->wrong);
    printf("asids: %s\n", rt_failures() || err != 0 ? "FAILED" : "ok");
    return 0;
}
