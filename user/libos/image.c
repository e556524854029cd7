// Loading a program into a new environment, as xv6's exec lays it out: the PT_LOAD
// segments from address 0 with their rights, then an unmapped guard page and a one-page
// stack holding the argument strings and the argv array, each 16-byte aligned; the
// program starts at its entry with a0 = argc, a1 = sp = argv, and (the LibOS's addition)
// a2 = EXEC_MAGIC, a3 = UPROC_VA, where its uproc says who it is.
//
// The builder allocates every page itself, fills it through its own handle (kept in
// OWN_VPT until image_release), and grants the newcomer all rights on it, mapped at once
// (exo_grantmap): the page is the newcomer's alone. The newcomer's handles are in its
// software page table (CHILD_VPT).
#include "libos.h"
#include "lib/elf.h"

// Makes the page of OWN_VPT that covers va, if it is not there yet. 0 or -1.
static int own_vpt(uint64 va) {
    struct build *b = BUILD;
    int i = (int)(va / PG / VPT_PER_PAGE);
    if (b->own_own[i] != 0) return 0;
    long h = page_from(b->mem, OWN_VPT_VA + (uint64)i * PG);
    if (h < 0) return -1;
    b->own_own[i] = (int)h + 1;
    return 0;
}

// Fresh pages of the image from *at up to to, at most max of them, with the flags of their
// segment, *at moved past them; returns how many, or -1. LOAD_CHUNK at a time: allocated
// in one crossing, then, in a second, granted into the newcomer and mapped there (the
// grants need the handles the first returns), each beside a window of ours on it: page k
// of the chunk at SCRATCH_LOAD's k-th page. Then fill(ctx, va, window) fills
// each page of the chunk through its window, with calls and copies but no crossing. The
// windows are not unmapped one by one: the next chunk's map over them, and the last go
// with our handles (image_release frees them; a page's mappings go with its capability).
#define LOAD_CHUNK (BATCH_MAX / 2)
_Static_assert(LOAD_CHUNK <= SCRATCH_LOAD_PAGES, "a chunk's windows fit SCRATCH_LOAD");
typedef int (*fill_fn)(const void *ctx, uint64 va, void *window);

static long image_pages(int env, uint64 *at, uint64 to, int flags, fill_fn fill, const void *ctx, long max) {
    struct exo_call *c = BUILD->batch;
    vpte_t ce = VP_MAKE(0, flags | VP_CAPW);
    long total = 0;
    for (uint64 va = *at; va < to && total < max; *at = va) {
        uint64 first = va;
        long n = 0;
        for (; va < to && n < LOAD_CHUNK && total + n < max; va += PG, n++) {
            if (build_vpt(env, va) < 0 || own_vpt(va) < 0) {
                BUILD->nbatch = 0;
                return -1;
            }
            batch_add(SYS_capalloc, CAP_PAGE, -1, BUILD->mem, 0, 0);
        }
        long done = batch_run();
        for (long k = 0; k < done; k++) OWN_VPT[first / PG + k] = VP_MAKE(c[k].ret, flags); // (image_release frees them)
        if (done != n) return -1;
        for (long k = 0; k < n; k++) {
            int own = VP_HANDLE(OWN_VPT[first / PG + k]);
            // Its own page, until it shares it (fork.c).
            batch_add(SYS_exo_grantmap, own, env, CAP_ALL, (long)(first + k * PG), vp_perm(ce));
            batch_add(SYS_exo_map, EXO_SELF, (long)(SCRATCH_LOAD + k * PG), own, MAP_R | MAP_W, 0);
        }
        done = batch_run();
        for (long k = 0; 2 * k < done; k++) CHILD_VPT[first / PG + k] = VP_MAKE(c[2 * k].ret, flags | VP_CAPW);
        if (done != 2 * n) return -1;
        for (long k = 0; k < n; k++) {
            if (fill(ctx, first + k * PG, (void *)(SCRATCH_LOAD + k * PG)) < 0) return -1;
        }
        total += n;
    }
    return total;
}

// A segment's file bytes in the page at va, read through window.
struct load {
    struct image_src *src;
    const struct elf_seg *seg;
};

static int load_page(const void *ctx, uint64 va, void *window) {
    const struct load *l = ctx;
    uint64 end = l->seg->vaddr + l->seg->filesz;
    // Below the segment (the pages from the end of what was there up to it, as xv6 makes
    // them) and beyond its file bytes, a page stays zero, as fresh pages are.
    if (va < l->seg->vaddr || va >= end) return 0;
    long n = end - va < PG ? (long)(end - va) : (long)PG;
    return l->src->read(l->src->ctx, l->seg->off + (va - l->seg->vaddr), window, n) == n ? 0 : -1;
}

