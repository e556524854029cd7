package xv6j.machine.gdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xv6j.elf.Elf;
import xv6j.elf.ElfFormatException;
import xv6j.elf.ProgramHeader;
import xv6j.machine.PhysicalMemory;

/**
 * A program, known by its ELF file, and how to recognise the address spaces that run it.
 *
 * <p>Every xv6 program is linked at address 0, so an address means nothing until one
 * knows which program's it is. The kernels do not say (kernel-exo knows no programs at
 * all: a LibOS loads them), so the debugger looks: an address space runs this program
 * when its executable segments hold this file's bytes, page for page. That covers exec
 * (a new image), fork (the same code), a LibOS's own exec and its file server, and any
 * kernel, without asking one.
 *
 * <p>Looking costs a compare of the whole text the first time, and then next to nothing:
 * {@link Seen} remembers, per hart, the physical pages compared and the decoded-code
 * array each had ({@link PhysicalMemory#decoded}); every write to a page drops that array
 * (the interpreter relies on it for self-modifying code), so while the same pages still
 * hold the same arrays, their bytes have not changed.
 */
final class Program {
    final String name;
    final Path file;
    /** The executable segments' bytes, cut at page boundaries: where each piece goes, and what it holds. */
    private final long[] pieceVa;
    private final byte[][] pieceBytes;

    private Program(String name, Path file, long[] pieceVa, byte[][] pieceBytes) {
        this.name = name;
        this.file = file;
        this.pieceVa = pieceVa;
        this.pieceBytes = pieceBytes;
    }

    /** Reads an ELF executable. */
    static Program load(String name, Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Elf elf;
        try {
            elf = Elf.parse(b);
        } catch (ElfFormatException e) {
            throw new IOException(file + ": not an ELF executable: " + e.getMessage());
        }
        List<Long> vas = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        for (ProgramHeader ph : elf.loadSegments()) {
            if (!ph.executable() || ph.filesz() == 0) continue;
            for (long va = ph.vaddr(); va < ph.vaddr() + ph.filesz(); ) {
                long end = Math.min((va & ~0xfffL) + PhysicalMemory.PAGE_SIZE, ph.vaddr() + ph.filesz());
                int from = (int) (ph.offset() + va - ph.vaddr());
                vas.add(va);
                bytes.add(java.util.Arrays.copyOfRange(b, from, from + (int) (end - va)));
                va = end;
            }
        }
        if (vas.isEmpty()) throw new IOException(file + ": has no code");
        return new Program(name, file, vas.stream().mapToLong(Long::longValue).toArray(), bytes.toArray(byte[][]::new));
    }

    /** What a hart last saw of a program in an address space: the pages compared, and the answer. */
    static final class Seen {
        Program program;
        long satp;
        int pieces;
        long[] pa;
        Object[] code;
        boolean runs;
    }

    /** True if the address space holds this program's code. seen (a hart's own) remembers the answer. */
    boolean runsIn(AddressSpace space, Seen seen) {
        PhysicalMemory mem = space.mem();
        if (seen.program == this && seen.satp == space.satp() && stillSame(space, seen)) return seen.runs;
        seen.program = null; // (in case of a failure below)
        if (seen.pa == null || seen.pa.length < pieceVa.length) {
            seen.pa = new long[pieceVa.length];
            seen.code = new Object[pieceVa.length];
        }
        boolean runs = true;
        int i = 0;
        for (; i < pieceVa.length; i++) {
            long pa = space.translate(pieceVa[i], false);
            seen.pa[i] = pa;
            seen.code[i] = null;
            if (pa < 0) {
                runs = false;
                i++;
                break;
            }
            // Make sure the page has a decoded-code array before comparing, so a later write
            // (which drops it) is seen; the hart would make the same when running the page.
            int page = PhysicalMemory.pageIndex(pa);
            Object code = mem.decoded[page];
            if (code == null) code = mem.newDecoded(page);
            seen.code[i] = code;
            byte[] want = pieceBytes[i], have = new byte[want.length];
            mem.read(pa, have, 0, have.length);
            if (!Arrays.equals(have, want)) {
                runs = false;
                i++;
                break;
            }
        }
        seen.pieces = i;
        seen.satp = space.satp();
        seen.runs = runs;
        seen.program = this;
        return runs;
    }

    /** True if the pages seen last time are still mapped where they were, and unwritten since. */
    private boolean stillSame(AddressSpace space, Seen seen) {
        for (int i = 0; i < seen.pieces; i++) {
            long pa = space.translate(pieceVa[i], false);
            if (pa != seen.pa[i]) return false;
            if (pa >= 0 && space.mem().decoded[PhysicalMemory.pageIndex(pa)] != seen.code[i]) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
