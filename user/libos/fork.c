// fork: a new environment with a copy-on-write view of this one's memory.
//
// The file server makes the process (pid, a copy of the descriptor table and current
// directory, its IPC pages and pipe pages mapped) and its environment, and hands us a
// capability to build it. We give the child a capability for each of our pages and map
// the page into it through that capability: writable pages are shared copy-on-write (we
// lose our own write access to them too until the fault handler copies the page),
// read-only pages are simply shared, and neither side keeps CAP_W on a shared page. The
// page we are running fork on is copied at once: we write it again the moment fork
// returns, so sharing it would only cost a fault, and copying it now means fork, not a
// later write, is what fails when memory is short. The child starts at fork_child_entry
// with our callee-saved registers, registers its upcalls and returns 0 from fork on our
// stack as it was when fork was called.
//
// A system call costs more than most of the work it does, so the calls for the shared
// pages go to the kernel in batches (exo_batch), eight pages at a time: first, for those
// we held with CAP_W, a weaker hold for us mapped in place of it and the free of the old
// one; then a grant of each, mapped into the child (exo_grantmap).
#include "libos.h"

void fork_child_entry(void);

// What fork's entry saves: the registers a C caller expects to survive the call.
struct forkregs {
    uint64 ra, sp, gp, tp;
    uint64 s[12];
    uint64 fs[12];
    uint64 fcsr;
};

int fork_c(struct forkregs *r);

__asm__(".section .text.fork,\"ax\",@progbits\n"
        ".globl fork\n"
        "fork:\n"
        "  addi sp, sp, -240\n"
        "  sd ra, 0(sp)\n"
        "  addi t0, sp, 240\n"
        "  sd t0, 8(sp)\n"
        "  sd gp, 16(sp)\n"
        "  sd tp, 24(sp)\n"
        "  sd s0, 32(sp)\n"
        "  sd s1, 40(sp)\n"
        "  sd s2, 48(sp)\n"
        "  sd s3, 56(sp)\n"
        "  sd s4, 64(sp)\n"
        "  sd s5, 72(sp)\n"
        "  sd s6, 80(sp)\n"
        "  sd s7, 88(sp)\n"
        "  sd s8, 96(sp)\n"
        "  sd s9, 104(sp)\n"
        "  sd s10, 112(sp)\n"
        "  sd s11, 120(sp)\n"
        "  fsd fs0, 128(sp)\n"
        "  fsd fs1, 136(sp)\n"
        "  fsd fs2, 144(sp)\n"
        "  fsd fs3, 152(sp)\n"
        "  fsd fs4, 160(sp)\n"
        "  fsd fs5, 168(sp)\n"
        "  fsd fs6, 176(sp)\n"
        "  fsd fs7, 184(sp)\n"
        "  fsd fs8, 192(sp)\n"
        "  fsd fs9, 200(sp)\n"
        "  fsd fs10, 208(sp)\n"
        "  fsd fs11, 216(sp)\n"
        "  frcsr t0\n"
        "  sd t0, 224(sp)\n"
        "  mv a0, sp\n"
        "  call fork_c\n"
        "  ld ra, 0(sp)\n"
        "  addi sp, sp, 240\n"
        "  ret\n");

// The flags a page has once shared: a writable page of ours becomes copy-on-write, and
// neither side keeps CAP_W on it.
static int shared_flags(int f) {
    if (!(f & VP_CAPW)) return f;
    return (f & VP_W ? f | VP_COW : f) & ~VP_CAPW;
}

// Gives the child a copy of page va (the one fork runs on).
static int give_copy(int env, uint64 va, vpte_t e) {
    long nh = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
    if (nh < 0) return -1;
    if (exo_map(EXO_SELF, SCRATCH_WORK, (int)nh, MAP_R | MAP_W) < 0) {
        capfree((int)nh);
        return -1;
    }
    lo_memmove((void *)SCRATCH_WORK, (void *)va, PG);
    exo_unmap(EXO_SELF, SCRATCH_WORK);
    int f = (VP_FLAGS(e) & ~VP_COW) | VP_CAPW;
    long hc = exo_grantmap((int)nh, env, CAP_ALL, va, vp_perm(VP_MAKE(0, f))); // its own page, until it shares it
    capfree((int)nh); // the child's capability keeps the page alive
    if (hc < 0) return -1;
    CHILD_VPT[va / PG] = VP_MAKE(hc, f);
    return 0;
}

// A page to share with the child: where it is, and our entry for it.
struct give {
    uint64 va;
    vpte_t e;
};
#define GIVE_MAX (BATCH_MAX / 2)

