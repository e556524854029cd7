// The paged region: demand paging to the program's own blocks, in frames it allocated
// itself, with the replacement policy it chose (pagerlib.h). Everything here runs in the
// fault upcall, on the upcall stack, between a fault and exo_resume.
#include "pagerlib.h"

#define SCAUSE_LOAD_PAGE_FAULT 13
#define SCAUSE_STORE_PAGE_FAULT 15

struct pg_stats pg_stats;

static struct {
    short frame[PG_MAXPAGES];           // the frame a page is in, or -1
    uchar ondisk[PG_MAXPAGES];          // its blocks hold it (else it was never written: zeros)
    struct pg_frame frames[PG_MAXFRAMES];
    int handle[PG_MAXFRAMES];           // each frame's CAP_PAGE
    int npages, nframes;
    pg_policy policy;
    int disk;                           // CAP_BLOCKS: our range
    long first;                         // its first block
} vm;

int pg_fifo(const struct pg_frame *frames, int n) {
    int v = 0;
    for (int i = 1; i < n; i++)
        if (frames[i].loaded < frames[v].loaded) v = i;
    return v;
}

void pg_upcall_entry(struct exo_frame *f);    // below

void *pg_init(int npages, int nframes, pg_policy policy) {
    struct exo_capinfo ci;
    if (UPROC->h_storage < 0 || capinfo(UPROC->h_storage, &ci) < 0) {
        kv_printf(2, "pager: no disk blocks of my own: /storage needs a line for /pager\n");
        return 0;
    }
    if (npages < 1 || npages > PG_MAXPAGES || nframes < 1 || nframes > PG_MAXFRAMES) {
        kv_printf(2, "pager: 1 to %d pages in 1 to %d frames\n", PG_MAXPAGES, PG_MAXFRAMES);
        return 0;
    }
    if ((long)npages * PG_BLOCKS > (long)ci.count) {
        kv_printf(2, "pager: %d pages need %ld blocks; mine are %ld\n", npages, (long)npages * PG_BLOCKS, (long)ci.count);
        return 0;
    }
    for (int i = 0; i < nframes; i++) {
        long h = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
        if (h < 0) {
            kv_printf(2, "pager: no memory for %d frames (error %ld)\n", nframes, h);
            return 0;
        }
        vm.handle[i] = (int)h;
        vm.frames[i] = (struct pg_frame){-1, 0, 0};
    }
    for (int p = 0; p < npages; p++) vm.frame[p] = -1, vm.ondisk[p] = 0;
    vm.npages = npages;
    vm.nframes = nframes;
    vm.policy = policy;
    vm.disk = UPROC->h_storage;
    vm.first = (long)ci.first;
    exo_upcall(pg_upcall_entry, UPCALL_STACK_TOP, UPCALL_FAULT | UPCALL_SLICE);
    return (void *)PG_REGION;
}

static void die(const char *what, long page, long err) {
    char buf[96];
    int n = lo_snprintf(buf, sizeof buf, "pager: %s of page %ld failed (error %ld)\n", what, page, err);
    exo_cons_write(UPROC->h_cons, buf, n);
    kv_exit(1);
}

// The page's PG_BLOCKS blocks to or from frame f (its capability: it need not be mapped).
static void io(int page, int f, int op) {
    for (int b = 0; b < PG_BLOCKS; b++) {
        long r = exo_disk(vm.disk, vm.first + (long)page * PG_BLOCKS + b, vm.handle[f], (long)b * EXO_BSIZE, op);
        if (r < 0) die(op == EXO_DISK_READ ? "read" : "write", page, r);
    }
}

static int frame_for(void) {
    for (int f = 0; f < vm.nframes; f++)
        if (vm.frames[f].page < 0) return f;
    int f = vm.policy(vm.frames, vm.nframes);
    if (f < 0 || f >= vm.nframes) f = pg_fifo(vm.frames, vm.nframes);   // a policy's bad answer
    struct pg_frame *v = &vm.frames[f];
    // Unmapped first, so that nothing changes the page while it is written out.
    long r = exo_unmap(EXO_SELF, PG_REGION + (uint64)v->page * PG);
    if (r < 0) die("unmap", v->page, r);
    if (v->dirty) {
        io(v->page, f, EXO_DISK_WRITE_CACHED);
        pg_stats.writes++;
        vm.ondisk[v->page] = 1;
    }
    // A clean page needs no write: its blocks hold it, or it was never written (zeros).
    vm.frame[v->page] = -1;
    v->page = -1;
    return f;
}

// 1 if the fault was in the region and is resolved (resume the faulting instruction), 0
// if it is not ours.
static int fault(struct exo_frame *fr) {
    uint64 va = fr->tval;
    int store = fr->cause == SCAUSE_STORE_PAGE_FAULT;
    if (va < PG_REGION || va >= PG_REGION + (uint64)vm.npages * PG) return 0;
    if (!store && fr->cause != SCAUSE_LOAD_PAGE_FAULT) return 0;
    int page = (int)((va - PG_REGION) / PG);
    uint64 at = PG_REGION + (uint64)page * PG;
    long r;
    pg_stats.faults++;
    if (vm.frame[page] >= 0) {
        // A write to a page mapped read-only: from now on it is dirty.
        int f = vm.frame[page];
        if (!store || vm.frames[f].dirty) return 0;
        if ((r = exo_map(EXO_SELF, at, vm.handle[f], MAP_R | MAP_W)) < 0) die("map", page, r);
        vm.frames[f].dirty = 1;
        return 1;
    }
    int f = frame_for();
    if (vm.ondisk[page]) {
        io(page, f, EXO_DISK_READ);
        pg_stats.reads++;
    } else {
        // Never written: a fresh page from the kernel, which zeroes every page it hands out.
        capfree(vm.handle[f]);
        long h = capalloc(CAP_PAGE, -1, UPROC->h_mem, 0);
        if (h < 0) die("allocation", page, h);
        vm.handle[f] = (int)h;
        pg_stats.zerofills++;
    }
    if ((r = exo_map(EXO_SELF, at, vm.handle[f], store ? MAP_R | MAP_W : MAP_R)) < 0) die("map", page, r);
    vm.frames[f] = (struct pg_frame){page, store, pg_stats.faults - 1};
    vm.frame[page] = (short)f;
    return 1;
}

// The upcall: a fault of the region is ours; the rest (a time slice's end, where a kill
// reaches us, and any other fault, which ends the process with a line) is kvlib's.
void pg_upcall(struct exo_frame *f);
void pg_upcall(struct exo_frame *f) {
    if (f->kind == UPCALL_FAULT && fault(f)) exo_resume(f);
    kv_upcall(f);
}

__asm__(".section .text.pg_upcall_entry,\"ax\",@progbits\n"
        ".globl pg_upcall_entry\n"
        "pg_upcall_entry:\n"
        "  andi sp, sp, -16\n"
        "  call pg_upcall\n"
        "1: j 1b\n");
