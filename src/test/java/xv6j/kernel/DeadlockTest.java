package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.fs.ImageEdit;

/**
 * A deadlock in the kernel (a process asleep on a sleep-lock that no running process will
 * release) is named, and the machine stops with status 1. Before, a batch run whose
 * command was so stuck inside a transaction never halted and printed nothing more: its
 * halt waited for the log to be quiet, for ever.
 */
@Timeout(60)
class DeadlockTest {
    @TempDir
    Path dir;

    @Test
    void aProcessAsleepOnASleepLockNobodyWillReleaseIsADeadlockNamedWithStatusOne() throws Exception {
        Path img = XvRun.freshImage(dir);
        ImageEdit image = new ImageEdit(Files.readAllBytes(img));
        int readme = image.dirEnt(Fs.ROOTINO, image.slotOf(Fs.ROOTINO, "README")).inum();
        // The bug, made by hand: README's inode locked, and never released, by a process
        // that is gone (a slot no process uses).
        XvRun.Result r = XvRun.boot(img, "echo start\ncat README\necho never\n", k -> {
            Inode ip = k.itable.iget(Param.ROOTDEV, readme);
            ip.lock.acquire(k.procs.proc[Param.NPROC - 1]);
        });
        String out = r.output();
        assertEquals(1, r.status(), out);
        assertTrue(out.contains("$ echo start\nstart\n"), out);
        assertTrue(out.matches("(?s).*panic: deadlock: pid \\d+ \\(cat\\) waiting for sleeplock inode held by no process\n.*"), out);
        assertFalse(out.contains("never\n"), out);
    }
}
