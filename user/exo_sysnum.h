// The exokernel's system-call numbers (a7), for user/exo.h and the stubs in user/exosys.S.
// 0x100 and up, so that an xv6 binary (numbers 1..21) is told it was built for the xv6 kernel.
#pragma once

#define SYS_capalloc     0x100
#define SYS_capfree      0x101
#define SYS_capgrant     0x102
#define SYS_caprevoke    0x103
#define SYS_exosched     0x104
#define SYS_capinfo      0x105
#define SYS_env_ctl      0x106
#define SYS_exo_map      0x107
#define SYS_exo_unmap    0x108
#define SYS_exo_disk     0x109
#define SYS_exo_pagerefs 0x10a
#define SYS_exo_cons_write 0x10b
#define SYS_exo_cons_read  0x10c
#define SYS_exo_ticks    0x10d
#define SYS_exo_upcall   0x10e
#define SYS_exo_resume   0x10f
#define SYS_exo_notices  0x110
#define SYS_pct_register 0x111
#define SYS_pct_call     0x112
#define SYS_pct_return   0x113
#define SYS_exo_envid    0x114
#define SYS_exo_grantmap 0x115
#define SYS_exo_batch    0x116
