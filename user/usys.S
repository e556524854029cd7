# The system-call stubs of the xv6 kernel: put the call's number in a7 and trap.
# The arguments are already in a0-a5, where the C calling convention left them,
# and the kernel leaves the result in a0 (-1 on error). Only this file ecalls:
# on the exokernel the LibOS provides these same functions instead.

        .macro syscall name, number
        .section .text.\name, "ax", @progbits
        .globl \name
        .type \name, @function
        .p2align 2
\name:
        li      a7, \number
        ecall
        ret
        .size \name, . - \name
        .endm

        syscall fork,    1
        syscall exit,    2
        syscall wait,    3
        syscall pipe,    4
        syscall read,    5
        syscall kill,    6
        syscall exec,    7
        syscall fstat,   8
        syscall chdir,   9
        syscall dup,    10
        syscall getpid, 11
        # sbrk(n) and sbrklazy(n) are xv6-riscv's sys_sbrk(n, SBRK_EAGER) and
        # sys_sbrk(n, SBRK_LAZY): system call 12 with its type in a1.
        .macro sbrkcall name, type
        .section .text.\name, "ax", @progbits
        .globl \name
        .type \name, @function
        .p2align 2
\name:
        li      a1, \type
        li      a7, 12
        ecall
        ret
        .size \name, . - \name
        .endm

        sbrkcall sbrk, 1
        sbrkcall sbrklazy, 2
        syscall sleep,  13
        syscall uptime, 14
        syscall open,   15
        syscall write,  16
        syscall mknod,  17
        syscall unlink, 18
        syscall link,   19
        syscall mkdir,  20
        syscall close,  21
        syscall interactive, 22
        syscall setpgid, 23
        syscall getpgrp, 24
