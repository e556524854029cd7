// Copy-on-write between two environments, done entirely by their fault handlers: both map
// the same pages read-only; the first write of either side to a page faults, and its
// handler copies the page, maps the copy writable over the shared one, and lets go of the
// shared one. Each side then sees its own writes and none of the other's.
#include "rt.h"

#define BUF 0x10000000UL
#define NPAGES 4
#define MBOX 0x30000000UL
#define STACK 0x31000000UL
#define COPY 0x32000000UL

struct mbox {
    long child_page[NPAGES]; // the child's handles for the shared pages
    volatile int phase;
};

static long handle[NPAGES]; // per side: the page mapped at BUF + i pages now
static long cow_faults;

static void on_fault(struct exo_frame *f) {
    exo_u64 va = f->tval & ~(exo_u64)(EXO_PGSIZE - 1);
    if (f->cause != 15 || va < BUF || va >= BUF + NPAGES * EXO_PGSIZE)
        panic("env %ld: unexpected fault, cause %ld at 0x%lx (pc 0x%lx)", exo_envid(), (long)f->cause, (long)f->tval,
              (long)f->regs.pc);
    int i = (int)((va - BUF) / EXO_PGSIZE);
    long copy = page_alloc();
    if (copy < 0 || exo_map(EXO_SELF, COPY, (int)copy, MAP_R | MAP_W) < 0) panic("no page to copy into");
    memcpy((void *)COPY, (void *)va, EXO_PGSIZE);
    exo_unmap(EXO_SELF, COPY);
    if (exo_map(EXO_SELF, va, (int)copy, MAP_R | MAP_W) < 0) panic("cannot map the copy");
    capfree((int)handle[i]);
    handle[i] = copy;
    cow_faults++;
    exo_resume(f);
}

static long *word(int page, int i) {
    return (long *)(BUF + page * EXO_PGSIZE) + i;
}

static long pattern(int page, int i) {
    return page * 1000 + i;
}

static int check_page(int page, long delta) {
    int bad = 0;
    for (int i = 0; i < EXO_PGSIZE / 8; i++) bad += *word(page, i) != pattern(page, i) + delta;
    return bad;
}

static void write_page(int page, long delta) {
    for (int i = 0; i < EXO_PGSIZE / 8; i++) *word(page, i) = pattern(page, i) + delta;
}

static long child(long unused) {
    struct mbox *m = (struct mbox *)MBOX;
    for (int i = 0; i < NPAGES; i++) handle[i] = m->child_page[i];
    if (page_map(STACK) < 0 || exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT) < 0) return -2;
    int bad = 0;
    for (int p = 0; p < NPAGES; p++) bad += check_page(p, 0); // the parent's data, shared
    write_page(0, 7);
    write_page(2, 7);
    m->phase = 1;
    WAIT_UNTIL(m->phase == 2, exosched(EXOSCHED_YIELD, 0, 0));
    bad += check_page(0, 7) + check_page(1, 0) + check_page(2, 7) + check_page(3, 0); // not the parent's writes
    return bad * 100 + cow_faults;
}

int main(int argc, char **argv, struct exo_bootinfo *boot) {
    struct mbox *m = (struct mbox *)MBOX;
    long mh = page_map(MBOX);
    EXPECT(page_map(STACK) >= 0, 1);
    EXPECT(exo_upcall(on_fault, STACK + EXO_PGSIZE, UPCALL_FAULT), 0);
    for (int p = 0; p < NPAGES; p++) {
        handle[p] = page_map(BUF + p * EXO_PGSIZE);
        write_page(p, 0);
    }
    long c = spawn(child, 0, SPAWN_STOPPED);
    EXPECT(give_page((int)mh, (int)c, MBOX, CAP_R | CAP_W, MAP_R | MAP_W) >= 0, 1);
    for (int p = 0; p < NPAGES; p++) {
        // The child may only read the shared page: its copies come from its own memory.
        m->child_page[p] = give_page((int)handle[p], (int)c, BUF + p * EXO_PGSIZE, CAP_R, MAP_R);
        EXPECT(m->child_page[p] >= 0, 1);
        EXPECT(exo_map(EXO_SELF, BUF + p * EXO_PGSIZE, (int)handle[p], MAP_R), 0); // ours read-only too
        EXPECT(exo_pagerefs((int)handle[p]), 2);
    }
    long shared2 = handle[2], shared3 = handle[3];
    env_ctl((int)c, ENV_START, 0);
    WAIT_UNTIL(m->phase == 1, exosched(EXOSCHED_YIELD, 0, 0));

    write_page(0, 5);
    write_page(1, 5);
    EXPECT(cow_faults, 2);
    EXPECT(check_page(0, 5) + check_page(1, 5) + check_page(2, 0) + check_page(3, 0), 0); // not the child's writes
    EXPECT(exo_pagerefs((int)shared2), 1); // the child copied page 2: only we map the original
    EXPECT(exo_pagerefs((int)shared3), 2); // nobody wrote page 3: still shared
    m->phase = 2;
    long st = wait_child((int)c);
    EXPECT(st, 2); // no bad words, two copies
    printf("cow: parent copied %ld pages, child %ld\n", cow_faults, st % 100);
    printf("cow: %s\n", rt_failures() ? "FAILED" : "ok");
    return 0;
}
