package xv6j.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The console device: bytes out to the host's terminal (or any output stream), bytes in
 * from the host's keyboard (or any input stream), like a UART.
 *
 * <p>Input comes in one of two ways, which the kernel chooses by asking {@link #interactive()}:
 * <ul>
 * <li>Interactive (a terminal in raw mode): each key is handed to the kernel's interrupt
 * handler as soon as it is typed ({@link #startInterrupts}).</li>
 * <li>Batch (a pipe, a file, a test): the input is a script. The kernel takes one line at a
 * time ({@link #nextLine}) when the machine is idle, as if a user typed each line when the
 * shell asked for it, or when a reader has waited {@link #SCRIPT_PATIENCE} while others
 * ran. This keeps runs deterministic.</li>
 * </ul>
 *
 * <p>At a terminal, Ctrl-A starts a key for the console itself, as in QEMU: Ctrl-A x asks
 * the machine to stop, Ctrl-A h lists the keys, Ctrl-A c switches to the {@link Monitor}
 * and back (the machine runs on meanwhile; what it prints waits until the console is
 * back), Ctrl-A Ctrl-A sends one Ctrl-A.
 */
public final class Console implements AutoCloseable {
    private static final int CTRL_A = 0x01;

    private final InputStream in;
    private final OutputStream out;
    private final boolean interactive;
    private final Runnable onClose;
    /** Lines (batch) read ahead by the reader thread; an empty array marks the end. */
    private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    /** Set by {@link #stopInput}: the machine halted, and the reader thread lets go. */
    private volatile boolean stopped;
    private volatile Runnable quitHandler = () -> {};
    /** Run before quitHandler: a part of the machine that must let go first (a debugger holding harts). */
    private volatile Runnable beforeQuit = () -> {};
    /** Sees every byte written (the live view keeps the last lines), or null. */
    private volatile Tap tap;
    private Thread reader;
    /** The last byte written ('\n' before any): close ends an unfinished line. */
    private int lastOut = '\n';
    /** The kernel, as the monitor sees it (null until one attaches). */
    private volatile KernelView view;
    /** While the monitor has the terminal: its line, and the machine's output held back. Guarded by out. */
    private Monitor monitor;
    private final StringBuilder monitorLine = new StringBuilder();
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private long dropped;
    static final int HELD_MAX = 1 << 20;
    /**
     * What the machine wrote since its last newline: the shell's prompt and the line being
     * typed, as echoed (edits included). The console's own text (the monitor, the key list)
     * leaves the terminal on a line of its own; this line is then drawn again, so the user
     * sees where they were. Bytes, escapes and all: replayed from the line's start they draw
     * what they drew. Guarded by out; a line longer than LINE_MAX is not kept.
     */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lineTooLong;
    static final int LINE_MAX = 4096;

    /**
     * @param in          where typed bytes come from
     * @param out         where output goes
     * @param interactive true for a terminal in raw mode: keys are delivered as typed
     * @param onClose     run by {@link #close} (e.g. restore the terminal's mode)
     */
    public Console(InputStream in, OutputStream out, boolean interactive, Runnable onClose) {
        this.in = in;
        this.out = out;
        this.interactive = interactive;
        this.onClose = onClose;
    }

    /** A batch console reading a script and writing to out (tests, pipes). */
    public static Console batch(InputStream in, OutputStream out) {
        return new Console(in, out, false, () -> {});
    }

    public boolean interactive() {
        return interactive;
    }

    /** Called (from the reader thread) when the user types Ctrl-A x, or quit in the monitor. */
    public void onQuit(Runnable handler) {
        this.quitHandler = handler;
    }

    /** Runs r before the kernel's quit handler, whenever the machine is asked to quit. */
    public void beforeQuit(Runnable r) {
        this.beforeQuit = r;
    }

    /** Asks the machine to stop cleanly, as Ctrl-A x does (gdb's kill does this). */
    public void quit() {
        beforeQuit.run();
        quitHandler.run();
    }

    /** What the monitor shows comes from view: the kernel attaches itself when it boots. */
    public void attach(KernelView view) {
        this.view = view;
    }

    /** The kernel attached (for the monitor's questions), or null before one boots. */
    public KernelView view() {
        return view;
    }

    static final String KEYS = """
            The console's keys:
              Ctrl-A x        quit: the machine halts, its disk image consistent
              Ctrl-A c        the monitor (processes, harts, memory, capabilities); Ctrl-A c returns
              Ctrl-A h        this list
              Ctrl-A Ctrl-A   a Ctrl-A for the machine
            In the shell's line: Left, Right, Home, End, Delete and Backspace edit it; Up and Down
            bring back earlier lines; ^U erases it; ^C interrupts the command running (or throws
            the line away); ^D ends the input; ^P lists the processes.
            """;

    // ---- output ----

    /** Something that sees the console's output as well as the terminal. */
    @FunctionalInterface
    public interface Tap {
        /** b[off..off+len) was written (the caller's buffer: copy what is kept). */
        void wrote(byte[] b, int off, int len);
    }

    /** Shows every byte written from now on to t as well (one tap; null for none). */
    public void tap(Tap t) {
        this.tap = t;
    }

    public void write(byte[] b, int off, int len) {
        try {
            synchronized (out) {
                Tap t = tap;
                if (t != null) t.wrote(b, off, len);
                if (monitor != null) {
                    // The monitor has the terminal: the machine's output waits for it.
                    int keep = (int) Math.min(len, Math.max(0, HELD_MAX - held.size()));
                    held.write(b, off, keep);
                    dropped += len - keep;
                    return;
                }
                out.write(b, off, len);
                if (len > 0) lastOut = b[off + len - 1];
                keepLine(b, off, len);
            }
        } catch (IOException e) {
            // The host terminal went away; output has nowhere to go. Keep running.
        }
    }

    /** Keeps the part of b[off..off+len) after its last newline in line (the whole, without one). Out held. */
    private void keepLine(byte[] b, int off, int len) {
        int from = off;
        for (int i = off + len - 1; i >= off; i--) {
            if (b[i] == '\n') {
                line.reset();
                lineTooLong = false;
                from = i + 1;
                break;
            }
        }
        int n = off + len - from;
        if (lineTooLong || line.size() + n > LINE_MAX) {
            lineTooLong = true;
            line.reset();
            return;
        }
        line.write(b, from, n);
    }

    /**
     * After the console's own text, which ended on a line of its own: the machine's line
     * (a prompt, what was typed) drawn again. Out held.
     */
    private void redrawLine() throws IOException {
        if (line.size() == 0) return;
        line.writeTo(out);
        lastOut = line.toByteArray()[line.size() - 1];
        out.flush();
    }

    public void putc(int c) {
        write(new byte[] {(byte) c}, 0, 1);
    }

    public void flush() {
        try {
            synchronized (out) {
                out.flush();
            }
        } catch (IOException e) {
            // as above
        }
    }

    // ---- interactive input ----

    /** Interrupt handler for typed bytes: gets each byte, or -1 once at end of input. */
    public interface Interrupt {
        void input(int c);
    }

    /** Starts delivering typed bytes to the handler on a daemon thread (interactive mode). */
    public synchronized void startInterrupts(Interrupt handler) {
        if (reader != null) throw new IllegalStateException("console input already started");
        reader = Thread.ofPlatform().daemon().name("console-input").start(() -> {
            boolean sawCtrlA = false;
            try {
                int c;
                while ((c = in.read()) >= 0 && !stopped) {
                    if (sawCtrlA) {
                        sawCtrlA = false;
                        switch (Character.toLowerCase(c)) {
                            case 'x' -> quit();
                            case 'h' -> sayThenRedraw("\n" + KEYS);
                            case 'c' -> toggleMonitor();
                            case CTRL_A -> {
                                if (!monitoring()) handler.input(CTRL_A);
                            }
                            default -> { } // not a console key: ignored, as QEMU does
                        }
                    } else if (c == CTRL_A) {
                        sawCtrlA = true;
                    } else if (monitoring()) {
                        monitorKey(c);
                    } else {
                        handler.input(c);
                    }
                }
            } catch (IOException e) {
                // input closed, or the read interrupted by stopInput
            }
            if (stopped) return;
            ended = true;
            handler.input(-1);
        });
    }

    /**
     * The machine halted: the reader thread stops reading. It refers to the kernel (its
     * interrupt handler); left blocked in a read from a keyboard that stays open (a pipe, a
     * test's keys) it kept the halted machine, and its memory, for as long as the JVM ran.
     * A read an interrupt cannot end (a terminal's file descriptor) ends with the JVM.
     */
    public synchronized void stopInput() {
        stopped = true;
        if (reader != null) reader.interrupt();
    }

    // ---- the console's own output: key list and monitor ----

    /** Writes the console's own text, past the monitor's hold, on a line of its own. */
    private void say(String text) {
        try {
            synchronized (out) {
                // At the start of a line already, a leading newline would only add a blank one.
                if (lastOut == '\n' && text.startsWith("\n")) text = text.substring(1);
                byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b);
                if (b.length > 0) lastOut = b[b.length - 1];
                out.flush();
            }
        } catch (IOException e) {
            // the terminal went away
        }
    }

    /** The console's own text on lines of its own, then the machine's line as it was (not while the monitor has the terminal). */
    private void sayThenRedraw(String text) {
        synchronized (out) {
            say(text);
            if (monitor != null) return;
            try {
                redrawLine();
            } catch (IOException e) {
                // the terminal went away
            }
        }
    }

    private boolean monitoring() {
        synchronized (out) {
            return monitor != null;
        }
    }

    private void toggleMonitor() {
        synchronized (out) {
            if (monitor == null) {
                monitor = new Monitor(view);
                monitorLine.setLength(0);
                say(monitor.banner() + Monitor.PROMPT);
            } else {
                leaveMonitor();
            }
        }
    }

    /**
     * Back to the console: the line the user left (the prompt, what they had typed) is
     * drawn again, and what the machine printed meanwhile comes out after it, as it would
     * have had the monitor never been there.
     */
    private void leaveMonitor() {
        synchronized (out) {
            monitor = null;
            sayThenRedraw("\n");
            byte[] b = held.toByteArray();
            held.reset();
            write(b, 0, b.length);
            if (dropped > 0) say("\n(the console dropped " + dropped + " bytes the machine printed meanwhile)\n");
            dropped = 0;
            flush();
        }
    }

    /**
     * A key typed to the monitor: a line is edited (backspace only), then run. Only this
     * thread (the console's input) touches the monitor's line; a command runs without the
     * output lock, since it takes the kernel's locks, and the kernel may be printing.
     */
    private void monitorKey(int c) {
        if (c == '\b' || c == 0x7f) {
            if (monitorLine.length() > 0) {
                monitorLine.setLength(monitorLine.length() - 1);
                say("\b \b");
            }
            return;
        }
        if (c != '\r' && c != '\n') {
            if (c >= ' ' && c < 0x7f && monitorLine.length() < 200) {
                monitorLine.append((char) c);
                say(String.valueOf((char) c));
            }
            return;
        }
        say("\n");
        Monitor m;
        synchronized (out) {
            m = monitor;
        }
        Monitor.Reply r = m.run(monitorLine.toString());
        monitorLine.setLength(0);
        say(r.text());
        if (r.next() == Monitor.Next.STAY) {
            say(Monitor.PROMPT);
            return;
        }
        leaveMonitor();
        if (r.next() == Monitor.Next.QUIT) quit();
    }

    // ---- batch input ----

    /** Starts reading the script ahead on a daemon thread (batch mode). */
    public synchronized void startLines() {
        if (reader != null) throw new IllegalStateException("console input already started");
        reader = Thread.ofPlatform().daemon().name("console-input").start(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int c;
                while ((c = in.read()) >= 0 && !stopped) {
                    line.write(c);
                    if (c == '\n') {
                        lines.add(line.toByteArray());
                        line.reset();
                    }
                }
            } catch (IOException e) {
                // treat as end of input
            }
            // A last line without its newline is typed with one, as a shell runs a script's
            // last line: else the shell would wait for the rest of it and the machine halt.
            if (line.size() > 0) {
                line.write('\n');
                lines.add(line.toByteArray());
            }
            lines.add(new byte[0]);
        });
    }

    /**
     * The next line of the script, with its newline; waits for the host to provide it.
     * Returns null once the script is used up.
     */
    public byte[] nextLine() throws InterruptedException {
        synchronized (patience) {
            readerSince = -1; // (a line comes now: the next reader's wait starts afresh)
        }
        if (ended) return null;
        byte[] l = lines.take();
        if (l.length == 0) {
            ended = true;
            return null;
        }
        return l;
    }

    /**
     * The script's next line for a machine with nothing to run, or null. timer: someone
     * sleeps on the clock. On the host's clock such a machine does not wait for the host:
     * the line if it has come, else null, and the caller lets time move to the next tick
     * (a line arriving meanwhile is taken then). Before, a script streamed from a slow
     * writer stopped the clock until its next line came: `sleep 5 &` left behind by the
     * shell slept until the user typed again. In virtual time (deterministic) the host is
     * waited for, so the line comes at the same point of every run. Null with timer false:
     * the script is used up.
     */
    public byte[] lineForIdleMachine(boolean timer, boolean deterministic) throws InterruptedException {
        return timer && !deterministic ? pollLine() : nextLine();
    }

    /**
     * The next line of the script if the host has provided it already, else null (and null
     * once the script is used up). For a machine that must not wait on the host: one that
     * runs on the wall clock, with work to do.
     */
    public byte[] pollLine() {
        if (ended) return null;
        byte[] l = lines.poll();
        if (l != null && l.length == 0) {
            ended = true;
            return null;
        }
        return l;
    }

    /**
     * A script's reader is given its next line while other work runs once it has waited
     * this long, in instructions the harts retired meanwhile (half a second of a busy hart's
     * work, or five ticks of virtual time): long enough for what a command started to get
     * going (a program's forks, a job's set-up), so what a script prints does not depend on
     * a background job's speed, and short of any wait a user would notice. Instructions,
     * not the host's time: a loaded host changes nothing.
     */
    public static final long SCRIPT_PATIENCE = 5_000_000L;

    /** The instructions retired when a reader was first seen waiting at a tick; -1: none waits. Guarded by patience. */
    private long readerSince = -1;
    private final Object patience = new Object();

    /**
     * A tick of a machine reading a script: the next line, or null. reader: whether a program
     * waits to read the console; retired: the instructions all harts have retired. A line
     * comes once a reader has waited {@link #SCRIPT_PATIENCE} of them (as a user types at the
     * prompt while a background job computes). In virtual time (wait) the host is waited
     * for, so the line comes at the same point on every run; on the wall clock it is taken
     * only if the host has sent it already.
     */
    public byte[] lineForWaitingReader(boolean reader, long retired, boolean wait) throws InterruptedException {
        synchronized (patience) {
            if (interactive || ended || !reader) {
                readerSince = -1;
                return null;
            }
            if (readerSince < 0) readerSince = retired;
            if (retired - readerSince < SCRIPT_PATIENCE) return null;
            byte[] l = wait ? nextLine() : pollLine();
            if (l != null) readerSince = -1;
            return l;
        }
    }

    /** True once all input has been delivered. */
    public boolean ended() {
        return ended;
    }

    /**
     * Ends the session: an unfinished last line (the shell's "$ ", say) is ended, so the
     * host's prompt starts on a line of its own; then the terminal is given back.
     */
    @Override
    public void close() {
        synchronized (out) {
            if (lastOut != '\n') putc('\n');
        }
        flush();
        onClose.run();
    }
}
