// Deep recursion: thousands of frames on the stack, and mutual recursion through function pointers.
#include "runtime/harness.h"

static long depth_sum(long n) {
    volatile char pad[64];   // make each frame larger
    pad[0] = (char)n;
    if (n == 0) return pad[0];
    return n + depth_sum(n - 1) + pad[0] - (char)n;
}

static long ackermann(long m, long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int (*volatile even_fn)(unsigned) = is_even;

int main(void) {
    puts("recursion: 2000 frames of 100+ bytes, ackermann(2, 300), mutual recursion\n");
    CHECK(depth_sum(2000) == 2000L * 2001 / 2);
    CHECK(ackermann(2, 300) == 603);
    CHECK(even_fn(1000) == 1 && even_fn(777) == 0);
    return check_failures();
}