static int no_fill(const void *ctx, uint64 va, void *window) {
    return 0;
}

// A segment's page that an earlier one made (a segment may start in the page where the one
// before it ended): its file bytes, through the work window.
static int load_again(const struct load *l, uint64 va) {
    if (exo_map(EXO_SELF, SCRATCH_WORK, VP_HANDLE(OWN_VPT[va / PG]), MAP_R | MAP_W) < 0) return -1;
    int r = load_page(l, va, (void *)SCRATCH_WORK);
    exo_unmap(EXO_SELF, SCRATCH_WORK);
    return r;
}

// Copies argv (the caller's array, maybe a bad pointer) onto the stack page at stack.
// Returns argc and sets *spp, or -1.
static int push_args(uint64 stack, char **argv, uint64 *spp) {
    struct build *b = BUILD;
    char *base = (char *)SCRATCH_LOAD;      // the stack page, in our window (image_pages)
    uint64 sp = stack + PG;
    int argc = 0;
    for (;; argc++) {
        // As xv6: the terminating 0 must be among the first MAXARG entries.
        if (argc >= LIBOS_MAXARG) return -1;
        char *arg;
        if (copy_checked(&arg, &argv[argc], sizeof arg) < 0) return -1;
        if (arg == 0) break;
        // Copy it to the bottom of the page to learn its length, then up under the others.
        long room = (long)(sp - stack);
        long len = strcopy_checked(base, arg, room);
        if (len < 0) return -1;
        sp -= len + 1;
        sp -= sp % 16;
        if (sp < stack) return -1;
        lo_memmove(base + (sp - stack), base, len + 1);
        b->argv[argc] = sp;
    }
    b->argv[argc] = 0;
    sp -= (uint64)(argc + 1) * sizeof(uint64);
    sp -= sp % 16;
    if (sp < stack) return -1;
    lo_memmove(base + (sp - stack), b->argv, (argc + 1) * sizeof(uint64));
    *spp = sp;
    return argc;
}

void image_release(void) {
    struct build *b = BUILD;
    for (int i = lo_next_nonzero((uint *)b->own_own, 0, VPT_PAGES); i < VPT_PAGES;
         i = lo_next_nonzero((uint *)b->own_own, i + 1, VPT_PAGES)) {
        const volatile vpte_t *page = &OWN_VPT[i * VPT_PER_PAGE];
        for (int j = vpt_next(page, 0); j < VPT_PER_PAGE; j = vpt_next(page, j + 1))
            release_add(SYS_capfree, VP_HANDLE(page[j]), 0);
        release_add(SYS_exo_unmap, EXO_SELF, (long)(OWN_VPT_VA + (uint64)i * PG));
        release_add(SYS_capfree, b->own_own[i] - 1, 0);
        b->own_own[i] = 0;
    }
    // (Queued: the build_release that follows runs them with its own.)
}

// The file's first bytes, read at once: the ELF header and the program headers the linker
// puts right after it (4 of them, 288 bytes, for every program here). Each read is a call
// to the file server, so this is one call where there were five. They go to the bottom
// page of the newcomer's upcall stack, which build_begin made and which nothing uses
// before the newcomer runs: not to the stack (a process's is one page), nor to a static
// buffer, which a forked child shares copy-on-write with its parent: writing it needed a
// free page, and a child that had taken all its memory could no longer exec (usertests'
// execout).
#define HEADERS 512
#define HEADERS_VA (CHILD_UPROC_VA + (UPROC_PAGES - 3) * PG)
_Static_assert(UPCALL_STACK_TOP - 3 * PG == UPROC_VA + (UPROC_PAGES - 3) * PG, "the upcall stack is uproc's last three pages");

// The image being built (one at a time: the builder's page and windows are one), between
// image_begin and the image_step that completes it or fails.
static struct {
    int env;
    struct image_src src;
    char **argv;
    struct elf_info info;
    long got;               // header bytes read
    int ph;                 // the next program header to look at
    int loading;            // 1 while seg's pages [va, its end) are being made
    struct elf_seg seg;
    int flags;
    uint64 va;
    uint64 sz;              // the end of what the segments so far made
} job;

