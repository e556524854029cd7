// What the benchmark workloads share: the round count from the command line and a
// small pseudo-random generator, so every run of a workload is the same instructions.
#pragma once
#include "../test/runtime/harness.h"

// ROUNDS from argv[1] (default 1); prints the usage and returns 0 if it is not a number.
static long rounds(int argc, char **argv, const char *usage) {
    if (argc < 2) return 1;
    long n = 0;
    for (const char *s = argv[1]; *s; s++) {
        if (*s < '0' || *s > '9') { puts(usage); return 0; }
        n = n * 10 + (*s - '0');
    }
    if (n < 1) puts(usage);
    return n;
}

static unsigned long bench_seed = 88172645463325252UL;

// xorshift64: a repeatable stream.
static unsigned long bench_rand(void) {
    bench_seed ^= bench_seed << 13;
    bench_seed ^= bench_seed >> 7;
    bench_seed ^= bench_seed << 17;
    return bench_seed;
}
