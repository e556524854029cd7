// kv's block store: the blocks of the range the file server granted, through a cache of
// NCACHE blocks with kv's own policy. Write-back: a changed block is written only when it
// is evicted or at kv_sync. Replacement by CLOCK: a hand sweeps the cache; a block used
// since the hand last passed gets a second chance (its bit is cleared), the first one
// without gets replaced. So a block in steady use is never evicted by a sweep of
// one-time reads, and no list needs updating on every hit.
#include "kvlib.h"

#define NCACHE 32
#define KV_BSIZE 1024

struct cblock {
    long blockno;       // -1: empty
    int used;           // the CLOCK bit
    int dirty;
    int page;           // handle of the page holding data
    long off;           // data's offset in that page
    uchar *data;
};

struct kv_stats kv_stats;
static struct cblock cache[NCACHE];
static int hand;
static int disk = -1;
static uint64 first;
static long nblocks;

int kv_disk_open(void) {
    // The file server loaded us itself and gave us our blocks (its /storage): see uproc.h.
    if (UPROC->h_storage < 0) return -1;
    disk = UPROC->h_storage;
    struct exo_capinfo ci;
    if (capinfo(disk, &ci) < 0) return -1;
    first = ci.first;
    nblocks = (long)ci.count;
    // The cache's pages: four blocks to a page, the handles kept for exo_disk.
    int pages[NCACHE / 4];
    uchar *mem = kv_pages(NCACHE / 4, pages);
    if (mem == 0) return -1;
    for (int i = 0; i < NCACHE; i++) {
        cache[i].blockno = -1;
        cache[i].data = mem + (uint64)i * KV_BSIZE;
        cache[i].page = pages[i / 4];
        cache[i].off = (i % 4) * KV_BSIZE;
    }
    return 0;
}

long kv_nblocks(void) {
    return nblocks;
}

int kv_disk_handle(void) {
    return disk;
}

uint64 kv_disk_first(void) {
    return first;
}

static void io(struct cblock *c, int write) {
    long r = exo_disk(disk, (long)(first + c->blockno), c->page, c->off, write);
    if (r < 0) {
        kv_printf(2, "kv: disk %s of block %ld failed (error %ld)\n", write ? "write" : "read", c->blockno, r);
        kv_exit(1);
    }
    if (write) kv_stats.writes++;
    else kv_stats.reads++;
}

uchar *kv_block(long b, int write) {
    if (b < 0 || b >= nblocks) {
        kv_printf(2, "kv: block %ld is outside kv's %ld blocks\n", b, nblocks);
        kv_exit(1);
    }
    for (int i = 0; i < NCACHE; i++) {
        if (cache[i].blockno == b) {
            kv_stats.hits++;
            cache[i].used = 1;
            cache[i].dirty |= write;
            return cache[i].data;
        }
    }
    kv_stats.misses++;
    // Sweep for a victim: one without its second chance left.
    while (cache[hand].blockno >= 0 && cache[hand].used) {
        cache[hand].used = 0;
        hand = (hand + 1) % NCACHE;
    }
    struct cblock *c = &cache[hand];
    hand = (hand + 1) % NCACHE;
    if (c->blockno >= 0) {
        kv_stats.evictions++;
        if (c->dirty) io(c, 1);
    }
    c->blockno = b;
    c->dirty = write;
    c->used = 1;
    io(c, 0);
    return c->data;
}

void kv_sync(void) {
    for (int i = 0; i < NCACHE; i++) {
        if (cache[i].blockno >= 0 && cache[i].dirty) {
            io(&cache[i], 1);
            cache[i].dirty = 0;
        }
    }
}
