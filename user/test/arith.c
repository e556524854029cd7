// Integer arithmetic as C compiles it: overflow wraps, shifts, comparisons, 32-bit ops.
#include "runtime/harness.h"

static volatile long vmax = 0x7fffffffffffffffL, vone = 1, vneg = -5;
static volatile int imax = 0x7fffffff, ineg = -5;
static volatile unsigned long uall = ~0UL;

int main(void) {
    puts("arith: wrapping add, shifts, compares, 32-bit forms\n");
    CHECK((long)((unsigned long)vmax + (unsigned long)vone) == (long)0x8000000000000000UL);
    CHECK((int)((unsigned)imax + 1u) == (int)0x80000000u);
    CHECK(vneg >> 1 == -3);
    CHECK((unsigned long)vneg >> 60 == 15);
    CHECK(ineg >> 1 == -3);
    CHECK((unsigned)ineg >> 28 == 15);
    CHECK(vone << 63 == (long)0x8000000000000000UL);
    CHECK(uall > (unsigned long)vone);
    CHECK(vneg < vone);
    CHECK(imax + vone == 0x80000000L);             // int promoted to long: no overflow
    CHECK((int)(imax + vone) == (int)0x80000000u); // truncated back to 32 bits
    long acc = 0;
    for (int i = -100; i <= 100; i++) acc += i * i * (i & 1 ? -1 : 1);
    CHECK(acc == 10100);
    long acc2 = 0;
    for (int i = -100; i <= 100; i++) { long sq = (long)i * i; acc2 += (i % 2 != 0) ? -sq : sq; }
    CHECK(acc == acc2);
    unsigned int h = 2166136261u;
    for (int i = 0; i < 1000; i++) { h ^= (unsigned)i; h *= 16777619u; }
    CHECK(h == 0xa06ae7fdu);
    return check_failures();
}
