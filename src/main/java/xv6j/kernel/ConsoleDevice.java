package xv6j.kernel;

import java.util.concurrent.locks.ReentrantLock;
import xv6j.machine.Console;

/**
 * The console driver, as xv6's console.c: device major 1. Input is line-edited here, in
 * the kernel, and echoed: backspace erases a character, ^U the line, ^D ends the input
 * (a read returns 0), ^P lists processes. A read returns at most one line.
 */
final class ConsoleDevice implements Device {
    static final int INPUT_BUF_SIZE = 128;
    private static final int BACKSPACE = 0x100;

    private static int ctrl(char c) {
        return c - '@';
    }

    private final Kernel k;
    private final Console console;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buf = new byte[INPUT_BUF_SIZE];
    /** Read, write (end of committed lines) and edit indexes, counting from boot. */
    private long r;
    private long w;
    private long e;
    private final Object readChan = new Object();

    ConsoleDevice(Kernel k, Console console) {
        this.k = k;
        this.console = console;
    }

    /** The channel readers sleep on (the scheduler asks, to know who waits for input). */
    Object readChannel() {
        return readChan;
    }

    /** Writes one character to the terminal, erasing for BACKSPACE. */
    private void consPutc(int c) {
        if (c == BACKSPACE) {
            console.write(new byte[] {'\b', ' ', '\b'}, 0, 3);
        } else {
            console.putc(c);
        }
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
        int target = n;
        lock.lock();
        try {
            while (n > 0) {
                while (r == w) {
                    if (k.procs.killed(p)) return -1;
                    k.procs.sleep(p, readChan, lock);
                }
                int c = buf[(int) (r++ % INPUT_BUF_SIZE)] & 0xff;
                if (c == ctrl('D')) {
                    if (n < target) {
                        // Keep ^D for the next read, so this one returns what came before it
                        // and the next one returns 0.
                        r--;
                    }
                    break;
                }
                if (!k.vm.copyOut(p.pagetable, dst, new byte[] {(byte) c}, 0, 1)) {
                    if (n == target) return -1;
                    break;
                }
                dst++;
                n--;
                if (c == '\n') break; // a whole line has arrived
            }
            return target - n;
        } finally {
            lock.unlock();
        }
    }

    /** A typed character (the console's interrupt), or -1 at the end of host input. */
    void intr(int c) {
        if (c < 0) {
            k.halt(0); // the terminal went away
            return;
        }
        boolean dump = false;
        lock.lock();
        try {
            if (c == ctrl('P')) {
                dump = true;
            } else if (c == ctrl('U')) {
                while (e != w && buf[(int) ((e - 1) % INPUT_BUF_SIZE)] != '\n') {
                    e--;
                    consPutc(BACKSPACE);
                }
            } else if (c == ctrl('H') || c == 0x7f) {
                if (e != w) {
                    e--;
                    consPutc(BACKSPACE);
                }
            } else if (c != 0 && e - r < INPUT_BUF_SIZE) {
                if (c == '\r') c = '\n';
                consPutc(c);
                buf[(int) (e++ % INPUT_BUF_SIZE)] = (byte) c;
                if (c == '\n' || c == ctrl('D') || e - r == INPUT_BUF_SIZE) {
                    w = e;
                    k.procs.wakeup(readChan);
                }
            }
        } finally {
            lock.unlock();
        }
        if (dump) {
            StringBuilder sb = new StringBuilder();
            k.procs.procDump(sb);
            byte[] out = sb.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            console.write(out, 0, out.length);
        }
        console.flush();
    }

    /** A whole line of batch input, typed at once. */
    void intr(byte[] line) {
        for (byte b : line) intr(b & 0xff);
    }
}
