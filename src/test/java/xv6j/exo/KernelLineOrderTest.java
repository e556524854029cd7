package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static xv6j.exo.ExoAbi.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The kernel's line about an environment it destroyed goes out, on the CPU the death was
 * on, after that CPU leaves the kernel; the parent, on another, may learn of the end and
 * write first. usertests' sbrkall on kernel-exo printed "test sbrkall: OK" and then its
 * child's death line. Here the death's CPU is held with its line still to write (as a
 * slow hart would be), and the parent's write must not pass it.
 */
class KernelLineOrderTest {
    @Test
    void aDeathLineReachesTheConsoleBeforeWhatTheParentWritesAfter() throws Exception {
        try (ExoFixture f = new ExoFixture()) {
            Env child = f.child(f.boot);
            Cpu deathCpu = f.k.cpus[0];
            f.k.sched.runAs(deathCpu, () -> {
                f.k.lock.lock();
                try {
                    f.k.envs.destroy(child, -1, "exo: env " + child.id + ": load page fault: destroyed");
                } finally {
                    f.k.lock.unlock();
                }
            });
            assertNotNull(deathCpu.deviceWork, "the death's CPU has its line still to write");

            byte[] ok = "test sbrkall: OK\n".getBytes(StandardCharsets.ISO_8859_1);
            f.mapPage(f.boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
            f.write(f.boot, ExoFixture.SCRATCH, ok);
            assertEquals(ok.length, f.call(f.boot, SYS_exo_cons_write, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, ok.length));
            Runnable late = deathCpu.deviceWork;
            deathCpu.deviceWork = null;
            late.run();

            assertEquals("exo: env " + child.id + ": load page fault: destroyed" + System.lineSeparator() + "test sbrkall: OK\n",
                    f.out.toString(StandardCharsets.ISO_8859_1));
        }
    }
}
