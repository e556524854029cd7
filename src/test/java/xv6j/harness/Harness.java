package xv6j.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xv6j.elf.Elf;
import xv6j.elf.ElfFormatException;
import xv6j.elf.ProgramHeader;
import xv6j.machine.Hart;
import xv6j.machine.Mmu;
import xv6j.machine.PhysicalMemory;
import xv6j.machine.Trap;

/**
 * The smallest kernel that runs a user program on the machine: it loads an ELF into Sv39
 * page tables it builds in physical memory, lays out a stack with argc and argv as Linux
 * does (so the same binaries run on qemu-riscv64), and runs the hart in slices, serving
 * two system calls with Linux's numbers: write (64) and exit (93; exit_group 94 too).
 * Any other trap ends the run and is reported as it is.
 *
 * <p>Memory layout: the segments at their addresses from 0; above the highest, a guard page
 * without the U bit, then {@link #STACK_PAGES} pages of stack.
 */
public final class Harness {
    public static final int SYS_WRITE = 64, SYS_EXIT = 93, SYS_EXIT_GROUP = 94;
    public static final int STACK_PAGES = 64;
    private static final long SLICE = 1_000_000;
    private static final int PAGE = PhysicalMemory.PAGE_SIZE;

    /**
     * How a run ended.
     *
     * @param exitCode the status passed to exit, or -1 if the program did not exit
     * @param stdout   what it wrote to fd 1 and fd 2
     * @param instret  instructions retired
     * @param lastTrap the exit ecall, or the trap that ended the run (a fault, or the
     *                 timer interrupt if it ran out of instructions)
     */
    public record Result(int exitCode, byte[] stdout, long instret, Trap lastTrap) {
        public boolean exited() { return lastTrap.cause() == Trap.Cause.ECALL; }
        public String out() { return new String(stdout, StandardCharsets.UTF_8); }
    }

    private final PhysicalMemory mem;
    private final Hart hart;
    private PageTable pt;
    private java.util.function.Consumer<Hart> beforeSlice = h -> { };

    /** A machine with memSize bytes of RAM (a multiple of 4 KiB, at least 1 MiB). */
    public Harness(long memSize) throws HarnessException {
        try {
            this.mem = new PhysicalMemory(memSize);
        } catch (IllegalArgumentException e) {
            throw new HarnessException(e.getMessage());
        }
        this.hart = new Hart(0, mem);
    }

    public Hart hart() { return hart; }

    /**
     * Runs c before each slice the harness gives the hart (as a kernel does things between
     * runs: a test of the debugger plays a second task by changing the hart's scontext).
     */
    public void beforeSlice(java.util.function.Consumer<Hart> c) { this.beforeSlice = c; }

    /** Where the build put the executables of a flavour ("test", "bench"): $xv6j.user/flavour/bin. */
    public static Path userBin(String flavour) {
        return Path.of(System.getProperty("xv6j.user", "target/user"), flavour, "bin");
    }

    public Result run(Path program, List<String> args, long maxInstructions) throws HarnessException {
        byte[] file;
        try {
            file = Files.readAllBytes(program);
        } catch (IOException e) {
            throw new HarnessException("cannot read " + program + ": " + e.getMessage());
        }
        return run(file, args, maxInstructions);
    }

    /** Loads the ELF file, runs it with argv = args, for at most maxInstructions. */
    public Result run(byte[] file, List<String> args, long maxInstructions) throws HarnessException {
        load(file, args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] x = hart.x;
        while (true) {
            long left = maxInstructions - hart.instret;
            if (left <= 0) return new Result(-1, out.toByteArray(), hart.instret, new Trap(Trap.Cause.TIMER_INTERRUPT, hart.pc, 0));
            beforeSlice.accept(hart);
            Trap t = hart.run(Math.min(SLICE, left));
            switch (t.cause()) {
                case TIMER_INTERRUPT -> { }
                case ECALL -> {
                    int num = (int) x[17];
                    if (num == SYS_EXIT || num == SYS_EXIT_GROUP) return new Result((int) x[10], out.toByteArray(), hart.instret, t);
                    x[10] = num == SYS_WRITE ? write((int) x[10], x[11], x[12], out) : -38; // ENOSYS
                    hart.pc += 4;
                }
                default -> { return new Result(-1, out.toByteArray(), hart.instret, t); }
            }
        }
    }

