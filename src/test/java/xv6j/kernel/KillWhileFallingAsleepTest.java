package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * A kill must end a wait on a pipe, the console or the clock even when it comes as the
 * process falls asleep: after the wait's own look at killed (false), before the process
 * is SLEEPING. kill then finds it running and only marks it, and a sleep that did not
 * look again slept for ever. fsrace on three harts (action 7: a writer blocked on a full
 * pipe, killed by its parent, which then waits for it with the read end open) hung so in
 * 1 of 11 runs (`kernel: the script is done and nothing can wake pid 673 (fsrace) waiting
 * for pipe write`). Here the kill's mark is already made when the sleep starts, which is
 * that moment.
 */
class KillWhileFallingAsleepTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void aProcessKilledAsItFallsAsleepDoesNotSleep() throws Exception {
        try (Disk disk = Disk.create(dir.resolve("blank.img"), 100)) {
            Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
            Kernel k = new Kernel(Machine.create(4L << 20, 1, disk, console, new Clock.Virtual()));
            Proc p = new Proc(0);
            p.state = ProcState.RUNNING;
            p.killed = true; // kill's mark, made after the wait looked
            ReentrantLock pipeLock = new ReentrantLock();
            Object writeChan = new Object();
            pipeLock.lock();
            assertFalse(k.procs.sleepUnlessKilled(p, writeChan, pipeLock), "slept though killed");
            assertEquals(ProcState.RUNNING, p.state);
            assertNull(p.chan);
            assertEquals(1, pipeLock.getHoldCount(), "the caller's lock is held again, as after a sleep");
            pipeLock.unlock();
        }
    }
}
