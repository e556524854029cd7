package xv6j.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import xv6j.harness.OwnThread;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * A system booted in this JVM as at a terminal: keys reach the kernel the moment they are
 * typed (an interactive console, as HostTerminal makes in raw mode), the clock is the wall
 * clock (or, as with make qemu DET=1, the virtual one), and the test reads the screen as it grows. Closing it types Ctrl-A x and expects a
 * clean halt.
 */
final class TerminalSession implements AutoCloseable {
    private final PipedOutputStream keys = new PipedOutputStream();
    private final Flavour system;
    private final ByteArrayOutputStream screen;
    private final Disk disk;
    private final CompletableFuture<Integer> run;

    TerminalSession(Flavour system, Path image) throws IOException {
        this(system, image, 1, new ByteArrayOutputStream());
    }

    /** The same on several harts, which run at once. */
    TerminalSession(Flavour system, Path image, int harts) throws IOException {
        this(system, image, harts, new ByteArrayOutputStream());
    }

    /** On the virtual clock (make qemu DET=1): time is instructions run, and an idle machine has no tick unless someone waits for one. */
    static TerminalSession virtualClock(Flavour system, Path image, int harts) throws IOException {
        return new TerminalSession(system, image, harts, new ByteArrayOutputStream(), new Clock.Virtual());
    }

    /**
     * A terminal on a slow line: each write the machine makes to it takes a millisecond
     * (4 MB/s for the kernel's 4 KiB pieces), so a long output lasts long enough for the
     * user to interrupt it.
     */
    static TerminalSession slow(Flavour system, Path image) throws IOException {
        return new TerminalSession(system, image, 1, new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    private TerminalSession(Flavour system, Path image, int harts, ByteArrayOutputStream screen) throws IOException {
        this(system, image, harts, screen, new Clock.Wall());
    }

    private TerminalSession(Flavour system, Path image, int harts, ByteArrayOutputStream screen, Clock clock) throws IOException {
        this.system = system;
        this.screen = screen;
        Console console = new Console(new PipedInputStream(keys, 1 << 16), screen, true, () -> {});
        disk = Disk.open(image, false);
        Machine m = Machine.create(128L << 20, harts, disk, console, clock);
        run = OwnThread.supply("machine (" + system + ", terminal)", () -> system.run(m));
    }

    void type(String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Waits (up to 30 s) until the screen shows text after position from; returns where it ends. */
    int waitFor(String text, int from) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            int at = screen().indexOf(text, from);
            if (at >= 0) return at + text.length();
            Thread.sleep(10);
        }
        throw new AssertionError("the screen never showed " + text.replace("\n", "\\n") + " after " + from + ":\n" + screen());
    }

    int waitFor(String text) throws InterruptedException {
        return waitFor(text, 0);
    }

    /**
     * ^P's listing of the processes, typed at the prompt after from and ended by echo mark
     * (whose output may follow a prompt: a shell can have an empty line to read first, the
     * one a ^C its killed predecessor never read left it).
     */
    String processList(int from, String mark) throws Exception {
        type("\u0010echo " + mark + "\n");
        int end = waitFor(mark + "\n", waitFor("echo " + mark + "\n", from));
        return screen().substring(from, end);
    }

    /**
     * Runs a monitor command (Ctrl-A c, the command, Ctrl-A c back to the console); returns
     * what the screen shows after from up to the monitor's next prompt, which ends it.
     */
    String monitor(int from, String command) throws Exception {
        type("\u0001c" + command + "\n");
        int end = waitFor("\n(monitor) ", waitFor("(monitor) " + command + "\n", from));
        type("\u0001c");
        return screen().substring(from, end);
    }

    /**
     * Waits until the monitor's ps, asked after from every 200 ms, shows more than n tasks
     * called name (on kernel-exo, whose tasks are environments without names, more than n
     * environments); returns where the last ps ends. A program's spread is seen so, not
     * guessed from the wall clock, which a loaded host stretches without bound. Fails
     * after 60 s.
     */
    int waitForTasks(int from, String name, long n) throws Exception {
        for (int i = 0; i < 300; i++) {
            String ps = monitor(from, "ps");
            from += ps.length();
            if (countNamed(ps, name) > n) return from;
            Thread.sleep(200);
        }
        throw new AssertionError("the monitor's ps never showed more than " + n + " " + name + ":\n" + screen());
    }

    /**
     * Waits, typing ^P every 200 ms (no reader gets a character from it, though on kernel-exo
     * it wakes those waiting on the console, to ask again), until one listing after from
     * shows n processes called name asleep: not merely past the line a program printed
     * before it goes to sleep, which a loaded host may keep it running after for a second
     * or more. Returns where that listing's last such line ends. Fails after 30 s (a bound
     * for a system whose process never sleeps).
     */
    int waitForAsleep(int from, String name, int n) throws Exception {
        String one = "\\d+ sleep +" + java.util.regex.Pattern.quote(name) + "\n";
        // One listing's lines follow each other; an empty line starts the next listing.
        return waitForListing(from, java.util.regex.Pattern.compile(
                "\n" + one + ("(?:\\d+ \\S+ +\\S+\n)*?" + one).repeat(n - 1)), n + " " + name + " asleep");
    }

    /** As waitForAsleep, for one process called name listed in state (xv6's spelling: run, runble, sleep, zombie). */
    int waitForListed(int from, String state, String name) throws Exception {
        return waitForListing(from, java.util.regex.Pattern.compile(
                "\n\\d+ " + java.util.regex.Pattern.quote(state) + " +" + java.util.regex.Pattern.quote(name) + "\n"), name + " in state " + state);
    }

    /** Types ^P every 200 ms until a listing after from matches line; returns where the match ends; fails after 30 s. */
    private int waitForListing(int from, java.util.regex.Pattern line, String what) throws Exception {
        for (int i = 0; i < 150; i++) {
            type("\u0010");
            Thread.sleep(200);
            java.util.regex.Matcher m = line.matcher(screen());
            if (m.find(from)) return m.end();
        }
        throw new AssertionError("^P never listed " + what + ":\n" + screen());
    }

    /**
     * Waits, typing ^P every 200 ms, until the screen shows text after from: for a program
     * that acts when a key comes (kernel-exo's ctrlcsteal); no reader gets a character from ^P. Returns
     * where text ends; fails after 30 s.
     */
    int waitForPressingCtrlP(String text, int from) throws Exception {
        for (int i = 0; i < 150; i++) {
            int at = screen().indexOf(text, from);
            if (at >= 0) return at + text.length();
            type("\u0010");
            Thread.sleep(200);
        }
        throw new AssertionError("the screen never showed " + text.replace("\n", "\\n") + " after " + from + ":\n" + screen());
    }

    /** How many lines of a ^P listing, or of the monitor's ps, are a process called name. */
    static long countNamed(String list, String name) {
        return list.lines().filter(l -> l.matches("\\d+ \\S+ +" + name) || l.matches(" *\\d+ +\\S+ +" + name + " .*")).count();
    }

    /** Ctrl-A x; fails unless the machine halts with status 0. */
    @Override
    public void close() throws Exception {
        try {
            type("\u0001x");
            int status = run.get(60, TimeUnit.SECONDS);
            if (status != 0) throw new AssertionError("halt status " + status + ":\n" + screen());
        } finally {
            disk.close();
        }
    }
}
