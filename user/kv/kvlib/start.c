// kv's start: exec'd by the standard LibOS, which left kv's pages mapped through kv's
// own capabilities and described them in the hand-off (libos/uproc.h). kvlib only needs
// the handles it gives (memory, the server, the console, the clock) and its upcall stack;
// the software page table it ignores from here on: kvlib manages memory without one.
#include "kvlib.h"

int main(int argc, char **argv);

#define STR1(x) #x
#define STR(x) STR1(x)

// A naked function, not file-scope asm: gdb gets a line for it, and no frame above it.
__attribute__((naked, section(".text.start"))) void _start(void) {
    __asm__(".cfi_undefined ra\n"
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
}

void kv_start(void);
void kv_start(void) {
    UPROC->envid = (int)exo_envid();
    UPROC->exiting = 0;
    kv_upcalls();
}

// Started by the boot loader: there is no file server, so no block range to be had. The
// message names the program, for kvlib serves other LibOSes than kv's (pager's).
void kv_booted(int argc, char **argv);
void kv_booted(int argc, char **argv) {
    const char *name = argc > 0 ? argv[0] : "this program";
    char msg[128];
    int n = lo_snprintf(msg, sizeof msg, "%s: needs the file server: run it from the shell, not as the first program\n", name);
    exo_cons_write(EXO_BOOT_CONSOLE, msg, n);
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)1L);
}
