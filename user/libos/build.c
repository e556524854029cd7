// Building a new environment: what fork and exec (and the file server's start, and the
// server starting init) have in common. The builder allocates the newcomer's uproc region
// and software page table, maps them in its own address space to fill them in
// (CHILD_UPROC_VA, CHILD_VPT_VA), and grants the newcomer a capability for each, mapped
// into the newcomer at once (exo_grantmap; see uproc.h). The newcomer's other handles are
// already in its table: the file server put them there when it made the environment.
// build_release then lets go of the builder's side.
//
// Each system call is a crossing into the kernel, and a crossing costs more than the
// work of most of these calls: so the calls whose arguments are known in advance are
// queued in the builder's page and made in one crossing (exo_batch).
#include "libos.h"

const struct handles process_handles = {LH_MEM, LH_SRV, LH_CONS, LH_CLOCK, LH_CPU};

int batch_add(long num, long a0, long a1, long a2, long a3, long a4) {
    struct build *b = BUILD;
    struct exo_call *c = &b->batch[b->nbatch];
    c->num = num;
    c->a[0] = a0;
    c->a[1] = a1;
    c->a[2] = a2;
    c->a[3] = a3;
    c->a[4] = a4;
    c->a[5] = 0;
    return b->nbatch++;
}

int batch_room(void) {
    return BATCH_MAX - BUILD->nbatch;
}

long batch_run(void) {
    struct build *b = BUILD;
    long n = b->nbatch;
    b->nbatch = 0;
    return n == 0 ? 0 : exo_batch(b->batch, n);
}

void release_add(long num, long a0, long a1) {
    if (batch_room() < 1) release_run();
    batch_add(num, a0, a1, 0, 0, 0);
}

// Unmaps our window at va and frees our handle h on the page.
static void release_page(uint64 va, int h) {
    release_add(SYS_exo_unmap, EXO_SELF, (long)va);
    release_add(SYS_capfree, h, 0);
}

void release_run(void) {
    struct build *b = BUILD;
    int n = b->nbatch;
    for (int from = 0; from < n;) {
        long done = exo_batch(&b->batch[from], n - from);
        if (done < 0) break;
        from += (int)done + 1;  // past the one that failed
    }
    b->nbatch = 0;
}

void build_release(void) {
    struct build *b = BUILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (b->own_uproc[i] < 0) continue;
        release_page(CHILD_UPROC_VA + i * PG, b->own_uproc[i]);
        b->own_uproc[i] = -1;
    }
    for (int i = lo_next_nonzero((uint *)b->own_vpt, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)b->own_vpt, i + 1, VPT_PAGES)) {
        release_page(CHILD_VPT_VA + (uint64)i * PG, b->own_vpt[i] - 1);
        b->own_vpt[i] = 0;
    }
    release_run();
}

int build_begin(int env, int mem, const struct handles *h, int pid) {
    struct build *b = BUILD;
    b->mem = mem;
    b->nbatch = 0;
    for (int i = 0; i < UPROC_PAGES; i++) b->own_uproc[i] = -1;
    lo_memset(b->own_vpt, 0, sizeof b->own_vpt);
    lo_memset(b->own_own, 0, sizeof b->own_own);
    // Two crossings: the pages (whose handles the second needs), then our windows on them
    // and the child's capabilities, mapped into it.
    for (int i = 0; i < UPROC_PAGES; i++) batch_add(SYS_capalloc, CAP_PAGE, -1, mem, 0, 0);
    long done = batch_run();
    for (int i = 0; i < done; i++) b->own_uproc[i] = (int)b->batch[i].ret;
    if (done != UPROC_PAGES) goto bad;
    int granted[UPROC_PAGES];
    for (int i = 0; i < UPROC_PAGES; i++) {
        batch_add(SYS_exo_map, EXO_SELF, (long)(CHILD_UPROC_VA + i * PG), b->own_uproc[i], MAP_R | MAP_W, 0);
        granted[i] = batch_add(SYS_exo_grantmap, b->own_uproc[i], env, CAP_R | CAP_W, (long)(UPROC_VA + i * PG),
                               MAP_R | MAP_W);
    }
    if (batch_run() != 2 * UPROC_PAGES) goto bad;
    struct uproc *u = CHILD;
    for (int i = 0; i < UPROC_PAGES; i++) u->h_uproc[i] = (int)b->batch[granted[i]].ret;
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
    long hc = exo_grantmap((int)h, env, CAP_R | CAP_W, VPT_VA + (uint64)i * PG, MAP_R | MAP_W);
    if (hc < 0) return -1;
    CHILD->vptdir[i] = (int)hc + 1;
    return 0;
}
