// The exokernel's system calls (user/exo.h), one stub each: the call's number in a7,
// the arguments already in a0-a5 where the C calling convention left them, the result
// in a0. This file and user/usys.S are the only places that ecall (the pct_call
// stubs below, and nothing else). The stubs are the exokernel's ABI, not LibOS policy,
// so the second LibOS (user/kv) links them too.
//
// Written as file-scope assembly in a C file so that the numbers come from exo.h, which
// is a C header.
#include "exo.h"

#define STR1(x) #x
#define STR(x) STR1(x)

#define EXOCALL(name, number)                                                   \
    __asm__(".section .text." #name ",\"ax\",@progbits\n"                       \
            ".globl " #name "\n"                                                \
            ".type " #name ", @function\n"                                      \
            ".p2align 2\n" #name ":\n"                                          \
            "  li a7, " STR(number) "\n"                                        \
            "  ecall\n"                                                         \
            "  ret\n"                                                           \
            ".size " #name ", . - " #name "\n");

EXOCALL(capalloc, SYS_capalloc)
EXOCALL(capfree, SYS_capfree)
EXOCALL(capgrant, SYS_capgrant)
EXOCALL(caprevoke, SYS_caprevoke)
EXOCALL(capinfo, SYS_capinfo)
EXOCALL(exosched, SYS_exosched)
EXOCALL(env_ctl, SYS_env_ctl)
EXOCALL(exo_map, SYS_exo_map)
EXOCALL(exo_unmap, SYS_exo_unmap)
EXOCALL(exo_disk, SYS_exo_disk)
EXOCALL(exo_pagerefs, SYS_exo_pagerefs)
EXOCALL(exo_cons_write, SYS_exo_cons_write)
EXOCALL(exo_cons_read, SYS_exo_cons_read)
EXOCALL(exo_ticks, SYS_exo_ticks)
EXOCALL(exo_upcall, SYS_exo_upcall)
EXOCALL(exo_resume, SYS_exo_resume)
EXOCALL(exo_notices, SYS_exo_notices)
EXOCALL(pct_register, SYS_pct_register)
EXOCALL(exo_envid, SYS_exo_envid)

// long pct_call_raw(int env, const exo_u64 args[6], exo_u64 out[6])
// The ecall takes a0 = env and a1..a6 = args, and gives back a0 = 0 or the transfer's
// error (E_REFUSED, E_BADCAP ...) and a1..a6 = the callee's results, stored in out.
// Returning only the transfer's status means a callee's own result of -1 is never
// mistaken for an exokernel error.
__asm__(".section .text.pct_call_raw,\"ax\",@progbits\n"
        ".globl pct_call_raw\n"
        ".type pct_call_raw, @function\n"
        ".p2align 2\n"
        "pct_call_raw:\n"
        "  addi sp, sp, -16\n"
        "  sd a2, 0(sp)\n"
        "  mv t0, a1\n"
        "  ld a1, 0(t0)\n"
        "  ld a2, 8(t0)\n"
        "  ld a3, 16(t0)\n"
        "  ld a4, 24(t0)\n"
        "  ld a5, 32(t0)\n"
        "  ld a6, 40(t0)\n"
        "  li a7, " STR(SYS_pct_call) "\n"
        "  ecall\n"
        "  ld t0, 0(sp)\n"
        "  sd a1, 0(t0)\n"
        "  sd a2, 8(t0)\n"
        "  sd a3, 16(t0)\n"
        "  sd a4, 24(t0)\n"
        "  sd a5, 32(t0)\n"
        "  sd a6, 40(t0)\n"
        "  addi sp, sp, 16\n"
        "  ret\n"
        ".size pct_call_raw, . - pct_call_raw\n");

long pct_call_raw(int env, const exo_u64 args[6], exo_u64 out[6]);  // also in libos.h

// exo.h's pct_call: the transfer's error if it failed, else the callee's out[0].
long pct_call(int env, const exo_u64 args[6], exo_u64 out[6]) {
    long r = pct_call_raw(env, args, out);
    return r != 0 ? r : (long)out[0];
}

// void pct_return(const exo_u64 r[6]): r[0..5] go back to the caller in a1..a6.
__asm__(".section .text.pct_return,\"ax\",@progbits\n"
        ".globl pct_return\n"
        ".type pct_return, @function\n"
        ".p2align 2\n"
        "pct_return:\n"
        "  mv t0, a0\n"
        "  li a0, 0\n"
        "  ld a1, 0(t0)\n"
        "  ld a2, 8(t0)\n"
        "  ld a3, 16(t0)\n"
        "  ld a4, 24(t0)\n"
        "  ld a5, 32(t0)\n"
        "  ld a6, 40(t0)\n"
        "  li a7, " STR(SYS_pct_return) "\n"
        "  ecall\n"
        "1: j 1b\n"
        ".size pct_return, . - pct_return\n");