// Shares pages g[0..n) with the child, in two batches. First, our holds with CAP_W: each
// is replaced by one without, derived from it and mapped in its place, and freed. With
// CAP_W a parent that went around its LibOS mapped the page writable again and wrote
// into what its child reads, its data or its code (deputy cowwrite); so a writable page
// is copy-on-write from now on, and whoever writes it first copies (fault.c). Then the
// child's, each derived from our hold as it is now (a revocation of ours reaches the
// child's, as before batches) and mapped into the child (exo_grantmap). After each batch
// both software page tables record what it did, also when it stopped part way: a page
// whose hold was replaced is entered so, and its old handle freed if the batch stopped
// before doing that. 0, or -1 if any call failed.
static int give_pages(int env, struct give *g, int n) {
    struct exo_call *c = BUILD->batch;
    int call[GIVE_MAX];
    for (int i = 0; i < n; i++) {
        call[i] = -1;
        if (!(VP_FLAGS(g[i].e) & VP_CAPW)) continue;
        int h = VP_HANDLE(g[i].e);
        vpte_t ne = VP_MAKE(0, shared_flags(VP_FLAGS(g[i].e)));
        call[i] = batch_add(SYS_exo_grantmap, h, EXO_SELF, CAP_R | CAP_X | CAP_GRANT, (long)g[i].va, vp_perm(ne));
        batch_add(SYS_capfree, h, 0, 0, 0, 0);
    }
    long queued = BUILD->nbatch;
    long done = batch_run();
    for (int i = 0; i < n; i++) {
        int k = call[i];
        if (k < 0 || k >= done) continue;
        int old = VP_HANDLE(g[i].e);
        g[i].e = VP_MAKE(c[k].ret, shared_flags(VP_FLAGS(g[i].e)));
        vpt_set(g[i].va, g[i].e);
        if (k + 1 >= done) capfree(old);
    }
    if (done != queued) return -1;
    for (int i = 0; i < n; i++)
        batch_add(SYS_exo_grantmap, VP_HANDLE(g[i].e), env, CAP_R | CAP_X | CAP_GRANT, (long)g[i].va, vp_perm(g[i].e));
    done = batch_run();
    for (int i = 0; i < done; i++) CHILD_VPT[g[i].va / PG] = VP_MAKE(c[i].ret, VP_FLAGS(g[i].e));
    return done == n ? 0 : -1;
}

static int fork_build(int env, int pid, const struct forkregs *r) {
    if (build_begin(env, UPROC->h_mem, &process_handles, pid) < 0) return -1;
    struct uproc *cu = CHILD;
    cu->sz = UPROC->sz;
    cu->heap = UPROC->heap;     // untouched lazy pages have no entry: they stay lazy in the child
    cu->fork_sp = r->sp;
    for (int i = 0; i < LIBOS_NOFILE; i++) cu->fd[i] = UPROC->fd[i];
    lo_strlcpy(cu->name, UPROC->name, LIBOS_NAMELEN);
    uint64 stackpage = PGROUNDDOWN(r->sp);
    struct give given[GIVE_MAX]; // pages to share, given in batches
    int ng = 0;
    for (int i = lo_next_nonzero((uint *)UPROC->vptdir, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)UPROC->vptdir, i + 1, VPT_PAGES)) {
        const volatile vpte_t *page = &VPT[i * VPT_PER_PAGE];
        for (int j = vpt_next(page, 0); j < VPT_PER_PAGE; j = vpt_next(page, j + 1)) {
            uint64 va = ((uint64)i * VPT_PER_PAGE + j) * PG;
            vpte_t e = page[j];
            if (build_vpt(env, va) < 0) return -1;
            if (va == stackpage) {
                if (give_copy(env, va, e) < 0) return -1;
                continue;
            }
            if (ng == GIVE_MAX) {
                int ok = give_pages(env, given, ng) == 0;
                ng = 0;
                if (!ok) return -1;
            }
            given[ng++] = (struct give){va, e};
        }
    }
    if (give_pages(env, given, ng) < 0) return -1;

    struct exo_regs *g = &BUILD->regs;
    lo_memset(g, 0, sizeof *g);
    g->pc = (uint64)fork_child_entry;
    g->x[1] = r->ra;
    g->x[2] = START_STACK_TOP;
    g->x[3] = r->gp;
    g->x[4] = r->tp;
    g->x[8] = r->s[0];
    g->x[9] = r->s[1];
    for (int k = 2; k < 12; k++) g->x[16 + k] = r->s[k];      // s2..s11 are x18..x27
    g->f[8] = r->fs[0];
    g->f[9] = r->fs[1];
    for (int k = 2; k < 12; k++) g->f[16 + k] = r->fs[k];     // fs2..fs11 are f18..f27
    g->fcsr = r->fcsr;
    return env_ctl(env, ENV_SETREGS, g) < 0 ? -1 : 0;
}

int fork_c(struct forkregs *r) {
    libos_enter();
    exo_u64 out[6];
    long pid = srv(SRV_FORK, 0, 0, 0, out);
    if (pid < 0) return libos_leave(-1);
    int env = (int)out[1];
    int ok = fork_build(env, (int)pid, r) == 0;
    // The child holds its own capabilities for everything it maps: our side can go. (Our
    // handle on its environment would go anyway: the server takes it back when it starts
    // the child.)
    release_add(SYS_capfree, env, 0);
    build_release();
    ok = ok && srv(SRV_FORK_START, pid, 0, 0, 0) == 0;
    if (!ok) {
        srv(SRV_FORK_ABORT, pid, 0, 0, 0);
        return libos_leave(-1);
    }
    return libos_leave(pid);
}
