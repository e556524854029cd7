// Memory: the software page table and sbrk.
//
// kernel-exo keeps the hardware page tables; the LibOS keeps its own record of what it
// mapped where, because it must know which capability backs each page (to grant it to a
// child, to free it) and what the page is (writable? shared copy-on-write?). That record
// is the software page table: one 32-bit entry per page below USERTOP, at VPT_VA, its
// pages made as they are needed (uproc->vptdir lists them).
//
// sbrk is xv6's: eager (pages are allocated and zeroed now, so a later touch cannot fail),
// returns the old break, shrinks for a negative argument, and fails, leaving everything as
// it was, when memory runs out. A shrink by more than the whole process changes nothing
// and returns the break, as on xv6. sbrklazy is xv6-riscv's sbrk(n, SBRK_LAZY): it moves
// the break and nothing else; each page of the heap gets its memory when first touched
// (lazy_fill, from the fault handler, whether the program or the LibOS's own copy_checked
// touched it).
#include "libos.h"

int vpt_present(uint64 va) {
    return va < USERTOP && UPROC->vptdir[va / PG / VPT_PER_PAGE] != 0;
}

vpte_t vpt_get(uint64 va) {
    return vpt_present(va) ? VPT[va / PG] : 0;
}

void vpt_set(uint64 va, vpte_t e) {
    VPT[va / PG] = e;
}

int vpt_next(const volatile vpte_t *page, int j) {
    return lo_next_nonzero(page, j, VPT_PER_PAGE);
}

long page_private(uint64 va) {
    return page_from(UPROC->h_mem, va);
}

long page_from(int mem, uint64 va) {
    long h = capalloc(CAP_PAGE, -1, mem, 0);
    if (h < 0) return h;
    long r = exo_map(EXO_SELF, va, (int)h, MAP_R | MAP_W);
    if (r < 0) {
        capfree((int)h);
        return r;
    }
    return h;
}

int vpt_make(uint64 va) {
    if (va >= USERTOP) return -1;
    int i = (int)(va / PG / VPT_PER_PAGE);
    if (UPROC->vptdir[i] != 0) return 0;
    long h = page_private(VPT_VA + (uint64)i * PG);
    if (h < 0) return -1;
    UPROC->vptdir[i] = (int)h + 1;
    return 0;
}

int vp_perm(vpte_t e) {
    int f = VP_FLAGS(e);
    int perm = MAP_R;
    if ((f & VP_W) && !(f & VP_COW)) perm |= MAP_W;
    if (f & VP_X) perm |= MAP_X;
    return perm;
}

int page_new(uint64 va, int flags) {
    if (vpt_make(va) < 0) return -1;
    long h = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
    if (h < 0) return -1;
    vpte_t e = VP_MAKE(h, flags | VP_CAPW);
    if (exo_map(EXO_SELF, va, (int)h, vp_perm(e)) < 0) {
        capfree((int)h);
        return -1;
    }
    vpt_set(va, e);
    return 0;
}

void page_drop(uint64 va) {
    vpte_t e = vpt_get(va);
    if (e == 0) return;
    exo_unmap(EXO_SELF, va);
    capfree(VP_HANDLE(e));
    vpt_set(va, 0);
}

// A page of the heap with no entry in the software page table is lazy: sbrklazy moved
// the break over it without memory (an eager sbrk maps every page it adds). Below the
// heap an unmapped page is the guard page or nothing, and stays a fault.
int page_lazy(uint64 va) {
    return va >= UPROC->heap && va < UPROC->sz && vpt_get(va) == 0;
}

// Gives the lazy page holding va its memory: a zeroed page from this process's own memory
// capability, readable and writable. Returns 0 when the page is there, -1 if va is not
// lazy, -2 if memory ran out (nothing is left half made: the page stays lazy).
int lazy_fill(uint64 va) {
    va = PGROUNDDOWN(va);
    if (!page_lazy(va)) return -1;
    return page_new(va, VP_R | VP_W) < 0 ? -2 : 0;
}

// Before kernel-exo itself reads or writes [p, p + n) (the console), give its lazy pages
// memory: the kernel takes an unmapped page as a bad address, where xv6's copyin would
// have made the page. A failure here is left for the kernel call to report.
void lazy_touch(const void *p, long n) {
    if (n <= 0) return;
    for (uint64 va = PGROUNDDOWN((uint64)p); va < (uint64)p + (uint64)n; va += PG) {
        if (lazy_fill(va) == -2) return;
    }
}

// Unmaps and frees the pages in [from, to): a page of the software page table that was
// never made holds nothing, so a shrink of a large lazy heap skips it whole.
static void pages_drop(uint64 from, uint64 to) {
    for (uint64 va = from; va < to;) {
        if (!vpt_present(va)) {
            va = (va / PG / VPT_PER_PAGE + 1) * VPT_PER_PAGE * PG;
            continue;
        }
        page_drop(va);
        va += PG;
    }
}

// xv6's growproc: moves the break by n, eagerly or lazily; returns the old break or -1.
static char *growproc(int n, int lazy) {
    libos_enter();
    uint64 old = UPROC->sz;
    uint64 sz = old + (long)n;
    if (n > 0) {
        if (sz > USERTOP || sz < old) return (char *)libos_leave(-1);
        // (sbrklazy maps nothing: its pages come when touched, lazy_fill.)
        for (uint64 va = PGROUNDUP(old); !lazy && va < sz; va += PG) {
            if (page_new(va, VP_R | VP_W) < 0) {
                // Out of memory: give back what this call took.
                pages_drop(PGROUNDUP(old), va);
                return (char *)libos_leave(-1);
            }
        }
    } else if (n < 0) {
        // More than the whole process: nothing changes (xv6's usertests count on it).
        if ((uint64)-(long)n > old) return (char *)libos_leave((long)old);
        // This may release the very code running here (a program can give back all its
        // memory): then the next instruction faults, and the process dies, as on xv6.
        pages_drop(PGROUNDUP(sz), PGROUNDUP(old));
        // What grows again over released pages is heap: lazy, if sbrklazy grows it.
        if (PGROUNDUP(sz) < UPROC->heap) UPROC->heap = PGROUNDUP(sz);
    }
    UPROC->sz = sz;
    return (char *)libos_leave((long)old);
}

char *sbrk(int n) {
    return growproc(n, 0);
}

char *sbrklazy(int n) {
    return growproc(n, 1);
}
