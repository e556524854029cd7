// lo_memmove, lo_memset and lo_next_nonzero of user/libos/lib/string.c, against the
// obvious byte-at-a-time (or entry-at-a-time) answer, at every alignment and overlap and
// at sizes on either side of their eight-word steps: they are the LibOS's page copies and
// fork's walk of its page table, so a slip in them loses a child's memory.
#include "test/runtime/harness.h"
#include "libos/lib/lib.h"

#define AREA 256

static uchar area[AREA] __attribute__((aligned(64)));
static uchar want[AREA];

static void fill(void) {
    for (int i = 0; i < AREA; i++) area[i] = want[i] = (uchar)(i * 37 + 11);
}

// Offsets that try every alignment and both sides of a word and of a line.
static const int offs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 63, 64, 65, 100, 130};
#define NOFFS (int)(sizeof offs / sizeof offs[0])

// n bytes from src to dst at every pair of those offsets, overlapping or not.
static int moves(int n) {
    int bad = 0;
    for (int a = 0; a < NOFFS; a++) {
        for (int b = 0; b < NOFFS; b++) {
            int s = offs[a], d = offs[b];
            if (s + n > AREA || d + n > AREA) continue;
            fill();
            // What memmove means: as if through a buffer.
            uchar tmp[AREA];
            for (int i = 0; i < n; i++) tmp[i] = want[s + i];
            for (int i = 0; i < n; i++) want[d + i] = tmp[i];
            lo_memmove(area + d, area + s, n);
            for (int i = 0; i < AREA; i++) bad += area[i] != want[i];
        }
    }
    return bad;
}

static int sets(int n) {
    int bad = 0;
    for (int b = 0; b < NOFFS; b++) {
        int d = offs[b];
        if (d + n > AREA) continue;
        fill();
        for (int i = 0; i < n; i++) want[d + i] = 0xa5;
        lo_memset(area + d, 0xa5, n);
        for (int i = 0; i < AREA; i++) bad += area[i] != want[i];
    }
    return bad;
}

static uint table[1024 + 16] __attribute__((aligned(64)));

static int naive_next(const uint *a, int j, int n) {
    while (j < n && a[j] == 0) j++;
    return j;
}

// The walk from every start over a table with entries at the given places, the table
// itself starting on and off a word and a line.
static int walks(const int *at, int nat, int n) {
    int bad = 0;
    static const int shifts[] = {0, 1, 8, 15};
    for (int sh = 0; sh < 4; sh++) {
        uint *a = table + shifts[sh];
        for (int i = 0; i < 1024 + 16; i++) table[i] = 0;
        for (int k = 0; k < nat; k++) a[at[k]] = 0x80000000u >> (k % 32);
        for (int j = 0; j <= n; j += (j < 70 || j > n - 20) ? 1 : 13)
            bad += lo_next_nonzero(a, j, n) != naive_next(a, j, n);
    }
    return bad;
}

int main(void) {
    int sizes[] = {0, 1, 7, 8, 9, 63, 64, 65, 128, 130};
    for (int i = 0; i < (int)(sizeof sizes / sizeof sizes[0]); i++) {
        EXPECT(moves(sizes[i]), 0);
        EXPECT(sets(sizes[i]), 0);
    }

    // A page's copy, as fork and the copy-on-write fault make it.
    static uchar pa[4096] __attribute__((aligned(4096))), pb[4096] __attribute__((aligned(4096)));
    for (int i = 0; i < 4096; i++) pa[i] = (uchar)(i ^ (i >> 8));
    lo_memmove(pb, pa, 4096);
    CHECK(lo_memcmp(pa, pb, 4096) == 0);

    int none[1];
    int edges[] = {0, 1, 15, 16, 17, 31, 63, 64, 511, 1008, 1022, 1023};
    int lone[] = {700};
    int last[] = {1023};
    EXPECT(walks(none, 0, 1024), 0);
    EXPECT(walks(edges, sizeof edges / sizeof edges[0], 1024), 0);
    EXPECT(walks(lone, 1, 1024), 0);
    EXPECT(walks(last, 1, 1024), 0);
    EXPECT(walks(edges, 8, 256), 0);    // a directory's length: 256 entries
    EXPECT(walks(edges, 3, 17), 0);     // a length that is no multiple of a line
    return check_failures();
}
