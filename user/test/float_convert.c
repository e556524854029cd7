// F and D conversions, moves, comparisons and classification from RISC-V code: the
// FCVT range table and its clipped results, rounding at the integer limits, S/D narrowing
// across the overflow and tininess boundaries, NaN-boxing of singles in the 64-bit f
// registers, quiet and signaling compares, FCLASS. Each expected bit pattern was worked
// out by hand from the RISC-V and IEEE 754 texts. Exits with the number of failed checks.
#include "runtime/harness.h"
#include "float.h"

// A conversion of the raw 64-bit f-register value a to an integer register.
#define TO_INT(op, rm, a) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\t" op " %0, ft0, " rm : "=r"(r_) : "r"((u64)(a)) : "ft0", "memory"); r_; })
// A conversion from an integer register; the result is the whole 64-bit f register.
#define FROM_INT(op, rm, x) ({ u64 r_; asm volatile( \
    op " ft0, %1, " rm "\n\tfmv.x.d %0, ft0" : "=r"(r_) : "r"((u64)(x)) : "ft0", "memory"); r_; })
// An f-to-f operation on the raw 64-bit f-register values (so singles can be unboxed).
#define F1(op, rm, a) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\t" op " ft2, ft0, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)) : "ft0", "ft2", "memory"); r_; })
#define F2(op, a, b) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" op " ft2, ft0, ft1\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)) : "ft0", "ft1", "ft2", "memory"); r_; })
// A comparison or FCLASS, to an integer register.
#define CMP(op, a, b) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" op " %0, ft0, ft1" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)) : "ft0", "ft1", "memory"); r_; })
#define CLASS(op, a) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\t" op " %0, ft0" : "=r"(r_) : "r"((u64)(a)) : "ft0", "memory"); r_; })

static void invalid_conversions_clip(void) {
    clear_flags();
    // NaN, of either sign, converts to the largest value; +inf too; -inf to the smallest.
    EXPECT(TO_INT("fcvt.w.d", "rtz", D_QNAN | MINUS), 0x7fffffffUL);
    EXPECT(TO_INT("fcvt.wu.d", "rtz", D_QNAN), 0xffffffffffffffffUL);   // 2^32-1, sign-extended
    EXPECT(TO_INT("fcvt.l.d", "rtz", D_INF), 0x7fffffffffffffffUL);
    EXPECT(TO_INT("fcvt.lu.d", "rtz", D_SNAN), 0xffffffffffffffffUL);
    EXPECT(TO_INT("fcvt.w.d", "rtz", D_INF | MINUS), 0xffffffff80000000UL);
    EXPECT(TO_INT("fcvt.wu.d", "rtz", D_INF | MINUS), 0);
    EXPECT(TO_INT("fcvt.l.d", "rtz", D_INF | MINUS), 0x8000000000000000UL);
    EXPECT(TO_INT("fcvt.lu.d", "rtz", 0xbff0000000000000UL), 0);          // -1
    EXPECT(flags(), NV);
    // 2^31 is out of range for W only; W[U] results are sign-extended.
    clear_flags();
    EXPECT(TO_INT("fcvt.wu.d", "rtz", 0x41e0000000000000UL), 0xffffffff80000000UL);
    EXPECT(TO_INT("fcvt.wu.d", "rtz", 0x41e65a0bc0000000UL), 0xffffffffb2d05e00UL);   // 3e9
    EXPECT(TO_INT("fcvt.l.d", "rtz", 0x41e65a0bc0000000UL), 3000000000UL);
    EXPECT(flags(), 0);
    EXPECT(TO_INT("fcvt.w.d", "rtz", 0x41e0000000000000UL), 0x7fffffffUL);
    EXPECT(flags(), NV);
    // The largest double below 2^64 is a valid LU; 2^64 is not.
    clear_flags();
    EXPECT(TO_INT("fcvt.lu.d", "rne", 0x43efffffffffffffUL), 0xfffffffffffff800UL);
    EXPECT(flags(), 0);
    EXPECT(TO_INT("fcvt.lu.d", "rne", 0x43f0000000000000UL), 0xffffffffffffffffUL);
    EXPECT(flags(), NV);
}

