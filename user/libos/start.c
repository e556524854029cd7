// How a LibOS environment starts. There are three ways in:
//
//  - exec'd by a LibOS (a2 = EXEC_MAGIC, a3 = UPROC_VA): the creator has left everything
//    mapped through our own capabilities (see uproc.h); we register our upcall handlers
//    and call main(argc, argv) on the program's stack as xv6's exec would. The file server
//    is exec'd this way too, from /init, as pid 0 (server/boot.c).
//  - forked (fork_child_entry): the same, then fork returns 0 on the stack the parent
//    called it on, with the parent's callee-saved registers.
//  - started by the boot loader (the first environment; a2 = sp = struct exo_bootinfo):
//    there is no file server yet. init carries one and starts it (server/boot.c defines
//    libos_boot); any other program runs bare (below).
#include "libos.h"
#include "entry.h"

// _start (entry.h): exec'd, libos_start then main and exit; from the boot loader, libos_boot.
LIBOS_ENTRY(libos_start, exit, libos_boot)

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

// The first steps of an exec'd or forked environment, on the start-up stack.
void libos_start(void);
void libos_start(void) {
    UPROC->envid = (int)exo_envid();
    UPROC->depth = 0;
    UPROC->exiting = 0;
    if (UPROC->pid == 0) libos_server();    // does not return
    libos_upcalls();
}

__attribute__((weak)) void libos_server(void) {
    libos_say("%s: only init can be the file server\n", UPROC->name);
    env_ctl(EXO_SELF, ENV_DESTROY, (void *)1L);
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

__attribute__((weak)) void libos_boot(int argc, char **argv, struct exo_bootinfo *bi) {
    long h[UPROC_PAGES];
    for (int i = 0; i < UPROC_PAGES; i++) {
        h[i] = page_private(UPROC_VA + i * PG);
        if (h[i] < 0) env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
    }
    for (int i = 0; i < IPC_PAGES; i++) bare_page(IPC_VA + i * PG);
    struct uproc *u = UPROC;
    u->magic = UPROC_MAGIC;
    u->pid = 1;
    u->h_mem = EXO_BOOT_MEMORY;
    u->h_srv = -1;
    u->h_cons = EXO_BOOT_CONSOLE;
    u->h_clock = EXO_BOOT_CLOCK;
    u->h_cpu = EXO_BOOT_CPU;
    u->h_storage = -1;
    for (int i = 0; i < UPROC_PAGES; i++) u->h_uproc[i] = (int)h[i];
    u->sz = BARE_HEAP;
    u->heap = BARE_HEAP;
    for (int fd = 0; fd < 3; fd++) {
        u->fd[fd].type = FD_DEVICE;
        u->fd[fd].readable = u->fd[fd].writable = 1;
        u->fd[fd].major = CONSOLE;
    }
    lo_strlcpy(u->name, argc > 0 ? argv[0] : "bare", LIBOS_NAMELEN);
    u->envid = (int)exo_envid();
    libos_upcalls();
    exit(main(argc, argv));
}
