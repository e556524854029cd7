// How a LibOS environment starts. There are three ways in:
//
//  - exec'd by a LibOS (a2 = EXEC_MAGIC, a3 = UPROC_VA): the creator has mapped just
//    enough for this code to run through its own capabilities; adopt() maps every page
//    again through ours (see uproc.h), we register our upcall handlers, tell the creator,
//    and call main(argc, argv) on the program's stack as xv6's exec would.
//  - forked (fork_child_entry): the same adoption, then fork returns 0 on the stack the
//    parent called it on, with the parent's callee-saved registers.
//  - started by the boot loader (the first environment, anything else in a2): there is no
//    file server yet. init carries one and becomes it (server/boot.c defines libos_boot);
//    any other program runs bare (below).
#include "libos.h"

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
        "  mv s1, a0\n"                 // argc and argv survive libos_start (callee-saved)
        "  mv s2, a1\n"
        "  li sp, " STR(START_STACK_TOP) "\n"
        "  call libos_start\n"
        "  mv a0, s1\n"
        "  mv a1, s2\n"
        "  mv sp, s2\n"                 // the program's stack: argv is at its bottom
        "  call main\n"
        "  call exit\n"
        "1:\n"
        "  call libos_boot\n"
        "2: j 2b\n");

// fork's child starts here: sp is the start-up stack, ra and the callee-saved registers are
// the parent's at its call of fork; UPROC->fork_sp is the stack pointer of that call.
__asm__(".section .text.fork_child_entry,\"ax\",@progbits\n"
        ".globl fork_child_entry\n"
        "fork_child_entry:\n"
        "  addi sp, sp, -16\n"
        "  sd ra, 0(sp)\n"
        "  call libos_start\n"
        "  call fork_child_sp\n"
        "  ld ra, 0(sp)\n"
        "  mv sp, a0\n"
        "  li a0, 0\n"                  // fork returns 0 in the child
        "  ret\n");

uint64 fork_child_sp(void);
uint64 fork_child_sp(void) {
    return UPROC->fork_sp;
}

// Maps every page we were handed through our own capabilities. Runs before anything else,
// on pages the creator mapped for us (text, this region, the software page table), so it
// touches nothing else: no globals, no program memory.
void adopt(void) {
    struct uproc *u = UPROC;
    int ok = 1;
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (exo_map(EXO_SELF, UPROC_VA + i * PG, u->h_uproc[i], MAP_R | MAP_W) < 0) ok = 0;
    }
    for (int i = 0; i < VPT_PAGES; i++) {
        if (u->vptdir[i] == 0) continue;
        if (exo_map(EXO_SELF, VPT_VA + i * PG, u->vptdir[i] - 1, MAP_R | MAP_W) < 0) {
            ok = 0;
            continue;
        }
        for (int j = 0; j < VPT_PER_PAGE; j++) {
            vpte_t e = VPT[i * VPT_PER_PAGE + j];
            if (e == 0) continue;
            uint64 va = ((uint64)i * VPT_PER_PAGE + j) * PG;
            if (exo_map(EXO_SELF, va, VP_HANDLE(e), vp_perm(e)) < 0) ok = 0;
        }
    }
    u->adopted = ok ? 1 : 2;
}

// The first steps of an exec'd or forked environment.
void libos_start(void);
void libos_start(void) {
    adopt();
    if (UPROC->adopted != 1) {
        // Out of memory for our own page tables: we cannot run. Our creator sees it and
        // undoes what it did.
        exosched(EXOSCHED_WAKE, (long)&UPROC->adopted, 0);
        env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
    }
    UPROC->depth = 0;
    UPROC->exiting = 0;
    libos_upcalls();
    exosched(EXOSCHED_WAKE, (long)&UPROC->adopted, 0);
}

// ---- bare: a program the boot loader started that is not init ----
// No file server exists, so there are no files and no other processes: the program gets
// the console as descriptors 0, 1 and 2 (read raw, without line editing), memory (sbrk,
// from BARE_HEAP up), the clock, and exit. Enough for a test of the exokernel written as
// an ordinary program.
#define BARE_HEAP 0x10000000UL

static void bare_page(uint64 va) {
    if (page_private(va) < 0) env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
}

__attribute__((weak)) void libos_boot(int argc, char **argv) {
    long h[UPROC_PAGES];
    for (int i = 0; i < UPROC_PAGES; i++) {
        h[i] = page_private(UPROC_VA + i * PG);
        if (h[i] < 0) env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
    }
    for (int i = 0; i < IPC_PAGES; i++) bare_page(IPC_VA + i * PG);
    bare_page(BULLETIN_VA);
    struct uproc *u = UPROC;
    u->magic = UPROC_MAGIC;
    u->pid = 1;
    u->h_mem = EXO_BOOT_MEMORY;
    u->h_srv = -1;
    u->h_cons = EXO_BOOT_CONSOLE;
    u->h_clock = EXO_BOOT_CLOCK;
    u->h_cpu = EXO_BOOT_CPU;
    for (int i = 0; i < UPROC_PAGES; i++) u->h_uproc[i] = (int)h[i];
    u->sz = BARE_HEAP;
    for (int fd = 0; fd < 3; fd++) {
        u->fd[fd].type = FD_DEVICE;
        u->fd[fd].readable = u->fd[fd].writable = 1;
        u->fd[fd].major = CONSOLE;
    }
    lo_strlcpy(u->name, argc > 0 ? argv[0] : "bare", LIBOS_NAMELEN);
    u->adopted = 1;
    libos_upcalls();
    exit(main(argc, argv));
}
