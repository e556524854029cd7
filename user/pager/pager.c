// pager: a program that pages its own memory (pagerlib), with the replacement policy its
// access pattern calls for.
//
//     pager POLICY [PAGES [FRAMES [SCANS]]]
//
// fills a region of PAGES pages (48) held in FRAMES frames (16), adds one to every word
// (a read, then a write, of each page), then reads it through SCANS times (4), checking
// every word it reads, and prints what the paging cost. POLICY is fifo
// (evict the page loaded first: about what a kernel's LRU does here) or scan, this
// program's own: a cyclic scan next needs the page it used longest ago, so evict the one
// loaded last and keep the rest for the next round.
#include "pagerlib/pagerlib.h"

static int scan(const struct pg_frame *frames, int n) {
    int v = 0;
    for (int i = 1; i < n; i++)
        if (frames[i].loaded > frames[v].loaded) v = i;
    return v;
}

static int number(const char *s, int dflt) {
    if (s == 0) return dflt;
    int n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > 100000) return -1;
        n = n * 10 + (*s - '0');
    }
    return n;
}

#define WORDS (PG / sizeof(uint64))

static uint64 word(long page, long i) {
    return (uint64)page * 1000003 + (uint64)i * 7 + 1;
}

int main(int argc, char **argv) {
    pg_policy policy = 0;
    if (argc >= 2 && lo_strcmp(argv[1], "fifo") == 0) policy = pg_fifo;
    if (argc >= 2 && lo_strcmp(argv[1], "scan") == 0) policy = scan;
    int npages = number(argc > 2 ? argv[2] : 0, 48), nframes = number(argc > 3 ? argv[3] : 0, 16);
    int scans = number(argc > 4 ? argv[4] : 0, 4);
    if (policy == 0 || argc > 5 || npages < 0 || nframes < 0 || scans < 0) {
        kv_printf(2, "usage: pager fifo|scan [pages [frames [scans]]]\n");
        return 1;
    }
    uint64 *region = pg_init(npages, nframes, policy);
    if (region == 0) return 1;

    for (long p = 0; p < npages; p++)
        for (long i = 0; i < (long)WORDS; i++) region[p * WORDS + i] = word(p, i);
    long wrong = 0;
    for (long p = 0; p < npages; p++)
        for (long i = 0; i < (long)WORDS; i++) wrong += region[p * WORDS + i]++ != word(p, i);
    // A write the pager lost (a dirty page taken for clean) shows here.
    for (int s = 0; s < scans; s++)
        for (long p = 0; p < npages; p++)
            for (long i = 0; i < (long)WORDS; i++) wrong += region[p * WORDS + i] != word(p, i) + 1;

    kv_printf(1, "pager: %d pages in %d frames, policy %s: written, updated, read %d times: %s\n", npages, nframes,
              argv[1], scans, wrong ? "WRONG" : "ok");
    kv_printf(1, "pager: %ld faults: %ld zero-filled, %ld read, %ld written back\n", pg_stats.faults,
              pg_stats.zerofills, pg_stats.reads, pg_stats.writes);
    return wrong != 0;
}
