// Building a new environment: what fork and exec (and the file server starting itself,
// init, and the programs with storage it loads itself) have in common. In a header of its
// own so the file server, which cannot include libos.h, shares it.
#pragma once

#include "uproc.h"

// The handles a new environment's uproc records: its own, which whoever made it put in its
// table (for a process, the file server: LH_* in uproc.h).
struct handles {
    int mem, srv, cons, clock, cpu;
};
extern const struct handles process_handles;

// Where a program's bytes come from: read(ctx, off, dst, n) reads n <= PG bytes at off.
struct image_src {
    long (*read)(void *ctx, uint64 off, void *dst, long n);
    void *ctx;
};

// The builder's page: what fork and exec keep while they prepare a child.
#define LIBOS_MAXARG 32
#define BATCH_MAX 16            // calls queued for one exo_batch (what fits in the page)
struct build {
    int mem;                    // our memory capability the child's pages come from
    int own_vpt[VPT_PAGES];     // our handle + 1 on each page of the child's software page table
    int own_own[VPT_PAGES];     // our handle + 1 on each page of OWN_VPT
    int own_uproc[UPROC_PAGES]; // our handles on the child's uproc region (-1: none)
    int nbatch;                 // calls queued in batch
    uint64 argv[LIBOS_MAXARG];
    struct exo_regs regs;
    struct exo_call batch[BATCH_MAX];
};
_Static_assert(sizeof(struct build) <= PG, "struct build must fit its page");
#define BUILD ((struct build *)BUILD_VA)
#define CHILD ((struct uproc *)CHILD_UPROC_VA)
#define CHILD_VPT ((volatile vpte_t *)CHILD_VPT_VA)
#define OWN_VPT ((volatile vpte_t *)OWN_VPT_VA)

// The child's uproc region, its pages from our memory capability mem, granted into env;
// the uproc records the child's handles h and pid.
int build_begin(int env, int mem, const struct handles *h, int pid);
// A page of the child's software page table covering va, in CHILD_VPT. 0 or -1.
int build_vpt(int env, uint64 va);
// Queues a call for the next batch_run (which the caller must make before BATCH_MAX);
// returns its index in BUILD->batch, where its result will be.
int batch_add(long num, long a0, long a1, long a2, long a3, long a4);
// Runs the queued calls in one crossing (exo_batch) and empties the queue. Returns how many
// succeeded: the first that failed, if any, has its error in its ret; those after it did not run.
long batch_run(void);
// Room left in the queue.
int batch_room(void);
// A release: calls that each undo something and may fail alone (changing nothing), queued
// and run in batches; release_run runs what is queued, going on past any that fails.
void release_add(long num, long a0, long a1);
void release_run(void);
// Releases what build_* gave us: the windows on the child's pages and our handles, with
// whatever release calls were queued before it (release_add), in as few crossings as fit.
void build_release(void);

// Loads the program at src into env, as exec: segments, the stack with argv (a user
// pointer, read with checked copies), the uproc with handles h, pid, descriptors and name;
// every page from our memory capability mem. 0 or -1.
int image_build(int env, int mem, const struct handles *h, struct image_src *src, char **argv, int pid,
                const struct fdinfo *fd, const char *name);
// The same in steps, for a builder that does other work between them (the file server,
// which serves other calls between the pieces of an exec): image_begin reads the headers
// and makes the uproc (fd 0: the builder fills in the descriptors itself) (0, or -1 with
// everything let go); each image_step makes at most max pages more of the segments (the
// stack's page beyond it) and returns 0 while there is more, 1 once the image is complete
// (then as image_build's 0), -1 if it failed (everything let go, as image_build's
// failure). One image at a time: the builder's page and windows are one; argv and the
// build area must stay as they are until the last step, and a builder that gives up
// between steps lets go with image_release and build_release.
int image_begin(int env, int mem, const struct handles *h, struct image_src *src, char **argv, int pid,
                const struct fdinfo *fd, const char *name);
int image_step(long max);
// Our handles on the image's pages (the child holds its own): freed after image_build, by
// the build_release that must follow (image_release queues the calls; it runs them).
void image_release(void);

