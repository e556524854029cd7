// pagerlib: a library OS whose application does its own paging.
//
// A monolithic kernel decides which of a process's pages stay in memory: its replacement
// policy is one for everybody, guessed from hardware reference bits. On kernel-exo the
// physical pages are the program's own capabilities, page faults come back to the
// program as upcalls, and disk blocks are its own too; so here the program itself keeps
// a region of virtual memory larger than the frames it allows itself, pages it to its
// own blocks, and chooses each victim by a policy it supplies: one that knows how the
// program walks its data (a program that scans a region cyclically wants the page it
// loaded last evicted, the opposite of what LRU or FIFO do).
//
//  - the region: PG_REGION .. PG_REGION + npages pages, mapped on demand from the fault
//    upcall (vm.c). A page is new (never written: a fault gives it a zeroed frame, no
//    read), on disk (4 blocks of the program's range), or resident in a frame.
//  - frames: nframes pages from the program's memory capability, allocated at pg_init.
//    A page is mapped read-only at its first read and writable at its first write, so the
//    pager knows which frames are dirty without hardware dirty bits; a clean victim costs
//    no write.
//  - the disk: the block range the file server gives /pager (its /storage), as for kv;
//    writes go to the disk's write cache and are never flushed: paged-out data is scratch,
//    as swap is, and dies with the process.
//  - processes: none of its own. pager is a process of the standard world, as kv is, with
//    kvlib's process layer (proc.c): the shell starts it, waits for it, kills it and pipes
//    its output, and it prints with kv_printf and ends with kv_exit.
#pragma once

#include "kv/kvlib/kvlib.h"

// ---- the paged region (vm.c) ----
#define PG_REGION 0x2000000000UL    // far from the program (below 1 GiB) and the LibOS's pages
#define PG_MAXPAGES 1024
#define PG_MAXFRAMES 64
#define PG_BLOCKS (PG / EXO_BSIZE)  // disk blocks a page

// A frame as a policy sees it.
struct pg_frame {
    int page;       // the region's page it holds, or -1 (free)
    int dirty;      // written since it was loaded
    long loaded;    // when it was loaded: the number of faults before
};

// A replacement policy: given every frame (all hold a page when it is asked), returns the
// index of the one to evict.
typedef int (*pg_policy)(const struct pg_frame *frames, int n);
int pg_fifo(const struct pg_frame *frames, int n);  // the oldest load: what a kernel guesses

struct pg_stats {
    long faults;     // page faults taken for the region (a write to a clean page counts)
    long zerofills;  // pages brought in without a read: never written before
    long reads;      // pages read from disk
    long writes;     // dirty pages written back
};
extern struct pg_stats pg_stats;

// Only the program's own loads and stores page: a system call given an address in the
// region that is not resident fails (E_FAULT) rather than fault, so touch what you hand
// the kernel first (kv_write through a pipe or the file server copies in user code, and
// pages as it goes). A policy runs in the fault handler: it must not touch the region.
//
// Sets up a region of npages pages in nframes frames, paged to the program's blocks by
// policy, and puts the pager's fault handler in front of kvlib's. Returns the region's address, or 0 with a message on standard error (no
// blocks of our own, too few for npages, too many pages or frames, out of memory).
void *pg_init(int npages, int nframes, pg_policy policy);

