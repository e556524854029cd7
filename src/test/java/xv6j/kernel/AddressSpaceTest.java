package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.machine.Mmu;

/**
 * Each hart's TLB keeps translations until the kernel flushes it. A process moves from
 * hart to hart, so whatever removes its mappings must reach every hart that might still
 * hold them, not only the one it runs on.
 */
class AddressSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aPageGivenBackOnOneHartIsForgottenByTheHartThatRanTheProcessBefore() throws Exception {
        try (Disk disk = Disk.create(dir.resolve("blank.img"), 100)) {
            Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
            Machine m = Machine.create(4L << 20, 2, disk, console, new Clock.Virtual());
            Kernel k = new Kernel(m);
            Proc p = new Proc(0);
            p.pagetable = k.vm.uvmCreate();
            p.addressSpace = k.newAddressSpace();
            assertTrue(k.procs.growProc(p, Riscv.PGSIZE));

            Cpu c0 = k.cpu(0);
            Cpu c1 = k.cpu(1);
            // The process runs on hart 0 and reads its page: hart 0's TLB learns it.
            c0.loadAddressSpace(p);
            long pa = c0.hart.mmu.translate(0, Mmu.Access.LOAD);
            assertTrue(pa > 0, "the page is mapped");
            // Then it runs on hart 1, gives the page back, and returns to user there.
            c1.loadAddressSpace(p);
            assertTrue(k.procs.growProc(p, -Riscv.PGSIZE));
            c1.loadAddressSpace(p);
            assertEquals(Mmu.PAGE_FAULT, c1.hart.mmu.translate(0, Mmu.Access.LOAD));
            // Hart 0, idle meanwhile, runs it again: the page must be gone there too.
            c0.loadAddressSpace(p);
            assertEquals(Mmu.PAGE_FAULT, c0.hart.mmu.translate(0, Mmu.Access.LOAD),
                    "hart 0 still translates a page the process gave back");
        }
    }
}
