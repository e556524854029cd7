package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xv6j.elf.Elf;
import xv6j.elf.ElfFormatException;
import xv6j.elf.ProgramHeader;

/**
 * Loads the first environment's program, as exo.h's "how the first environment starts"
 * describes: each PT_LOAD segment at its virtual address with its R/W/X rights, a stack of
 * EXO_BOOT_STACK_PAGES pages ending at EXO_UTOP, every page through a CAP_PAGE capability
 * (CAP_ALL, a root of the derivation tree) of the environment's own, handles from
 * EXO_BOOT_PAGES on in address order. On the stack: the argv strings, the argv array, and
 * a struct exo_bootinfo listing (va, handle) of every page; a0 = argc, a1 = argv,
 * a2 = sp = the bootinfo.
 */
final class BootLoader {
    private BootLoader() {}

    /** A program that cannot be loaded; the message is one line for the user. */
    static final class LoadException extends Exception {
        private static final long serialVersionUID = 1L;

        LoadException(String message) {
            super(message);
        }
    }

    private record Segment(long vaddr, long memsz, long offset, long filesz, int perm) {}

    /** Loads elf into e (fresh, from createBootEnv) with argv, and lets it run. */
    static void load(Exokernel k, Env e, byte[] elf, String[] argv) throws LoadException {
        Elf program;
        try {
            program = Elf.parse(elf);
        } catch (ElfFormatException ex) {
            throw new LoadException(ex.getMessage());
        }
        long entry = program.header().entry();
        long stackBase = EXO_UTOP - (long) EXO_BOOT_STACK_PAGES * EXO_PGSIZE;
        List<Segment> segs = new ArrayList<>();
        for (ProgramHeader ph : program.loadSegments()) {
            Segment s = new Segment(ph.vaddr(), ph.memsz(), ph.offset(), ph.filesz(), perm(ph));
            if (s.memsz == 0) continue;
            if (s.vaddr % EXO_PGSIZE != 0) throw new LoadException(String.format("segment at 0x%x is not page-aligned", s.vaddr));
            if (s.memsz < s.filesz || s.vaddr < 0 || s.vaddr + s.memsz < s.vaddr || s.vaddr + s.memsz > stackBase)
                throw new LoadException(String.format("segment at 0x%x of %d bytes does not fit below the stack", s.vaddr, s.memsz));
            if (s.perm == 0) throw new LoadException(String.format("segment at 0x%x is not readable", s.vaddr));
            segs.add(s);
        }
        segs.sort((x, y) -> Long.compare(x.vaddr, y.vaddr));
        if (segs.isEmpty()) throw new LoadException("no loadable segment");

        k.lock.lock();
        try {
            List<long[]> bootPages = new ArrayList<>(); // {va, handle}
            long prevEnd = 0;
            for (Segment s : segs) {
                if (s.vaddr < prevEnd) throw new LoadException(String.format("segments overlap at 0x%x", s.vaddr));
                for (long va = s.vaddr; va < s.vaddr + s.memsz; va += EXO_PGSIZE) {
                    Cap c = newPage(k, e, va, s.perm);
                    bootPages.add(new long[] {va, c.handle});
                    long from = Math.max(0, va - s.vaddr);
                    long n = Math.min(EXO_PGSIZE, s.filesz - from);
                    if (n > 0) k.mem.write(Pages.pa(c.first), elf, (int) (s.offset + from), (int) n);
                }
                prevEnd = s.vaddr + (s.memsz + EXO_PGSIZE - 1) / EXO_PGSIZE * EXO_PGSIZE;
            }
            for (long va = stackBase; va < EXO_UTOP; va += EXO_PGSIZE) {
                Cap c = newPage(k, e, va, MAP_R | MAP_W);
                bootPages.add(new long[] {va, c.handle});
            }

            // The stack, from the top: argv strings, the argv array, the boot info.
            long sp = EXO_UTOP;
            long[] ptrs = new long[argv.length + 1];
            for (int i = 0; i < argv.length; i++) {
                byte[] s = (argv[i] + "\0").getBytes(StandardCharsets.ISO_8859_1);
                sp = (sp - s.length) & -16L;
                put(k, e, sp, s);
                ptrs[i] = sp;
            }
            ByteBuffer arr = ByteBuffer.allocate(8 * ptrs.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long p : ptrs) arr.putLong(p);
            sp = (sp - arr.capacity()) & -16L;
            long argvVa = sp;
            put(k, e, sp, arr.array());
            ByteBuffer info = ByteBuffer.allocate(8 + 16 * bootPages.size()).order(ByteOrder.LITTLE_ENDIAN);
            info.putLong(bootPages.size());
            for (long[] p : bootPages) info.putLong(p[0]).putLong(p[1]);
            sp = (sp - info.capacity()) & -16L;
            if (sp < stackBase + EXO_PGSIZE) throw new LoadException("arguments and boot info do not fit on the stack");
            put(k, e, sp, info.array());

            Regs r = e.cur.regs;
            r.pc = entry;
            r.x[SP] = sp;
            r.x[A0] = argv.length;
            r.x[A1] = argvVa;
            r.x[A2] = sp;
            e.stopped = false;
            k.sched.changed(e);
            k.sched.kick();
        } finally {
            k.lock.unlock();
        }
    }

    /** The mapping rights a segment's flags ask for (writable implies readable: Sv39 has no write-only pages). */
    private static int perm(ProgramHeader ph) {
        int p = 0;
        if (ph.readable()) p |= MAP_R;
        if (ph.writable()) p |= MAP_R | MAP_W;
        if (ph.executable()) p |= MAP_X;
        return p;
    }

    /** A fresh zeroed page, a root CAP_PAGE (CAP_ALL) in e's table, mapped at va with perm. */
    private static Cap newPage(Exokernel k, Env e, long va, int perm) throws LoadException {
        // The record's room first: reserving it may take a page, perhaps the one a search
        // before it would have found.
        if (e.caps.full() || !k.envs.reserveRecords(e, 1)) throw new LoadException("out of memory loading the program");
        long ppn = k.pages.findFree(k.pages.basePpn, k.pages.npages);
        if (ppn < 0 || !k.pages.take(ppn, e.quota)) throw new LoadException("out of memory loading the program");
        Cap c = k.caps.insert(e, CAP_PAGE, CAP_ALL, ppn, 1, null, null, null);
        if (k.bindings.map(e, va, c, perm) != 0) throw new LoadException("out of memory loading the program");
        return c;
    }

    private static void put(Exokernel k, Env e, long va, byte[] b) {
        if (!k.umem.copyOut(e, va, b)) throw new IllegalStateException("boot stack not writable at 0x" + Long.toHexString(va));
    }
}
