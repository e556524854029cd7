package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.kernel.Kernel;
import xv6j.kernel.XvRun;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;

/** --view on the command line, and a view that cannot start: one line, and the machine boots anyway. */
class ViewOptionTest {
    @TempDir
    Path dir;

    @Test
    void viewTakesAnOptionalPort() throws Exception {
        assertEquals(-1, MachineOptions.parse(new String[] {"fs.img"}).viewPort());
        assertEquals(MachineOptions.DEFAULT_VIEW_PORT, MachineOptions.parse(new String[] {"--view", "fs.img"}).viewPort());
        assertEquals(7000, MachineOptions.parse(new String[] {"--view=7000", "fs.img"}).viewPort());
        assertEquals(0, MachineOptions.parse(new String[] {"--view=0", "fs.img"}).viewPort());
        assertEquals("--view: not a number: x",
                assertThrows(MachineOptions.UsageException.class, () -> MachineOptions.parse(new String[] {"--view=x", "fs.img"})).getMessage());
        assertEquals("--view must be between 0 and 65535, not 70000",
                assertThrows(MachineOptions.UsageException.class, () -> MachineOptions.parse(new String[] {"--view=70000", "fs.img"})).getMessage());
        assertTrue(MachineOptions.usage("kernel").contains("--view[=PORT]"));
    }

    @Test
    void aPortInUseIsSaidInOneLineAndTheMachineBootsWithoutTheView() throws Exception {
        Path img = XvRun.freshImage(dir);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(16L << 20, 1, disk, Console.batch(new java.io.ByteArrayInputStream(new byte[0]),
                    new ByteArrayOutputStream()), new Clock.Virtual());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ViewServer v = ViewServer.start(new Kernel(m), m, taken.getLocalPort(), "kernel",
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertNull(v);
            assertEquals("kernel: view: cannot listen on 127.0.0.1: port " + taken.getLocalPort()
                    + " is in use; booting without it\n", err.toString(StandardCharsets.UTF_8));
        }
    }
}
