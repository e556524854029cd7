package xv6j.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The view's server: what it serves, to whom, and the stream of snapshots. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ViewServerTest {
    @TempDir
    Path dir;

    @Test
    void servesThePageAndItsJsonToThisComputerOnlyAndChangesNothing() throws Exception {
        try (Session s = Session.xv6(dir)) {
            HttpResponse<String> page = s.get("/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"view.js\""));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
            assertEquals(200, s.get("view.js").statusCode());
            assertEquals(200, s.get("view.css").statusCode());
            assertEquals(404, s.get("/etc/passwd").statusCode());
            assertEquals("application/json", s.get("snapshot.json").headers().firstValue("Content-Type").orElseThrow());
            assertTrue(s.get("snapshot.json").headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                    "no other origin may read it");

            // Read-only: anything but GET and HEAD is refused.
            HttpClient http = HttpClient.newHttpClient();
            for (String method : new String[] {"POST", "PUT", "DELETE"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(s.uri().resolve("snapshot.json"))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, r.statusCode(), method);
            }

            // A request for another name (a page that pointed its own name at 127.0.0.1) is refused.
            assertTrue(raw(s, "GET /snapshot.json HTTP/1.1\r\nHost: attacker.example:" + s.uri().getPort()
                    + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 403"));
            assertTrue(raw(s, "GET /snapshot.json HTTP/1.1\r\nHost: localhost:" + s.uri().getPort()
                    + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));

            // It listens on the loopback interface only: this computer's other addresses get no answer.
            assertEquals("127.0.0.1", s.uri().getHost());
            for (InetAddress a : otherAddresses()) {
                assertThrows(IOException.class, () -> {
                    try (Socket sock = new Socket()) {
                        sock.connect(new InetSocketAddress(a, s.uri().getPort()), 2000);
                    }
                }, "reachable on " + a);
            }
        }
    }

    @Test
    void eachChangeIsPushedAndTheStreamEndsWhenTheMachineHalts() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Session s = Session.xv6(dir);
        try {
            HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(s.uri().resolve("events")).build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
            Thread.ofPlatform().daemon().start(() -> {
                r.body().forEach(lines::add);
                lines.add("<end>");
            });
            Map<String, Object> first = nextSnapshot(lines);
            s.command("echo pushed");
            Map<String, Object> later;
            do later = nextSnapshot(lines);
            while (!console(later).contains("pushed"));
            assertTrue((Long) later.get("seq") > (Long) first.get("seq"));
            assertEquals(false, later.get("halted"));
        } finally {
            s.close();
        }
        // The machine halted: one last snapshot says so, then the stream ends.
        Map<String, Object> last;
        do last = nextSnapshot(lines);
        while (!Boolean.TRUE.equals(last.get("halted")));
        String line;
        while (!(line = poll(lines)).equals("<end>")) if (line.startsWith("data:")) assertEquals("data: {}", line);
    }

    private static Map<String, Object> nextSnapshot(BlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String l = poll(lines);
            if (l.equals("<end>")) throw new AssertionError("the stream ended");
            if (l.startsWith("data: {\"version\"")) return JsonParser.object(l.substring(6));
        }
    }

    private static String poll(BlockingQueue<String> lines) throws InterruptedException {
        String l = lines.poll(30, TimeUnit.SECONDS);
        if (l == null) throw new AssertionError("nothing from the stream for 30 s");
        return l;
    }

    @SuppressWarnings("unchecked")
    private static String console(Map<String, Object> snap) {
        return (String) ((Map<String, Object>) snap.get("console")).get("text");
    }

    /** A request written by hand (the JDK's client will not send another Host); the answer's text. */
    private static String raw(Session s, String request) throws IOException {
        try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), s.uri().getPort())) {
            OutputStream out = sock.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static java.util.List<InetAddress> otherAddresses() throws IOException {
        java.util.List<InetAddress> out = new java.util.ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) if (a instanceof Inet4Address) out.add(a);
        }
        return out;
    }
}
