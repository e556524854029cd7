package xv6j.elf;

import static xv6j.elf.Bytes.u32;
import static xv6j.elf.Bytes.u64;

/**
 * One ELF64 program header. Decoding rejects a PT_LOAD segment whose file size exceeds its
 * memory size or any of whose ranges (offset + filesz, vaddr + memsz) overflows 64 bits
 * unsigned. Other segments (notes, say) are never loaded, so their sizes are not checked:
 * linkers write notes with a memory size of 0.
 *
 * @param type   p_type ({@link #PT_LOAD} for a segment exec maps)
 * @param flags  p_flags: {@link #PF_X}, {@link #PF_W}, {@link #PF_R}
 * @param offset file offset of the segment's bytes
 * @param vaddr  virtual address it is loaded at
 * @param filesz bytes taken from the file
 * @param memsz  bytes in memory (the rest zero: bss)
 * @param align  p_align
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
    public static final int SIZE = 56;
    public static final int PT_LOAD = 1;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** Decodes the program header at b[off, off + SIZE). */
    public static ProgramHeader decode(byte[] b, int off) throws ElfFormatException {
        if (off < 0 || b.length - off < SIZE) throw new ElfFormatException("truncated program header");
        int type = (int) u32(b, off), flags = (int) u32(b, off + 4);
        long offset = u64(b, off + 8), vaddr = u64(b, off + 16);
        long filesz = u64(b, off + 32), memsz = u64(b, off + 40), align = u64(b, off + 48);
        if (type != PT_LOAD) return new ProgramHeader(type, flags, offset, vaddr, filesz, memsz, align);
        if (Long.compareUnsigned(filesz, memsz) > 0)
            throw new ElfFormatException(String.format("segment at 0x%x has file size 0x%x > memory size 0x%x", vaddr, filesz, memsz));
        if (Long.compareUnsigned(offset + filesz, offset) < 0)
            throw new ElfFormatException(String.format("segment at 0x%x: file range overflows", vaddr));
        if (Long.compareUnsigned(vaddr + memsz, vaddr) < 0)
            throw new ElfFormatException(String.format("segment at 0x%x: address range overflows", vaddr));
        return new ProgramHeader(type, flags, offset, vaddr, filesz, memsz, align);
    }

    public boolean isLoad() { return type == PT_LOAD; }
    public boolean readable() { return (flags & PF_R) != 0; }
    public boolean writable() { return (flags & PF_W) != 0; }
    public boolean executable() { return (flags & PF_X) != 0; }
}
