// malloc and free over sbrk.
//
// Memory is handed out in 16-byte units. Every block, free or in use, starts with a
// one-unit header giving its length in units; a free block also uses the header to link
// to the next free block. Free blocks form one list sorted by address, so free() can
// merge a block with the free neighbours it touches and the heap does not splinter.
// malloc takes the first block that fits, splitting off what it does not need; when
// nothing fits it grows the heap with sbrk, by at least GROW units at a time so that
// a program making many small allocations does not make a system call for each.
#include "user.h"

struct header {
    struct header *next;    // next free block, in address order (free blocks only)
    uint64 units;           // length of the block in units, this header included
};

#define UNIT sizeof(struct header)
#define GROW 4096           // units: 64 KiB

static struct header *freelist;

void free(void *p) {
    if (p == 0) return;
    struct header *b = (struct header *)p - 1;

    // Find the free blocks just before and just after b.
    struct header *prev = 0, *next = freelist;
    while (next != 0 && next < b) {
        prev = next;
        next = next->next;
    }
    if (next == b || (prev != 0 && prev + prev->units > b)) {
        fprintf(2, "free: %p is not an allocated block\n", p);
        return;
    }

    // Join the following block if b ends where it starts.
    if (next != 0 && b + b->units == next) {
        b->units += next->units;
        b->next = next->next;
    } else {
        b->next = next;
    }
    // Join the preceding block if it ends where b starts.
    if (prev != 0 && prev + prev->units == b) {
        prev->units += b->units;
        prev->next = b->next;
    } else if (prev != 0) {
        prev->next = b;
    } else {
        freelist = b;
    }
}

// Adds at least `units` units to the free list from sbrk; returns 0 when the kernel
// has no more memory to give.
static int grow(uint64 units) {
    // Keep blocks aligned to a unit even if someone else moved the break.
    uint64 brk = (uint64)sbrk(0);
    if (brk % UNIT != 0 && sbrk(UNIT - brk % UNIT) == (char *)-1) return 0;

    uint64 want = units < GROW ? GROW : units;
    char *p = (uint64)want * UNIT <= 0x7fffffff ? sbrk(want * UNIT) : (char *)-1;
    if (p == (char *)-1 && want != units) {
        // Not enough for a whole GROW; settle for exactly what was asked.
        want = units;
        p = sbrk(units * UNIT);
    }
    if (p == (char *)-1) return 0;
    struct header *b = (struct header *)p;
    b->units = want;
    free(b + 1);
    return 1;
}

void *malloc(uint n) {
    // One unit for the header plus enough for n bytes (at least one unit, so every
    // allocation, even of 0 bytes, is a distinct pointer).
    uint64 units = 1 + ((uint64)n + UNIT - 1) / UNIT;
    if (n == 0) units = 2;
    if (units * UNIT > 0x7fffffff) return 0;

    for (;;) {
        struct header **link = &freelist;
        for (struct header *b = freelist; b != 0; link = &b->next, b = b->next) {
            if (b->units < units) continue;
            if (b->units - units < 2) {
                // Too little left over to be worth a block of its own: take it all.
                *link = b->next;
            } else {
                // Hand out the front, keep the rest free in b's place.
                struct header *rest = b + units;
                rest->units = b->units - units;
                rest->next = b->next;
                *link = rest;
                b->units = units;
            }
            b->next = 0;
            return b + 1;
        }
        if (!grow(units)) return 0;
    }
}
