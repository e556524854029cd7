package xv6j.machine.gdb;

/**
 * The target description gdb reads (qXfer:features:read:target.xml): an RV64 hart with the
 * standard features GDB's manual names for RISC-V, org.gnu.gdb.riscv.cpu (x0..x31 by their
 * ABI names, and pc) and org.gnu.gdb.riscv.fpu (f0..f31, which hold singles NaN-boxed or
 * doubles, and fflags, frm, fcsr). Register numbers are GDB's own for RISC-V: x0..x31 are
 * 0..31, pc 32, f0..f31 33..64, and a CSR is 65 plus its number (fflags 0x001: 66).
 * {@code g} sends them in that order: 65 of 8 bytes, then the three CSRs of 4.
 */
final class TargetDescription {
    private TargetDescription() {}

    static final String[] X = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3",
            "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    static final String[] F = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
            "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10", "fs11",
            "ft8", "ft9", "ft10", "ft11"};

    /** GDB's numbers of the three floating-point CSRs (65 + the CSR's number). */
    static final int FFLAGS = 66, FRM = 67, FCSR = 68;

    static final String XML = build();

    private static String build() {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        b.append("  <architecture>riscv:rv64</architecture>\n");
        // No OS gdb knows: with GNU/Linux (its default) gdb would single-step by breakpoints,
        // as it must under ptrace, instead of asking the stub to step.
        b.append("  <osabi>none</osabi>\n");
        b.append("  <feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int";
            b.append("    <reg name=\"").append(X[i]).append("\" bitsize=\"64\" type=\"").append(type).append('"')
                    .append(i == 0 ? " regnum=\"0\"" : "").append("/>\n");
        }
        b.append("    <reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n");
        b.append("  </feature>\n");
        b.append("  <feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        b.append("    <union id=\"riscv_double\">\n      <field name=\"float\" type=\"ieee_single\"/>\n"
                + "      <field name=\"double\" type=\"ieee_double\"/>\n    </union>\n");
        for (int i = 0; i < 32; i++) {
            b.append("    <reg name=\"").append(F[i]).append("\" bitsize=\"64\" type=\"riscv_double\"")
                    .append(i == 0 ? " regnum=\"33\"" : "").append("/>\n");
        }
        b.append("    <reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"" + FFLAGS + "\"/>\n");
        b.append("    <reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"" + FRM + "\"/>\n");
        b.append("    <reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"" + FCSR + "\"/>\n");
        b.append("  </feature>\n</target>\n");
        return b.toString();
    }
}
