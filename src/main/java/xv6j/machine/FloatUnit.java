package xv6j.machine;

/**
 * The F and D extensions' arithmetic: every OP-FP and fused multiply-add instruction,
 * with IEEE 754-2008 results, rounding modes and exception flags as RISC-V defines them.
 */
final class FloatUnit {
    private FloatUnit() {}

    /**
     * Executes one instruction of major opcode OP-FP (0x53), MADD (0x43), MSUB (0x47),
     * NMSUB (0x4B) or NMADD (0x4F) on the hart: reads and writes hart.x, hart.f and
     * hart.fcsr (flags accrue; frm is the dynamic rounding mode). Does not touch pc.
     *
     * @return true if executed; false if the encoding is illegal (reserved rounding mode,
     *         unknown funct fields), in which case nothing was written
     */
    static boolean execute(Hart hart, int insn) {
        return false;
    }
}
