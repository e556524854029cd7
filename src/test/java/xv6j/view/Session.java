package xv6j.view;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import xv6j.exo.Boot;
import xv6j.exo.Exokernel;
import xv6j.kernel.Kernel;
import xv6j.kernel.XvRun;
import xv6j.libos.LibosRun;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * A machine booted in this JVM with its live view, driven as a user at the shell would:
 * a batch console whose lines the test types one at a time (the machine waits, idle, for
 * each), deterministic time, and the view on a free port. While the shell waits for a
 * line the machine does nothing, so a snapshot then is exactly the state the last
 * command left.
 */
final class Session implements AutoCloseable {
    private final Lines input = new Lines();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Disk disk;
    private final Machine machine;
    private final ViewServer view;
    private final Thread runner;
    private final HttpClient http = HttpClient.newHttpClient();
    /** The kernel object, for checking the JSON against it. */
    final Object kernel;
    private volatile int status = -1;
    private int prompts;

    private Session(Path image, boolean exo) throws Exception {
        this.disk = Disk.open(image, false);
        Console console = Console.batch(input, new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (output) {
                    output.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (output) {
                    output.write(b, off, len);
                }
            }
        });
        this.machine = Machine.create(128L << 20, 1, disk, console, new Clock.Virtual());
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        if (exo) {
            Exokernel k = Boot.load(machine);
            this.kernel = k;
            this.view = ViewServer.start(k, machine, 0, "kernel-exo", err);
            this.runner = Thread.ofPlatform().name("session").start(() -> run(k::run));
        } else {
            Kernel k = new Kernel(machine);
            this.kernel = k;
            this.view = ViewServer.start(k, machine, 0, "kernel", err);
            this.runner = Thread.ofPlatform().name("session").start(() -> run(k::run));
        }
        if (view == null) throw new IllegalStateException("the view did not start");
    }

    private interface Run {
        int run() throws InterruptedException;
    }

    private void run(Run r) {
        try {
            status = r.run();
        } catch (InterruptedException e) {
            status = -2;
        }
    }

    /** xv6 booted on a fresh fs.img in dir, at its first prompt. */
    static Session xv6(Path dir) throws Exception {
        Session s = new Session(XvRun.freshImage(dir), false);
        s.prompt();
        return s;
    }

    /** kernel-exo and the standard LibOS on a fresh fs-exo.img in dir, at the first prompt. */
    static Session exo(Path dir) throws Exception {
        Session s = new Session(LibosRun.freshImage(dir), true);
        s.prompt();
        return s;
    }

    ViewServer view() {
        return view;
    }

    Machine machine() {
        return machine;
    }

    /** Types a line (a newline is added) and waits for the shell's next prompt. */
    String command(String line) throws InterruptedException {
        int from = outputLength();
        type(line + "\n");
        prompt();
        return output().substring(from);
    }

    /** Types text as it is; the machine takes each line when something waits to read one. */
    void type(String text) {
        input.add(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Waits (up to 60 s) for the next "$ " prompt. */
    void prompt() throws InterruptedException {
        prompts++;
        waitUntil(() -> count(output(), "$ ") >= prompts, "prompt " + prompts);
    }

    /** Waits (up to 60 s) until the output holds text. */
    void waitFor(String text) throws InterruptedException {
        waitUntil(() -> output().contains(text), text);
    }

    /** How much has been printed so far: a mark for {@link #waitFor(String, int)}. */
    int mark() {
        return outputLength();
    }

    /** Waits (up to 60 s) until text is printed after mark. */
    void waitFor(String text, int mark) throws InterruptedException {
        waitUntil(() -> output().indexOf(text, mark) >= 0, text);
    }

    /** Types a line to a program (not the shell) and waits for its prompt after it. */
    void answer(String line, String prompt) throws InterruptedException {
        int m = mark();
        type(line + "\n");
        waitFor(prompt, m);
    }

    private void waitUntil(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        for (int i = 0; i < 6000 && !ok.getAsBoolean(); i++) {
            if (!runner.isAlive()) throw new AssertionError("the machine halted (status " + status + ") waiting for " + what + ":\n" + output());
            Thread.sleep(10);
        }
        if (!ok.getAsBoolean()) throw new AssertionError("never got " + what + ":\n" + output());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private int outputLength() {
        synchronized (output) {
            return output.size();
        }
    }

    /** GET path from the view, as a browser on this computer would ask for it. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(view.uri().resolve(path)).timeout(Duration.ofSeconds(30)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The snapshot from /snapshot.json, parsed. */
    Map<String, Object> snapshot() throws IOException, InterruptedException {
        HttpResponse<String> r = get("snapshot.json");
        if (r.statusCode() != 200) throw new AssertionError("snapshot.json: " + r.statusCode() + " " + r.body());
        return JsonParser.object(r.body());
    }

    URI uri() {
        return view.uri();
    }

    /** Ends the input; the machine halts (the view with it); fails unless it halted cleanly. */
    @Override
    public void close() throws Exception {
        try {
            input.end();
            runner.join(60_000);
            if (runner.isAlive()) throw new AssertionError("did not halt:\n" + output());
            if (status != 0) throw new AssertionError("halt status " + status + ":\n" + output());
        } finally {
            view.close();
            disk.close();
        }
    }

    /** Standard input that the test fills: reads wait for the next text, or the end. */
    private static final class Lines extends InputStream {
        private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private byte[] cur = new byte[0];
        private int pos;
        private boolean ended;

        void add(byte[] b) {
            queue.add(b);
        }

        void end() {
            queue.add(new byte[0]);
        }

        @Override
        public int read() throws IOException {
            while (pos == cur.length) {
                if (ended) return -1;
                try {
                    cur = queue.take();
                } catch (InterruptedException e) {
                    throw new IOException("interrupted", e);
                }
                pos = 0;
                if (cur.length == 0) ended = true;
            }
            return cur[pos++] & 0xff;
        }
    }
}
