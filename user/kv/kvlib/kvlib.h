// kvlib: a second library OS, made for one application, the key-value store kv.
//
// It runs beside the standard LibOS in the same boot, and differs from it where kv's
// needs differ:
//  - storage: not the file system, but a range of raw disk blocks that the file server
//    gives /kv (its /storage says so) when it loads it, and no one else, through a block cache with its
//    own policy: write-back, with CLOCK (second-chance) replacement, flushed on request and
//    at exit. The file server's cache is write-through its log; kv's data is its own
//    business, and it trades crash safety for fewer writes.
//  - memory: no sbrk, no software page table, no copy-on-write (kv never forks): pages are
//    allocated with capalloc and mapped where kv wants them, and freed only with the
//    environment.
//  - processes: none of its own. kv is still a process of the standard world, so that the
//    shell can start it, wait for it and kill it: it speaks the standard LibOS's hand-off
//    (libos/uproc.h) when it starts, and the file server's protocol (libos/srvproto.h) for
//    its descriptors, the console and exit.
// The two LibOSes are kept apart by capabilities alone: kv's process holds a capability for
// its block range and none for the file system's; a standard process holds no disk
// capability at all (see kv's "check" command and user/libos/prog/capcheck.c).
#pragma once

#include "exo.h"
#include "libos/uproc.h"
#include "libos/srvproto.h"
#include "libos/lib/lib.h"

// ---- the process (sys.c) ----
void kv_exit(int status) __attribute__((noreturn));
long kv_srv(int op, long a1, long a2, exo_u64 *out);
int kv_read(int fd, char *buf, int n);
int kv_write(int fd, const char *buf, int n);
void kv_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// ---- memory (mem.c) ----
// n fresh zeroed pages, mapped readable and writable one after another; 0 if out of memory.
// Their handles go to handles[0..n) unless it is 0.
void *kv_pages(int n, int *handles);

// ---- the block store (disk.c) ----
struct kv_stats {
    long hits, misses, evictions, reads, writes;
};
extern struct kv_stats kv_stats;

// Opens kv's block range, which the file server gave us at exec. 0, or -1 if there is none.
int kv_disk_open(void);
long kv_nblocks(void);
int kv_disk_handle(void);
uint64 kv_disk_first(void);
// Block b of kv's range, in the cache; write means the caller will change it.
uchar *kv_block(long b, int write);
// Writes every changed block back to the disk.
void kv_sync(void);
