package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * The pacer of several harts in the host's time keeps them abreast in host CPU time, not
 * in instructions: a hart whose instructions cost more (interpreted, or code rewritten
 * and compiled again and again) must not hold a fast one to its pace, while a hart the
 * host has stopped must still hold the others back (issue 11). Each CPU here runs on a
 * thread of its own, as a process's does, and a fake clock says how much CPU time each
 * thread has had.
 */
@Timeout(60)
class AbreastTest {
    @TempDir
    Path dir;

    private final Map<Thread, Long> cpuTime = new ConcurrentHashMap<>();
    private final ExecutorService hart0 = Executors.newSingleThreadExecutor();
    private final ExecutorService hart1 = Executors.newSingleThreadExecutor();
    private Disk disk;
    private Abreast pacer;
    private Cpu c0, c1;

    @BeforeEach
    void twoBusyCpus() throws Exception {
        disk = Disk.create(dir.resolve("blank.img"), 100);
        Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        Kernel k = new Kernel(Machine.create(4L << 20, 2, disk, console, new Clock.Wall()));
        c0 = new Cpu(0, null);
        c1 = new Cpu(1, null);
        pacer = new Abreast(k, new Cpu[] {c0, c1}, () -> cpuTime.getOrDefault(Thread.currentThread(), 0L));
        c0.proc = new Proc(0);
        c1.proc = new Proc(1);
        on(hart0, () -> pacer.busy(c0)).get();
        on(hart1, () -> pacer.busy(c1)).get();
    }

    @AfterEach
    void stop() throws Exception {
        hart0.shutdownNow();
        hart1.shutdownNow();
        disk.close();
    }

    /** Runs c's process in user mode for n instructions that take the host ms of CPU time. */
    private void run(Cpu c, long n, long ms) {
        pacer.beforeUser(c);
        cpuTime.merge(Thread.currentThread(), TimeUnit.MILLISECONDS.toNanos(ms), Long::sum);
        pacer.afterUser(c, n, null);
    }

    private static Future<?> on(ExecutorService hart, Runnable r) {
        return hart.submit(r);
    }

    @Test
    void aHartWhoseInstructionsCostMoreDoesNotHoldBackAFastOne() throws Exception {
        on(hart1, () -> run(c1, 1_000, 10)).get();       // slow: a thousand instructions in 10 ms
        on(hart0, () -> run(c0, 10_000_000, 10)).get();  // fast: ten million in 10 ms
        // Level in time: the fast hart goes on at once (it waited for ever when its lead
        // was counted in instructions).
        on(hart0, () -> pacer.beforeUser(c0)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHartTheHostStoppedHoldsBackTheOthersUntilItRunsAgain() throws Exception {
        on(hart1, () -> run(c1, 1_000, 0)).get();        // stopped: no CPU time at all
        on(hart0, () -> run(c0, 1_000, 10)).get();
        Future<?> back = on(hart0, () -> pacer.beforeUser(c0));
        Thread.sleep(200);
        assertFalse(back.isDone(), "a hart 10 ms ahead of a stopped one went back to user mode");
        on(hart1, () -> run(c1, 1_000, 10)).get();       // the host lets it run again
        back.get(10, TimeUnit.SECONDS);
    }
}
