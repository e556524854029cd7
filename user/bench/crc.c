// Benchmark workload: checksums over a buffer, as file systems and network stacks compute
// them: CRC-32 by table, CRC-32C bit by bit, Adler-32 and FNV-1a. Each is checked against
// its published check value first.
//
//   crc [ROUNDS]
#include "bench.h"

#define LEN 32768

static unsigned char buf[LEN];
static unsigned int table[256];

static void make_table(void) {
    for (unsigned int i = 0; i < 256; i++) {
        unsigned int c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static unsigned int crc32(const unsigned char *p, long n) {
    unsigned int c = 0xFFFFFFFFu;
    for (long i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static unsigned int crc32c(const unsigned char *p, long n) {
    unsigned int c = 0xFFFFFFFFu;
    for (long i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82F63B78u & -(c & 1));
    }
    return c ^ 0xFFFFFFFFu;
}

static unsigned int adler32(const unsigned char *p, long n) {
    unsigned int a = 1, b = 0;
    for (long i = 0; i < n; i++) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
    return b << 16 | a;
}

static unsigned long fnv1a(const unsigned char *p, long n) {
    unsigned long h = 0xcbf29ce484222325UL;
    for (long i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3UL; }
    return h;
}

int main(int argc, char **argv) {
    long n = rounds(argc, argv, "usage: crc [ROUNDS]\n");
    if (n < 1) return 2;
    make_table();
    const unsigned char *nine = (const unsigned char *)"123456789";
    EXPECT(crc32(nine, 9), 0xCBF43926u);
    EXPECT(crc32c(nine, 9), 0xE3069283u);
    EXPECT(adler32((const unsigned char *)"Wikipedia", 9), 0x11E60398u);
    EXPECT(fnv1a((const unsigned char *)"a", 1), 0xaf63dc4c8601ec8cUL);
    unsigned long sum = 0;
    for (long r = 0; r < n; r++) {
        bench_seed = 88172645463325252UL;
        for (int i = 0; i < LEN; i++) buf[i] = (unsigned char)bench_rand();
        unsigned int a = crc32(buf, LEN), c = crc32c(buf, LEN / 4), d = adler32(buf, LEN);
        unsigned long f = fnv1a(buf, LEN);
        // A CRC of the data followed by its own CRC (little-endian) is the same constant.
        static unsigned char tail[LEN + 4];
        memcpy(tail, buf, LEN);
        for (int k = 0; k < 4; k++) tail[LEN + k] = (unsigned char)(a >> (8 * k));
        CHECK(crc32(tail, LEN + 4) == 0x2144DF1Cu);
        sum = a ^ (unsigned long)c << 32 ^ d ^ f;
    }
    puts("crc "); puthex(sum); puts("\n");
    return check_failures();
}
