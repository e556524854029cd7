// fork: a new environment with a copy-on-write view of this one's memory.
//
// The file server makes the process (pid, a copy of the descriptor table and current
// directory, its IPC pages and pipe pages mapped) and its environment, and hands us a
// capability to build it. We give the child a capability for each of our pages and map
// the page into it through that capability: writable pages are shared copy-on-write (we
// lose our own write access to them too until the fault handler copies the page),
// read-only pages are simply shared, and neither side keeps CAP_W on a shared page. The page we are running fork on is copied
// at once: we write it again the moment fork returns, so sharing it would only cost a
// fault, and copying it now means fork, not a later write, is what fails when memory is
// short. The child starts at fork_child_entry with our callee-saved registers, registers
// its upcalls and returns 0 from fork on our stack as it was when fork was called.
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

// Gives the child page va (our entry e): copied, shared copy-on-write, or shared read-only.
static int give_page(int env, uint64 va, vpte_t e, int copy) {
    int h = VP_HANDLE(e);
    int f = VP_FLAGS(e);
    long hc;
    if (copy) {
        long nh = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
        if (nh < 0) return -1;
        if (exo_map(EXO_SELF, SCRATCH_WORK, (int)nh, MAP_R | MAP_W) < 0) {
            capfree((int)nh);
            return -1;
        }
        lo_memmove((void *)SCRATCH_WORK, (void *)va, PG);
        exo_unmap(EXO_SELF, SCRATCH_WORK);
        hc = capgrant((int)nh, env, CAP_ALL, 0, 0, 0); // its own page, until it shares it
        capfree((int)nh);   // the child's capability keeps the page alive
        if (hc < 0) return -1;
        CHILD_VPT[va / PG] = VP_MAKE(hc, (f & ~VP_COW) | VP_CAPW);
    } else {
        if (f & VP_CAPW) {
            // Our own page, shared from now on. We keep no CAP_W on it: with it a parent
            // that went around its LibOS mapped the page writable again and wrote into what
            // its child reads, its data or its code (deputy cowwrite). So our hold becomes
            // one without, in place of the one with; a writable page is copy-on-write from
            // now on, and whoever writes it first copies (fault.c).
            long hr = capgrant(h, EXO_SELF, CAP_R | CAP_X | CAP_GRANT, 0, 0, 0);
            if (hr < 0) return -1;
            vpte_t ne = VP_MAKE(hr, (f & VP_W ? f | VP_COW : f) & ~VP_CAPW);
            if (exo_map(EXO_SELF, va, (int)hr, vp_perm(ne)) < 0) {
                capfree((int)hr);
                return -1;
            }
            vpt_set(va, ne);
            capfree(h); // (the page stays: what derives from it holds it)
            h = (int)hr;
            f = VP_FLAGS(ne);
        }
        hc = capgrant(h, env, CAP_R | CAP_X | CAP_GRANT, 0, 0, 0);
        if (hc < 0) return -1;
        CHILD_VPT[va / PG] = VP_MAKE(hc, f);
    }
    vpte_t ce = CHILD_VPT[va / PG];
    return exo_map(env, va, (int)hc, vp_perm(ce)) < 0 ? -1 : 0;
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
    for (int i = lo_next_nonzero((uint *)UPROC->vptdir, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)UPROC->vptdir, i + 1, VPT_PAGES)) {
        const volatile vpte_t *page = &VPT[i * VPT_PER_PAGE];
        for (int j = vpt_next(page, 0); j < VPT_PER_PAGE; j = vpt_next(page, j + 1)) {
            uint64 va = ((uint64)i * VPT_PER_PAGE + j) * PG;
            vpte_t e = page[j];
            if (build_vpt(env, va) < 0 || give_page(env, va, e, va == stackpage) < 0) return -1;
        }
    }
    if (build_finish(env) < 0) return -1;

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
    build_release();
    capfree(env);
    ok = ok && srv(SRV_FORK_START, pid, 0, 0, 0) == 0;
    if (!ok) {
        srv(SRV_FORK_ABORT, pid, 0, 0, 0);
        return libos_leave(-1);
    }
    return libos_leave(pid);
}
