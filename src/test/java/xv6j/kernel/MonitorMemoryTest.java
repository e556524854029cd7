package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.KernelView;
import xv6j.machine.Machine;

/**
 * The monitor's memory figure for a process (Ctrl-A c, ps) is the user pages its page
 * table maps, not its size: since sbrk(n, SBRK_LAZY) a process may be 64 MiB large and
 * hold no page of it. Before, the monitor showed sz / PGSIZE, 16,384 pages here.
 */
class MonitorMemoryTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void theMonitorCountsThePagesAProcessHasMappedNotWhatLazySbrkPromised() throws Exception {
        try (Disk disk = Disk.create(dir.resolve("blank.img"), 100)) {
            Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
            Kernel k = new Kernel(Machine.create(4L << 20, 1, disk, console, new Clock.Virtual()));
            k.procs.userInit(); // the first process, with no user memory yet (its thread waits for a scheduler)
            Proc p = k.procs.proc[0];
            p.cpu = k.cpu(0); // as if hart 0 ran it (a system call is counted on its hart)
            View view = new View(k);
            assertEquals(0, pagesOf(view, p));

            long base = sbrk(k, p, 64 << 20, SysProc.SBRK_LAZY);
            assertEquals(64 << 20, p.sz - base);
            assertEquals(0, pagesOf(view, p), "64 MiB promised, none touched");

            for (long va : new long[] {base, base + (1 << 20), p.sz - 1}) assertTrue(k.vm.vmFault(p.pagetable, p.sz, va) != 0);
            assertEquals(3, pagesOf(view, p), "three pages touched");

            sbrk(k, p, 2 * Riscv.PGSIZE, SysProc.SBRK_EAGER);
            assertEquals(5, pagesOf(view, p), "and two grown at once");
        }
    }

    /** sbrk(n, type), as the process would call it. */
    private static long sbrk(Kernel k, Proc p, long n, int type) {
        p.trapframe.x[TrapFrame.A7] = Syscall.SYS_SBRK;
        p.trapframe.x[TrapFrame.A0] = n;
        p.trapframe.x[TrapFrame.A1] = type;
        k.syscalls.syscall(p);
        long r = p.trapframe.x[TrapFrame.A0];
        assertTrue(r >= 0, "sbrk failed");
        return r;
    }

    private static long pagesOf(KernelView view, Proc p) {
        return view.tasks().stream().filter(t -> t.id() == p.pid).findFirst().orElseThrow().pages();
    }
}
