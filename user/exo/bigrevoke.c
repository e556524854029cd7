// scratch: how long one revoke/destroy of many capabilities holds the kernel
#include "rt.h"

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    long top = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
    long n = 0;
    long t0 = exo_ticks(EXO_BOOT_CLOCK);
    for (int k = 0; k < 20; k++) {
        long e = capalloc(CAP_ENV, 0, EXO_BOOT_MEMORY, 0);
        long m = 0;
        while (m < 65000 && capgrant((int)top, (int)e, CAP_X, 0, 0, 0) >= 0) m++;
        n += m;
    }
    long t1 = exo_ticks(EXO_BOOT_CLOCK);
    long r = caprevoke((int)top);
    long t2 = exo_ticks(EXO_BOOT_CLOCK);
    printf("granted %ld in %ld ticks, revoked %ld in %ld ticks\n", n, t1 - t0, r, t2 - t1);
    return 0;
}
