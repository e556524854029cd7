package xv6j.machine.gdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One gdb connection at the level of the Remote Serial Protocol's framing: packets
 * {@code $data#cs} (cs: the sum of data's bytes mod 256, two hex digits), acknowledged with
 * {@code +} or refused with {@code -} (send again) until gdb turns acknowledgements off
 * (QStartNoAckMode); a lone 0x03 byte is gdb's Ctrl-C; in data, {@code }} escapes the
 * next byte, which is XORed with 0x20.
 *
 * <p>A reader thread turns the bytes into {@link Event}s for the session, so a Ctrl-C is
 * seen while the machine runs. Whatever a client sends, the reader never fails: a bad
 * checksum or an overlong packet is refused ({@code -}), bytes outside a packet are
 * skipped, and the end of the stream is an event like the others.
 */
final class Connection implements AutoCloseable {
    /** The largest packet taken (announced to gdb as PacketSize, less a margin). */
    static final int MAX_PACKET = 16384;

    /** What the reader saw. */
    sealed interface Event permits Packet, Interrupt, Resend, Closed, Wake {}

    /** A packet whose checksum was right: its data, unescaped, one char per byte. */
    record Packet(String data) implements Event {}

    /** gdb's Ctrl-C (0x03 outside a packet). */
    record Interrupt() implements Event {}

    /** gdb refused our last packet ({@code -}): send it again. */
    record Resend() implements Event {}

    /** The connection ended. */
    record Closed() implements Event {}

    /** Not from gdb: something changed on the machine's side (a hart stopped). */
    record Wake() implements Event {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /**
     * Bounded: a client that floods us without reading our replies is slowed by TCP itself
     * (the reader waits for room), never lets the queue grow without end.
     */
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(1024);
    private final Thread reader;
    private volatile boolean acks = true;
    private String last = "";

    Connection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true); // a packet is a round trip gdb waits for
        this.in = new BufferedInputStream(socket.getInputStream()); // read byte by byte: not a system call each
        this.out = socket.getOutputStream();
        this.reader = Thread.ofPlatform().daemon().name("gdb-reader").unstarted(this::read);
    }

    void start() {
        reader.start();
    }

    /** The next event, waiting at most timeoutMs (0: until one comes); null if none came. */
    Event next(long timeoutMs) throws InterruptedException {
        return timeoutMs == 0 ? events.take() : events.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Wakes a session waiting in {@link #next} (a hart stopped). */
    void wake() {
        events.offer(new Wake());
    }

    /** From now on neither side acknowledges packets (gdb asked for it with QStartNoAckMode). */
    void noAcks() {
        acks = false;
    }

    /** Sends one packet; false if the connection is gone. */
    synchronized boolean send(String data) {
        last = data;
        return write(Rsp.frame(data));
    }

    synchronized boolean resend() {
        return send(last);
    }

    private synchronized boolean write(String s) {
        try {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void read() {
        try {
            StringBuilder data = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                switch (c) {
                    case '$' -> {
                        Event e = packet(data);
                        if (e == null) break; // the stream ended inside a packet
                        events.put(e);
                    }
                    case '-' -> events.put(new Resend());
                    case 0x03 -> events.put(new Interrupt());
                    default -> { } // '+', or noise between packets
                }
            }
        } catch (IOException e) {
            // the connection dropped: as its end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        // close() interrupts this thread as it closes the socket, before or after the read
        // ends: the interrupt must not lose the end, or a session still waiting for a stop
        // (the machine halted under gdb) polled for ever, and kept the machine.
        while (true) {
            try {
                events.put(new Closed()); // after what came before it (a kill, say), never instead
                return;
            } catch (InterruptedException e) {
                // close(): deliver it all the same
            }
        }
    }

    /**
     * The rest of a packet after its '$': a Packet if it was whole and its checksum right
     * (acknowledged), else a refusal sent and null returned... unless the stream ended.
     */
    private Event packet(StringBuilder data) throws IOException {
        data.setLength(0);
        int sum = 0;
        boolean escaped = false, tooLong = false;
        int c;
        while ((c = in.read()) >= 0 && c != '#') {
            if (c == '$') { // a new packet started: the one before was cut short
                data.setLength(0);
                sum = 0;
                escaped = tooLong = false;
                continue;
            }
            sum += c;
            if (data.length() >= MAX_PACKET) {
                tooLong = true;
                continue;
            }
            if (escaped) {
                data.append((char) (c ^ 0x20));
                escaped = false;
            } else if (c == '}') {
                escaped = true;
            } else {
                data.append((char) c);
            }
        }
        if (c < 0) return null;
        int h = in.read(), l = in.read();
        if (h < 0 || l < 0) return null;
        int want = Rsp.hexDigit(h) << 4 | Rsp.hexDigit(l);
        if (tooLong || Rsp.hexDigit(h) < 0 || Rsp.hexDigit(l) < 0 || want != (sum & 0xff)) {
            if (acks) write("-");
            return new Wake(); // nothing to do but look again
        }
        if (acks) write("+");
        return new Packet(data.toString());
    }

    @Override
    public void close() {
        reader.interrupt(); // a reader waiting for room in a full queue would wait forever
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
