package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * ^C takes a nested shell that has neither read the console nor waited for a child for
 * longer than a grace for a deaf program, and kills it. The grace is the shell's own
 * time: with several harts the clock runs on while a shell waits for a CPU (or its host
 * thread waits for the host), and a ^C typed then killed it.
 */
class ShellGraceTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aShellKeptFromItsCpuDoesNotAgeIntoADeafProgramButOneThatRunsDoes() throws Exception {
        try (Disk disk = Disk.create(dir.resolve("blank.img"), 100)) {
            Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
            Clock.Virtual clock = new Clock.Virtual();
            Kernel k = new Kernel(Machine.create(4L << 20, 1, disk, console, clock));
            Proc p = new Proc(0);
            p.pid = 42;
            p.state = ProcState.RUNNABLE; // it claimed the console, then waited for a CPU
            p.listenedAt = p.ticksRun;
            Object readChan = new Object();

            clock.retired(10 * Clock.Virtual.INSTRUCTIONS_PER_TICK); // others ran ten ticks
            k.clockIntr();
            assertTrue(k.procs.readsOrWaits(p, 42, readChan, ConsoleDevice.LISTEN_GRACE),
                    "ten ticks of others' time made a waiting shell deaf");

            p.ticksRun += ConsoleDevice.LISTEN_GRACE + 1; // it ran, past the grace, and never listened
            assertFalse(k.procs.readsOrWaits(p, 42, readChan, ConsoleDevice.LISTEN_GRACE),
                    "a program that ran past the grace without reading or waiting is no shell");
        }
    }

    /**
     * Asleep, a process gains no time of its own, so the grace cannot age a sleeper: where
     * it sleeps decides. On the console or in wait it is a shell; in another sleep a kill
     * ends (sleep(n), a pipe) it is not, however recently it listened (before, it was, for
     * as long as it slept), nor in sleep(n) while a tick has it up (before, a ^C then found
     * it within its grace); in one of the kernel's short waits (a sleep-lock) it has the grace.
     */
    @Test
    @Timeout(30)
    void aSleeperIsAShellOnlyOnTheConsoleInWaitOrInTheKernelsShortWaits() throws Exception {
        try (Disk disk = Disk.create(dir.resolve("blank.img"), 100)) {
            Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
            ProcTable procs = new Kernel(Machine.create(4L << 20, 1, disk, console, new Clock.Virtual())).procs;
            assertSleepers(procs);
        }
    }

    private static void assertSleepers(ProcTable procs) {
        Proc p = new Proc(0);
        p.pid = 42;
        p.state = ProcState.SLEEPING;
        p.listenedAt = p.ticksRun; // it just read a line
        Object readChan = new Object();
        assertTrue(judged(procs, p, readChan, readChan, true), "a reader of the console");
        assertTrue(judged(procs, p, readChan, p, false), "waiting for a child");
        assertFalse(judged(procs, p, readChan, new Object(), true), "asleep on the clock or a pipe");
        p.state = ProcState.RUNNABLE; // in sleep(n), woken by a tick to look at the time
        p.inSleepCall = true;
        assertFalse(judged(procs, p, readChan, null, false), "in sleep(n), up for a moment at a tick");
        p.inSleepCall = false;
        p.state = ProcState.SLEEPING;
        Object sleepLock = new Object();
        assertTrue(judged(procs, p, readChan, sleepLock, false), "on a sleep-lock, within the grace");
        p.ticksRun += ConsoleDevice.LISTEN_GRACE + 1;
        assertFalse(judged(procs, p, readChan, sleepLock, false), "on a sleep-lock, past the grace");
    }

    /** Whether p, asleep on chan (in a sleep a kill ends or not), counts as a shell. */
    private static boolean judged(ProcTable procs, Proc p, Object readChan, Object chan, boolean untilKilled) {
        p.chan = chan;
        p.untilKilled = untilKilled;
        return procs.readsOrWaits(p, p.pid, readChan, ConsoleDevice.LISTEN_GRACE);
    }
}
