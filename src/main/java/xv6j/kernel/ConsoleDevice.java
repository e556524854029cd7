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
 * for (its descendants) and the rest of its process group (what its commands left
 * behind, orphans included), which are killed; the shell itself, the shells below it and
 * init never are. The shell leads a group of its own and puts each background command in
 * another ({@code setpgid}). A shell says it is the interactive one with the
 * {@code interactive} system call before each prompt, so a shell started from another
 * one takes over until it exits.
 *
 * <p>Not every process may say so, or a background program could take ^C from the
 * shell's command. The interactive shells form a stack: at its bottom a shell init
 * forked, above each one a process started by the one below that still descends from it.
 * A claim succeeds for a process on the stack (those above it come off: they have ended,
 * or their shell is back at its prompt) or one that descends from the top. A background
 * command is init's as soon as the shell's intermediate child exits, so its claims fail.
 * And a program the shell runs that claims the console and then neither reads it nor
 * waits for a child is killed by ^C with its descendants ({@link #interruptForeground}).
 */
final class ConsoleDevice implements Device {
    static final int INPUT_BUF_SIZE = LineDiscipline.INPUT_BUF_SIZE;

    private final Kernel k;
    private final Console console;
    private final ReentrantLock lock = new ReentrantLock();
    private final LineDiscipline ld = new LineDiscipline();
    /**
     * Bytes typed while the line buffer was full, in order, fed in as readers make room.
     * xv6 drops them; here a pasted long line or a script's loses nothing. Guarded by lock.
     */
    private final java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
    /** Past this many waiting bytes, more are dropped (a runaway paste must not fill the heap). */
    private static final int PENDING_MAX = 1 << 16;
    private final Object readChan = new Object();
    /** The stack of interactive shells, its top last; guarded by its own monitor. */
    private final java.util.ArrayList<Shell> shells = new java.util.ArrayList<>();

    /** Ticks a shell may be busy between reading and waiting and still count as a shell. */
    static final long LISTEN_GRACE = 3;

    /** A process and its pid (its slot is reused by later processes). */
    private record Shell(Proc p, int pid) {}

    ConsoleDevice(Kernel k, Console console) {
        this.k = k;
        this.console = console;
    }

    /** The channel readers sleep on (the scheduler asks, to know who waits for input). */
    Object readChannel() {
        return readChan;
    }

    /** The interactive system call: p reads its commands from the console. Returns 0, or -1 if refused. */
    int setShell(Proc p) {
        int pid = p.pid;
        synchronized (shells) {
            dropEnded();
            for (int i = 0; i < shells.size(); i++) {
                if (shells.get(i).p() == p && shells.get(i).pid() == pid) {
                    shells.subList(i + 1, shells.size()).clear();
                    p.listenedAt = p.ticksRun;
                    return 0;
                }
            }
            Shell top = shells.isEmpty() ? null : shells.getLast();
            boolean may = top == null ? k.procs.forkedByInit(p) : k.procs.descends(p, pid, top.p(), top.pid());
            if (!may) return -1;
            shells.add(new Shell(p, pid));
            p.listenedAt = p.ticksRun;
            return 0;
        }
    }

    /** The interactive shell now, or null. */
    private Shell top() {
        synchronized (shells) {
            dropEnded();
            return shells.isEmpty() ? null : shells.getLast();
        }
    }

    /** Takes shells that have exited off the top of the stack. Caller holds shells. */
    private void dropEnded() {
        while (!shells.isEmpty() && !k.procs.alive(shells.getLast().p(), shells.getLast().pid())) shells.removeLast();
    }

    @Override
    public int write(Proc p, long src, int n) {
        byte[] b = new byte[Math.min(n, 4096)];
        int i = 0;
        // A kill (^C) is looked for between chunks: one write of a huge buffer would
        // otherwise hold the process on the console until the last byte was out.
        while (i < n && !k.procs.killed(p)) {
            int m = Math.min(n - i, b.length);
            if (!k.vm.copyIn(p, b, 0, src + i, m)) break;
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
                if (!k.procs.sleepUnlessKilled(p, readChan, lock)) return -1;
            }
            if (!pending.isEmpty()) {
                ByteArrayOutputStream echo = new ByteArrayOutputStream();
                if (drainPending(echo)) procDump();
                console.write(echo.toByteArray(), 0, echo.size());
                console.flush();
            }
        } finally {
            lock.unlock();
        }
        p.listenedAt = p.ticksRun;
        if (got > 0 && !k.vm.copyOut(p, dst, line, 0, got)) return -1;
        return got;
    }

    /** Feeds bytes that waited for room, now that a reader took some. Lock held. */
    private boolean drainPending(ByteArrayOutputStream echo) {
        boolean dump = false;
        while (!pending.isEmpty() && !ld.full()) dump |= feed(pending.poll(), echo);
        return dump;
    }

    /**
     * One byte into the line discipline, and what follows from it: ^C interrupts, a
     * committed line wakes the readers. Returns whether ^P asked for a process listing.
     * Lock held.
     */
    private boolean feed(int c, ByteArrayOutputStream echo) {
        LineDiscipline.Event ev = ld.input(c, echo);
        if (ev == LineDiscipline.Event.INTERRUPT) {
            // ^C is on the screen before anything dies: the shell of a killed command, on
            // another hart, prints its prompt as soon as it can.
            ld.interrupt(echo);
            console.write(echo.toByteArray(), 0, echo.size());
            echo.reset();
            // Lock order: the console's, then the process table's (as a reader's sleep).
            ev = interruptForeground() == 0 ? ld.commitEmptyLine() : LineDiscipline.Event.NONE;
        }
        if (ev == LineDiscipline.Event.COMMITTED) k.procs.wakeup(readChan);
        return ev == LineDiscipline.Event.PROCDUMP;
    }

    /** A typed character (the console's interrupt), or -1 at the end of host input. */
    void intr(int c) {
        if (c < 0) {
            k.halt(0); // the terminal went away
            return;
        }
        ByteArrayOutputStream echo = new ByteArrayOutputStream();
        boolean dump;
        lock.lock();
        try {
            // ^C throws away what waits to be typed, as it does the line; anything else
            // waits its turn behind a full buffer.
            if (c == LineDiscipline.CTRL_C) pending.clear();
            if (c != LineDiscipline.CTRL_C && (ld.full() || !pending.isEmpty())) {
                if (pending.size() < PENDING_MAX) pending.add(c);
                return;
            }
            // The echo goes out before a reader can run and print what the line asked for:
            // readers are woken under the lock, and the echo is written before it is let go.
            dump = feed(c, echo);
            console.write(echo.toByteArray(), 0, echo.size());
        } finally {
            lock.unlock();
        }
        if (dump) procDump();
        console.flush();
    }

    /** ^P: the process listing, on the console. */
    private void procDump() {
        StringBuilder sb = new StringBuilder();
        k.procs.procDump(sb);
        byte[] out = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        console.write(out, 0, out.length);
    }

    /**
     * Kills what the interactive shell waits for and the rest of its group; returns how
     * many processes it waited for (0: it is at its prompt, which ^C then renews). A
     * shell above the bottom one that is neither reading the console nor waiting for a
     * child, and has not for LISTEN_GRACE ticks of its own time, or that sleeps on
     * anything else a program may sleep on for good (the clock, a pipe), is no shell at
     * all but a program that claimed the console to be deaf to ^C: it goes too, and ^C
     * falls through to the shell below it. (A real shell is between the two only while it
     * prints its prompt, or parses a line and starts its command: well within the grace.)
     */
    private int interruptForeground() {
        Shell sh;
        boolean bottom;
        synchronized (shells) {
            dropEnded();
            if (shells.isEmpty()) return 0;
            sh = shells.getLast();
            bottom = shells.size() == 1;
        }
        boolean deaf = !bottom && !k.procs.readsOrWaits(sh.p(), sh.pid(), readChan, LISTEN_GRACE);
        int n = k.procs.interrupt(sh.p(), sh.pid());
        if (deaf && k.procs.kill(sh.pid()) == 0) n++;
        return n;
    }

    /** A whole line of batch input, typed at once. */
    void intr(byte[] line) {
        for (byte b : line) intr(b & 0xff);
    }
}
