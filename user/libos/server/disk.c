// The server's disk: the buffer cache's pages, block I/O through the exokernel, and
// the carving of the disk at boot. kernel-exo gives the first environment the whole
// disk; the server keeps two ranges derived from it — the file system's blocks, which
// only it ever uses, and the blocks after the file system, which /storage deals out to
// programs of other LibOSes (storage.c) — and gives up the whole.
#include "sproc.h"

int srv_extra = -1;
static int fsdisk = EXO_BOOT_DISK;      // until the file system's range is carved out
static int cachepages[NBUF / 4];        // four 1 KiB buffers to a page

// Writes go to the disk's write cache: the log flushes where its order needs it (log.c),
// three or four flushes a commit instead of one for every block written.
void disk_rw(uint blockno, struct buf *b, int write) {
    long r = exo_disk(fsdisk, blockno, cachepages[b->index / 4], (b->index % 4) * BSIZE,
                      write ? EXO_DISK_WRITE_CACHED : EXO_DISK_READ);
    if (r < 0) srv_halt("fs: disk %s of block %u failed (error %ld)\n", write ? "write" : "read", blockno, r);
}

void disk_flush(void) {
    long r = exo_disk(fsdisk, 0, 0, 0, EXO_DISK_FLUSH);
    if (r < 0) srv_halt("fs: disk flush failed (error %ld)\n", r);
}

void fs_panic(const char *msg) {
    srv_halt("fs: panic: %s\n", msg);
}

int srv_disk_init(int carve, const char **why) {
    struct exo_capinfo disk;
    if (capinfo(EXO_BOOT_DISK, &disk) < 0 || disk.type != CAP_BLOCKS) {
        *why = "no disk capability";
        return -1;
    }
    for (int i = 0; i < NBUF / 4; i++) {
        long h = srv_page(SRV_BCACHE + (uint64)i * PG);
        if (h < 0) {
            *why = "no memory for the buffer cache";
            return -1;
        }
        cachepages[i] = (int)h;
    }
    binit((uchar *)SRV_BCACHE);
    if (fs_mount((uint)disk.count, why) < 0) return -1;
    if (!carve) return 0;

    long fs = capalloc(CAP_BLOCKS, disk.first, EXO_BOOT_DISK, sb.size);
    if (fs < 0) {
        *why = "cannot derive a capability for the file system's blocks";
        return -1;
    }
    fsdisk = (int)fs;
    if (disk.count > sb.size) {
        long extra = capalloc(CAP_BLOCKS, disk.first + sb.size, EXO_BOOT_DISK, disk.count - sb.size);
        if (extra >= 0) srv_extra = (int)extra;
    }
    capfree(EXO_BOOT_DISK);
    return 0;
}

static struct inode *bootfile;

int srv_file_open(const char *path) {
    begin_op();
    bootfile = namei(0, path);      // an absolute path: no current directory needed
    end_op();
    return bootfile ? 0 : -1;
}

long srv_file_read(void *ctx, uint64 off, void *dst, long n) {
    if (bootfile == 0 || off > 0xffffffffUL || n < 0) return -1;
    ilock(bootfile);
    int r = readi(bootfile, dst, (uint)off, (uint)n);
    iunlock(bootfile);
    return r;
}
