// What the F and D tests share: raw bit patterns of doubles, the fflags bits, and
// reading and clearing the accrued flags. Include after runtime/harness.h.
#pragma once

typedef unsigned long u64;

enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };   // fflags

#define ONE     0x3ff0000000000000UL
#define MINUS   0x8000000000000000UL                 // the sign bit: -0.0
#define D_INF   0x7ff0000000000000UL
#define D_QNAN  0x7ff8000000000000UL                 // the canonical NaN
#define D_SNAN  0x7ff0000000000001UL
#define BOX     0xffffffff00000000UL                 // the NaN-box of a single

static void clear_flags(void) { asm volatile("csrw fflags, zero" : : : "memory"); }
static u64 flags(void) { u64 v; asm volatile("csrr %0, fflags" : "=r"(v) : : "memory"); return v; }
