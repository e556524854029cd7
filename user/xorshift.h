// A small pseudo-random generator for the stress programs (grind, sysfuzz): xorshift64*,
// so a run is repeated exactly by its seed. Include after user.h; seed must not be 0.

static uint64 seed;

static uint64 rnd(void) {
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return seed * 2685821657736338717UL;
}

static int pick(int n) { return (int)(rnd() % (uint64)n); }
