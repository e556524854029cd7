// Where a program linked with a LibOS begins, when the standard LibOS exec'd it or the
// boot loader started it: the standard LibOS's own start (start.c) and kv's (kvlib/start.c)
// are this one piece, with their own three functions. The hand-off is the standard LibOS's
// (uproc.h) either way:
//
//  - exec'd (a2 = EXEC_MAGIC): START() on the start-up stack (layout.h), then
//    main(argc, argv) on the program's stack, whose bottom argv is, as xv6's exec leaves
//    it, and EXIT(what main returned);
//  - started by the boot loader (a2 = sp = struct exo_bootinfo): BOOTED(), which does not
//    return.
//
// A naked function rather than file-scope asm, so that the debugger has a line for the
// first instruction (make EXO=1 qemu-gdb stops there) and knows, from ra being undefined,
// that no frame lies above it.
#pragma once

#include "libos/uproc.h"

#define LIBOS_ENTRY_STR1(x) #x
#define LIBOS_ENTRY_STR(x) LIBOS_ENTRY_STR1(x)

#define LIBOS_ENTRY(START, EXIT, BOOTED)                                                    \
    int main(int argc, char **argv);                                                        \
    void START(void);                                                                       \
    __attribute__((naked, section(".text.start"))) void _start(void) {                      \
        __asm__(".cfi_undefined ra\n"                                                       \
                ".option push\n"                                                            \
                ".option norelax\n"                                                         \
                "  lla gp, __global_pointer$\n"                                             \
                ".option pop\n"                                                             \
                "  li t0, " LIBOS_ENTRY_STR(EXEC_MAGIC) "\n"                                \
                "  bne a2, t0, 1f\n"                                                        \
                "  mv s1, a0\n" /* argc and argv survive START (callee-saved) */            \
                "  mv s2, a1\n"                                                             \
                "  li sp, " LIBOS_ENTRY_STR(START_STACK_TOP) "\n"                           \
                "  call " #START "\n" /* returns only in a process, not in a server */      \
                "  mv a0, s1\n"                                                             \
                "  mv a1, s2\n"                                                             \
                "  mv sp, s2\n"                                                             \
                "  call main\n"                                                             \
                "  call " #EXIT "\n"                                                        \
                "1:\n"                                                                      \
                "  call " #BOOTED "\n"                                                      \
                "2: j 2b\n");                                                               \
    }
