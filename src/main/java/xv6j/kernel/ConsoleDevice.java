package xv6j.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Console;

/**
 * The console driver, as xv6's console.c: device major 1. Input is line-edited here, in
 * the kernel, and echoed ({@link LineDiscipline}: xv6's keys, plus arrows, Home, End,
 * Delete and a history); a read returns at most one line.
 *
 * <p>^C interrupts the foreground: the processes the console's interactive shell waits
 * for (its descendants), which are killed; the shell itself and init never are. A shell
 * says it is the interactive one with the {@code interactive} system call before each
 * prompt, so a shell started from another one takes over until it exits. xv6 has no
 * process groups; this is the least of them that makes ^C do what a user expects.
 */
final class ConsoleDevice implements Device {
    static final int INPUT_BUF_SIZE = LineDiscipline.INPUT_BUF_SIZE;

    private final Kernel k;
    private final Console console;
    private final ReentrantLock lock = new ReentrantLock();
    private final LineDiscipline ld = new LineDiscipline();
    private final Object readChan = new Object();
    /** The interactive shell, and its pid (a slot is reused), set by {@link #setShell}. */
    private volatile Proc shell;
    private volatile int shellPid;

    ConsoleDevice(Kernel k, Console console) {
        this.k = k;
        this.console = console;
    }

    /** The channel readers sleep on (the scheduler asks, to know who waits for input). */
    Object readChannel() {
        return readChan;
    }

    /** The interactive system call: p reads its commands from the console. */
    void setShell(Proc p) {
        shellPid = p.pid;
        shell = p;
    }

    @Override
    public int write(Proc p, long src, int n) {
        byte[] b = new byte[Math.min(n, 4096)];
        int i = 0;
        while (i < n) {
            int m = Math.min(n - i, b.length);
            if (!k.vm.copyIn(p.pagetable, b, 0, src + i, m)) break;
            console.write(b, 0, m);
            i += m;
        }
        console.flush();
        return i;
    }

    @Override
    public int read(Proc p, long dst, int n) {
        if (n <= 0) return 0;
        byte[] line = new byte[Math.min(n, INPUT_BUF_SIZE)];
        int got;
        lock.lock();
        try {
            for (;;) {
                // A killed reader (^C kills one) takes nothing: what was typed goes to the next.
                if (k.procs.killed(p)) return -1;
                if ((got = ld.read(line, line.length)) >= 0) break;
                k.procs.sleep(p, readChan, lock);
            }
        } finally {
            lock.unlock();
        }
        if (got > 0 && !k.vm.copyOut(p.pagetable, dst, line, 0, got)) return -1;
        return got;
    }

    /** A typed character (the console's interrupt), or -1 at the end of host input. */
    void intr(int c) {
        if (c < 0) {
            k.halt(0); // the terminal went away
            return;
        }
        ByteArrayOutputStream echo = new ByteArrayOutputStream();
        LineDiscipline.Event ev;
        lock.lock();
        try {
            ev = ld.input(c, echo);
            if (ev == LineDiscipline.Event.INTERRUPT) {
                // Lock order: the console's, then the process table's (as a reader's sleep).
                boolean nothing = interruptForeground() == 0;
                ev = ld.interrupted(nothing, echo);
            }
            // The echo goes out before a reader can run and print what the line asked for.
            console.write(echo.toByteArray(), 0, echo.size());
            if (ev == LineDiscipline.Event.COMMITTED) k.procs.wakeup(readChan);
        } finally {
            lock.unlock();
        }
        if (ev == LineDiscipline.Event.PROCDUMP) {
            StringBuilder sb = new StringBuilder();
            k.procs.procDump(sb);
            byte[] out = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            console.write(out, 0, out.length);
        }
        console.flush();
    }

    /** Kills what the interactive shell waits for; returns how many processes that was. */
    private int interruptForeground() {
        Proc sh = shell;
        return sh == null ? 0 : k.procs.killDescendants(sh, shellPid);
    }

    /** A whole line of batch input, typed at once. */
    void intr(byte[] line) {
        for (byte b : line) intr(b & 0xff);
    }
}
