// embryorun: a parent holds its child's environment (R|W) while it builds it after
// SRV_FORK, until SRV_FORK_START, where the server takes that hold back and starts the
// child. This parent starts the child itself instead, on a few instructions of its own,
// and never asks for FORK_START: the child runs as a process the parent still controls.
// Had the server served it, a process would be acting under its own pid while another
// process held its environment (it could stop it, change its registers, fill its table),
// which the LibOS promises never happens. The child calls SRV_DUP and reports what came
// back; "embryorun: refused" when the server would not serve a child not yet started.
#include "libos/libos.h"

#define CHILD_CODE 0x10000UL
#define CHILD_MBOX 0x20000UL

// The child's program, RV64 machine code: pct_call(LH_SRV, {SRV_DUP, 0}) with a0..a2 set
// by the parent, then the transfer's status and the server's result into the mailbox
// (t1), and a flag; then it spins.
static const uint code[] = {
    (SYS_pct_call << 20) | (17 << 7) | 0x13,            // addi a7, x0, SYS_pct_call
    0x00000073,                                         // ecall
    (10 << 20) | (6 << 15) | (3 << 12) | 0x23,          // sd a0, 0(t1)
    (11 << 20) | (6 << 15) | (3 << 12) | (8 << 7) | 0x23,   // sd a1, 8(t1)
    (1 << 20) | (7 << 7) | 0x13,                        // addi t2, x0, 1
    (7 << 20) | (6 << 15) | (3 << 12) | (16 << 7) | 0x23,   // sd t2, 16(t1)
    0x0000006f,                                         // j .
};

// A page of our heap, granted to env with rights and mapped there at va. Returns ours.
static volatile long *share(int env, uint64 va, int rights, int perm) {
    char *p = sbrk(2 * PG);
    if (p == (char *)-1) return 0;
    uint64 page = PGROUNDUP((uint64)p);
    long g = capgrant(VP_HANDLE(vpt_get(page)), env, rights, 0, 0, 0);
    if (g < 0 || exo_map(env, va, (int)g, perm) < 0) return 0;
    return (volatile long *)page;
}

int main(void) {
    exo_u64 out[6];
    long pid = srv(SRV_FORK, 0, 0, 0, out);
    if (pid < 0) {
        printf("embryorun: FAIL no fork\n");
        exit(1);
    }
    int env = (int)out[1];
    volatile long *text = share(env, CHILD_CODE, CAP_R | CAP_X, MAP_R | MAP_X);
    volatile long *mbox = text ? share(env, CHILD_MBOX, CAP_R | CAP_W, MAP_R | MAP_W) : 0;
    if (mbox == 0) {
        printf("embryorun: FAIL cannot fill the child\n");
        exit(1);
    }
    lo_memmove((void *)text, code, sizeof code);
    static struct exo_regs r;
    r.pc = CHILD_CODE;
    r.x[10] = LH_SRV;
    r.x[11] = SRV_DUP;
    r.x[12] = 0;
    r.x[6] = CHILD_MBOX;
    if (env_ctl(env, ENV_SETREGS, &r) < 0 || env_ctl(env, ENV_START, 0) < 0) {
        printf("embryorun: FAIL cannot start the child\n");
        exit(1);
    }
    for (int t = 0; t < 20 && mbox[2] == 0; t++) sleep(1);
    if (mbox[2] == 0) printf("embryorun: FAIL the child never called\n");
    else if (mbox[0] != 0) printf("embryorun: FAIL the call did not go through (error %ld)\n", mbox[0]);
    else if (mbox[1] >= 0) printf("embryorun: FAIL the server served the child we hold: dup gave fd %ld\n", mbox[1]);
    else printf("embryorun: a child we started ourselves: refused\n");
    printf("embryorun: abort %s\n", srv(SRV_FORK_ABORT, pid, 0, 0, 0) == 0 ? "ok" : "FAIL refused");
    exit(0);
}
