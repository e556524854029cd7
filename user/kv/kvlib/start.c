// kv's start: the hand-off of the LibOS that exec'd it (libos/uproc.h). Its creator left
// the uproc region and the software page table mapped through the creator's capabilities;
// kv maps every page again through its own, tells the creator, and from then on forgets
// the software page table: kvlib manages memory without one.
#include "kvlib.h"

int main(int argc, char **argv);

#define STR1(x) #x
#define STR(x) STR1(x)

__asm__(".section .text.start,\"ax\",@progbits\n"
        ".globl _start\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  lla gp, __global_pointer$\n"
        ".option pop\n"
        "  li t0, " STR(EXEC_MAGIC) "\n"
        "  bne a2, t0, 1f\n"
        "  mv s1, a0\n"
        "  mv s2, a1\n"
        "  li sp, " STR(START_STACK_TOP) "\n"
        "  call kv_start\n"
        "  mv a0, s1\n"
        "  mv a1, s2\n"
        "  mv sp, s2\n"
        "  call main\n"
        "  call kv_exit\n"
        "1:\n"
        "  call kv_booted\n"
        "2: j 2b\n");

static int perm(vpte_t e) {
    int f = VP_FLAGS(e), p = MAP_R;
    if ((f & VP_W) && !(f & VP_COW)) p |= MAP_W;
    if (f & VP_X) p |= MAP_X;
    return p;
}

void kv_upcalls(void);

void kv_start(void);
void kv_start(void) {
    struct uproc *u = UPROC;
    int ok = 1;
    for (int i = 0; i < UPROC_PAGES; i++) ok &= exo_map(EXO_SELF, UPROC_VA + i * PG, u->h_uproc[i], MAP_R | MAP_W) >= 0;
    for (int i = 0; i < VPT_PAGES; i++) {
        if (u->vptdir[i] == 0) continue;
        ok &= exo_map(EXO_SELF, VPT_VA + i * PG, u->vptdir[i] - 1, MAP_R | MAP_W) >= 0;
        for (int j = 0; j < VPT_PER_PAGE; j++) {
            vpte_t e = VPT[i * VPT_PER_PAGE + j];
            if (e != 0) ok &= exo_map(EXO_SELF, ((uint64)i * VPT_PER_PAGE + j) * PG, VP_HANDLE(e), perm(e)) >= 0;
        }
    }
    u->adopted = ok ? 1 : 2;
    exosched(EXOSCHED_WAKE, (long)&u->adopted, 0);
    if (!ok) env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
    kv_upcalls();
}

// Started by the boot loader: there is no file server, so no block range to be had.
void kv_booted(void);
void kv_booted(void) {
    static const char msg[] = "kv: start kv from the shell: it needs the file server\n";
    exo_cons_write(EXO_BOOT_CONSOLE, msg, sizeof msg - 1);
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)1L);
}
