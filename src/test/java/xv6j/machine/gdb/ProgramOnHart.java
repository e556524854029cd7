package xv6j.machine.gdb;

import java.io.IOException;
import java.nio.file.Path;
import xv6j.machine.Hart;

/**
 * For tests that must know what a hart runs without trusting a kernel's ids: whether the
 * address space a hart is about to run holds a given program's code (and what its memory
 * holds, read as the debugger reads it), recognised as the
 * debugger's {@code follow} recognises it ({@link Program}: the ELF file's executable
 * bytes, page for page). One per hart, asked by one thread at a time: it remembers what it
 * last compared, so a look at an unchanged address space costs a few page walks.
 */
public final class ProgramOnHart {
    private final Program program;
    private final Program.Seen seen = new Program.Seen();

    /** The program in file (an ELF executable, as the build made it for the image). */
    public ProgramOnHart(Path file) throws IOException {
        this.program = Program.load(file.getFileName().toString(), file);
    }

    /** True if h's address space (its satp) holds the program's code. */
    public boolean runsOn(Hart h) {
        return program.runsIn(new AddressSpace(h.mem, h.mmu.satp()), seen);
    }

    /**
     * Reads dst.length bytes at va in h's address space, as the debugger reads memory (no
     * A or D bit set, no TLB filled); returns how many it could read before an unmapped page.
     */
    public static int read(Hart h, long va, byte[] dst) {
        return new AddressSpace(h.mem, h.mmu.satp()).read(va, dst, dst.length);
    }
}
