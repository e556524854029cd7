package xv6j.machine.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The gdb end of the Remote Serial Protocol, for tests that must say exactly what goes on
 * the wire (garbage, a second connection, a dropped one, a Ctrl-C at a chosen moment):
 * packets framed and checksummed, acknowledgements read.
 */
final class GdbClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    GdbClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true); // as gdb does: an ack and the next packet must not wait for each other
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String data) {
        int sum = 0;
        for (int i = 0; i < data.length(); i++) sum += data.charAt(i);
        return String.format("$%s#%02x", data, sum & 0xff);
    }

    /** Bytes as they are, framed or not. */
    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void send(String data) throws IOException {
        raw(frame(data));
    }

    /** The next acknowledgement byte: '+' or '-'. */
    char ack() throws IOException {
        int c = in.read();
        if (c != '+' && c != '-') throw new IOException("expected an ack, got " + (c < 0 ? "the end" : "'" + (char) c + "'"));
        return (char) c;
    }

    /** The next packet's data (unescaped), acknowledged; stray acks before it are skipped. */
    String reply() throws IOException {
        int c;
        while ((c = in.read()) >= 0 && c != '$') { }
        if (c < 0) throw new IOException("the connection ended");
        StringBuilder b = new StringBuilder();
        int sum = 0;
        boolean escaped = false;
        while ((c = in.read()) >= 0 && c != '#') {
            sum += c;
            if (escaped) {
                b.append((char) (c ^ 0x20));
                escaped = false;
            } else if (c == '}') {
                escaped = true;
            } else {
                b.append((char) c);
            }
        }
        String cs = "" + (char) in.read() + (char) in.read();
        if (Integer.parseInt(cs, 16) != (sum & 0xff)) throw new IOException("bad checksum on " + b);
        raw("+");
        return b.toString();
    }

    /** Sends a packet and returns the reply (after its '+'). */
    String ask(String data) throws IOException {
        send(data);
        char a = ack();
        if (a != '+') throw new IOException("the stub refused " + data);
        return reply();
    }

    /** A monitor command: its output (the O packets, decoded) up to the final OK. */
    String monitor(String command) throws IOException {
        send("qRcmd," + Rsp.hex(command));
        ack();
        StringBuilder text = new StringBuilder();
        while (true) {
            String r = reply();
            if (r.equals("OK")) return text.toString();
            if (!r.startsWith("O")) throw new IOException("monitor " + command + ": " + r);
            try {
                text.append(new String(Rsp.bytes(r.substring(1)), StandardCharsets.UTF_8));
            } catch (Rsp.Malformed e) {
                throw new IOException(e.getMessage());
            }
        }
    }

    /** True once the stub has closed the connection (reads to the end). */
    boolean closedByStub() {
        try {
            while (in.read() >= 0) { }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** A register from a stop reply ("20:<little-endian hex>;"). */
    static long stopRegister(String stop, int n) {
        String key = String.format("%02x:", n);
        int at = stop.indexOf(key);
        if (at < 0) throw new IllegalArgumentException("no register " + n + " in " + stop);
        String hex = stop.substring(at + 3, stop.indexOf(';', at));
        long v = 0;
        for (int i = hex.length() - 2; i >= 0; i -= 2) v = v << 8 | Integer.parseInt(hex.substring(i, i + 2), 16);
        return v;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
