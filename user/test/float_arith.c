// F and D arithmetic from RISC-V code: every rounding mode (static in the instruction,
// and dynamic through frm), the five exception flags read back from fflags, fused
// multiply-add, min/max and signed zeros. Each expected bit pattern was worked out by
// hand from the RISC-V and IEEE 754 texts. Exits with the number of failed checks.
#include "runtime/harness.h"
#include "float.h"

enum { RNE, RTZ, RDN, RUP, RMM };

#define THREE   0x4008000000000000UL
#define ONE_5   0x3ff8000000000000UL
#define HALF    0x3fe0000000000000UL
#define D_MAX   0x7fefffffffffffffUL

static void set_frm(u64 rm) { asm volatile("csrw frm, %0" : : "r"(rm) : "memory"); }
static u64 get_frm(void) { u64 v; asm volatile("csrr %0, frm" : "=r"(v) : : "memory"); return v; }
static u64 get_fcsr(void) { u64 v; asm volatile("csrr %0, fcsr" : "=r"(v) : : "memory"); return v; }

// Double operations on raw bits; rm is the instruction's rounding-mode token (rne ... dyn).
#define D1(op, rm, a) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\t" op " ft2, ft0, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)) : "ft0", "ft2", "memory"); r_; })
#define D2(op, rm, a, b) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" op " ft2, ft0, ft1, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)) : "ft0", "ft1", "ft2", "memory"); r_; })
#define D2N(op, a, b) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" op " ft2, ft0, ft1\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)) : "ft0", "ft1", "ft2", "memory"); r_; })
#define D3(op, rm, a, b, c) ({ u64 r_; asm volatile( \
    "fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\tfmv.d.x ft3, %3\n\t" op " ft2, ft0, ft1, ft3, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)) : "ft0", "ft1", "ft2", "ft3", "memory"); r_; })
// Single operations: operands NaN-boxed by fmv.w.x; the result read back with its box.
#define S2(op, rm, a, b) ({ u64 r_; asm volatile( \
    "fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\t" op " ft2, ft0, ft1, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)) : "ft0", "ft1", "ft2", "memory"); r_; })
#define S3(op, rm, a, b, c) ({ u64 r_; asm volatile( \
    "fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfmv.w.x ft3, %3\n\t" op " ft2, ft0, ft1, ft3, " rm "\n\tfmv.x.d %0, ft2" \
    : "=r"(r_) : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(c)) : "ft0", "ft1", "ft2", "ft3", "memory"); r_; })

static void static_rounding_modes(void) {
    // 1/3 = 0x3fd5555555555555.555...: below the halfway point, so only RUP rounds up.
    clear_flags();
    EXPECT(D2("fdiv.d", "rne", ONE, THREE), 0x3fd5555555555555UL);
    EXPECT(D2("fdiv.d", "rtz", ONE, THREE), 0x3fd5555555555555UL);
    EXPECT(D2("fdiv.d", "rdn", ONE, THREE), 0x3fd5555555555555UL);
    EXPECT(D2("fdiv.d", "rup", ONE, THREE), 0x3fd5555555555556UL);
    EXPECT(D2("fdiv.d", "rmm", ONE, THREE), 0x3fd5555555555555UL);
    EXPECT(flags(), NX);
    // As a single, 1/3 is 0x3eaaaaaa.aaa...: above halfway.
    EXPECT(S2("fdiv.s", "rne", 0x3f800000, 0x40400000), BOX | 0x3eaaaaab);
    EXPECT(S2("fdiv.s", "rtz", 0x3f800000, 0x40400000), BOX | 0x3eaaaaaa);
    EXPECT(S2("fdiv.s", "rdn", 0x3f800000, 0x40400000), BOX | 0x3eaaaaaa);
    EXPECT(S2("fdiv.s", "rup", 0x3f800000, 0x40400000), BOX | 0x3eaaaaab);
    EXPECT(S2("fdiv.s", "rmm", 0x3f800000, 0x40400000), BOX | 0x3eaaaaab);
    // 1 + 2^-53 is a tie: RNE keeps 1 (even), RMM goes away from zero.
    EXPECT(D2("fadd.d", "rne", ONE, 0x3ca0000000000000UL), ONE);
    EXPECT(D2("fadd.d", "rmm", ONE, 0x3ca0000000000000UL), ONE + 1);
    // sqrt(2)
    EXPECT(D1("fsqrt.d", "rne", 0x4000000000000000UL), 0x3ff6a09e667f3bcdUL);
    EXPECT(D1("fsqrt.d", "rtz", 0x4000000000000000UL), 0x3ff6a09e667f3bccUL);
}

