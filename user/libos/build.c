// Building a new environment: what fork and exec (and the file server's start, and the
// server starting init) have in common. The builder allocates the newcomer's uproc region
// and software page table, maps them in its own address space to fill them in
// (CHILD_UPROC_VA, CHILD_VPT_VA), grants the newcomer a capability for each, and maps them
// into the newcomer through those handles (see uproc.h). The newcomer's other handles are
// already in its table: the file server put them there when it made the environment.
// build_release then lets go of the builder's side.
#include "libos.h"

const struct handles process_handles = {LH_MEM, LH_SRV, LH_CONS, LH_CLOCK, LH_CPU};

static void release_uproc(void) {
    struct build *b = BUILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (b->own_uproc[i] < 0) continue;
        exo_unmap(EXO_SELF, CHILD_UPROC_VA + i * PG);
        capfree(b->own_uproc[i]);
        b->own_uproc[i] = -1;
    }
}

void build_release(void) {
    struct build *b = BUILD;
    release_uproc();
    for (int i = lo_next_nonzero((uint *)b->own_vpt, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)b->own_vpt, i + 1, VPT_PAGES)) {
        exo_unmap(EXO_SELF, CHILD_VPT_VA + (uint64)i * PG);
        capfree(b->own_vpt[i] - 1);
        b->own_vpt[i] = 0;
    }
}

int build_begin(int env, int mem, const struct handles *h, int pid) {
    struct build *b = BUILD;
    b->mem = mem;
    for (int i = 0; i < UPROC_PAGES; i++) b->own_uproc[i] = -1;
    lo_memset(b->own_vpt, 0, sizeof b->own_vpt);
    lo_memset(b->own_own, 0, sizeof b->own_own);
    for (int i = 0; i < UPROC_PAGES; i++) {
        long ph = page_from(mem, CHILD_UPROC_VA + i * PG);
        if (ph < 0) goto bad;
        b->own_uproc[i] = (int)ph;
    }
    struct uproc *u = CHILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        u->h_uproc[i] = (int)capgrant(b->own_uproc[i], env, CAP_R | CAP_W, 0, 0, 0);
        if (u->h_uproc[i] < 0) goto bad;
    }
    u->h_mem = h->mem;
    u->h_srv = h->srv;
    u->h_cons = h->cons;
    u->h_clock = h->clock;
    u->h_cpu = h->cpu;
    u->h_storage = -1;  // (the file server gives it, when it builds a program with storage)
    u->magic = UPROC_MAGIC;
    u->pid = pid;
    return 0;
bad:
    build_release();
    return -1;
}

int build_vpt(int env, uint64 va) {
    struct build *b = BUILD;
    if (va >= USERTOP) return -1;
    int i = (int)(va / PG / VPT_PER_PAGE);
    if (b->own_vpt[i] != 0) return 0;
    long h = page_from(b->mem, CHILD_VPT_VA + (uint64)i * PG);
    if (h < 0) return -1;
    b->own_vpt[i] = (int)h + 1;
    long hc = capgrant((int)h, env, CAP_R | CAP_W, 0, 0, 0);
    if (hc < 0) return -1;
    CHILD->vptdir[i] = (int)hc + 1;
    return 0;
}

int build_finish(int env) {
    struct uproc *u = CHILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (exo_map(env, UPROC_VA + i * PG, u->h_uproc[i], MAP_R | MAP_W) < 0) return -1;
    }
    for (int i = lo_next_nonzero((uint *)u->vptdir, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)u->vptdir, i + 1, VPT_PAGES)) {
        if (exo_map(env, VPT_VA + (uint64)i * PG, u->vptdir[i] - 1, MAP_R | MAP_W) < 0) return -1;
    }
    return 0;
}
