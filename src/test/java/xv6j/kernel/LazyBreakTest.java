package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lazy break (sbrk(n, SBRK_LAZY)) may reach MAXVA with almost nothing behind it. Fork
 * and exit walked it page by page, 2^26 steps each (lazyfork: 3 ticks, 0.3 s of the
 * kernel's time, for one fork and one exit); they now pass over a missing page-table page
 * whole. And the pages the kernel mapped itself, below the lazy part, are still checked:
 * one missing there panics, as in xv6 before lazy sbrk.
 */
class LazyBreakTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void forkAndExitOfAProcessWhoseLazyBreakReachesMaxvaTakeAFewThousandStepsNotMillions() throws Exception {
        Kernel[] booted = new Kernel[1];
        XvRun.Result r = XvRun.boot(XvRun.freshImage(dir), "lazyfork\n", k -> booted[0] = k);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("lazyfork: a break of 262143 MiB, 1 forks and exits in"), r.output());
        // Page by page, the fork, the child's exit and the parent's came to 3 * 2^26 steps.
        long steps = booted[0].vm.rangeSteps.sum();
        assertTrue(steps < 100_000, steps + " steps over ranges of user memory in the whole boot");
    }

    @Test
    @Timeout(30)
    void shrinkingPastALazyPartFreesWhatWasTouchedAndPassesOverTheRest() throws Exception {
        withFirstProcess((k, p, first) -> {
            int free0 = k.freePages();
            first.sbrk(Riscv.PGSIZE * 2, SysProc.SBRK_EAGER);
            long lazyBase = first.sbrk(1 << 30, SysProc.SBRK_LAZY);
            assertTrue(k.vm.vmFault(p.pagetable, p.sz, lazyBase + (1 << 29)) != 0);
            long steps0 = k.vm.rangeSteps.sum();
            assertTrue(k.procs.growProc(p, -p.sz));
            assertEquals(0, p.sz);
            assertEquals(free0, k.freePages() + pageTablePagesLeft(k, p) - 1, "every page freed but the tables the walks made");
            assertTrue(k.vm.rangeSteps.sum() - steps0 < 2_000, "1 GiB in a few steps, not 2^18");
            assertEquals(Riscv.MAXVA, p.lazyFrom, "no lazy page left: all is checked again");
        });
    }

    @Test
    @Timeout(30)
    void aMissingPageTheKernelMappedItselfPanicsInExitAndFork() throws Exception {
        withFirstProcess((k, p, first) -> {
            first.sbrk(Riscv.PGSIZE * 4, SysProc.SBRK_EAGER);
            first.sbrk(1 << 20, SysProc.SBRK_LAZY);   // holes above here are fine
            unmapBehindTheKernelsBack(k, p, Riscv.PGSIZE);
            KernelPanic copy = assertThrows(KernelPanic.class, () -> k.vm.uvmCopy(p.pagetable, k.vm.uvmCreate(), p.sz, p.lazyFrom));
            assertTrue(copy.getMessage().contains("uvmcopy: page 0x1000 not mapped"), copy.getMessage());
            KernelPanic free = assertThrows(KernelPanic.class, () -> k.procs.growProc(p, -p.sz));
            assertTrue(free.getMessage().contains("uvmunmap: page 0x1000 not mapped"), free.getMessage());
        });
    }

    @Test
    @Timeout(30)
    void eagerGrowthAfterTheLazyPartIsShrunkAwayIsCheckedAgain() throws Exception {
        withFirstProcess((k, p, first) -> {
            first.sbrk(Riscv.PGSIZE, SysProc.SBRK_EAGER);
            first.sbrk(1 << 20, SysProc.SBRK_LAZY);
            assertTrue(k.procs.growProc(p, -(1 << 20)));
            first.sbrk(Riscv.PGSIZE * 3, SysProc.SBRK_EAGER);
            unmapBehindTheKernelsBack(k, p, 2 * Riscv.PGSIZE);
            assertThrows(KernelPanic.class, () -> k.procs.growProc(p, -p.sz));
        });
    }

    @Test
    @Timeout(30)
    void aForkThatRunsOutOfMemoryHalfWayThroughALazyProcessGivesBackEveryPage() throws Exception {
        withFirstProcess((k, p, first) -> {
            first.sbrk(Riscv.PGSIZE * 2, SysProc.SBRK_EAGER);
            long lazy = first.sbrk(1 << 30, SysProc.SBRK_LAZY);
            for (long va = lazy; va < p.sz; va += 64L << 20) assertTrue(k.vm.vmFault(p.pagetable, p.sz, va) != 0);
            // Leave memory for about half the copy.
            java.util.List<Long> taken = new java.util.ArrayList<>();
            while (k.freePages() > 12) taken.add(k.kalloc.kalloc());
            int before = k.freePages();
            long child = k.vm.uvmCreate();
            assertTrue(!k.vm.uvmCopy(p.pagetable, child, p.sz, p.lazyFrom), "the copy ran out of memory");
            k.vm.uvmFree(child, 0, 0);
            assertEquals(before, k.freePages(), "every page of the half-made child came back");
            taken.forEach(k.kalloc::kfree);
        });
    }

    private interface WithProcess {
        void run(Kernel k, Proc p, FirstProcess first) throws Exception;
    }

    private void withFirstProcess(WithProcess body) throws Exception {
        try (FirstProcess first = new FirstProcess(dir, 8L << 20)) {
            body.run(first.k, first.p, first);
        }
    }

    /** A bug the check is there to catch: a page the kernel mapped is gone from the table. */
    private static void unmapBehindTheKernelsBack(Kernel k, Proc p, long va) {
        long ptePa = k.vm.walk(p.pagetable, va, false);
        k.kalloc.kfree(Riscv.pte2pa(k.vm.mem().load64(ptePa)));
        k.vm.mem().store64(ptePa, 0);
    }

    /** Page-table pages still held (the root and what the walks made), which exit frees. */
    private static int pageTablePagesLeft(Kernel k, Proc p) {
        int[] n = {0};
        new xv6j.machine.PageTable(k.vm.mem(), () -> 0).forEachTablePage(p.pagetable, pa -> n[0]++);
        return n[0];
    }
}
