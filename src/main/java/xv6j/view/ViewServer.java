package xv6j.view;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import xv6j.exo.Exokernel;
import xv6j.kernel.Kernel;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;

/**
 * The live view's web server, on the loopback interface only: the page (plain files under
 * resources/xv6j/view, no build step), the snapshot as JSON ({@code GET /snapshot.json},
 * taken when asked), and a stream of snapshots ({@code GET /events}, server-sent events:
 * one "data:" line of JSON per change, a few times a second).
 *
 * <p>It is the JDK's own server (com.sun.net.httpserver): server-sent events need nothing
 * but a response that stays open, and the page only ever listens, so neither a library
 * nor WebSockets would add anything but weight to kernel.jar.
 *
 * <p>It answers GET and HEAD only, and only requests addressed to the loopback name it
 * listens on (a page on another site that points its own name at 127.0.0.1 gets 403), and
 * sends no CORS header, so no other origin can read it. Nothing it serves can change the
 * machine: it only reads snapshots.
 *
 * <p>Costs: snapshots are taken only while a page listens (or /snapshot.json is asked
 * for); with none, its sampling thread waits and the machine runs as without the view.
 */
public final class ViewServer implements AutoCloseable {
    /** How often a listening page gets a new snapshot, if anything changed. */
    static final long PERIOD_MS = 250;
    /** A page that got nothing for this long gets a comment line, so a closed tab is noticed. */
    static final long KEEPALIVE_MS = 15_000;
    /** Pages listening at once; more are refused (503) rather than each costing a thread. */
    static final int MAX_LISTENERS = 16;

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/view.js", "view.js", "/view.css", "view.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final Sampler sampler;
    private final ExecutorService handlers;
    private final Thread ticker;
    private final Set<String> hosts;
    private final Map<String, byte[]> files;
    /** Guards listeners and closed; notified on each new snapshot and on a change of either. */
    private final Object monitor = new Object();
    private int listeners;
    private boolean closed;

    private ViewServer(HttpServer server, Sampler sampler) {
        this.server = server;
        this.sampler = sampler;
        int port = server.getAddress().getPort();
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.files = Map.of("index.html", resource("index.html"), "view.js", resource("view.js"), "view.css", resource("view.css"));
        // Platform threads: a listener waits most of its life, and a waiting virtual thread
        // could hold one of the carriers the xv6 kernel's processes run on.
        this.handlers = Executors.newCachedThreadPool(Thread.ofPlatform().name("view-http-", 0).daemon().factory());
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        this.ticker = Thread.ofPlatform().name("view-sampler").daemon().unstarted(this::tick);
    }

    /**
     * Serves a live view of the xv6 kernel k on m, on 127.0.0.1:port (0: any free port; the
     * default port moves to the next free one of a few, so two machines can each have one),
     * and prints its address on err as "NAME: view at http://127.0.0.1:PORT/ ...". If it
     * cannot start, says why in one line and returns null: the machine boots without it.
     */
    public static ViewServer start(Kernel k, Machine m, int port, String name, PrintStream err) {
        return start(new Xv6Part(k), m, port, name, err);
    }

    /** Serves a live view of kernel-exo k on m: as {@link #start(Kernel, Machine, int, String, PrintStream)}. */
    public static ViewServer start(Exokernel k, Machine m, int port, String name, PrintStream err) {
        return start(new ExoPart(k), m, port, name, err);
    }

    private static ViewServer start(KernelPart part, Machine m, int port, String name, PrintStream err) {
        DiskMap disk;
        try {
            disk = new DiskMap(m.disk());
        } catch (IOException e) {
            err.println(name + ": view: cannot read the disk image: " + e.getMessage());
            return null;
        }
        Sampler sampler = new Sampler(part, m, disk);
        try {
            ViewServer v = listen(sampler, port, port == MachineOptions.DEFAULT_VIEW_PORT);
            err.println(name + ": view at " + v.uri() + " (the machine, live; read-only, this computer only)");
            return v;
        } catch (IOException e) {
            err.println(name + ": view: cannot listen on 127.0.0.1: " + e.getMessage() + "; booting without it");
            try {
                sampler.close();
            } catch (IOException ignored) {
                // only the image's read-only handle was open
            }
            return null;
        }
    }

