package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.harness.Collected;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * A halted kernel lets go of its machine: processes still asleep at the halt (init in
 * wait, sh reading the console) keep their kernel threads parked forever, and those
 * threads must not keep the kernel, and the machine's 128 MiB of memory, reachable. (They
 * did: the tests and make bench boot many machines in one JVM, and ran out of memory.)
 */
@Timeout(60)
class KernelLifetimeTest {
    @TempDir
    Path dir;

    private static WeakReference<Machine> bootAndHalt(Path img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream("echo hi\n".getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(128L << 20, 1, disk, console, new Clock.Virtual());
            assertEquals(0, new Kernel(m).run(), out.toString(StandardCharsets.ISO_8859_1));
            return new WeakReference<>(m);
        }
    }

    @Test
    void aHaltedKernelsMachineCanBeCollected() throws Exception {
        WeakReference<Machine> machine = bootAndHalt(XvRun.freshImage(dir));
        Collected.await(machine, "the machine is still reachable after the kernel halted");
    }
}
