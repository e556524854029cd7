package xv6j.exo;

/**
 * Console input waiting to be read: raw bytes, as typed or as the batch script gives them
 * (no echo, no line editing: the library OS does that). Bounded; bytes that find it full
 * are dropped, as a UART's would be.
 */
final class ConsoleInput {
    static final int SIZE = 4096;
    private final byte[] buf = new byte[SIZE];
    private long r;
    private long w;

    int available() {
        return (int) (w - r);
    }

    void add(byte b) {
        if (w - r < SIZE) buf[(int) (w++ % SIZE)] = b;
    }

    /** Copies up to n waiting bytes without consuming them. */
    byte[] peek(int n) {
        byte[] out = new byte[Math.min(n, available())];
        for (int i = 0; i < out.length; i++) out[i] = buf[(int) ((r + i) % SIZE)];
        return out;
    }

    void consume(int n) {
        r += Math.min(n, available());
    }
}
