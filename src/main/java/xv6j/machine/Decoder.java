package xv6j.machine;

import static xv6j.machine.Decoded.pack;

/**
 * Decodes RV64GC instructions into the {@link Decoded} form. Every 16-bit instruction is
 * expanded to the operation of its 32-bit equivalent; reserved encodings decode to
 * {@link Op#ILLEGAL} carrying the instruction bits, so the trap needs no second look.
 * Encodings follow the RISC-V unprivileged specification (RV64I, M, A, F, D, C, Zicsr,
 * Zifencei).
 */
public final class Decoder {
    private Decoder() {}

    /**
     * Decodes the instruction starting at ram[i]. If it is 32 bits wide and starts in the
     * last halfword of its page, its upper half is on another page (perhaps not mapped):
     * the result is {@link Op#CROSS} and the interpreter fetches the rest itself.
     *
     * <p>The width and the instruction come from one read: another hart may store into
     * the word meanwhile, and a width read before its store with bits read after it made
     * an instruction neither version holds (user/exo/codetear.c). One read of a long, that
     * is: a 32-bit instruction at byte 6 of a doubleword is read from two, and may pair an
     * old half with a new one. Only a misaligned store changes both halves at once, and the
     * ISA does not make a misaligned store atomic (unprivileged spec, "Load and Store
     * Instructions"), so a tear there is one hardware may show too.
     */
    public static long decodeAt(long[] ram, int i, boolean lastSlotOfPage) {
        int bits = (int) PhysicalMemory.read(ram, i, lastSlotOfPage ? 2 : 4);
        if ((bits & 3) != 3) return decode16(bits & 0xffff);
        if (lastSlotOfPage) return pack(Op.CROSS, 2, 0, 0, 0, bits);
        return decode32(bits);
    }

    /** Decodes one instruction given its bits (16 or 32 by its two low bits). */
    public static long decode(int bits) {
        return (bits & 3) == 3 ? decode32(bits) : decode16(bits & 0xffff);
    }

    private static long illegal32(int bits) { return pack(Op.ILLEGAL, 2, 0, 0, 0, bits); }

    private static long illegal16(int bits) { return pack(Op.ILLEGAL, 1, 0, 0, 0, bits); }

    /** An instruction writing rd: to x0 it is a no-op. */
    private static long alu(int op, int len, int rd, int rs1, int rs2, int imm) {
        return rd == 0 ? pack(Op.NOP, len, 0, 0, 0, 0) : pack(op, len, rd, rs1, rs2, imm);
    }

    private static long addi(int len, int rd, int rs1, int imm) {
        return rs1 == 0 ? alu(Op.LI, len, rd, 0, 0, imm) : alu(Op.ADDI, len, rd, rs1, 0, imm);
    }

