// kv's disk: the range of blocks the file server granted /kv (its /storage), read and
// written one block at a time through kv's own capability. Nothing here decides when a
// write becomes durable: kv_bwrite puts a block into the disk's write cache, where a crash
// may lose it, and kv_flush returns when every earlier write is on stable storage. The
// store (store.c) decides when to do which.
#include "kvlib.h"

struct kv_disk_stats kv_disk_stats;
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

int kv_bufs(struct kv_buf *bufs, int n) {
    int pages[4];
    if (n < 1 || n > 16) return -1;
    uchar *mem = kv_pages((n + 3) / 4, pages);
    if (mem == 0) return -1;
    for (int i = 0; i < n; i++) {
        bufs[i].data = mem + (uint64)i * EXO_BSIZE;
        bufs[i].page = pages[i / 4];
        bufs[i].off = (i % 4) * EXO_BSIZE;
    }
    return 0;
}

static void io(long b, struct kv_buf *buf, int op) {
    if (b < 0 || b >= nblocks) {
        kv_printf(2, "kv: block %ld is outside kv's %ld blocks\n", b, nblocks);
        kv_exit(1);
    }
    long r = exo_disk(disk, (long)first + b, buf->page, buf->off, op);
    if (r < 0) {
        kv_printf(2, "kv: disk %s of block %ld failed (error %ld)\n", op == EXO_DISK_READ ? "read" : "write", b, r);
        kv_exit(1);
    }
}

void kv_bread(long b, struct kv_buf *buf) {
    io(b, buf, EXO_DISK_READ);
    kv_disk_stats.reads++;
}

void kv_bwrite(long b, struct kv_buf *buf) {
    io(b, buf, EXO_DISK_WRITE_CACHED);
    kv_disk_stats.writes++;
}

void kv_flush(void) {
    long r = exo_disk(disk, 0, 0, 0, EXO_DISK_FLUSH);
    if (r < 0) {
        kv_printf(2, "kv: disk flush failed (error %ld)\n", r);
        kv_exit(1);
    }
    kv_disk_stats.flushes++;
}
