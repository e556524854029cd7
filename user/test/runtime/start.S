# Entry point of programs run by the machine's test harness (and, built the same
# way, by qemu-riscv64): call main(argc, argv) and exit with what it returns.
# The harness ecalls use Linux's numbers (write 64, exit 93) so the same binary
# runs under both.
        .section .text.start
        .globl _start
_start:
        .option push
        .option norelax
        lla     gp, __global_pointer$
        .option pop
        ld      a0, 0(sp)               # argc, as Linux lays it out
        addi    a1, sp, 8               # argv
        call    main
        call    exit
1:      j       1b
