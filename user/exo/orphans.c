// Nothing an environment leaves behind outlives it. An environment whose last handle is
// gone is destroyed at once; so, when an environment ends, is every environment its
// memory paid for, however they name each other. Either way every page comes back.
#include "rt.h"

#define QUOTA 256
#define FILL 40             // pages in each orphan
#define MAXPAGES 4096       // more than the machine has

static long held[MAXPAGES];

// How many pages memory capability mem can give now (taken, counted, given back).
static long count_free(int mem) {
    long n = 0;
    while (n < MAXPAGES) {
        long h = capalloc(CAP_PAGE, -1, mem, 0);
        if (h < 0) break;
        held[n++] = h;
    }
    for (long i = 0; i < n; i++) capfree((int)held[i]);
    return n;
}

static long used(int mem) {
    struct exo_capinfo ci;
    memset(&ci, 0, sizeof ci);
    return capinfo(mem, &ci) < 0 ? -1 : (long)ci.used;
}

// A new environment holding FILL pages of ours, mapped; our handle on it, or an error.
static long orphan(void) {
    long o = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
    if (o < 0) return o;
    for (int i = 0; i < FILL; i++) {
        long p = page_alloc();
        if (p < 0) return p;
        long r = give_page((int)p, (int)o, 0x10000 + (exo_u64)i * EXO_PGSIZE, CAP_ALL, MAP_R | MAP_W);
        capfree((int)p);
        if (r < 0) return r;
    }
    return o;
}

static long attacker(long unused) {
    long base = used(EXO_BOOT_MEMORY);
    long o = orphan();
    EXPECT(o >= 0, 1);
    EXPECT(used(EXO_BOOT_MEMORY) > base + FILL, 1);
    capfree((int)o);                        // its last handle: it goes, and its pages
    EXPECT(used(EXO_BOOT_MEMORY), base);

    // Two that name each other, and one we keep, running: all go when we do.
    long a = orphan(), b = orphan(), c = orphan();
    EXPECT(a >= 0 && b >= 0 && c >= 0, 1);
    EXPECT(capgrant((int)a, (int)b, CAP_ALL, 0, 0, 0) >= 0, 1);
    EXPECT(capgrant((int)b, (int)a, CAP_ALL, 0, 0, 0) >= 0, 1);
    EXPECT(capgrant((int)c, (int)c, CAP_ALL, 0, 0, 0) >= 0, 1);    // c even names itself
    capfree((int)a);
    capfree((int)b);
    printf("orphans: leaving %ld pages behind\n", used(EXO_BOOT_MEMORY) - base);
    return rt_failures();
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long q = capgrant(EXO_BOOT_MEMORY, EXO_SELF, CAP_ALL, 0, 0, QUOTA);
    EXPECT(q >= 0, 1);
    long before = count_free((int)q);
    EXPECT(before, QUOTA);
    int h[5] = {(int)q, EXO_BOOT_DISK, EXO_BOOT_CONSOLE, EXO_BOOT_CLOCK, EXO_BOOT_CPU};
    for (int round = 0; round < 3; round++) {
        long a = spawn_with(attacker, 0, 0, h);
        EXPECT(a >= 0, 1);
        EXPECT(wait_child((int)a), 0);
        capfree((int)a);
        EXPECT(count_free((int)q), before);
    }
    EXPECT(used((int)q), 0);
    printf("orphans: %s\n", rt_failures() ? "FAILED" : "every page came back");
    return 0;
}
