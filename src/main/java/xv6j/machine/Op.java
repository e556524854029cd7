package xv6j.machine;

/**
 * The operations of the decoded-instruction form (see {@link Decoded}). Compressed
 * instructions decode to the same operations as their 32-bit expansions; writes to x0
 * are decoded away (to {@link #NOP}, {@link #J}, {@link #JR} or {@link #LOAD_X0}), so the
 * interpreter never has to re-zero x0.
 *
 * <p>Plain int constants rather than an enum: the interpreter switches on them in its hot
 * loop, and a switch on an int is a single table jump.
 */
public final class Op {
    private Op() {}

    /** Not decoded yet: a fresh page is all zeros, so decoding is lazy, per slot. */
    public static final int DECODE = 0;
    /** Past the end of the page: the interpreter leaves the page and translates pc again. */
    public static final int END = 1;
    /** A 32-bit instruction whose upper half lies on the next page; imm = the lower half. */
    public static final int CROSS = 2;
    /** An illegal or reserved encoding; imm = the instruction bits (16 of them if compressed). */
    public static final int ILLEGAL = 3;
    /** No architectural effect: writes to x0, hints, c.nop. */
    public static final int NOP = 4;

    public static final int LUI = 5, AUIPC = 6, JAL = 7, J = 8, JALR = 9, JR = 10;
    public static final int BEQ = 11, BNE = 12, BLT = 13, BGE = 14, BLTU = 15, BGEU = 16;
    public static final int LB = 17, LH = 18, LW = 19, LD = 20, LBU = 21, LHU = 22, LWU = 23;
    /** A load into x0: the access happens (and may fault), the value is dropped; rs2 = funct3. */
    public static final int LOAD_X0 = 24;
    public static final int SB = 25, SH = 26, SW = 27, SD = 28;
    public static final int ADDI = 29, SLTI = 30, SLTIU = 31, XORI = 32, ORI = 33, ANDI = 34;
    public static final int SLLI = 35, SRLI = 36, SRAI = 37;
    public static final int ADDIW = 38, SLLIW = 39, SRLIW = 40, SRAIW = 41;
    public static final int ADD = 42, SUB = 43, SLL = 44, SLT = 45, SLTU = 46, XOR = 47, SRL = 48,
            SRA = 49, OR = 50, AND = 51;
    public static final int ADDW = 52, SUBW = 53, SLLW = 54, SRLW = 55, SRAW = 56;
    public static final int MUL = 57, MULH = 58, MULHSU = 59, MULHU = 60, DIV = 61, DIVU = 62,
            REM = 63, REMU = 64;
    public static final int MULW = 65, DIVW = 66, DIVUW = 67, REMW = 68, REMUW = 69;
    public static final int FLW = 70, FLD = 71, FSW = 72, FSD = 73;
    /** OP-FP and the fused multiply-adds, executed by {@link FloatUnit}; imm = the instruction. */
    public static final int FP = 74;
    /** LR, SC and the AMOs; imm = the instruction. */
    public static final int AMO = 75;
    /** The Zicsr instructions; imm = the instruction. */
    public static final int CSR = 76;
    public static final int FENCE = 77, FENCE_I = 78, ECALL = 79, EBREAK = 80;
    /** addi rd, x0, imm: the commonest constant load, without reading x0. */
    public static final int LI = 81;
    /**
     * Not an instruction of its own: the entry of compiled code (a {@link xv6j.machine.jit.Region}),
     * written over the first instruction's word by the translator; imm = the region's
     * index on the page. The interpreter's hot loop stops at it, so code that runs into
     * a region enters it; what the word stood for is kept by the translator.
     */
    public static final int ENTER = 82;

    static final int COUNT = 83;

    private static final String[] NAMES = {
        "decode", "end", "cross", "illegal", "nop",
        "lui", "auipc", "jal", "j", "jalr", "jr",
        "beq", "bne", "blt", "bge", "bltu", "bgeu",
        "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "load-x0",
        "sb", "sh", "sw", "sd",
        "addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai",
        "addiw", "slliw", "srliw", "sraiw",
        "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
        "addw", "subw", "sllw", "srlw", "sraw",
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
        "mulw", "divw", "divuw", "remw", "remuw",
        "flw", "fld", "fsw", "fsd", "fp", "amo", "csr",
        "fence", "fence.i", "ecall", "ebreak", "li", "enter",
    };

    /** The operation's lower-case name, for disassembly and messages. */
    public static String name(int op) {
        return op >= 0 && op < NAMES.length ? NAMES[op] : "op" + op;
    }
}
