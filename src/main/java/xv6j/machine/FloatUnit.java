package xv6j.machine;

/**
 * The F and D extensions' arithmetic: every OP-FP and fused multiply-add instruction,
 * with IEEE 754-2008 results, rounding modes and exception flags as RISC-V defines them.
 * The arithmetic itself is {@link SoftFloat}'s; this class decodes, reads and writes the
 * registers, and keeps the register file's NaN-boxing rule: a single lives in the low 32
 * bits of an f register whose upper 32 bits are all ones, and an operand that is not so
 * boxed reads as the canonical NaN (except for the moves FMV.X.W, which take the low bits
 * as they are).
 */
final class FloatUnit {
    private FloatUnit() {}

    private static final int MADD = 0x43, MSUB = 0x47, NMSUB = 0x4B, NMADD = 0x4F, OP_FP = 0x53;
    private static final long BOX = 0xFFFF_FFFF_0000_0000L;

    /**
     * Executes one instruction of major opcode OP-FP (0x53), MADD (0x43), MSUB (0x47),
     * NMSUB (0x4B) or NMADD (0x4F) on the hart: reads and writes hart.x, hart.f and
     * hart.fcsr (flags accrue; frm is the dynamic rounding mode). Does not touch pc.
     *
     * @return true if executed; false if the encoding is illegal (reserved rounding mode,
     *         unknown funct fields), in which case nothing was written
     */
    static boolean execute(Hart hart, int insn) {
        FloatFormat f = switch ((insn >>> 25) & 3) {
            case 0 -> FloatFormat.SINGLE;
            case 1 -> FloatFormat.DOUBLE;
            default -> null;                            // H and Q are not implemented
        };
        if (f == null) return false;
        int opcode = insn & 0x7F;
        return switch (opcode) {
            case MADD, MSUB, NMSUB, NMADD -> fused(hart, insn, f, opcode);
            case OP_FP -> opFp(hart, insn, f);
            default -> false;
        };
    }

    /**
     * For compiled code: FADD, FSUB, FMUL or FDIV.S/D (insn, whose fmt is S or D), as
     * {@link #execute} does it. In round to nearest even (rm RNE, or DYN with frm RNE: what
     * programs use) it runs on the hart's own {@link SoftFloat} and allocates nothing; a
     * region calls it with insn a constant, so once HotSpot inlines it no decoding is left.
     * Other roundings go to execute.
     */
    static boolean arithmetic(Hart hart, int insn) {
        if (!nearestEven(hart, insn)) return execute(hart, insn);
        FloatFormat f = (insn >>> 25 & 3) == 0 ? FloatFormat.SINGLE : FloatFormat.DOUBLE;
        SoftFloat sf = hart.nearestEven;
        sf.flags = 0;
        long a = read(hart, f, rs1(insn)), b = read(hart, f, rs2(insn));
        long r = switch (insn >>> 27) {
            case 0x00 -> sf.add(f, a, b);
            case 0x01 -> sf.sub(f, a, b);
            case 0x02 -> sf.mul(f, a, b);
            default -> sf.div(f, a, b);
        };
        write(hart, f, rd(insn), r, sf);
        return true;
    }

    /** For compiled code: FMADD, FMSUB, FNMSUB or FNMADD.S/D (insn), as {@link #arithmetic} does the others. */
    static boolean fusedMultiplyAdd(Hart hart, int insn) {
        if (!nearestEven(hart, insn)) return execute(hart, insn);
        FloatFormat f = (insn >>> 25 & 3) == 0 ? FloatFormat.SINGLE : FloatFormat.DOUBLE;
        SoftFloat sf = hart.nearestEven;
        sf.flags = 0;
        int opcode = insn & 0x7F;
        long r = sf.fma(f, read(hart, f, rs1(insn)), read(hart, f, rs2(insn)), read(hart, f, insn >>> 27),
                opcode == NMSUB || opcode == NMADD, opcode == MSUB || opcode == NMADD);
        write(hart, f, rd(insn), r, sf);
        return true;
    }

    /** Whether insn rounds to nearest even: rm RNE, or DYN with frm RNE. */
    private static boolean nearestEven(Hart hart, int insn) {
        int rm = rm(insn);
        return rm == 0 || rm == 7 && (hart.fcsr >>> 5 & 7) == 0;
    }

    private static boolean fused(Hart hart, int insn, FloatFormat f, int opcode) {
        Rounding rounding = Rounding.of(rm(insn), hart.fcsr);
        if (rounding == null) return false;
        SoftFloat sf = new SoftFloat(rounding);
        long r = sf.fma(f, read(hart, f, rs1(insn)), read(hart, f, rs2(insn)), read(hart, f, insn >>> 27),
                opcode == NMSUB || opcode == NMADD, opcode == MSUB || opcode == NMADD);
        write(hart, f, rd(insn), r, sf);
        return true;
    }

