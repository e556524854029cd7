package xv6j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import xv6j.harness.Harness;

class ElfTest {
    /** A minimal valid executable: header + one PT_LOAD of 16 bytes of code at 0. */
    private static byte[] minimal() {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1).putLong(24, 0x10)
                .putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
        b.putInt(64, 1).putInt(68, 5).putLong(72, 120).putLong(80, 0).putLong(88, 0)
                .putLong(96, 16).putLong(104, 4096).putLong(112, 4096);
        return b.array();
    }

    private static void assertMalformed(String message, byte[] file) {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> Elf.parse(file));
        assertEquals(message, e.getMessage());
    }

    private static byte[] with(java.util.function.Consumer<ByteBuffer> change) {
        byte[] f = minimal();
        change.accept(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN));
        return f;
    }

    @Test
    void parsesAMinimalExecutable() throws Exception {
        Elf elf = Elf.parse(minimal());
        assertEquals(0x10, elf.header().entry());
        ProgramHeader ph = elf.loadSegments().get(0);
        assertEquals(new ProgramHeader(1, 5, 120, 0, 16, 4096, 4096), ph);
        assertTrue(ph.readable() && ph.executable() && !ph.writable());
    }

    @Test
    void parsesWhatTheBuildLinks() throws Exception {
        byte[] file = Files.readAllBytes(Harness.userBin("test").resolve("hello"));
        Elf elf = Elf.parse(file);
        assertEquals(ElfHeader.EM_RISCV, elf.header().machine());
        assertTrue(elf.loadSegments().stream().anyMatch(p -> p.executable() && p.vaddr() == 0));
    }

    @Test
    void decodesPiecewiseAsExecReadsIt() throws Exception {
        byte[] f = minimal();
        ElfHeader h = ElfHeader.decode(java.util.Arrays.copyOf(f, ElfHeader.SIZE));
        byte[] chunk = java.util.Arrays.copyOfRange(f, (int) h.programHeaderOffset(0), (int) h.programHeaderOffset(1));
        assertEquals(Elf.parse(f).programHeaders().get(0), ProgramHeader.decode(chunk, 0));
    }

    @Test
    void rejectsMalformedFilesWithOneLine() {
        assertMalformed("not an ELF file (bad magic)", new byte[3]);
        assertMalformed("truncated ELF header (10 bytes)", java.util.Arrays.copyOf(minimal(), 10));
        assertMalformed("not an ELF file (bad magic)", with(b -> b.put(1, (byte) 'e')));
        assertMalformed("not a 64-bit ELF file (class 1)", with(b -> b.put(4, (byte) 1)));
        assertMalformed("not a little-endian ELF file", with(b -> b.put(5, (byte) 2)));
        assertMalformed("not a RISC-V executable (machine 62)", with(b -> b.putShort(18, (short) 62)));
        assertMalformed("not an executable (ELF type 3)", with(b -> b.putShort(16, (short) 3)));
        assertMalformed("program headers of 32 bytes, not 56", with(b -> b.putShort(54, (short) 32)));
        assertMalformed("program-header table runs past the end of the file", with(b -> b.putShort(56, (short) 2)));
        assertMalformed("program-header table out of range", with(b -> b.putLong(32, -8)));
        assertMalformed("segment at 0x0 has file size 0x2000 > memory size 0x1000", with(b -> b.putLong(96, 0x2000)));
        assertMalformed("segment at 0x0 runs past the end of the file", with(b -> b.putLong(96, 17)));
        assertMalformed("segment at 0x0: file range overflows", with(b -> b.putLong(72, -8)));
        assertMalformed("segment at 0xfffffffffffff000: address range overflows", with(b -> b.putLong(80, -4096)));
    }

    @Test
    void aNoteSegmentsSizesAreNotCheckedSinceItIsNeverLoaded() throws Exception {
        // A note as linkers write it: file bytes, no memory; as a PT_LOAD this is refused.
        Elf elf = Elf.parse(with(b -> b.putInt(64, 4).putLong(96, 0x2000).putLong(104, 0)));
        assertEquals(4, elf.programHeaders().get(0).type());
        assertTrue(elf.loadSegments().isEmpty());
    }

    @Test
    void truncatedProgramHeaderIsAnError() {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ProgramHeader.decode(new byte[60], 10));
        assertEquals("truncated program header", e.getMessage());
    }
}
