package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * On two harts in the host's time, a CPU waiting for work that is woken to some (init's
 * turn, after an orphan's exit) counts as busy for the pacer from the moment the work is
 * made, before its thread has run: the host may not run that thread for milliseconds,
 * and meanwhile a hart forking orphans must be held back (issue 11). Before, the CPU
 * counted only once its own thread picked the work, so a host that had just stopped it
 * let the others run away. Here the test plays both the host and hart 0: it holds the
 * kernel's lock, so CPU 1's woken thread cannot have looked yet, starts an environment
 * (work for CPU 1), and charges hart 0 the system calls of a process forking on.
 */
@Timeout(60)
class WokenCpuPacingTest {
    @TempDir
    Path dir;

    private Disk disk;
    private Exokernel k;
    private Thread cpu1;

    @BeforeEach
    void cpu1WaitsForWork() throws Exception {
        disk = Disk.create(Files.createTempFile(dir, "exo", ".img"), 64);
        Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        k = new Exokernel(Machine.create(4L << 20, 2, disk, console, new Clock.Wall()));
        cpu1 = Thread.ofPlatform().name("exo-cpu1").start(() -> {
            try {
                k.sched.cpuLoop(k.cpus[1]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Nothing is runnable (the first environment is created stopped): CPU 1 waits for work.
        while (cpu1.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
    }

    @AfterEach
    void halt() throws Exception {
        k.halt(0);
        cpu1.join();
        disk.close();
    }

    /** Hart 0 makes n system calls (a process forking orphans, say), from this thread. */
    private void hart0Calls(HartsAbreast pacer, int n) {
        for (int i = 0; i < n; i++) pacer.afterUser(0, 100, null);
    }

    @Test
    void aCpuWokenForWorkHoldsTheOthersBackBeforeItsThreadHasRun() {
        HartsAbreast pacer = k.sched.abreast;
        Env boot = k.createBootEnv();
        k.lock.lock();
        try {
            pacer.busy(0);
            assertEquals(0, k.invoke(boot, SYS_env_ctl, EXO_SELF, ENV_START, 0)); // work for CPU 1, whose thread must take the lock to see it
            hart0Calls(pacer, 2 * (int) (HartsAbreast.WINDOW / HartsAbreast.TRAP));
            assertTrue(pacer.ahead(0), "hart 0 ran two windows ahead of a CPU woken to run the first environment, and would not wait");
        } finally {
            k.lock.unlock();
        }
    }

    @Test
    void aCpuWokenForNothingHoldsNobodyBackOnceItHasLooked() throws Exception {
        HartsAbreast pacer = k.sched.abreast;
        k.lock.lock();
        try {
            pacer.busy(0);
            k.sched.kick(); // nothing is runnable
            hart0Calls(pacer, 2 * (int) (HartsAbreast.WINDOW / HartsAbreast.TRAP));
        } finally {
            k.lock.unlock();
        }
        // CPU 1 looks, finds nothing, and waits again: then hart 0 goes on (or the timeout fails this).
        while (pacer.ahead(0)) Thread.onSpinWait();
    }
}
