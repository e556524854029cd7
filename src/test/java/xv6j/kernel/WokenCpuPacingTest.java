package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.HartsAbreast;
import xv6j.machine.Machine;

/**
 * On two harts in the host's time, a CPU whose scheduler waits for work and is woken to
 * a process (init, made runnable) counts as busy for the pacer from that moment, before
 * its scheduler's thread has run: the host may not run that thread for milliseconds, and
 * meanwhile a hart forking orphans must be held back (issue 11). Before, the CPU counted
 * only once its scheduler picked the process. Here the test plays the host and hart 0: it
 * holds the process table's lock, so CPU 1's woken scheduler cannot have looked yet,
 * makes init runnable, and has hart 0 make two windows of system calls; hart 0 then waits
 * before it returns to user mode.
 */
@Timeout(60)
class WokenCpuPacingTest {
    @TempDir
    Path dir;

    private Disk disk;
    private Kernel k;
    private Thread cpu1;
    private final ExecutorService hart0 = Executors.newSingleThreadExecutor();

    @BeforeEach
    void cpu1WaitsForWork() throws Exception {
        disk = Disk.open(XvRun.freshImage(dir), false);
        Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        k = new Kernel(Machine.create(32L << 20, 2, disk, console, new Clock.Wall()));
        cpu1 = Thread.ofPlatform().name("cpu1").start(() -> k.procs.scheduler(k.cpu(1)));
        // No process yet: CPU 1's scheduler waits for work.
        while (cpu1.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
    }

    @AfterEach
    void halt() throws Exception {
        k.halt(0);
        cpu1.join();
        hart0.shutdownNow();
        disk.close();
    }

    @Test
    void aCpuWokenForAProcessHoldsTheOthersBackBeforeItsSchedulerHasRun() throws Exception {
        Cpu c0 = k.cpu(0);
        Thread hart0Thread = hart0.submit(Thread::currentThread).get();
        Future<?> back;
        k.procs.lock.lock();
        try {
            k.pacer.busy(c0);
            k.procs.userInit(); // init is runnable: work for CPU 1, whose scheduler must take the lock to see it
            back = hart0.submit(() -> {
                for (int i = 0; i < 2 * HartsAbreast.WINDOW / HartsAbreast.TRAP; i++) k.pacer.afterUser(c0, 100, null);
                k.pacer.beforeUser(c0); // waits while hart 0 is more than the window ahead
            });
            while (!back.isDone() && hart0Thread.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
            assertFalse(back.isDone(), "hart 0 went back to user mode two windows ahead of a CPU woken for init");
        } finally {
            k.halt(0); // (so nothing runs init, and hart 0 waits no more)
            k.procs.lock.unlock();
        }
        back.get();
    }

    @Test
    void aCpuWokenForNothingHoldsNobodyBackOnceItHasLooked() throws Exception {
        Cpu c0 = k.cpu(0);
        k.procs.lock.lock();
        try {
            k.pacer.busy(c0);
            k.procs.kick(); // no process at all
        } finally {
            k.procs.lock.unlock();
        }
        // CPU 1's scheduler looks, finds nothing and waits again: then hart 0 goes on (or the timeout fails this).
        hart0.submit(() -> {
            for (int i = 0; i < 2 * HartsAbreast.WINDOW / HartsAbreast.TRAP; i++) k.pacer.afterUser(c0, 100, null);
            k.pacer.beforeUser(c0);
        }).get();
    }
}
