// Building a new environment: what fork and exec (and the file server's start, and the
// server starting init) have in common. The builder allocates the newcomer's uproc region
// and software page table, maps them in its own address space to fill them in
// (CHILD_UPROC_VA, CHILD_VPT_VA), grants the newcomer a capability for each and the
// handles every LibOS process holds, and maps them into the newcomer through those
// handles (see uproc.h). build_release then lets go of the builder's side.
#include "libos.h"

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
    for (int i = 0; i < VPT_PAGES; i++) {
        if (b->own_vpt[i] == 0) continue;
        exo_unmap(EXO_SELF, CHILD_VPT_VA + (uint64)i * PG);
        capfree(b->own_vpt[i] - 1);
        b->own_vpt[i] = 0;
    }
}

int build_begin(int env, const struct creator *c, int pid) {
    struct build *b = BUILD;
    for (int i = 0; i < UPROC_PAGES; i++) b->own_uproc[i] = -1;
    for (int i = 0; i < VPT_PAGES; i++) b->own_vpt[i] = b->own_own[i] = 0;
    for (int i = 0; i < UPROC_PAGES; i++) {
        long h = page_private(CHILD_UPROC_VA + i * PG);
        if (h < 0) goto bad;
        b->own_uproc[i] = (int)h;
    }
    struct uproc *u = CHILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        u->h_uproc[i] = (int)capgrant(b->own_uproc[i], env, CAP_R | CAP_W | CAP_GRANT, 0, 0);
        if (u->h_uproc[i] < 0) goto bad;
    }
    // A page allocated from a memory capability gets its rights: W and X let the newcomer
    // map its pages writable and executable.
    u->h_mem = (int)capgrant(c->h_mem, env, CAP_R | CAP_W | CAP_X | CAP_GRANT, 0, 0);
    u->h_srv = (int)capgrant(c->h_srv, env, CAP_X | CAP_GRANT, 0, 0);
    u->h_cons = (int)capgrant(c->h_cons, env, CAP_W | CAP_GRANT, 0, 0);   // output only: input is the server's
    u->h_clock = (int)capgrant(c->h_clock, env, CAP_R | CAP_GRANT, 0, 0);
    u->h_cpu = -1;  // last: build_finish
    if (u->h_mem < 0 || u->h_srv < 0 || u->h_cons < 0 || u->h_clock < 0) goto bad;
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
    long h = page_private(CHILD_VPT_VA + (uint64)i * PG);
    if (h < 0) return -1;
    b->own_vpt[i] = (int)h + 1;
    long hc = capgrant((int)h, env, CAP_R | CAP_W | CAP_GRANT, 0, 0);
    if (hc < 0) return -1;
    CHILD->vptdir[i] = (int)hc + 1;
    return 0;
}

int build_finish(int env, const struct creator *c) {
    struct uproc *u = CHILD;
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (exo_map(env, UPROC_VA + i * PG, u->h_uproc[i], MAP_R | MAP_W) < 0) return -1;
    }
    for (int i = 0; i < VPT_PAGES; i++) {
        if (u->vptdir[i] == 0) continue;
        if (exo_map(env, VPT_VA + (uint64)i * PG, u->vptdir[i] - 1, MAP_R | MAP_W) < 0) return -1;
    }
    u->h_cpu = (int)capgrant(c->h_cpu, env, CAP_X | CAP_GRANT, 0, 0);
    return u->h_cpu < 0 ? -1 : 0;
}
