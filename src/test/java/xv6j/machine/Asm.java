package xv6j.machine;

/**
 * A test-only RISC-V encoder, so tests read {@code addi(x1, x0, -1)} instead of hex.
 * Each method returns the instruction's bits; a compressed instruction is 16 bits (its
 * two low bits are not 11), so a program is just an int[] whose elements say their own
 * length. Encodings are from the unprivileged specification.
 */
public final class Asm {
    private Asm() {}

    public static final int x0 = 0, x1 = 1, x2 = 2, x3 = 3, x4 = 4, x5 = 5, x6 = 6, x7 = 7, x8 = 8, x9 = 9,
            x10 = 10, x11 = 11, x12 = 12, x13 = 13, x14 = 14, x15 = 15, x16 = 16, x17 = 17, x18 = 18,
            x19 = 19, x20 = 20, x21 = 21, x22 = 22, x23 = 23, x24 = 24, x25 = 25, x26 = 26, x27 = 27,
            x28 = 28, x29 = 29, x30 = 30, x31 = 31;

    // ---- 32-bit formats
    static int r(int f7, int rs2, int rs1, int f3, int rd, int opc) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }
    static int i(int imm, int rs1, int f3, int rd, int opc) {
        check(imm, -2048, 2047);
        return imm << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
    }
    static int s(int imm, int rs2, int rs1, int f3, int opc) {
        check(imm, -2048, 2047);
        return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | opc;
    }
    static int b(int imm, int rs2, int rs1, int f3) {
        check(imm, -4096, 4094);
        return ((imm >> 12) & 1) << 31 | ((imm >> 5) & 63) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                | ((imm >> 1) & 15) << 8 | ((imm >> 11) & 1) << 7 | 0x63;
    }

    private static void check(int v, int lo, int hi) {
        if (v < lo || v > hi) throw new IllegalArgumentException(v + " out of range " + lo + ".." + hi);
    }

    public static int lui(int rd, int imm20) { return imm20 << 12 | rd << 7 | 0x37; }
    public static int auipc(int rd, int imm20) { return imm20 << 12 | rd << 7 | 0x17; }
    public static int jal(int rd, int off) {
        check(off, -(1 << 20), (1 << 20) - 2);
        return ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 | ((off >> 11) & 1) << 20
                | ((off >> 12) & 0xff) << 12 | rd << 7 | 0x6f;
    }
    public static int jalr(int rd, int rs1, int off) { return i(off, rs1, 0, rd, 0x67); }
    public static int beq(int rs1, int rs2, int off) { return b(off, rs2, rs1, 0); }
    public static int bne(int rs1, int rs2, int off) { return b(off, rs2, rs1, 1); }
    public static int blt(int rs1, int rs2, int off) { return b(off, rs2, rs1, 4); }
    public static int bge(int rs1, int rs2, int off) { return b(off, rs2, rs1, 5); }
    public static int bltu(int rs1, int rs2, int off) { return b(off, rs2, rs1, 6); }
    public static int bgeu(int rs1, int rs2, int off) { return b(off, rs2, rs1, 7); }

    public static int lb(int rd, int rs1, int off) { return i(off, rs1, 0, rd, 0x03); }
    public static int lh(int rd, int rs1, int off) { return i(off, rs1, 1, rd, 0x03); }
    public static int lw(int rd, int rs1, int off) { return i(off, rs1, 2, rd, 0x03); }
    public static int ld(int rd, int rs1, int off) { return i(off, rs1, 3, rd, 0x03); }
    public static int lbu(int rd, int rs1, int off) { return i(off, rs1, 4, rd, 0x03); }
    public static int lhu(int rd, int rs1, int off) { return i(off, rs1, 5, rd, 0x03); }
    public static int lwu(int rd, int rs1, int off) { return i(off, rs1, 6, rd, 0x03); }
    public static int sb(int rs2, int rs1, int off) { return s(off, rs2, rs1, 0, 0x23); }
    public static int sh(int rs2, int rs1, int off) { return s(off, rs2, rs1, 1, 0x23); }
    public static int sw(int rs2, int rs1, int off) { return s(off, rs2, rs1, 2, 0x23); }
    public static int sd(int rs2, int rs1, int off) { return s(off, rs2, rs1, 3, 0x23); }

    public static int addi(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x13); }
    public static int slti(int rd, int rs1, int imm) { return i(imm, rs1, 2, rd, 0x13); }
    public static int sltiu(int rd, int rs1, int imm) { return i(imm, rs1, 3, rd, 0x13); }
    public static int xori(int rd, int rs1, int imm) { return i(imm, rs1, 4, rd, 0x13); }
    public static int ori(int rd, int rs1, int imm) { return i(imm, rs1, 6, rd, 0x13); }
    public static int andi(int rd, int rs1, int imm) { return i(imm, rs1, 7, rd, 0x13); }
    public static int slli(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x13); }
    public static int srli(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x13); }
    public static int srai(int rd, int rs1, int sh) { return i(sh | 0x400, rs1, 5, rd, 0x13); }
    public static int addiw(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x1b); }
    public static int slliw(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x1b); }
    public static int srliw(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x1b); }
    public static int sraiw(int rd, int rs1, int sh) { return i(sh | 0x400, rs1, 5, rd, 0x1b); }

    public static int add(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 0, rd, 0x33); }
    public static int sub(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 0, rd, 0x33); }
    public static int sll(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 1, rd, 0x33); }
    public static int slt(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 2, rd, 0x33); }
    public static int sltu(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 3, rd, 0x33); }
    public static int xor(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 4, rd, 0x33); }
    public static int srl(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 5, rd, 0x33); }
    public static int sra(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 5, rd, 0x33); }
    public static int or(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 6, rd, 0x33); }
    public static int and(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 7, rd, 0x33); }
    public static int addw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 0, rd, 0x3b); }
    public static int subw(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 0, rd, 0x3b); }
    public static int sllw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 1, rd, 0x3b); }
    public static int srlw(int rd, int rs1, int rs2) { return r(0, rs2, rs1, 5, rd, 0x3b); }
    public static int sraw(int rd, int rs1, int rs2) { return r(0x20, rs2, rs1, 5, rd, 0x3b); }

    public static int mul(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 0, rd, 0x33); }
    public static int mulh(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 1, rd, 0x33); }
    public static int mulhsu(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 2, rd, 0x33); }
    public static int mulhu(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 3, rd, 0x33); }
    public static int div(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 4, rd, 0x33); }
    public static int divu(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 5, rd, 0x33); }
    public static int rem(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 6, rd, 0x33); }
    public static int remu(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 7, rd, 0x33); }
    public static int mulw(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 0, rd, 0x3b); }
    public static int divw(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 4, rd, 0x3b); }
    public static int divuw(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 5, rd, 0x3b); }
    public static int remw(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 6, rd, 0x3b); }
    public static int remuw(int rd, int rs1, int rs2) { return r(1, rs2, rs1, 7, rd, 0x3b); }

    public static int fence() { return 0x0ff0000f; }
    public static int fence_i() { return 0x0000100f; }
    public static int ecall() { return 0x00000073; }
    public static int ebreak() { return 0x00100073; }
    public static int csrrw(int rd, int csr, int rs1) { return csr << 20 | rs1 << 15 | 1 << 12 | rd << 7 | 0x73; }
    public static int csrrs(int rd, int csr, int rs1) { return csr << 20 | rs1 << 15 | 2 << 12 | rd << 7 | 0x73; }
    public static int csrrc(int rd, int csr, int rs1) { return csr << 20 | rs1 << 15 | 3 << 12 | rd << 7 | 0x73; }
    public static int csrrwi(int rd, int csr, int uimm) { return csr << 20 | uimm << 15 | 5 << 12 | rd << 7 | 0x73; }
    public static int csrrsi(int rd, int csr, int uimm) { return csr << 20 | uimm << 15 | 6 << 12 | rd << 7 | 0x73; }
    public static int csrrci(int rd, int csr, int uimm) { return csr << 20 | uimm << 15 | 7 << 12 | rd << 7 | 0x73; }

    /** An A-extension instruction: funct5, aq, rl, width 2 (.W) or 3 (.D). */
    public static int amo(int funct5, boolean aq, boolean rl, int width, int rd, int rs1, int rs2) {
        return funct5 << 27 | (aq ? 1 << 26 : 0) | (rl ? 1 << 25 : 0) | rs2 << 20 | rs1 << 15 | width << 12 | rd << 7 | 0x2f;
    }
    public static final int AMOADD = 0b00000, AMOSWAP = 0b00001, LR = 0b00010, SC = 0b00011, AMOXOR = 0b00100,
            AMOOR = 0b01000, AMOAND = 0b01100, AMOMIN = 0b10000, AMOMAX = 0b10100, AMOMINU = 0b11000, AMOMAXU = 0b11100;
    public static int lr_w(int rd, int rs1) { return amo(LR, false, false, 2, rd, rs1, 0); }
    public static int lr_d(int rd, int rs1) { return amo(LR, false, false, 3, rd, rs1, 0); }
    public static int sc_w(int rd, int rs2, int rs1) { return amo(SC, false, false, 2, rd, rs1, rs2); }
    public static int sc_d(int rd, int rs2, int rs1) { return amo(SC, false, false, 3, rd, rs1, rs2); }

    public static int flw(int rd, int rs1, int off) { return i(off, rs1, 2, rd, 0x07); }
    public static int fld(int rd, int rs1, int off) { return i(off, rs1, 3, rd, 0x07); }
    public static int fsw(int rs2, int rs1, int off) { return s(off, rs2, rs1, 2, 0x27); }
    public static int fsd(int rs2, int rs1, int off) { return s(off, rs2, rs1, 3, 0x27); }

    // ---- compressed (16-bit). rd'/rs1'/rs2' must be x8..x15.
    private static int p(int reg) {
        if (reg < 8 || reg > 15) throw new IllegalArgumentException("x" + reg + " is not one of x8..x15");
        return reg - 8;
    }
    private static int bit(int v, int b, int to) { return ((v >> b) & 1) << to; }
    private static int ci(int f3, int rd, int imm6, int op) { return f3 << 13 | bit(imm6, 5, 12) | rd << 7 | (imm6 & 31) << 2 | op; }

    public static int c_addi4spn(int rd, int uimm) {
        return ((uimm >> 4) & 3) << 11 | ((uimm >> 6) & 15) << 7 | bit(uimm, 2, 6) | bit(uimm, 3, 5) | p(rd) << 2;
    }
    private static int clw(int f3, int r1, int r2, int off) {
        return f3 << 13 | ((off >> 3) & 7) << 10 | p(r1) << 7 | bit(off, 2, 6) | bit(off, 6, 5) | p(r2) << 2;
    }
    private static int cld(int f3, int r1, int r2, int off) {
        return f3 << 13 | ((off >> 3) & 7) << 10 | p(r1) << 7 | ((off >> 6) & 3) << 5 | p(r2) << 2;
    }
    public static int c_fld(int rd, int rs1, int off) { return cld(1, rs1, rd, off); }
    public static int c_lw(int rd, int rs1, int off) { return clw(2, rs1, rd, off); }
    public static int c_ld(int rd, int rs1, int off) { return cld(3, rs1, rd, off); }
    public static int c_fsd(int rs2, int rs1, int off) { return cld(5, rs1, rs2, off); }
    public static int c_sw(int rs2, int rs1, int off) { return clw(6, rs1, rs2, off); }
    public static int c_sd(int rs2, int rs1, int off) { return cld(7, rs1, rs2, off); }

    public static int c_nop() { return 0x0001; }
    public static int c_addi(int rd, int imm) { return ci(0, rd, imm, 1); }
    public static int c_addiw(int rd, int imm) { return ci(1, rd, imm, 1); }
    public static int c_li(int rd, int imm) { return ci(2, rd, imm, 1); }
    public static int c_addi16sp(int imm) {
        return 3 << 13 | bit(imm, 9, 12) | 2 << 7 | bit(imm, 4, 6) | bit(imm, 6, 5) | ((imm >> 7) & 3) << 3 | bit(imm, 5, 2) | 1;
    }
    public static int c_lui(int rd, int imm6) { return ci(3, rd, imm6, 1); }
    public static int c_srli(int rd, int sh) { return 4 << 13 | bit(sh, 5, 12) | p(rd) << 7 | (sh & 31) << 2 | 1; }
    public static int c_srai(int rd, int sh) { return 4 << 13 | bit(sh, 5, 12) | 1 << 10 | p(rd) << 7 | (sh & 31) << 2 | 1; }
    public static int c_andi(int rd, int imm) { return 4 << 13 | bit(imm, 5, 12) | 2 << 10 | p(rd) << 7 | (imm & 31) << 2 | 1; }
    private static int ca(int b12, int f2, int rd, int rs2) { return 4 << 13 | b12 << 12 | 3 << 10 | p(rd) << 7 | f2 << 5 | p(rs2) << 2 | 1; }
    public static int c_sub(int rd, int rs2) { return ca(0, 0, rd, rs2); }
    public static int c_xor(int rd, int rs2) { return ca(0, 1, rd, rs2); }
    public static int c_or(int rd, int rs2) { return ca(0, 2, rd, rs2); }
    public static int c_and(int rd, int rs2) { return ca(0, 3, rd, rs2); }
    public static int c_subw(int rd, int rs2) { return ca(1, 0, rd, rs2); }
    public static int c_addw(int rd, int rs2) { return ca(1, 1, rd, rs2); }
    public static int c_j(int off) {
        return 5 << 13 | bit(off, 11, 12) | bit(off, 4, 11) | ((off >> 8) & 3) << 9 | bit(off, 10, 8) | bit(off, 6, 7)
                | bit(off, 7, 6) | ((off >> 1) & 7) << 3 | bit(off, 5, 2) | 1;
    }
    private static int cb(int f3, int rs1, int off) {
        return f3 << 13 | bit(off, 8, 12) | ((off >> 3) & 3) << 10 | p(rs1) << 7 | ((off >> 6) & 3) << 5
                | ((off >> 1) & 3) << 3 | bit(off, 5, 2) | 1;
    }
    public static int c_beqz(int rs1, int off) { return cb(6, rs1, off); }
    public static int c_bnez(int rs1, int off) { return cb(7, rs1, off); }

    public static int c_slli(int rd, int sh) { return ci(0, rd, sh, 2); }
    public static int c_fldsp(int rd, int off) { return 1 << 13 | bit(off, 5, 12) | rd << 7 | ((off >> 3) & 3) << 5 | ((off >> 6) & 7) << 2 | 2; }
    public static int c_lwsp(int rd, int off) { return 2 << 13 | bit(off, 5, 12) | rd << 7 | ((off >> 2) & 7) << 4 | ((off >> 6) & 3) << 2 | 2; }
    public static int c_ldsp(int rd, int off) { return 3 << 13 | bit(off, 5, 12) | rd << 7 | ((off >> 3) & 3) << 5 | ((off >> 6) & 7) << 2 | 2; }
    public static int c_jr(int rs1) { return 4 << 13 | rs1 << 7 | 2; }
    public static int c_mv(int rd, int rs2) { return 4 << 13 | rd << 7 | rs2 << 2 | 2; }
    public static int c_ebreak() { return 0x9002; }
    public static int c_jalr(int rs1) { return 4 << 13 | 1 << 12 | rs1 << 7 | 2; }
    public static int c_add(int rd, int rs2) { return 4 << 13 | 1 << 12 | rd << 7 | rs2 << 2 | 2; }
    public static int c_fsdsp(int rs2, int off) { return 5 << 13 | ((off >> 3) & 7) << 10 | ((off >> 6) & 7) << 7 | rs2 << 2 | 2; }
    public static int c_swsp(int rs2, int off) { return 6 << 13 | ((off >> 2) & 15) << 9 | ((off >> 6) & 3) << 7 | rs2 << 2 | 2; }
    public static int c_sdsp(int rs2, int off) { return 7 << 13 | ((off >> 3) & 7) << 10 | ((off >> 6) & 7) << 7 | rs2 << 2 | 2; }

    /** The bytes of a program: 16-bit elements take two bytes, the others four. */
    public static byte[] bytes(int... insns) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int w : insns) {
            int n = (w & 3) == 3 ? 4 : 2;
            for (int k = 0; k < n; k++) out.write(w >>> (8 * k));
        }
        return out.toByteArray();
    }
}
