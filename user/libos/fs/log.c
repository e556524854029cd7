// The write-ahead log. Every change a file-system call makes is an operation between
// begin_op and end_op; while it runs, its blocks are changed only in the buffer cache
// (log_write pins them there). A commit writes them all to the log region, then the log
// header naming them (the commit point: from here on the change will happen), then
// copies them to their home blocks, then clears the header. A crash before the commit
// point loses the whole transaction, one after it is finished at the next mount by
// recovery, which installs whatever a valid header names. So each transaction is atomic,
// however many blocks it writes.
//
// Group commit: a transaction holds every operation that ended since the last commit.
// The file server commits when it has served a call (log_sync), so one call's
// operations (the pieces of a long write, the closes and frees of an exit) share a
// commit and pay for one, yet no call returns before its changes are safe. A commit
// also happens early when the next operation might not fit: begin_op reserves
// MAXOPBLOCKS blocks for every operation in progress.
//
// The disk may keep writes in its cache and write them out in any order (disk_rw), so
// each step is flushed before the next: four flushes a commit. The last matters as much
// as the others: a header still naming the old transaction must not meet the next
// transaction's blocks in the log region after a crash.
//
// On the disk: block logstart is the header (int n; int block[LOGSIZE]), and block
// logstart+1+i holds the new contents of home block block[i].
#include "fs.h"

static struct {
    uint start;         // the header block
    uint size;          // blocks of the region, the header included
    int outstanding;    // operations begun and not yet ended
    int n;              // blocks in the current transaction
    uint block[LOGSIZE];
    uint64 commits;
} log;

// Blocks a transaction may hold: the region less its header, and what the header can name.
static int capacity(void) {
    int cap = (int)log.size - 1;
    return cap < LOGSIZE ? cap : LOGSIZE;
}

static void write_head(void) {
    struct buf *b = bread(log.start);
    uint *h = (uint *)b->data;
    for (int i = 0; i < BSIZE / 4; i++) h[i] = 0;
    h[0] = log.n;
    for (int i = 0; i < log.n; i++) h[1 + i] = log.block[i];
    bwrite(b);
    brelse(b);
}

// Copies the transaction's blocks to their homes. The blocks are in the cache: pinned
// there during normal operation, read from the log region during recovery.
static void install(int recovering) {
    for (int i = 0; i < log.n; i++) {
        struct buf *dst = bread(log.block[i]);
        if (recovering) {
            struct buf *src = bread(log.start + 1 + i);
            for (int j = 0; j < BSIZE; j++) dst->data[j] = src->data[j];
            brelse(src);
        }
        bwrite(dst);
        if (!recovering) bunpin(dst);
        brelse(dst);
    }
}

// Reads the header and installs what it names. Returns 0, or -1 with *why set if the
// header cannot be a header of this file system.
static int recover(const char **why) {
    struct buf *b = bread(log.start);
    uint *h = (uint *)b->data;
    uint n = h[0];
    if (n > (uint)capacity()) {
        brelse(b);
        *why = "the log header names more blocks than the log holds";
        return -1;
    }
    for (uint i = 0; i < n; i++) {
        uint blk = h[1 + i];
        // A logged block is always an inode, bitmap or data block of this file system.
        if (blk < log.start + log.size || blk >= sb.size) {
            brelse(b);
            *why = "the log header names a block outside the file system";
            return -1;
        }
        log.block[i] = blk;
    }
    log.n = (int)n;
    brelse(b);
    install(1);
    bflush();
    log.n = 0;
    write_head();
    bflush();
    return 0;
}

int log_init(const char **why) {
    log.start = sb.logstart;
    log.size = sb.nlog;
    log.outstanding = 0;
    log.n = 0;
    if (log.size < 2) {
        *why = "the log region is too small";
        return -1;
    }
    return recover(why);
}

static void commit(void) {
    if (log.n == 0) return;
    for (int i = 0; i < log.n; i++) {
        struct buf *b = bread(log.block[i]);    // in the cache: pinned
        bwrite_at(b, log.start + 1 + i);
        brelse(b);
    }
    bflush();           // the logged blocks are on the disk ...
    write_head();       // ... before the header commits them
    bflush();           // the commit point: from here on the change will happen
    install(0);
    bflush();           // the home blocks are on the disk ...
    log.n = 0;
    write_head();       // ... before the header forgets the transaction
    bflush();           // and it is forgotten before the next one reuses the log
    log.commits++;
}

void begin_op(void) {
    if (log.outstanding == 0 && log.n + MAXOPBLOCKS > capacity()) commit();
    if (log.n + (log.outstanding + 1) * MAXOPBLOCKS > capacity())
        fs_panic("begin_op: operations in progress could overflow the log");
    log.outstanding++;
}

void end_op(void) {
    if (log.outstanding < 1) fs_panic("end_op: no operation in progress");
    log.outstanding--;
}

void log_write(struct buf *b) {
    if (log.outstanding < 1) fs_panic("log_write: outside an operation");
    int i = 0;
    while (i < log.n && log.block[i] != b->blockno) i++;
    if (i < log.n) return;      // absorbed: already in this transaction
    if (log.n >= capacity()) fs_panic("log_write: transaction too big");
    log.block[log.n++] = b->blockno;
    bpin(b);
}

void log_sync(void) {
    if (log.outstanding != 0) fs_panic("log_sync: an operation is still in progress");
    commit();
}

uint64 log_commits(void) {
    return log.commits;
}