int image_begin(int env, int mem, const struct handles *h, struct image_src *src, char **argv, int pid,
                const struct fdinfo *fd, const char *name) {
    if (build_begin(env, mem, h, pid) < 0) return -1;
    job.env = env;
    job.src = *src;
    job.argv = argv;
    job.ph = 0;
    job.loading = 0;
    job.sz = 0;
    uchar *headers = (uchar *)HEADERS_VA;
    job.got = src->read(src->ctx, 0, headers, HEADERS); // less for a shorter file
    if (job.got < ELF_EHDR_SIZE || job.got > HEADERS || elf_header(headers, job.got, &job.info) < 0) {
        image_release();
        build_release();
        return -1;
    }
    struct uproc *u = CHILD;
    for (int i = 0; fd != 0 && i < LIBOS_NOFILE; i++) u->fd[i] = fd[i];
    lo_strlcpy(u->name, name, LIBOS_NAMELEN);
    return 0;
}

// The next loadable segment, job.loading set, or none left (0); -1 for a bad one.
static int next_segment(void) {
    const uchar *headers = (const uchar *)HEADERS_VA;
    uchar buf[ELF_PHDR_SIZE];
    while (job.ph < job.info.phnum) {
        uint64 at = job.info.phoff + (uint64)job.ph++ * ELF_PHDR_SIZE;
        const uchar *ph = headers + at;
        if (at + ELF_PHDR_SIZE > (uint64)job.got) { // beyond what the first read brought: its own read
            if (job.src.read(job.src.ctx, at, buf, ELF_PHDR_SIZE) != ELF_PHDR_SIZE) return -1;
            ph = buf;
        }
        struct elf_seg *seg = &job.seg;
        int k = elf_phdr(ph, USERTOP - 2 * PG, seg);
        if (k < 0) return -1;
        if (k == 0) continue;
        job.flags = VP_R;
        if (seg->flags & ELF_PF_W) job.flags |= VP_W;
        if (seg->flags & ELF_PF_X) job.flags |= VP_X;
        // As xv6: the pages from the end of what is there up to the segment's end get the
        // segment's rights; the segment must not start below what is there.
        if (seg->vaddr < PGROUNDDOWN(job.sz)) return -1;
        struct load l = {&job.src, seg};
        if (seg->vaddr < PGROUNDUP(job.sz) && load_again(&l, seg->vaddr) < 0) return -1;
        job.va = PGROUNDUP(job.sz);
        job.loading = 1;
        return 1;
    }
    return 0;
}

int image_step(long max) {
    long left = max;
    for (;;) {
        if (!job.loading) {
            int k = next_segment();
            if (k < 0) goto bad;
            if (k == 0) break;
        }
        struct elf_seg *seg = &job.seg;
        struct load l = {&job.src, seg};
        long done = image_pages(job.env, &job.va, seg->vaddr + seg->memsz, job.flags, load_page, &l, left);
        if (done < 0) goto bad;
        left -= done;
        if (job.va < seg->vaddr + seg->memsz) return 0;    // the rest in the next step
        if (seg->vaddr + seg->memsz > job.sz) job.sz = seg->vaddr + seg->memsz;
        job.loading = 0;
    }

    // The guard page (left unmapped) and the stack.
    uint64 stack = PGROUNDUP(job.sz) + PG, at = stack;
    if (image_pages(job.env, &at, stack + PG, VP_R | VP_W, no_fill, 0, 1) != 1) goto bad;
    uint64 sp = 0;
    int argc = push_args(stack, job.argv, &sp); // (through its window, at SCRATCH_LOAD)
    if (argc < 0) goto bad;

    struct uproc *u = CHILD;
    u->sz = stack + PG;
    u->heap = u->sz;
    struct exo_regs *r = &BUILD->regs;
    lo_memset(r, 0, sizeof *r);
    r->pc = job.info.entry;
    r->x[2] = sp;
    r->x[10] = argc;
    r->x[11] = sp;
    r->x[12] = EXEC_MAGIC;
    r->x[13] = UPROC_VA;
    if (env_ctl(job.env, ENV_SETREGS, r) < 0) goto bad;
    return 1;
bad:
    image_release();
    build_release();
    return -1;
}

int image_build(int env, int mem, const struct handles *h, struct image_src *src, char **argv, int pid,
                const struct fdinfo *fd, const char *name) {
    if (image_begin(env, mem, h, src, argv, pid, fd, name) < 0) return -1;
    return image_step(USERPAGES) < 0 ? -1 : 0;
}
