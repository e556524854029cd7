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
struct build {
    int mem;                    // our memory capability the child's pages come from
    int own_vpt[VPT_PAGES];     // our handle + 1 on each page of the child's software page table
    int own_own[VPT_PAGES];     // our handle + 1 on each page of OWN_VPT
    int own_uproc[UPROC_PAGES]; // our handles on the child's uproc region (-1: none)
    uint64 argv[LIBOS_MAXARG];
    struct exo_regs regs;
};
#define BUILD ((struct build *)BUILD_VA)
#define CHILD ((struct uproc *)CHILD_UPROC_VA)
#define CHILD_VPT ((volatile vpte_t *)CHILD_VPT_VA)
#define OWN_VPT ((volatile vpte_t *)OWN_VPT_VA)

// The child's uproc region, its pages from our memory capability mem, granted into env;
// the uproc records the child's handles h and pid.
int build_begin(int env, int mem, const struct handles *h, int pid);
// A page of the child's software page table covering va, in CHILD_VPT. 0 or -1.
int build_vpt(int env, uint64 va);
// Maps the child's uproc region and software page table into it, through its handles. 0 or -1.
int build_finish(int env);
// Releases what build_* gave us: the windows on the child's pages and our handles.
void build_release(void);

// Loads the program at src into env, as exec: segments, the stack with argv (a user
// pointer, read with checked copies), the uproc with handles h, pid, descriptors and name;
// every page from our memory capability mem. 0 or -1.
int image_build(int env, int mem, const struct handles *h, struct image_src *src, char **argv, int pid,
                const struct fdinfo *fd, const char *name);
// Our handles on the image's pages (the child holds its own): freed after image_build.
void image_release(void);