    /** Serves sampler's snapshots on 127.0.0.1:port; with tryNext, a port in use moves it to the next of ten. */
    private static ViewServer listen(Sampler sampler, int port, boolean tryNext) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; ; i++) {
            try {
                HttpServer s = HttpServer.create(new InetSocketAddress(lo, port + i), 0);
                ViewServer v = new ViewServer(s, sampler);
                s.start();
                v.ticker.start();
                return v;
            } catch (BindException e) {
                if (!tryNext || port == 0 || i == 9) throw new BindException("port " + (port + i) + " is in use");
            }
        }
    }

    /** Where the page is: http://127.0.0.1:PORT/ */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Snapshots taken so far (tests). */
    long seq() {
        return sampler.seq();
    }

    // ---- sampling ----

    /** While a page listens, a snapshot every PERIOD_MS; listeners are woken when it is new. */
    private void tick() {
        long published = 0;
        try {
            while (true) {
                synchronized (monitor) {
                    while (!closed && listeners == 0) monitor.wait();
                    if (closed) return;
                }
                try {
                    long seq = sampler.sample().seq();
                    if (seq != published) {
                        published = seq;
                        synchronized (monitor) {
                            monitor.notifyAll();
                        }
                    }
                } catch (RuntimeException e) {
                    // A snapshot failed (a bug, which /snapshot.json reports): the page keeps the
                    // last one, and the next round tries again; the machine runs on regardless.
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    // ---- HTTP ----

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            try {
                serve(x);
            } catch (RuntimeException e) {
                // A snapshot that failed is a bug in the view or a kernel: it is said to the page
                // (and to a test), not as a stack trace on the machine's terminal.
                send(x, 500, "text/plain; charset=utf-8", "the snapshot failed: " + e + "\n");
            }
        } catch (IOException e) {
            // the browser went away mid-answer
        }
    }

    private void serve(HttpExchange x) throws IOException {
        Headers h = x.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        String host = x.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            send(x, 403, "text/plain; charset=utf-8", "only " + uri() + " is served here\n");
            return;
        }
        String method = x.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            h.set("Allow", "GET, HEAD");
            send(x, 405, "text/plain; charset=utf-8", "the view is read-only: GET and HEAD only\n");
            return;
        }
        String path = x.getRequestURI().getPath();
        switch (path) {
            case "/snapshot.json" -> send(x, 200, "application/json", sampler.sample().json());
            case "/events" -> events(x);
            default -> {
                String file = FILES.get(path);
                if (file == null) {
                    send(x, 404, "text/plain; charset=utf-8", "no such page: " + path + "\n");
                    return;
                }
                // Only the page's own files; style attributes (colours, bar widths) are its own too.
                h.set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
                send(x, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), files.get(file));
            }
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        send(x, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) x.getResponseBody().write(body);
    }

    /** Server-sent events: each new snapshot as one "data:" line, until the page goes or the machine halts. */
    private void events(HttpExchange x) throws IOException {
        synchronized (monitor) {
            if (listeners >= MAX_LISTENERS) {
                send(x, 503, "text/plain; charset=utf-8", "too many pages listening\n");
                return;
            }
            listeners++;
            monitor.notifyAll();
        }
        try {
            x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            if (x.getRequestMethod().equals("HEAD")) {
                x.sendResponseHeaders(200, -1);
                return;
            }
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            out.write(("retry: 1000\n\n").getBytes(StandardCharsets.UTF_8));
            long sent = 0;
            while (true) {
                boolean end;
                synchronized (monitor) {
                    long deadline = System.currentTimeMillis() + KEEPALIVE_MS;
                    while (!closed && sampler.seq() == sent && System.currentTimeMillis() < deadline)
                        monitor.wait(Math.max(1, deadline - System.currentTimeMillis()));
                    end = closed;
                }
                Sampler.Published p = sampler.last();
                if (p != null && p.seq() != sent) {
                    sent = p.seq();
                    out.write(("data: " + p.json() + "\n\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(": still here\n\n".getBytes(StandardCharsets.UTF_8));
                }
                if (end) {
                    out.write("event: halt\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (monitor) {
                listeners--;
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ViewServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the view's " + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The machine halted: pages get the last snapshot (which says so) and the stream ends;
     * the server stops. The page keeps showing the machine as it stopped.
     */
    @Override
    public void close() {
        sampler.halt();
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
        ticker.interrupt();
        server.stop(1);
        handlers.shutdownNow();
        try {
            sampler.close();
        } catch (IOException e) {
            // only the image's read-only handle was open
        }
    }
}
