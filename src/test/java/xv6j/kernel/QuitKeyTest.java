package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.harness.OwnThread;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Fsck;

/** At a terminal, keys reach the kernel as typed, and Ctrl-A x stops the machine cleanly. */
class QuitKeyTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void ctrlAThenXAtATerminalHaltsWithStatusZeroAndACleanImage() throws Exception {
        Path img = XvRun.freshImage(dir);
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(in, out, true, () -> {});
        try (Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(64L << 20, 1, disk, console, new Clock.Wall());
            CompletableFuture<Integer> run = OwnThread.supply("machine (xv6)", () -> new Kernel(m).run());
            waitFor(out, "init: starting sh\n$ ");
            type(keys, "echo typed > f\n");
            waitFor(out, "$ echo typed > f\n$ ");
            type(keys, "\u0001x");
            assertEquals(0, run.get(30, TimeUnit.SECONDS));
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
        XvRun.Result again = XvRun.boot(img, "cat f\n");
        assertTrue(again.output().contains("$ cat f\ntyped\n"), again.output());
    }

    private static void type(PipedOutputStream keys, String s) throws Exception {
        keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    private static void waitFor(ByteArrayOutputStream out, String text) throws InterruptedException {
        for (int i = 0; i < 2000 && !out.toString(StandardCharsets.ISO_8859_1).contains(text); i++) Thread.sleep(10);
        assertTrue(out.toString(StandardCharsets.ISO_8859_1).contains(text), out.toString(StandardCharsets.ISO_8859_1));
    }
}