static void dynamic_rounding_mode(void) {
    static const u64 third[] = {0x3fd5555555555555UL, 0x3fd5555555555555UL, 0x3fd5555555555555UL,
                                0x3fd5555555555556UL, 0x3fd5555555555555UL};
    for (u64 rm = RNE; rm <= RMM; rm++) {
        set_frm(rm);
        EXPECT(get_frm(), rm);
        clear_flags();
        EXPECT(D2("fdiv.d", "dyn", ONE, THREE), third[rm]);
        EXPECT(flags(), NX);
        // x - x is +0, except -0 when rounding down.
        EXPECT(D2("fsub.d", "dyn", ONE_5, ONE_5), rm == RDN ? MINUS : 0);
        EXPECT(flags(), NX);
    }
    // C's own arithmetic uses the dynamic mode too.
    volatile double x = -1, y = 3;
    volatile double q;
    set_frm(RDN);
    q = x / y;
    double qd = q;
    u64 bits;
    memcpy(&bits, &qd, sizeof bits);
    EXPECT(bits, 0xbfd5555555555556UL);
    set_frm(RNE);
    q = x / y;
    qd = q;
    memcpy(&bits, &qd, sizeof bits);
    EXPECT(bits, 0xbfd5555555555555UL);
    // fcsr is frm and fflags side by side.
    set_frm(RUP);
    clear_flags();
    (void)D2("fdiv.d", "rne", ONE, 0);
    EXPECT(get_fcsr(), (RUP << 5) | DZ);
    set_frm(RNE);
}

static void exception_flags(void) {
    clear_flags();
    EXPECT(D2("fdiv.d", "rne", ONE, 0), D_INF);
    EXPECT(flags(), DZ);
    clear_flags();
    EXPECT(D2("fdiv.d", "rne", 0, 0), D_QNAN);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(D1("fsqrt.d", "rne", 0xbff0000000000000UL), D_QNAN);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(D1("fsqrt.d", "rne", MINUS), MINUS);                    // sqrt(-0) = -0, no flag
    EXPECT(flags(), 0);
    clear_flags();
    EXPECT(D2("fadd.d", "rne", D_INF, D_INF | MINUS), D_QNAN);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(D2("fmul.d", "rne", D_INF, 0), D_QNAN);
    EXPECT(flags(), NV);

    // Overflow: infinity or the largest finite, by mode and sign.
    clear_flags();
    EXPECT(D2("fadd.d", "rne", D_MAX, D_MAX), D_INF);
    EXPECT(flags(), OF | NX);
    EXPECT(D2("fadd.d", "rtz", D_MAX, D_MAX), D_MAX);
    EXPECT(D2("fadd.d", "rup", D_MAX | MINUS, D_MAX | MINUS), D_MAX | MINUS);
    EXPECT(D2("fadd.d", "rdn", D_MAX | MINUS, D_MAX | MINUS), D_INF | MINUS);
    EXPECT(flags(), OF | NX);

    // Underflow: half the smallest subnormal.
    clear_flags();
    EXPECT(D2("fmul.d", "rne", 1, HALF), 0);
    EXPECT(flags(), UF | NX);
    EXPECT(D2("fmul.d", "rup", 1, HALF), 1);
    EXPECT(D2("fmul.d", "rdn", 1 | MINUS, HALF), 1 | MINUS);
    // An exact subnormal result is not an underflow.
    clear_flags();
    EXPECT(D2("fmul.d", "rne", 0x0010000000000000UL, HALF), 0x0008000000000000UL);
    EXPECT(flags(), 0);

    // Tininess after rounding. (1 - 2^-53) x 2^-1022 is tiny: it rounds up to the
    // smallest normal, but underflows.
    clear_flags();
    EXPECT(D2("fmul.d", "rne", 0x3fefffffffffffffUL, 0x0010000000000000UL), 0x0010000000000000UL);
    EXPECT(flags(), UF | NX);
    // 2^-1022 (1 - 2^-104) rounds to 2^-1022 even with an unbounded exponent: not tiny.
    clear_flags();
    EXPECT(D2("fmul.d", "rne", 0x3feffffffffffffeUL, 0x0010000000000001UL), 0x0010000000000000UL);
    EXPECT(flags(), NX);
    EXPECT(D2("fmul.d", "rtz", 0x3feffffffffffffeUL, 0x0010000000000001UL), 0x000fffffffffffffUL);
    EXPECT(flags(), UF | NX);

    // NaNs: the canonical NaN comes out; only a signaling NaN raises NV.
    clear_flags();
    EXPECT(D2("fadd.d", "rne", 0xfff8000000001234UL, ONE), D_QNAN);
    EXPECT(flags(), 0);
    EXPECT(D2("fadd.d", "rne", D_SNAN, ONE), D_QNAN);
    EXPECT(flags(), NV);

    // Flags accrue until cleared.
    clear_flags();
    (void)D2("fdiv.d", "rne", ONE, 0);
    (void)D2("fdiv.d", "rne", ONE, THREE);
    EXPECT(flags(), DZ | NX);
}

