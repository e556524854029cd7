// Multiply and divide edge cases through C: the compiler emits div/rem/mulh* for these.
#include "runtime/harness.h"

static volatile long lmin = (long)0x8000000000000000UL, mone = -1, zero = 0, seven = 7, mseven = -7;
static volatile int imin = (int)0x80000000u, izero = 0, imone = -1;
static volatile unsigned long big = 0xffffffffffffffffUL;

static long sdiv(long a, long b) { long q; asm volatile("div %0, %1, %2" : "=r"(q) : "r"(a), "r"(b)); return q; }
static long srem(long a, long b) { long r; asm volatile("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }
static unsigned long udiv(unsigned long a, unsigned long b) { unsigned long q; asm volatile("divu %0, %1, %2" : "=r"(q) : "r"(a), "r"(b)); return q; }
static long sdivw(long a, long b) { long q; asm volatile("divw %0, %1, %2" : "=r"(q) : "r"(a), "r"(b)); return q; }
static long sremw(long a, long b) { long r; asm volatile("remw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); return r; }

int main(void) {
    puts("muldiv: division by zero, MIN/-1, truncation, high multiplies\n");
    CHECK(sdiv(seven, zero) == -1);
    CHECK(srem(seven, zero) == 7);
    CHECK(udiv(seven, zero) == ~0UL);
    CHECK(sdiv(lmin, mone) == lmin);
    CHECK(srem(lmin, mone) == 0);
    CHECK(sdivw(imin, imone) == imin);
    CHECK(sremw(imin, imone) == 0);
    CHECK(sdivw(seven, izero) == -1);
    CHECK(sremw(mseven, izero) == -7);
    CHECK(mseven / 2 == -3 && mseven % 2 == -1);
    CHECK(big / 3 == 0x5555555555555555UL);
    CHECK(big % 10 == 5);
    unsigned __int128 p = (unsigned __int128)big * big;
    CHECK((unsigned long)(p >> 64) == 0xfffffffffffffffeUL && (unsigned long)p == 1);
    __int128 q = (__int128)lmin * lmin;
    CHECK((long)(q >> 64) == 0x4000000000000000L && (long)q == 0);
    __int128 r = (__int128)mone * (__int128)(unsigned __int128)big;
    CHECK((long)(r >> 64) == -1 && (unsigned long)r == 1);
    long sum = 0;
    for (long i = 1; i < 2000; i++) sum += (i * 7919) % 1009 + (i * i) / 13;
    CHECK(sum == 205981523L);
    return check_failures();
}
