# Where a program of user/exo starts. The boot loader (or spawn, for a child) leaves
# a0 = argc, a1 = argv, a2 = the boot info (exo.h); rt_start runs main and exits with
# what it returns. A child started by spawn begins at its function instead, with ra =
# rt_child_return, so returning from that function ends the environment too.
        .section .text.start
        .globl _start
_start:
        .option push
        .option norelax
        lla     gp, __global_pointer$
        .option pop
        call    rt_start
1:      j       1b

        .section .text.rt_child_return
        .globl rt_child_return
rt_child_return:
        call    exit
1:      j       1b