static void fused_multiply_add(void) {
    clear_flags();
    // (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105 exactly: one rounding, so nothing is lost.
    EXPECT(D3("fmsub.d", "rne", 0x3ff0000000000001UL, 0x3fefffffffffffffUL, ONE), 0x3c9ffffffffffffeUL);
    EXPECT(S3("fmsub.s", "rne", 0x3f800001, 0x3f7fffff, 0x3f800000), BOX | 0x337ffffe);
    EXPECT(flags(), 0);
    // The four variants on 2 x 3 and 1.
    EXPECT(D3("fmadd.d", "rne", 0x4000000000000000UL, THREE, ONE), 0x401c000000000000UL);   //  7
    EXPECT(D3("fmsub.d", "rne", 0x4000000000000000UL, THREE, ONE), 0x4014000000000000UL);   //  5
    EXPECT(D3("fnmsub.d", "rne", 0x4000000000000000UL, THREE, ONE), 0xc014000000000000UL);  // -5
    EXPECT(D3("fnmadd.d", "rne", 0x4000000000000000UL, THREE, ONE), 0xc01c000000000000UL);  // -7
    // -(+0 x 1) - (+0) is -0 in every mode.
    EXPECT(D3("fnmadd.d", "rne", 0, ONE, 0), MINUS);
    EXPECT(D3("fnmadd.d", "rup", 0, ONE, 0), MINUS);
    // infinity x 0 is invalid even when the addend is a quiet NaN.
    clear_flags();
    EXPECT(D3("fmadd.d", "rne", D_INF, 0, D_QNAN), D_QNAN);
    EXPECT(flags(), NV);
    clear_flags();
    EXPECT(D3("fmadd.d", "rne", D_INF, ONE, D_QNAN), D_QNAN);
    EXPECT(flags(), 0);
}

static void min_max(void) {
    clear_flags();
    EXPECT(D2N("fmin.d", MINUS, 0), MINUS);
    EXPECT(D2N("fmin.d", 0, MINUS), MINUS);
    EXPECT(D2N("fmax.d", MINUS, 0), 0);
    EXPECT(D2N("fmin.d", D_QNAN, ONE), ONE);
    EXPECT(D2N("fmax.d", D_QNAN, D_QNAN | 5), D_QNAN);
    EXPECT(flags(), 0);
    EXPECT(D2N("fmax.d", ONE, D_SNAN), ONE);
    EXPECT(flags(), NV);
}

static void singles(void) {
    clear_flags();
    EXPECT(S2("fadd.s", "rne", 0x3fc00000, 0x40100000), BOX | 0x40700000);   // 1.5 + 2.25
    EXPECT(S2("fsub.s", "rdn", 0x3fc00000, 0x3fc00000), BOX | 0x80000000);   // -0
    EXPECT(flags(), 0);
    // Single tininess: (1 - 2^-24) x 2^-126.
    EXPECT(S2("fmul.s", "rne", 0x3f7fffff, 0x00800000), BOX | 0x00800000);
    EXPECT(flags(), UF | NX);
    clear_flags();
    EXPECT(S2("fmul.s", "rne", 0x3f7ffffe, 0x00800001), BOX | 0x00800000);
    EXPECT(flags(), NX);
}

int main(void) {
    static_rounding_modes();
    dynamic_rounding_mode();
    exception_flags();
    fused_multiply_add();
    min_max();
    singles();
    return check_failures();
}
