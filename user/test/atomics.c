// The A extension through C: __atomic builtins (AMOs) and an LR/SC loop in inline assembly.
#include "runtime/harness.h"

static long counter;
static int word = -1;
static long dword;

static long cas_lrsc(long *p, long expect, long desired) {
    long old, fail;
    asm volatile(
        "1: lr.d.aqrl %0, (%2)\n"
        "   bne %0, %3, 2f\n"
        "   sc.d.rl %1, %4, (%2)\n"
        "   bnez %1, 1b\n"
        "2:"
        : "=&r"(old), "=&r"(fail) : "r"(p), "r"(expect), "r"(desired) : "memory");
    return old;
}

int main(void) {
    puts("atomics: amoadd/swap/and/or/xor/min/max (w and d), lr/sc compare-and-swap\n");
    for (int i = 0; i < 1000; i++) __atomic_fetch_add(&counter, 3, __ATOMIC_SEQ_CST);
    CHECK(counter == 3000);
    CHECK(__atomic_exchange_n(&counter, 5, __ATOMIC_ACQUIRE) == 3000);
    CHECK(__atomic_fetch_and(&word, 0xf0, __ATOMIC_RELAXED) == -1 && word == 0xf0);
    CHECK(__atomic_fetch_or(&word, 0x0f, __ATOMIC_RELEASE) == 0xf0 && word == 0xff);
    CHECK(__atomic_fetch_xor(&word, 0x1ff, __ATOMIC_ACQ_REL) == 0xff && word == 0x100);
    word = -7;
    CHECK(__atomic_fetch_min(&word, 3, __ATOMIC_SEQ_CST) == -7 && word == -7);
    CHECK(__atomic_fetch_max(&word, 3, __ATOMIC_SEQ_CST) == -7 && word == 3);
    unsigned int uw = 0xfffffff0u;
    CHECK(__atomic_fetch_min(&uw, 5u, __ATOMIC_SEQ_CST) == 0xfffffff0u && uw == 5u);
    dword = 10;
    CHECK(cas_lrsc(&dword, 10, 20) == 10 && dword == 20);
    CHECK(cas_lrsc(&dword, 10, 30) == 20 && dword == 20);
    long expected = 20;
    CHECK(__atomic_compare_exchange_n(&dword, &expected, 40, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && dword == 40);
    CHECK(!__atomic_compare_exchange_n(&dword, &expected, 50, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) && expected == 40);
    return check_failures();
}
