// What one environment's translations cost another's LR (red team 21). An LR that marks
// its page shoots it down from every hart's store TLBs (machine Reservations), and each
// hart dropped the marked page's entries from every direct TLB it keeps by scanning each
// table's whole filled range (DirectTlb.dropMarked). The spanner stores to a page at
// 64 KiB and one just under 4 GiB, in a loop, on its hart: its table spans a million
// entries. The victim, on the other hart, takes an LR/SC on each of LOOPS pages of its own
// not yet used for one, so each LR marks its page and waits for the shootdown. Prints the
// victim's time an LR/SC (rdtime, 10 MHz: the host's time), alone and beside the spanner.
// Two harts, wall clock: scripts/kernel-exo -c 2 on an image with this program as /init.
#include "rt.h"

#define LOW 0x10000UL
#define HIGH 0xFFFFF000UL
#define VICTIM_PAGES 0x30000000UL
#define LOOPS 200

struct mbox {
    volatile long go, stop, spans;
};
#define MBOX 0x31000000UL
#define M ((struct mbox *)MBOX)

static long spanner(long unused) {
    if (page_map(LOW) < 0 || page_map(HIGH) < 0) return 1;
    M->go = 1;
    while (!M->stop) {
        *(volatile long *)LOW = M->spans;
        *(volatile long *)HIGH = M->spans;
        M->spans++;
    }
    return 0;
}

static long lrsc(volatile long *a) {
    long v, fail;
    do {
        __asm__ volatile("lr.d %0, (%1)" : "=r"(v) : "r"(a) : "memory");
        __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(fail) : "r"(a), "r"(v + 1) : "memory");
    } while (fail);
    return v;
}

// The victim's time an LR/SC, in rdtime units (0.1 us), on pages [first, first + LOOPS).
static unsigned long victim(int first) {
    unsigned long t0 = rt_time();
    for (int i = 0; i < LOOPS; i++) lrsc((volatile long *)(VICTIM_PAGES + (unsigned long)(first + i) * EXO_PGSIZE));
    return (rt_time() - t0) / LOOPS;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long mb = page_map(MBOX);
    EXPECT(mb >= 0, 1);
    for (int i = 0; i < 3 * LOOPS; i++) EXPECT(page_map(VICTIM_PAGES + (unsigned long)i * EXO_PGSIZE) >= 0, 1);
    victim(0); // (compiled, warm)
    unsigned long alone = victim(LOOPS);
    long s = spawn_sharing(spanner, 0, 0, (int)mb, MBOX);
    EXPECT(s >= 0, 1);
    WAIT_UNTIL(M->go && M->spans > 1000, exosched(EXOSCHED_YIELD, 0, 0));
    unsigned long beside = victim(2 * LOOPS);
    M->stop = 1;
    EXPECT(wait_child((int)s), 0);
    printf("lrspan: an LR/SC marking its page: %lu.%lu us alone, %lu.%lu us beside a table spanning 64 KiB..4 GiB\n",
           alone / 10, alone % 10, beside / 10, beside % 10);
    return 0;
}
