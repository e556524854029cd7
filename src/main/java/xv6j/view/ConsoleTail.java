package xv6j.view;

import java.nio.charset.StandardCharsets;
import xv6j.machine.Console;

/**
 * The last bytes the console printed, kept for the page: a ring of {@link #SIZE} bytes
 * the console's tap fills (a copy per write, under the console's own lock), and the
 * count of bytes ever written, so a reader knows how much scrolled away.
 */
final class ConsoleTail implements Console.Tap {
    static final int SIZE = 16 * 1024;

    private final byte[] ring = new byte[SIZE];
    private long total;

    @Override
    public synchronized void wrote(byte[] b, int off, int len) {
        if (len >= SIZE) {
            off += len - SIZE;
            total += len - SIZE;
            len = SIZE;
        }
        int at = (int) (total % SIZE);
        int first = Math.min(len, SIZE - at);
        System.arraycopy(b, off, ring, at, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        total += len;
    }

    /** Bytes written since boot. */
    synchronized long total() {
        return total;
    }

    /** What the ring holds, oldest first, as text (bytes are Latin-1 characters, as on the terminal). */
    synchronized String text() {
        int n = (int) Math.min(total, SIZE);
        byte[] out = new byte[n];
        int start = (int) ((total - n) % SIZE);
        int first = Math.min(n, SIZE - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, n - first);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