static void rounding_to_integers(void) {
    // 2^31 - 0.5: rounds to 2^31 (invalid) to nearest, to 2^31 - 1 toward zero.
    clear_flags();
    EXPECT(TO_INT("fcvt.w.d", "rne", 0x41dfffffffe00000UL), 0x7fffffffUL);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(TO_INT("fcvt.w.d", "rtz", 0x41dfffffffe00000UL), 0x7fffffffUL);
    EXPECT(flags(), NX);
    // -0.3 to unsigned: rounds to -0, which is 0, just inexact; rounding down it is -1: invalid.
    clear_flags();
    EXPECT(TO_INT("fcvt.wu.d", "rne", 0xbfd3333333333333UL), 0);
    EXPECT(flags(), NX);
    clear_flags();
    EXPECT(TO_INT("fcvt.wu.d", "rdn", 0xbfd3333333333333UL), 0);
    EXPECT(flags(), NV);
    // Halves in each mode: 2.5 and -2.5.
    EXPECT(TO_INT("fcvt.l.d", "rne", 0x4004000000000000UL), 2);
    EXPECT(TO_INT("fcvt.l.d", "rtz", 0x4004000000000000UL), 2);
    EXPECT(TO_INT("fcvt.l.d", "rdn", 0x4004000000000000UL), 2);
    EXPECT(TO_INT("fcvt.l.d", "rup", 0x4004000000000000UL), 3);
    EXPECT(TO_INT("fcvt.l.d", "rmm", 0x4004000000000000UL), 3);
    EXPECT(TO_INT("fcvt.l.d", "rne", 0xc004000000000000UL), (u64)-2);
    EXPECT(TO_INT("fcvt.l.d", "rdn", 0xc004000000000000UL), (u64)-3);
    EXPECT(TO_INT("fcvt.l.d", "rup", 0xc004000000000000UL), (u64)-2);
    EXPECT(TO_INT("fcvt.l.d", "rmm", 0xc004000000000000UL), (u64)-3);
    // A single: -2.5f to W, boxed.
    EXPECT(TO_INT("fcvt.w.s", "rmm", BOX | 0xc0200000), (u64)-3);
}

static void conversions_from_integers(void) {
    clear_flags();
    EXPECT(FROM_INT("fcvt.d.w", "rne", 0x100000001UL), ONE);              // only the low 32 bits
    EXPECT(FROM_INT("fcvt.d.wu", "rne", (u64)-1), 0x41efffffffe00000UL);   // 2^32 - 1, exact
    EXPECT(FROM_INT("fcvt.s.w", "rdn", 0), BOX);                          // +0 even rounding down
    EXPECT(FROM_INT("fcvt.d.l", "rne", MINUS), 0xc3e0000000000000UL);     // -2^63, exact
    EXPECT(flags(), 0);
    // 2^64 - 1 has 64 significant bits.
    EXPECT(FROM_INT("fcvt.d.lu", "rne", (u64)-1), 0x43f0000000000000UL);
    EXPECT(FROM_INT("fcvt.d.lu", "rtz", (u64)-1), 0x43efffffffffffffUL);
    EXPECT(FROM_INT("fcvt.s.lu", "rne", (u64)-1), BOX | 0x5f800000);
    EXPECT(flags(), NX);
    // 2^24 + 1 is a tie for a single.
    EXPECT(FROM_INT("fcvt.s.w", "rne", 0x1000001), BOX | 0x4b800000);
    EXPECT(FROM_INT("fcvt.s.w", "rup", 0x1000001), BOX | 0x4b800001);
    EXPECT(FROM_INT("fcvt.s.l", "rdn", -0x1000001L), BOX | 0xcb800001);
}

