package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.harness.Collected;
import xv6j.harness.OwnThread;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * Once a machine has halted nothing keeps it: its 128 MiB of RAM go back to the JVM, so a
 * program (a test suite, the benchmarks) may boot one machine after another in a heap of a
 * few of them. A console's reader thread blocked on a keyboard that stays open kept every
 * machine booted at a terminal alive before (make test ran out of a 3 GiB heap), as a gdb
 * session's thread did every machine that halted under gdb (GdbSessionTest checks that).
 */
@Timeout(120)
class HaltedMachineIsCollectedTest {
    @TempDir
    Path dir;

    /** At a terminal: the keyboard (a pipe here) is never closed after Ctrl-A x halts the machine. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aMachineHaltedAtATerminalIsCollected(Flavour system) throws Exception {
        assertCollected(haltAtATerminal(system));
    }

    /** From a script, as make test's boots and a pipe into make qemu run. */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aMachineThatRanAScriptIsCollected(Flavour system) throws Exception {
        assertCollected(runAScript(system));
    }

    /** Boots on two harts with a script on a batch console (which, as the machine's part, refers to the kernel). */
    private WeakReference<Machine> runAScript(Flavour system) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream("echo hi\n".getBytes(StandardCharsets.ISO_8859_1)), out);
        return bootUntilHalted(system, console, out, 2, new Clock.Virtual(), () -> {});
    }

    /**
     * Boots at a terminal, types a command and Ctrl-A x, and leaves the keyboard open (as
     * TerminalSession does, and a program that embeds the machine in its own terminal);
     * the keyboard is unreachable once this returns, as a finished test's is.
     */
    private WeakReference<Machine> haltAtATerminal(Flavour system) throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Console console = new Console(new PipedInputStream(keys, 1 << 16), screen, true, () -> {});
        return bootUntilHalted(system, console, screen, 1, new Clock.Wall(), () -> {
            waitFor(screen, "$ ");
            keys.write("echo hi\n\u0001x".getBytes(StandardCharsets.ISO_8859_1));
            keys.flush();
        });
    }

    /** What the user does while the machine runs. */
    private interface User {
        void act() throws Exception;
    }

    /** Boots system on a fresh image, lets user act, expects a clean halt; returns the machine, weakly. */
    private WeakReference<Machine> bootUntilHalted(Flavour system, Console console, ByteArrayOutputStream screen,
                                                   int harts, Clock clock, User user) throws Exception {
        try (Disk disk = Disk.open(system.freshImage(dir), false)) {
            Machine m = Machine.create(128L << 20, harts, disk, console, clock);
            CompletableFuture<Integer> run = OwnThread.supply("machine (" + system + ")", () -> system.run(m));
            user.act();
            assertEquals(0, run.get(60, TimeUnit.SECONDS), screen.toString(StandardCharsets.ISO_8859_1));
            return new WeakReference<>(m);
        }
    }

    private static void waitFor(ByteArrayOutputStream screen, String text) throws InterruptedException {
        for (int i = 0; i < 3000 && !screen.toString(StandardCharsets.ISO_8859_1).contains(text); i++) Thread.sleep(10);
    }

    /** Collects until the machine is gone, or fails: something still refers to it. */
    static void assertCollected(WeakReference<Machine> machine) throws InterruptedException {
        Collected.await(machine, "the halted machine is still reachable (a thread or a static field keeps it)");
    }
}
