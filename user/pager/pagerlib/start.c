// pager's start: exec'd by the standard LibOS, which left the program's pages mapped
// through its own capabilities and described them in the hand-off (libos/uproc.h).
// pagerlib needs only the handles it gives (memory, the server, the console, its blocks)
// and its upcall stack; the software page table it ignores: the paged region is its own.
#include "pagerlib.h"

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
        "  call pg_start\n"
        "  mv a0, s1\n"
        "  mv a1, s2\n"
        "  mv sp, s2\n"
        "  call main\n"
        "  call pg_exit\n"
        "1:\n"
        "  call pg_booted\n"
        "2: j 2b\n");

void pg_upcalls(void);

void pg_start(void);
void pg_start(void) {
    UPROC->envid = (int)exo_envid();
    UPROC->exiting = 0;
    pg_upcalls();
}

// Started by the boot loader: there is no file server, so no block range to be had.
void pg_booted(void);
void pg_booted(void) {
    static const char msg[] = "pager: start pager from the shell: it needs the file server\n";
    exo_cons_write(EXO_BOOT_CONSOLE, msg, sizeof msg - 1);
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)1L);
}
