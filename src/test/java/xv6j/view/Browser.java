package xv6j.view;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real browser for the view's page tests: headless Chromium, driven through the Chrome
 * DevTools protocol over its WebSocket with the JDK's own client (no driver, no library).
 * It loads a page, evaluates JavaScript in it, and takes screenshots.
 *
 * <p>{@link #find} looks for Debian's {@code chromium} (or Chrome) on the PATH; .ci/run
 * installs it, and a test skips with one line where there is none.
 */
final class Browser implements AutoCloseable {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final Process process;
    private final Path profile;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    /** The browser's program on the PATH (or in $CHROME), if there is one. */
    static Optional<Path> find() {
        String env = System.getenv("CHROME");
        if (env != null && Files.isExecutable(Path.of(env))) return Optional.of(Path.of(env));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String n : NAMES) {
                Path p = Path.of(dir, n);
                if (Files.isExecutable(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts program headless on a fresh profile in tmp, with a window of width x height. */
    Browser(Path program, Path tmp, int width, int height) throws Exception {
        this.profile = Files.createTempDirectory(tmp, "chromium-profile");
        this.process = new ProcessBuilder(program.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height,
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int port = devtoolsPort();
            HttpClient http = HttpClient.newHttpClient();
            String wsUrl = null;
            for (int i = 0; i < 100 && wsUrl == null; i++) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (Object t : (List<?>) JsonParser.parse(list)) {
                    Map<?, ?> target = (Map<?, ?>) t;
                    if ("page".equals(target.get("type"))) wsUrl = (String) target.get("webSocketDebuggerUrl");
                }
                if (wsUrl == null) Thread.sleep(50);
            }
            if (wsUrl == null) throw new IOException("the browser opened no page");
            this.ws = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads "DevTools listening on ws://127.0.0.1:PORT/..." from the browser's standard error. */
    private int devtoolsPort() throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = err.readLine()) != null; ) {
            seen.append(line).append('\n');
            int at = line.indexOf("ws://127.0.0.1:");
            if (line.startsWith("DevTools listening on") && at >= 0) {
                String rest = line.substring(at + "ws://127.0.0.1:".length());
                int port = Integer.parseInt(rest.substring(0, rest.indexOf('/')));
                // Keep draining its messages, or it blocks on a full pipe.
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (err.readLine() != null) { /* discard */ }
                    } catch (IOException e) {
                        // gone
                    }
                });
                return port;
            }
        }
        throw new IOException("the browser ended without a DevTools port:\n" + seen);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                Map<String, Object> msg = JsonParser.object(part.toString());
                part.setLength(0);
                Object id = msg.get("id");
                if (id != null) {
                    CompletableFuture<Map<String, Object>> f = pending.remove((int) (long) (Long) id);
                    if (f != null) f.complete(msg);
                }
            }
            w.request(1);
            return null;
        }
    }

    /** Sends a DevTools command and returns its result; params is a JSON object's text. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        ws.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).get(30, TimeUnit.SECONDS);
        Map<String, Object> msg = f.get(30, TimeUnit.SECONDS);
        if (msg.containsKey("error")) throw new IllegalStateException(method + ": " + msg.get("error"));
        return (Map<String, Object>) msg.get("result");
    }

    void open(URI page) throws Exception {
        call("Page.navigate", new Json().beginObject().field("url", page.toString()).endObject().toString());
    }

    /** The value of a JavaScript expression evaluated in the page (JSON values: Map, List, Long, String ...). */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws Exception {
        Map<String, Object> r = call("Runtime.evaluate", new Json().beginObject().field("expression", expression)
                .field("returnByValue", true).field("awaitPromise", true).endObject().toString());
        if (r.containsKey("exceptionDetails")) throw new IllegalStateException("in the page: " + r.get("exceptionDetails"));
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** Evaluates expression until its value passes ok (up to timeout); returns that value, or fails with the last. */
    Object waitFor(String expression, Predicate<Object> ok, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        Object v = null;
        while (System.nanoTime() < end) {
            try {
                v = eval(expression);
                if (ok.test(v)) return v;
            } catch (IllegalStateException e) {
                v = e.getMessage(); // not yet defined: the page is still loading
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the page never got there: " + expression + " was " + v);
    }

    /** The whole page (not just the window) as a PNG. */
    @SuppressWarnings("unchecked")
    byte[] screenshot() throws Exception {
        Map<String, Object> m = call("Page.getLayoutMetrics", "{}");
        Map<String, Object> size = (Map<String, Object>) m.get("cssContentSize");
        long w = ((Number) size.get("width")).longValue(), h = ((Number) size.get("height")).longValue();
        Map<String, Object> r = call("Page.captureScreenshot", "{\"format\":\"png\",\"captureBeyondViewport\":true,"
                + "\"clip\":{\"x\":0,\"y\":0,\"width\":" + w + ",\"height\":" + h + ",\"scale\":1}}");
        return Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes anyway
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle c : children) c.destroyForcibly(); // (normally gone with their parent)
        try (Stream<Path> s = Files.walk(profile)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
