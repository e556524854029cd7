// kvlib: a second library OS, made for one application, the key-value store kv.
//
// It runs beside the standard LibOS in the same boot, and differs from it where kv's
// needs differ:
//  - storage: not the file system, but a range of raw disk blocks that the file server
//    gives /kv (its /storage says so) when it loads it, and no one else. On them kvlib
//    keeps a record store of its own (store.c): a log of records with its own block
//    layout, every live record held in memory (no reads after start-up), and its own
//    durability protocol with the disk's write cache: a change costs one block write and
//    one flush, a group of changes the same, where the standard LibOS's log flushes four
//    times a commit, and no call goes to the file server.
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
// The upcalls: kv_upcalls registers kv_upcall for time slices (where a kill reaches the
// process) and faults (the process ends with a line naming itself). A LibOS built on
// kvlib that handles faults of its own (pager) puts its handler in front and passes
// kvlib's upcall what it does not take.
void kv_upcalls(void);
void kv_upcall(struct exo_frame *f);

// ---- memory (mem.c) ----
#define KV_HEAP 0x3F40000000UL      // kv_pages allocates from here up
#define KV_POOL 0x3F48000000UL      // the store's records (store.c), a page at a time
// n fresh zeroed pages, mapped readable and writable one after another; 0 if out of memory.
// Their handles go to handles[0..n) unless it is 0.
void *kv_pages(int n, int *handles);
// The same at va.
void *kv_map(uint64 va, int n, int *handles);

// ---- the disk (disk.c) ----
// A block's buffer: its bytes, and the page (handle, offset) that exo_disk moves it through.
struct kv_buf {
    uchar *data;
    int page;
    long off;
};
struct kv_disk_stats {
    long reads, writes, flushes;
};
extern struct kv_disk_stats kv_disk_stats;

// Opens kv's block range, which the file server gave us at exec. 0, or -1 if there is none.
int kv_disk_open(void);
long kv_nblocks(void);
int kv_disk_handle(void);
uint64 kv_disk_first(void);
// n block buffers (at most 16); 0, or -1 if out of memory.
int kv_bufs(struct kv_buf *bufs, int n);
// Block b of the range (0 .. kv_nblocks()-1) into or from buf; a failure ends kv.
void kv_bread(long b, struct kv_buf *buf);
// Into the disk's write cache: a crash may lose it until the next kv_flush returns.
void kv_bwrite(long b, struct kv_buf *buf);
void kv_flush(void);

// ---- the record store (store.c) ----
#define KV_KEYMAX 27
#define KV_VALMAX 95

// Opens the store in kv's blocks, making a new one if they are all zero, and recovers it:
// every change committed before a crash is there. With fresh, makes a new, empty store
// whatever the blocks held. 0, or -1 with a message on standard error.
int kv_open(int fresh);
// Changes, durable at the next kv_commit. kv_put: 0, -1 if the key or value is too long
// (or the key empty), -2 if the store is full. kv_del: 1, or 0 if the key was absent.
int kv_put(const char *key, const char *val);
int kv_del(const char *key);
// Returns when every change so far is on stable storage.
void kv_commit(void);
// The value of key, or 0 if absent (valid until the next change).
const char *kv_get(const char *key);
// Calls f with every record; returns how many.
long kv_each(void (*f)(const char *key, const char *val, void *arg), void *arg);

struct kv_store_stats {
    long records, bytes, maxbytes;  // live records, their bytes, the most the store takes
    long logblocks, inuse;          // the log's blocks, and those between its tail and head
    long cleaned, moved;            // blocks the cleaner emptied in this run, records it moved
};
void kv_store_stats(struct kv_store_stats *s);