    private static boolean opFp(Hart hart, int insn, FloatFormat f) {
        int rd = rd(insn), rm = rm(insn), rs1 = rs1(insn), rs2 = rs2(insn);
        switch (insn >>> 27) {
            case 0x00, 0x01, 0x02, 0x03 -> {            // FADD FSUB FMUL FDIV
                Rounding rounding = Rounding.of(rm, hart.fcsr);
                if (rounding == null) return false;
                SoftFloat sf = new SoftFloat(rounding);
                long a = read(hart, f, rs1), b = read(hart, f, rs2);
                long r = switch (insn >>> 27) {
                    case 0x00 -> sf.add(f, a, b);
                    case 0x01 -> sf.sub(f, a, b);
                    case 0x02 -> sf.mul(f, a, b);
                    default -> sf.div(f, a, b);
                };
                write(hart, f, rd, r, sf);
                return true;
            }
            case 0x0B -> {                              // FSQRT
                Rounding rounding = Rounding.of(rm, hart.fcsr);
                if (rs2 != 0 || rounding == null) return false;
                SoftFloat sf = new SoftFloat(rounding);
                write(hart, f, rd, sf.sqrt(f, read(hart, f, rs1)), sf);
                return true;
            }
            case 0x04 -> {                              // FSGNJ FSGNJN FSGNJX: raw bits, no flags
                if (rm > 2) return false;
                long a = read(hart, f, rs1), b = read(hart, f, rs2);
                long sign = switch (rm) {
                    case 0 -> b;
                    case 1 -> ~b;
                    default -> a ^ b;
                } & f.signBit;
                hart.f[rd] = box(f, (a & ~f.signBit) | sign);
                return true;
            }
            case 0x05 -> {                              // FMIN FMAX
                if (rm > 1) return false;
                SoftFloat sf = new SoftFloat(Rounding.RNE);
                long a = read(hart, f, rs1), b = read(hart, f, rs2);
                write(hart, f, rd, rm == 0 ? sf.min(f, a, b) : sf.max(f, a, b), sf);
                return true;
            }
            case 0x08 -> {                              // FCVT.S.D (fmt S, rs2 1), FCVT.D.S (fmt D, rs2 0)
                FloatFormat from = f == FloatFormat.SINGLE ? FloatFormat.DOUBLE : FloatFormat.SINGLE;
                Rounding rounding = Rounding.of(rm, hart.fcsr);
                if (rs2 != (from == FloatFormat.DOUBLE ? 1 : 0) || rounding == null) return false;
                SoftFloat sf = new SoftFloat(rounding);
                write(hart, f, rd, sf.convert(f, from, read(hart, from, rs1)), sf);
                return true;
            }
            case 0x14 -> {                              // FLE FLT FEQ
                if (rm > 2) return false;
                SoftFloat sf = new SoftFloat(Rounding.RNE);
                long a = read(hart, f, rs1), b = read(hart, f, rs2);
                boolean r = switch (rm) {
                    case 0 -> sf.le(f, a, b);
                    case 1 -> sf.lt(f, a, b);
                    default -> sf.eq(f, a, b);
                };
                setX(hart, rd, r ? 1 : 0, sf);
                return true;
            }
            case 0x18 -> {                              // FCVT.W/WU/L/LU.fmt
                IntFormat t = IntFormat.of(rs2);
                Rounding rounding = Rounding.of(rm, hart.fcsr);
                if (t == null || rounding == null) return false;
                SoftFloat sf = new SoftFloat(rounding);
                setX(hart, rd, sf.toInt(f, read(hart, f, rs1), t), sf);
                return true;
            }
            case 0x1A -> {                              // FCVT.fmt.W/WU/L/LU
                IntFormat t = IntFormat.of(rs2);
                Rounding rounding = Rounding.of(rm, hart.fcsr);
                if (t == null || rounding == null) return false;
                SoftFloat sf = new SoftFloat(rounding);
                write(hart, f, rd, sf.fromInt(f, hart.x[rs1], t), sf);
                return true;
            }
            case 0x1C -> {                              // FMV.X.W / FMV.X.D, FCLASS
                if (rs2 != 0 || rm > 1) return false;
                long v;
                if (rm == 1) v = SoftFloat.classify(f, read(hart, f, rs1));
                else v = f == FloatFormat.SINGLE ? (int) hart.f[rs1] : hart.f[rs1];
                if (rd != 0) hart.x[rd] = v;
                return true;
            }
            case 0x1E -> {                              // FMV.W.X / FMV.D.X
                if (rs2 != 0 || rm != 0) return false;
                long x = hart.x[rs1];
                hart.f[rd] = f == FloatFormat.SINGLE ? box(f, x & 0xFFFF_FFFFL) : x;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** An f register as an operand of format f: a single must be NaN-boxed, else it is the canonical NaN. */
    private static long read(Hart hart, FloatFormat f, int reg) {
        long v = hart.f[reg];
        if (f == FloatFormat.DOUBLE) return v;
        return (v & BOX) == BOX ? v & 0xFFFF_FFFFL : FloatFormat.SINGLE.canonicalNaN;
    }

    private static long box(FloatFormat f, long v) {
        return f == FloatFormat.SINGLE ? v | BOX : v;
    }

    /** Writes a floating-point result and accrues the flags its computation raised. */
    private static void write(Hart hart, FloatFormat f, int rd, long v, SoftFloat sf) {
        hart.f[rd] = box(f, v);
        hart.fcsr |= sf.flags;
    }

    /** Writes an integer result (never x0) and accrues the flags. */
    private static void setX(Hart hart, int rd, long v, SoftFloat sf) {
        if (rd != 0) hart.x[rd] = v;
        hart.fcsr |= sf.flags;
    }

    private static int rd(int insn) { return (insn >>> 7) & 31; }
    private static int rm(int insn) { return (insn >>> 12) & 7; }
    private static int rs1(int insn) { return (insn >>> 15) & 31; }
    private static int rs2(int insn) { return (insn >>> 20) & 31; }
}
