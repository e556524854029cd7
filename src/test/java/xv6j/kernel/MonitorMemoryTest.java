package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.KernelView;

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
        try (FirstProcess first = new FirstProcess(dir, 4L << 20)) {
            Kernel k = first.k;
            Proc p = first.p;
            View view = new View(k);
            assertEquals(0, pagesOf(view, p));

            long base = first.sbrk(64 << 20, SysProc.SBRK_LAZY);
            assertEquals(64 << 20, p.sz - base);
            assertEquals(0, pagesOf(view, p), "64 MiB promised, none touched");

            for (long va : new long[] {base, base + (1 << 20), p.sz - 1}) assertTrue(k.vm.vmFault(p.pagetable, p.sz, va) != 0);
            assertEquals(3, pagesOf(view, p), "three pages touched");

            first.sbrk(2 * Riscv.PGSIZE, SysProc.SBRK_EAGER);
            assertEquals(5, pagesOf(view, p), "and two grown at once");
        }
    }

    private static long pagesOf(KernelView view, Proc p) {
        return view.tasks().stream().filter(t -> t.id() == p.pid).findFirst().orElseThrow().pages();
    }
}