    static long decode32(int i) {
        int rd = (i >>> 7) & 31, f3 = (i >>> 12) & 7, rs1 = (i >>> 15) & 31, rs2 = (i >>> 20) & 31;
        int f7 = i >>> 25;
        int immI = i >> 20;
        int immS = ((i >> 25) << 5) | ((i >>> 7) & 31);
        switch (i & 0x7f) {
            case 0x37: return alu(Op.LUI, 2, rd, 0, 0, i & 0xfffff000);
            case 0x17: return alu(Op.AUIPC, 2, rd, 0, 0, i & 0xfffff000);
            case 0x6f: {
                int imm = ((i >> 31) << 20) | (i & 0xff000) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 0x3ff) << 1);
                return rd == 0 ? pack(Op.J, 2, 0, 0, 0, imm) : pack(Op.JAL, 2, rd, 0, 0, imm);
            }
            case 0x67:
                if (f3 != 0) return illegal32(i);
                return rd == 0 ? pack(Op.JR, 2, 0, rs1, 0, immI) : pack(Op.JALR, 2, rd, rs1, 0, immI);
            case 0x63: {
                int imm = ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 0x3f) << 5) | (((i >>> 8) & 15) << 1);
                int op = switch (f3) {
                    case 0 -> Op.BEQ; case 1 -> Op.BNE; case 4 -> Op.BLT; case 5 -> Op.BGE;
                    case 6 -> Op.BLTU; case 7 -> Op.BGEU; default -> -1;
                };
                return op < 0 ? illegal32(i) : pack(op, 2, 0, rs1, rs2, imm);
            }
            case 0x03: {
                if (f3 == 7) return illegal32(i);
                if (rd == 0) return pack(Op.LOAD_X0, 2, 0, rs1, f3, immI);
                int op = switch (f3) {
                    case 0 -> Op.LB; case 1 -> Op.LH; case 2 -> Op.LW; case 3 -> Op.LD;
                    case 4 -> Op.LBU; case 5 -> Op.LHU; default -> Op.LWU;
                };
                return pack(op, 2, rd, rs1, 0, immI);
            }
            case 0x23: {
                int op = switch (f3) {
                    case 0 -> Op.SB; case 1 -> Op.SH; case 2 -> Op.SW; case 3 -> Op.SD; default -> -1;
                };
                return op < 0 ? illegal32(i) : pack(op, 2, 0, rs1, rs2, immS);
            }
            case 0x13:
                switch (f3) {
                    case 0: return addi(2, rd, rs1, immI);
                    case 2: return alu(Op.SLTI, 2, rd, rs1, 0, immI);
                    case 3: return alu(Op.SLTIU, 2, rd, rs1, 0, immI);
                    case 4: return alu(Op.XORI, 2, rd, rs1, 0, immI);
                    case 6: return alu(Op.ORI, 2, rd, rs1, 0, immI);
                    case 7: return alu(Op.ANDI, 2, rd, rs1, 0, immI);
                    case 1: return (i >>> 26) == 0 ? alu(Op.SLLI, 2, rd, rs1, 0, immI & 63) : illegal32(i);
                    default: // 5
                        if ((i >>> 26) == 0) return alu(Op.SRLI, 2, rd, rs1, 0, immI & 63);
                        if ((i >>> 26) == 0x10) return alu(Op.SRAI, 2, rd, rs1, 0, immI & 63);
                        return illegal32(i);
                }
            case 0x1b:
                if (f3 == 0) return alu(Op.ADDIW, 2, rd, rs1, 0, immI);
                if (f3 == 1 && f7 == 0) return alu(Op.SLLIW, 2, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0) return alu(Op.SRLIW, 2, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0x20) return alu(Op.SRAIW, 2, rd, rs1, 0, rs2);
                return illegal32(i);
            case 0x33: {
                int op = -1;
                if (f7 == 0) op = switch (f3) {
                    case 0 -> Op.ADD; case 1 -> Op.SLL; case 2 -> Op.SLT; case 3 -> Op.SLTU;
                    case 4 -> Op.XOR; case 5 -> Op.SRL; case 6 -> Op.OR; default -> Op.AND;
                };
                else if (f7 == 0x20) op = f3 == 0 ? Op.SUB : f3 == 5 ? Op.SRA : -1;
                else if (f7 == 1) op = switch (f3) {
                    case 0 -> Op.MUL; case 1 -> Op.MULH; case 2 -> Op.MULHSU; case 3 -> Op.MULHU;
                    case 4 -> Op.DIV; case 5 -> Op.DIVU; case 6 -> Op.REM; default -> Op.REMU;
                };
                return op < 0 ? illegal32(i) : alu(op, 2, rd, rs1, rs2, 0);
            }
            case 0x3b: {
                int op = -1;
                if (f7 == 0) op = f3 == 0 ? Op.ADDW : f3 == 1 ? Op.SLLW : f3 == 5 ? Op.SRLW : -1;
                else if (f7 == 0x20) op = f3 == 0 ? Op.SUBW : f3 == 5 ? Op.SRAW : -1;
                else if (f7 == 1) op = switch (f3) {
                    case 0 -> Op.MULW; case 4 -> Op.DIVW; case 5 -> Op.DIVUW; case 6 -> Op.REMW;
                    case 7 -> Op.REMUW; default -> -1;
                };
                return op < 0 ? illegal32(i) : alu(op, 2, rd, rs1, rs2, 0);
            }
            case 0x0f:
                // The unused fields of FENCE and FENCE.I are ignored, as the specification asks.
                if (f3 == 0) return pack(Op.FENCE, 2, 0, 0, 0, 0);
                if (f3 == 1) return pack(Op.FENCE_I, 2, 0, 0, 0, 0);
                return illegal32(i);
            case 0x73:
                if (i == 0x00000073) return pack(Op.ECALL, 2, 0, 0, 0, 0);
                if (i == 0x00100073) return pack(Op.EBREAK, 2, 0, 0, 0, 0);
                // funct3 0 holds the privileged instructions (wret, sret, wfi, sfence.vma):
                // illegal in user mode. funct3 4 is reserved.
                if (f3 == 0 || f3 == 4) return illegal32(i);
                return pack(Op.CSR, 2, rd, rs1, 0, i);
            case 0x2f: {
                if (f3 != 2 && f3 != 3) return illegal32(i);
                int f5 = i >>> 27;
                boolean known = switch (f5) {
                    case 0b00010 -> rs2 == 0; // LR has no rs2
                    case 0b00011, 0b00001, 0b00000, 0b00100, 0b01100, 0b01000,
                         0b10000, 0b10100, 0b11000, 0b11100 -> true;
                    default -> false;
                };
                return known ? pack(Op.AMO, 2, rd, rs1, rs2, i) : illegal32(i);
            }
            case 0x07:
                if (f3 == 2) return pack(Op.FLW, 2, rd, rs1, 0, immI);
                if (f3 == 3) return pack(Op.FLD, 2, rd, rs1, 0, immI);
                return illegal32(i);
            case 0x27:
                if (f3 == 2) return pack(Op.FSW, 2, 0, rs1, rs2, immS);
                if (f3 == 3) return pack(Op.FSD, 2, 0, rs1, rs2, immS);
                return illegal32(i);
            case 0x53, 0x43, 0x47, 0x4b, 0x4f:
                return pack(Op.FP, 2, rd, rs1, rs2, i);
            default:
                return illegal32(i);
        }
    }

    /** Bit b of h, moved to bit to. */
    private static int bit(int h, int b, int to) { return ((h >>> b) & 1) << to; }

    static long decode16(int h) {
        int f3 = h >>> 13;
        int rdp = 8 + ((h >>> 2) & 7);     // rd' / rs2' (bits 4:2)
        int rs1p = 8 + ((h >>> 7) & 7);    // rs1' / rd' (bits 9:7)
        int rd = (h >>> 7) & 31, rs2 = (h >>> 2) & 31;
        int imm6 = ((bit(h, 12, 5) | rs2) << 26) >> 26;  // CI-format signed immediate
        // CL/CS offsets: word = uimm[5:3|2|6], doubleword = uimm[5:3|7:6]
        int offW = ((h >>> 10) & 7) << 3 | bit(h, 6, 2) | bit(h, 5, 6);
        int offD = ((h >>> 10) & 7) << 3 | ((h >>> 5) & 3) << 6;
        switch (h & 3) {
            case 0:
                switch (f3) {
                    case 0: {
                        int imm = ((h >>> 11) & 3) << 4 | ((h >>> 7) & 15) << 6 | bit(h, 6, 2) | bit(h, 5, 3);
                        return imm == 0 ? illegal16(h) : pack(Op.ADDI, 1, rdp, 2, 0, imm); // c.addi4spn
                    }
                    case 1: return pack(Op.FLD, 1, rdp, rs1p, 0, offD);
                    case 2: return pack(Op.LW, 1, rdp, rs1p, 0, offW);
                    case 3: return pack(Op.LD, 1, rdp, rs1p, 0, offD);
                    case 5: return pack(Op.FSD, 1, 0, rs1p, rdp, offD);
                    case 6: return pack(Op.SW, 1, 0, rs1p, rdp, offW);
                    case 7: return pack(Op.SD, 1, 0, rs1p, rdp, offD);
                    default: return illegal16(h); // 4: reserved
                }
            case 1:
                switch (f3) {
                    case 0: return imm6 == 0 ? pack(Op.NOP, 1, 0, 0, 0, 0) : addi(1, rd, rd, imm6); // c.addi, c.nop
                    case 1: return rd == 0 ? illegal16(h) : pack(Op.ADDIW, 1, rd, rd, 0, imm6);      // c.addiw
                    case 2: return addi(1, rd, 0, imm6);                                                // c.li
                    case 3:
                        if (rd == 2) { // c.addi16sp: nzimm[9|4|6|8:7|5]
                            int imm = bit(h, 12, 9) | bit(h, 6, 4) | bit(h, 5, 6) | ((h >>> 3) & 3) << 7 | bit(h, 2, 5);
                            imm = (imm << 22) >> 22;
                            return imm == 0 ? illegal16(h) : pack(Op.ADDI, 1, 2, 2, 0, imm);
                        }
                        return imm6 == 0 ? illegal16(h) : alu(Op.LUI, 1, rd, 0, 0, imm6 << 12); // c.lui
                    case 4: {
                        int shamt = bit(h, 12, 5) | rs2;
                        switch ((h >>> 10) & 3) {
                            case 0: return shamt == 0 ? pack(Op.NOP, 1, 0, 0, 0, 0) : pack(Op.SRLI, 1, rs1p, rs1p, 0, shamt);
                            case 1: return shamt == 0 ? pack(Op.NOP, 1, 0, 0, 0, 0) : pack(Op.SRAI, 1, rs1p, rs1p, 0, shamt);
                            case 2: return pack(Op.ANDI, 1, rs1p, rs1p, 0, imm6);
                            default: {
                                int op = switch (((h >>> 12) & 1) << 2 | ((h >>> 5) & 3)) {
                                    case 0 -> Op.SUB; case 1 -> Op.XOR; case 2 -> Op.OR; case 3 -> Op.AND;
                                    case 4 -> Op.SUBW; case 5 -> Op.ADDW; default -> -1;
                                };
                                return op < 0 ? illegal16(h) : pack(op, 1, rs1p, rs1p, rdp, 0);
                            }
                        }
                    }
                    case 5: { // c.j: offset[11|4|9:8|10|6|7|3:1|5]
                        int imm = bit(h, 12, 11) | bit(h, 11, 4) | ((h >>> 9) & 3) << 8 | bit(h, 8, 10)
                                | bit(h, 7, 6) | bit(h, 6, 7) | ((h >>> 3) & 7) << 1 | bit(h, 2, 5);
                        return pack(Op.J, 1, 0, 0, 0, (imm << 20) >> 20);
                    }
                    default: { // c.beqz, c.bnez: offset[8|4:3] [7:6|2:1|5]
                        int imm = bit(h, 12, 8) | ((h >>> 10) & 3) << 3 | ((h >>> 5) & 3) << 6
                                | ((h >>> 3) & 3) << 1 | bit(h, 2, 5);
                        return pack(f3 == 6 ? Op.BEQ : Op.BNE, 1, 0, rs1p, 0, (imm << 23) >> 23);
                    }
                }
            case 2:
                switch (f3) {
                    case 0: { // c.slli; rd = 0 or shamt = 0 are hints
                        int shamt = bit(h, 12, 5) | rs2;
                        return shamt == 0 ? pack(Op.NOP, 1, 0, 0, 0, 0) : alu(Op.SLLI, 1, rd, rd, 0, shamt);
                    }
                    case 1: // c.fldsp: uimm[5] [4:3|8:6]
                        return pack(Op.FLD, 1, rd, 2, 0, bit(h, 12, 5) | ((h >>> 5) & 3) << 3 | ((h >>> 2) & 7) << 6);
                    case 2: // c.lwsp: uimm[5] [4:2|7:6]
                        return rd == 0 ? illegal16(h)
                                : pack(Op.LW, 1, rd, 2, 0, bit(h, 12, 5) | ((h >>> 4) & 7) << 2 | ((h >>> 2) & 3) << 6);
                    case 3: // c.ldsp
                        return rd == 0 ? illegal16(h)
                                : pack(Op.LD, 1, rd, 2, 0, bit(h, 12, 5) | ((h >>> 5) & 3) << 3 | ((h >>> 2) & 7) << 6);
                    case 4:
                        if ((h & 0x1000) == 0) {
                            if (rs2 == 0) return rd == 0 ? illegal16(h) : pack(Op.JR, 1, 0, rd, 0, 0); // c.jr
                            return alu(Op.ADD, 1, rd, 0, rs2, 0);                                    // c.mv
                        }
                        if (rs2 == 0) return rd == 0 ? pack(Op.EBREAK, 1, 0, 0, 0, 0)               // c.ebreak
                                : pack(Op.JALR, 1, 1, rd, 0, 0);                                     // c.jalr
                        return alu(Op.ADD, 1, rd, rd, rs2, 0);                                       // c.add
                    case 5: // c.fsdsp: uimm[5:3|8:6]
                        return pack(Op.FSD, 1, 0, 2, rs2, ((h >>> 10) & 7) << 3 | ((h >>> 7) & 7) << 6);
                    case 6: // c.swsp: uimm[5:2|7:6]
                        return pack(Op.SW, 1, 0, 2, rs2, ((h >>> 9) & 15) << 2 | ((h >>> 7) & 3) << 6);
                    default: // c.sdsp
                        return pack(Op.SD, 1, 0, 2, rs2, ((h >>> 10) & 7) << 3 | ((h >>> 7) & 7) << 6);
                }
            default:
                throw new IllegalArgumentException("not a compressed instruction: " + h);
        }
    }
}
