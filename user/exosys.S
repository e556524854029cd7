# The exokernel's system-call stubs: one function per call of user/exo.h, with exo.h's
# names. Most put the call's number in a7 and trap: the arguments are already in a0-a5
# where the C calling convention left them, and the result comes back in a0.
#
# The protected control transfer moves its arguments and results in registers, not
# memory (exo.h): pct_call loads a1..a6 from args[] before the ecall and stores the
# callee's a1..a6 into out[] after it; pct_return loads its results into a1..a6.
#
# These are the exokernel's ABI, not a library OS's policy: every program for
# kernel-exo, whatever library OS it carries, can link them.

#include "exo_sysnum.h"

        .macro exocall name, number
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

        exocall capalloc,       SYS_capalloc
        exocall capfree,        SYS_capfree
        exocall capgrant,       SYS_capgrant
        exocall caprevoke,      SYS_caprevoke
        exocall capinfo,        SYS_capinfo
        exocall exosched,       SYS_exosched
        exocall env_ctl,        SYS_env_ctl
        exocall exo_map,        SYS_exo_map
        exocall exo_unmap,      SYS_exo_unmap
        exocall exo_disk,       SYS_exo_disk
        exocall exo_pagerefs,   SYS_exo_pagerefs
        exocall exo_cons_write, SYS_exo_cons_write
        exocall exo_cons_read,  SYS_exo_cons_read
        exocall exo_ticks,      SYS_exo_ticks
        exocall exo_upcall,     SYS_exo_upcall
        exocall exo_resume,     SYS_exo_resume     # returns only with an error
        exocall exo_notices,    SYS_exo_notices
        exocall pct_register,   SYS_pct_register
        exocall exo_envid,      SYS_exo_envid
        exocall exo_grantmap,   SYS_exo_grantmap
        exocall exo_batch,      SYS_exo_batch

# long pct_call(int env, const exo_u64 args[6], exo_u64 out[6])
# The ecall takes a0 = env, a1..a6 = args[0..5]; it gives back a0 = 0 and a1..a6 = the
# callee's results, or a0 = an error. out is kept on the stack meanwhile: the callee
# runs in another address space and cannot touch it.
        .section .text.pct_call, "ax", @progbits
        .globl pct_call
        .type pct_call, @function
        .p2align 2
pct_call:
        addi    sp, sp, -16
        sd      a2, 0(sp)
        mv      t0, a1
        ld      a1, 0(t0)
        ld      a2, 8(t0)
        ld      a3, 16(t0)
        ld      a4, 24(t0)
        ld      a5, 32(t0)
        ld      a6, 40(t0)
        li      a7, SYS_pct_call
        ecall
        ld      t0, 0(sp)
        addi    sp, sp, 16
        bnez    a0, 1f
        sd      a1, 0(t0)
        sd      a2, 8(t0)
        sd      a3, 16(t0)
        sd      a4, 24(t0)
        sd      a5, 32(t0)
        sd      a6, 40(t0)
1:      ret
        .size pct_call, . - pct_call

# void pct_return(const exo_u64 r[6]): results r[0..5] in a1..a6. The ecall does not
# come back unless we were serving no call; then stop at a breakpoint, since a noreturn
# function has nowhere to return to (a fault handler that skips it returns to the caller).
        .section .text.pct_return, "ax", @progbits
        .globl pct_return
        .type pct_return, @function
        .p2align 2
pct_return:
        mv      t0, a0
        ld      a1, 0(t0)
        ld      a2, 8(t0)
        ld      a3, 16(t0)
        ld      a4, 24(t0)
        ld      a5, 32(t0)
        ld      a6, 40(t0)
        li      a7, SYS_pct_return
        ecall
        ebreak
        ret
        .size pct_return, . - pct_return
