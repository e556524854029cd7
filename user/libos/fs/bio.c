// The buffer cache: a copy of recently used disk blocks, so each is read from the disk
// once, and a buffer whose block the log has not yet installed stays put (pinned).
// Buffers sit on a list ordered by last use; a miss takes the least recently used one
// that nobody holds and the log has not pinned.
#include "fs.h"

static struct buf bufs[NBUF];
static struct buf head;     // list sentinel: head.next is the most recently used

void binit(uchar *mem) {
    head.prev = head.next = &head;
    for (int i = 0; i < NBUF; i++) {
        struct buf *b = &bufs[i];
        b->valid = 0;
        b->refcnt = 0;
        b->pinned = 0;
        b->blockno = 0;
        b->index = i;
        b->data = mem + (uint64)i * BSIZE;
        b->next = head.next;
        b->prev = &head;
        head.next->prev = b;
        head.next = b;
    }
}

static void unlink_buf(struct buf *b) {
    b->next->prev = b->prev;
    b->prev->next = b->next;
}

static void push_front(struct buf *b) {
    b->next = head.next;
    b->prev = &head;
    head.next->prev = b;
    head.next = b;
}

static struct buf *bget(uint blockno) {
    for (struct buf *b = head.next; b != &head; b = b->next) {
        if (b->valid && b->blockno == blockno) {
            b->refcnt++;
            return b;
        }
    }
    for (struct buf *b = head.prev; b != &head; b = b->prev) {
        if (b->refcnt == 0 && !b->pinned) {
            b->blockno = blockno;
            b->valid = 0;
            b->refcnt = 1;
            return b;
        }
    }
    fs_panic("bget: every buffer is in use");
}

struct buf *bread(uint blockno) {
    struct buf *b = bget(blockno);
    if (!b->valid) {
        disk_rw(b->blockno, b, 0);
        b->valid = 1;
    }
    return b;
}

void bwrite(struct buf *b) {
    if (b->refcnt < 1) fs_panic("bwrite: buffer not held");
    disk_rw(b->blockno, b, 1);
}

void bwrite_at(struct buf *b, uint blockno) {
    if (b->refcnt < 1) fs_panic("bwrite_at: buffer not held");
    disk_rw(blockno, b, 1);
}

void bflush(void) {
    disk_flush();
}

void brelse(struct buf *b) {
    if (b->refcnt < 1) fs_panic("brelse: buffer not held");
    if (--b->refcnt == 0) {
        unlink_buf(b);
        push_front(b);
    }
}

void bpin(struct buf *b) {
    b->pinned++;
}

void bunpin(struct buf *b) {
    if (b->pinned < 1) fs_panic("bunpin: buffer not pinned");
    b->pinned--;
}
