package xv6j.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole ELF executable, decoded: its header and program headers, each checked, and
 * every PT_LOAD segment's file bytes inside the file. (A kernel that reads the file
 * piecewise, as xv6's exec does, uses {@link ElfHeader#decode} and
 * {@link ProgramHeader#decode} directly.)
 */
public record Elf(ElfHeader header, List<ProgramHeader> programHeaders) {

    public static Elf parse(byte[] file) throws ElfFormatException {
        ElfHeader h = ElfHeader.decode(file);
        if (Long.compareUnsigned(h.programHeaderOffset(h.phnum()), file.length) > 0)
            throw new ElfFormatException("program-header table runs past the end of the file");
        List<ProgramHeader> phs = new ArrayList<>(h.phnum());
        for (int i = 0; i < h.phnum(); i++) {
            ProgramHeader ph = ProgramHeader.decode(file, (int) h.programHeaderOffset(i));
            if (ph.isLoad() && Long.compareUnsigned(ph.offset() + ph.filesz(), file.length) > 0)
                throw new ElfFormatException(String.format("segment at 0x%x runs past the end of the file", ph.vaddr()));
            phs.add(ph);
        }
        return new Elf(h, List.copyOf(phs));
    }

    /** The PT_LOAD segments, in file order. */
    public List<ProgramHeader> loadSegments() {
        return programHeaders.stream().filter(ProgramHeader::isLoad).toList();
    }
}
