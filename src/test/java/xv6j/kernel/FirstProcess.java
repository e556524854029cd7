package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * A kernel on a blank disk whose first process, with no user memory yet, a test drives by
 * hand: its system calls made as the process would make them, on hart 0 (the process's
 * thread waits for a scheduler that never runs).
 */
final class FirstProcess implements AutoCloseable {
    final Kernel k;
    final Proc p;
    private final Disk disk;

    FirstProcess(Path dir, long memBytes) throws IOException {
        disk = Disk.create(dir.resolve("blank.img"), 100);
        Console console = Console.batch(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        k = new Kernel(Machine.create(memBytes, 1, disk, console, new Clock.Virtual()));
        k.procs.userInit();
        p = k.procs.proc[0];
        p.cpu = k.cpu(0); // as if hart 0 ran it (a system call is counted on its hart)
    }

    /** sbrk(n, type); the old break. */
    long sbrk(long n, int type) {
        p.trapframe.x[TrapFrame.A7] = Syscall.SYS_SBRK;
        p.trapframe.x[TrapFrame.A0] = n;
        p.trapframe.x[TrapFrame.A1] = type;
        k.syscalls.syscall(p);
        long r = p.trapframe.x[TrapFrame.A0];
        assertTrue(r >= 0, "sbrk failed");
        return r;
    }

    @Override
    public void close() throws IOException {
        disk.close();
    }
}