static void between_formats(void) {
    clear_flags();
    EXPECT(F1("fcvt.s.d", "rne", 0x3fd5555555555555UL), BOX | 0x3eaaaaab);   // 1/3
    EXPECT(F1("fcvt.s.d", "rtz", 0x3fd5555555555555UL), BOX | 0x3eaaaaaa);
    EXPECT(flags(), NX);
    clear_flags();
    EXPECT(F1("fcvt.s.d", "rne", 0x7fefffffffffffffUL), BOX | 0x7f800000);   // double max
    EXPECT(F1("fcvt.s.d", "rtz", 0x7fefffffffffffffUL), BOX | 0x7f7fffff);
    EXPECT(flags(), OF | NX);
    clear_flags();
    EXPECT(F1("fcvt.s.d", "rup", 0x0010000000000000UL), BOX | 1);            // double min normal
    EXPECT(flags(), UF | NX);
    // 2^-126 (1 - 2^-30) rounds to 2^-126 at 24 bits: not tiny unless truncated.
    clear_flags();
    EXPECT(F1("fcvt.s.d", "rne", 0x380fffffff800000UL), BOX | 0x00800000);
    EXPECT(flags(), NX);
    EXPECT(F1("fcvt.s.d", "rtz", 0x380fffffff800000UL), BOX | 0x007fffff);
    EXPECT(flags(), UF | NX);
    // Widening is exact, even for a subnormal single; NaNs become the canonical NaN.
    clear_flags();
    EXPECT(F1("fcvt.d.s", "rne", BOX | 1), 0x36a0000000000000UL);
    EXPECT(F1("fcvt.d.s", "rne", BOX | 0xffc01234), D_QNAN);
    EXPECT(flags(), 0);
    EXPECT(F1("fcvt.d.s", "rne", BOX | 0x7f800001), D_QNAN);
    EXPECT(flags(), NV);
}

static void moves_and_nan_boxing(void) {
    u64 r;
    // fmv.w.x boxes; fmv.x.w sign-extends; neither looks at the value.
    asm volatile("fmv.w.x ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(0x1234567880000001UL) : "ft0");
    EXPECT(r, 0xffffffff80000001UL);
    asm volatile("fmv.d.x ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(r) : "r"(0x00000000bf800000UL) : "ft0");
    EXPECT(r, 0xffffffffbf800000UL);
    asm volatile("fmv.d.x ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(D_SNAN) : "ft0");
    EXPECT(r, D_SNAN);
    // A single that is not NaN-boxed reads as the canonical NaN (a quiet one: no flag).
    clear_flags();
    EXPECT(F2("fadd.s", 0x3fc00000UL, BOX | 0x3fc00000), BOX | 0x7fc00000);
    EXPECT(F2("fsgnj.s", 0x3fc00000UL, BOX | 0xbf800000), BOX | 0xffc00000);
    EXPECT(F2("fsgnjn.s", BOX | 0xbf800000, 0x3fc00000UL), BOX | 0xbf800000);
    EXPECT(CLASS("fclass.s", 0x3fc00000UL), 1 << 9);
    EXPECT(flags(), 0);
    // Sign injection keeps a signaling NaN's bits and raises nothing.
    EXPECT(F2("fsgnjn.d", D_SNAN, D_SNAN), D_SNAN | MINUS);
    EXPECT(flags(), 0);
}

static void comparisons(void) {
    clear_flags();
    EXPECT(CMP("feq.d", D_QNAN, ONE), 0);
    EXPECT(CMP("feq.d", 0, MINUS), 1);
    EXPECT(CMP("fle.d", MINUS, 0), 1);
    EXPECT(CMP("flt.d", MINUS, 0), 0);
    EXPECT(CMP("flt.s", BOX | 0xbf800000, BOX | 0x3f800000), 1);
    EXPECT(flags(), 0);
    EXPECT(CMP("feq.d", D_SNAN, ONE), 0);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(CMP("flt.d", D_QNAN, ONE), 0);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(CMP("fle.d", ONE, D_QNAN), 0);
    EXPECT(flags(), NV);
}

static void classification(void) {
    static const u64 d[10] = {0xfff0000000000000UL, 0xbff0000000000000UL, 0x800fffffffffffffUL, MINUS, 0,
                              1, ONE, D_INF, D_SNAN, D_QNAN};
    for (int i = 0; i < 10; i++) EXPECT(CLASS("fclass.d", d[i]), 1UL << i);
    static const u64 s[10] = {0xff800000, 0xbf800000, 0x807fffff, 0x80000000, 0, 1, 0x3f800000, 0x7f800000,
                              0x7f800001, 0x7fc00000};
    for (int i = 0; i < 10; i++) EXPECT(CLASS("fclass.s", BOX | s[i]), 1UL << i);
}

int main(void) {
    invalid_conversions_clip();
    rounding_to_integers();
    conversions_from_integers();
    between_formats();
    moves_and_nan_boxing();
    comparisons();
    classification();
    return check_failures();
}
