// For programs that build a child by hand between SRV_FORK and SRV_FORK_START, as a
// hostile parent would (deputy embryorun, ghost killed): the child runs a few instructions
// of ours from a page of our heap, with another page of it as a mailbox.
#include "libos/libos.h"

#define CHILD_CODE 0x10000UL
#define CHILD_MBOX 0x20000UL

// A page of our heap, granted to env with rights and mapped there at va. Returns ours.
static volatile long *share(int env, uint64 va, int rights, int perm) {
    char *p = sbrk(2 * PG);
    if (p == (char *)-1) return 0;
    uint64 page = PGROUNDUP((uint64)p);
    long g = capgrant(VP_HANDLE(vpt_get(page)), env, rights, 0, 0, 0);
    if (g < 0 || exo_map(env, va, (int)g, perm) < 0) return 0;
    return (volatile long *)page;
}

// Fills the child env we hold with code (n bytes, at CHILD_CODE) and sets its registers to
// r with pc there and t1 the mailbox (CHILD_MBOX); returns our view of the mailbox, or 0.
static volatile long *embryo_fill(int env, const uint *code, unsigned long n, struct exo_regs *r) {
    volatile long *text = share(env, CHILD_CODE, CAP_R | CAP_X, MAP_R | MAP_X);
    volatile long *mbox = text ? share(env, CHILD_MBOX, CAP_R | CAP_W, MAP_R | MAP_W) : 0;
    if (mbox == 0) return 0;
    lo_memmove((void *)text, code, n);
    r->pc = CHILD_CODE;
    r->x[6] = CHILD_MBOX;
    return env_ctl(env, ENV_SETREGS, r) < 0 ? 0 : mbox;
}
