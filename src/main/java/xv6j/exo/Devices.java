package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import xv6j.machine.Console;
import xv6j.machine.Disk;

/**
 * The devices kernel-exo multiplexes besides memory and the CPU: the disk (one block at a
 * time, through a CAP_BLOCKS capability) and the console (raw bytes out; raw input kept
 * for exo_cons_read, with EV_CONSOLE pending while some waits).
 */
final class Devices {
    private final Exokernel k;
    final ConsoleInput input = new ConsoleInput();
    /** Every block transfer, when auditing (tests): the checker proves each was allowed. */
    List<DiskAccess> audit;
    /** Disk transfers before auditing started. */
    long auditBase;
    /** Messages to the console are also kept here when not null (tests). */
    List<String> messages;

    /** One block transfer and the capability that allowed it, as it was then. */
    record DiskAccess(int envId, Cap cap, int handle, boolean heldThen, long block, boolean write) {}

    Devices(Exokernel k) {
        this.k = k;
    }

    /**
     * Moves one block between the disk and a page, recording it when auditing. A write is
     * durable at the disk's next force ({@link #force}). The copy is made here, under the
     * lock: no transfer is ever in flight into or out of a page being revoked.
     */
    void blockIo(Env e, Cap blocks, long blockno, Cap page, long off, boolean write) {
        Disk d = k.machine.disk();
        byte[] buf = new byte[EXO_BSIZE];
        long pa = Pages.pa(page.first) + off;
        if (audit != null)
            audit.add(new DiskAccess(e.id, blocks, blocks.handle, e.caps.get(blocks.handle) == blocks, blockno, write));
        if (write) {
            k.mem.read(pa, buf, 0, EXO_BSIZE);
            d.write((int) blockno, buf);
        } else {
            d.read((int) blockno, buf);
            k.mem.write(pa, buf, 0, EXO_BSIZE);
        }
    }

    /**
     * The calling thread's system call returns once every write so far is on stable storage.
     * A host fsync takes milliseconds on a spinning disk, so a CPU waits for it without the
     * lock ({@link Scheduler#deviceWork}), holding only the caller's thread: with the lock
     * held, every other hart's every kernel entry waited for a loop of flushes, the file
     * server's calls too (user/exo/diskforce.c). From a call made outside any CPU (tests),
     * at once.
     */
    void force() {
        outsideLock(k.machine.disk()::force);
    }

    /**
     * Writes bytes a system call copied out of the caller's memory (under the lock) to the
     * console, and returns when they are out: without the lock, like a flush, for a
     * console's output may be slow (a terminal, a pipe no one drains for a while), and
     * with the lock held every hart's kernel waited for it (user/exo/conslock.c). The
     * kernel's lines queued before this call go out first ({@link #kernelLine}).
     */
    void consoleWrite(byte[] b) {
        outsideLock(() -> {
            synchronized (outOrder) {
                int queued;
                synchronized (kernelLines) {
                    queued = kernelLines.size() + 1; // (+1: the line saying how many were left out)
                }
                // Those queued so far only: a maker of faulting environments does not hold this write up.
                for (int i = 0; i < queued && writeOneKernelLine(); i++) {}
                Console con = k.machine.console();
                con.write(b, 0, b.length);
                con.flush();
            }
        });
    }

    /**
     * Device work the calling thread's system call returns after, done by its CPU without
     * the lock ({@link Scheduler#deviceWork}, holding the thread meanwhile), or at once from
     * a call made outside any CPU (tests). One a call.
     */
    private void outsideLock(Runnable work) {
        Cpu c = k.sched.currentCpu();
        if (c == null) {
            work.run();
        } else if (c.deviceWork == null) {
            c.deviceWork = work;
        } else { // (a kernel line came first: out in order)
            Runnable before = c.deviceWork;
            c.deviceWork = () -> {
                before.run();
                work.run();
            };
        }
    }

    /** Starts recording every block transfer, for {@link Invariants} (tests). */
    void startAudit() {
        audit = new ArrayList<>();
        auditBase = k.machine.disk().reads() + k.machine.disk().writes();
    }

    /**
     * The kernel's own lines about the environments it destroyed (why), waiting to go out,
     * and how many were left out because too many waited. One CPU at a time writes them,
     * in order, without the lock, as a program's write goes out: a maker of environments
     * that fault at once makes such lines as fast as it likes, and on a slow console every
     * hart's kernel waited for each one, and then, written outside the lock by the CPU the
     * death was on, every hart wrote them (user/exo/deathlines.c).
     *
     * <p>A line about an environment reaches the console before anything its parent
     * writes after learning of its end: a program's write first writes the lines queued
     * before it, and a line taken from the queue goes out before the next write starts
     * (outOrder). Before, the parent's "test sbrkall: OK" could pass its child's death line,
     * still on its way out on the CPU the child died on. Guarded by itself (never held while
     * taking the kernel's lock: a call made outside any CPU writes at once, lock held).
     */
    private final ArrayDeque<String> kernelLines = new ArrayDeque<>();
    private int linesLeftOut;
    private boolean writingKernelLines;
    static final int KERNEL_LINES_MAX = 64;
    /** Held while a line or a program's bytes go out, so that one taken from the queue is out before the next write. */
    private final Object outOrder = new Object();

    /** Queues one of the kernel's lines (lock held); on one hart it is out before anything else runs. */
    void kernelLine(String line) {
        if (messages != null) messages.add(line.strip());
        synchronized (kernelLines) {
            if (kernelLines.size() >= KERNEL_LINES_MAX) {
                linesLeftOut++;
                return;
            }
            kernelLines.add(line + System.lineSeparator());
            if (writingKernelLines) return; // the CPU writing them writes this one too
            writingKernelLines = true;
        }
        outsideLock(() -> {
            for (;;) {
                synchronized (outOrder) { // (one at a time: a program's write may go out between two)
                    if (!writeOneKernelLine()) return;
                }
            }
        });
    }

    /** Writes the kernel's next waiting line, if any (outOrder held); false once none waits. */
    private boolean writeOneKernelLine() {
        String line;
        synchronized (kernelLines) {
            line = kernelLines.poll();
            if (line == null && linesLeftOut > 0) {
                line = String.format("kernel-exo: %d more lines about destroyed environments left out%n", linesLeftOut);
                linesLeftOut = 0;
            }
            if (line == null) {
                writingKernelLines = false;
                return false;
            }
        }
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        Console c = k.machine.console();
        c.write(b, 0, b.length);
        c.flush();
        return true;
    }

    /** A line of the kernel's written at once, with the lock held: the machine halting. */
    void printf(String format, Object... args) {
        String s = String.format(format, args);
        if (messages != null) messages.add(s.strip());
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        Console c = k.machine.console();
        c.write(b, 0, b.length);
        c.flush();
    }

    /** A line of the batch script: raw, for exo_cons_read; readers wake. (Nobody typed it: no EV_KEY.) */
    void consoleInput(byte[] b) {
        for (byte x : b) input.add(x);
        k.events.input();
    }

    /** A key typed at the terminal: raw, for exo_cons_read; readers and listeners (EV_KEY) wake. */
    void keyTyped(byte b) {
        input.add(b);
        k.events.keyTyped();
    }
}
