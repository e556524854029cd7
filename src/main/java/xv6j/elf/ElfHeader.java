package xv6j.elf;

import static xv6j.elf.Bytes.u16;
import static xv6j.elf.Bytes.u32;
import static xv6j.elf.Bytes.u64;

/**
 * The ELF64 file header of a RISC-V executable: the fields exec needs. Decoding checks
 * everything exec relies on: magic, 64-bit little-endian, version 1, ET_EXEC, EM_RISCV,
 * and a program-header table whose entries are 56 bytes and whose extent does not
 * overflow.
 *
 * @param type      e_type (always {@link #ET_EXEC} after decoding)
 * @param machine   e_machine (always {@link #EM_RISCV})
 * @param entry     e_entry, the first pc
 * @param phoff     file offset of the program-header table
 * @param phentsize size of one program header
 * @param phnum     number of program headers
 * @param flags     e_flags (RISC-V ABI flags)
 */
public record ElfHeader(int type, int machine, long entry, long phoff, int phentsize, int phnum, int flags) {
    /** Bytes of the header at offset 0 of the file. */
    public static final int SIZE = 64;
    public static final int ET_EXEC = 2;
    public static final int EM_RISCV = 243;

    /** Decodes the header from the first {@link #SIZE} bytes of b. */
    public static ElfHeader decode(byte[] b) throws ElfFormatException {
        // The magic first: a short file that is not ELF at all should say so, not "truncated".
        if (b.length < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F')
            throw new ElfFormatException("not an ELF file (bad magic)");
        if (b.length < SIZE) throw new ElfFormatException("truncated ELF header (" + b.length + " bytes)");
        if (b[4] != 2) throw new ElfFormatException("not a 64-bit ELF file (class " + b[4] + ")");
        if (b[5] != 1) throw new ElfFormatException("not a little-endian ELF file");
        if (b[6] != 1) throw new ElfFormatException("unknown ELF version " + b[6]);
        int type = u16(b, 16), machine = u16(b, 18);
        if (machine != EM_RISCV) throw new ElfFormatException("not a RISC-V executable (machine " + machine + ")");
        if (type != ET_EXEC) throw new ElfFormatException("not an executable (ELF type " + type + ")");
        long entry = u64(b, 24), phoff = u64(b, 32);
        int flags = (int) u32(b, 48);
        int phentsize = u16(b, 54), phnum = u16(b, 56);
        if (phnum > 0 && phentsize != ProgramHeader.SIZE)
            throw new ElfFormatException("program headers of " + phentsize + " bytes, not " + ProgramHeader.SIZE);
        if (phoff < 0 || phoff > Long.MAX_VALUE - (long) phnum * phentsize)
            throw new ElfFormatException("program-header table out of range");
        return new ElfHeader(type, machine, entry, phoff, phentsize, phnum, flags);
    }

    /** File offset of program header i. */
    public long programHeaderOffset(int i) { return phoff + (long) i * phentsize; }
}