    private long write(int fd, long buf, long len, ByteArrayOutputStream out) {
        if (fd != 1 && fd != 2) return -9; // EBADF
        if (len < 0 || len > 1 << 20) return -22; // EINVAL
        for (long i = 0; i < len; i++) {
            long pa = userAddress(buf + i, Mmu.PTE_R);
            if (pa < 0) return -14; // EFAULT
            out.write(mem.load8(pa));
        }
        return len;
    }

    /** pa of a user va whose page has the U bit and the given permission, or -1 (as xv6's walkaddr). */
    private long userAddress(long va, long perm) {
        if (va < 0 || va >= 1L << 38) return -1;
        try {
            long pte = mem.load64(pt.pteAddress(va, 0));
            long need = Mmu.PTE_V | Mmu.PTE_U | perm;
            if ((pte & need) != need) return -1;
            return (((pte >>> 10) & ((1L << 44) - 1)) << 12) | (va & 0xfff);
        } catch (HarnessException e) {
            return -1;
        }
    }

    private void load(byte[] file, List<String> args) throws HarnessException {
        Elf elf;
        try {
            elf = Elf.parse(file);
        } catch (ElfFormatException e) {
            throw new HarnessException("bad executable: " + e.getMessage());
        }
        // Page tables at the top: the program's pages are then physically consecutive, and
        // compiled code reaches them through the MMU's linear windows.
        pt = new PageTable(mem, PhysicalMemory.BASE, mem.end());
        long top = 0;
        for (ProgramHeader ph : elf.loadSegments()) {
            if (ph.memsz() == 0) continue;
            if (Long.compareUnsigned(ph.vaddr() + ph.memsz(), 1L << 37) > 0)
                throw new HarnessException(String.format("bad executable: segment at 0x%x is beyond the user address space", ph.vaddr()));
            long perm = Mmu.PTE_U | (ph.readable() ? Mmu.PTE_R : 0) | (ph.writable() ? Mmu.PTE_W | Mmu.PTE_R : 0)
                    | (ph.executable() ? Mmu.PTE_X : 0);
            for (long va = ph.vaddr() & ~(PAGE - 1L); va < ph.vaddr() + ph.memsz(); va += PAGE) {
                long a = pt.pteAddress(va, 0);
                long pte = mem.load64(a);
                if ((pte & Mmu.PTE_V) == 0) pt.map(va, pt.allocPage(), perm);
                else mem.store64(a, pte | perm); // two segments share this page
            }
            for (long i = 0; i < ph.filesz(); i++)
                mem.store8(pt.walk(ph.vaddr() + i), file[(int) (ph.offset() + i)]);
            top = Math.max(top, ph.vaddr() + ph.memsz());
        }
        long guard = (top + PAGE - 1) & -PAGE;
        pt.map(guard, pt.allocPage(), Mmu.PTE_R | Mmu.PTE_W); // no U: user access faults
        long stackTop = guard + PAGE + (long) STACK_PAGES * PAGE;
        for (long va = guard + PAGE; va < stackTop; va += PAGE) pt.map(va, pt.allocPage(), Mmu.PTE_U | Mmu.PTE_R | Mmu.PTE_W);

        // Strings at the top, then (16-aligned) argc, argv[], NULL, envp NULL.
        long sp = stackTop;
        long[] argv = new long[args.size()];
        for (int i = args.size() - 1; i >= 0; i--) {
            byte[] s = (args.get(i) + "\0").getBytes(StandardCharsets.UTF_8);
            sp -= s.length;
            for (int k = 0; k < s.length; k++) mem.store8(pt.walk(sp + k), s[k]);
            argv[i] = sp;
        }
        sp &= -16;
        long words = 1 + argv.length + 2;
        sp -= words * 8;
        sp &= -16;
        if (sp < guard + PAGE) throw new HarnessException("arguments do not fit on the stack");
        mem.store64(pt.walk(sp), argv.length);
        for (int i = 0; i < argv.length; i++) mem.store64(pt.walk(sp + 8 + 8L * i), argv[i]);
        mem.store64(pt.walk(sp + 8 + 8L * argv.length), 0);
        mem.store64(pt.walk(sp + 16 + 8L * argv.length), 0);

        java.util.Arrays.fill(hart.x, 0);
        hart.x[2] = sp;
        hart.pc = elf.header().entry();
        hart.instret = 0;
        hart.mmu.setSatp(pt.satp(1));
        hart.mmu.flush();
    }
}
