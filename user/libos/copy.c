// Copies that may touch memory the program named: a bad address makes them return -1
// instead of killing the process. The fault handler (fault.c) recognises a fault whose pc
// lies between copy_checked_begin and copy_checked_end and resumes at copy_checked_fault,
// which returns -1 from whichever of the two was running (neither has a frame of its own:
// both are leaf functions that keep everything in registers). A store to a copy-on-write
// page is not a bad address: the handler copies the page and the store runs again.
#include "libos.h"

__asm__(".section .text.copy_checked,\"ax\",@progbits\n"
        ".globl copy_checked_begin\n"
        ".globl copy_checked\n"
        ".globl strcopy_checked\n"
        ".globl copy_checked_fault\n"
        ".globl copy_checked_end\n"
        "copy_checked_begin:\n"
        // long copy_checked(void *dst, const void *src, uint64 n)
        "copy_checked:\n"
        "  or t1, a0, a1\n"
        "  andi t1, t1, 7\n"
        "  bnez t1, 3f\n"
        "  li t2, 8\n"
        "1:\n"                          // a word at a time while both are aligned
        "  bltu a2, t2, 3f\n"
        "  ld t0, 0(a1)\n"
        "  sd t0, 0(a0)\n"
        "  addi a0, a0, 8\n"
        "  addi a1, a1, 8\n"
        "  addi a2, a2, -8\n"
        "  j 1b\n"
        "3:\n"                          // then a byte at a time
        "  beqz a2, 4f\n"
        "  lbu t0, 0(a1)\n"
        "  sb t0, 0(a0)\n"
        "  addi a0, a0, 1\n"
        "  addi a1, a1, 1\n"
        "  addi a2, a2, -1\n"
        "  j 3b\n"
        "4:\n"
        "  li a0, 0\n"
        "  ret\n"
        // long strcopy_checked(char *dst, const char *src, long max)
        "strcopy_checked:\n"
        "  li t1, 0\n"                  // length so far
        "5:\n"
        "  bge t1, a2, 6f\n"
        "  add t2, a1, t1\n"
        "  lbu t0, 0(t2)\n"
        "  add t2, a0, t1\n"
        "  sb t0, 0(t2)\n"
        "  beqz t0, 7f\n"
        "  addi t1, t1, 1\n"
        "  j 5b\n"
        "6:\n"
        "  li a0, -2\n"                 // no NUL within max bytes
        "  ret\n"
        "7:\n"
        "  mv a0, t1\n"
        "  ret\n"
        "copy_checked_fault:\n"
        "  li a0, -1\n"
        "  ret\n"
        "copy_checked_end:\n");
