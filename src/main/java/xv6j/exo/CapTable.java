package xv6j.exo;

import java.util.Arrays;

/**
 * An environment's capability table: handle -> capability, written only by the kernel.
 * New handles take the lowest free number (as file descriptors do), so runs are
 * reproducible. Up to EXO_NCAP entries.
 *
 * <p>The slots come in chunks of {@value #CHUNK}, each made when a handle in it is first
 * used and dropped when its last capability goes, so the Java memory a table keeps follows
 * the capabilities it holds now, which its owner's quota pays for (a record each). One
 * flat array grown to the highest handle ever used kept that size for good: an environment
 * that filled its table once and emptied it kept 256 KiB no quota paid for, and so did
 * every environment made from the same quota afterwards, until the JVM ran out of memory.
 */
final class CapTable {
    private static final int CHUNK_BITS = 6;
    static final int CHUNK = 1 << CHUNK_BITS;

    /** The chunks of slots (null: none of its handles in use), and which slots of each are in use (bit j: slot j). */
    private Cap[][] chunks = new Cap[1][];
    private long[] used = new long[1];
    private int size;

    /** The live capability under handle h, or null (any long, however absurd, is safe to ask). */
    Cap get(long h) {
        if (h < 0 || h >= (long) chunks.length * CHUNK) return null;
        Cap[] c = chunks[(int) (h >>> CHUNK_BITS)];
        return c == null ? null : c[(int) h & (CHUNK - 1)];
    }

    /** The handle the next insert will use, or -1 if the table is full. */
    int nextHandle() {
        for (int i = 0; i < chunks.length; i++) {
            if (used[i] != -1L) return i * CHUNK + Long.numberOfTrailingZeros(~used[i]);
        }
        int h = chunks.length * CHUNK;
        return h < ExoAbi.EXO_NCAP ? h : -1;
    }

    boolean full() {
        return nextHandle() < 0;
    }

    void put(Cap c) {
        int i = c.handle >>> CHUNK_BITS;
        if (i >= chunks.length) {
            int n = Math.max(chunks.length * 2, i + 1);
            chunks = Arrays.copyOf(chunks, n);
            used = Arrays.copyOf(used, n);
        }
        if (chunks[i] == null) chunks[i] = new Cap[CHUNK];
        int j = c.handle & (CHUNK - 1);
        if (chunks[i][j] != null) throw new IllegalStateException("handle " + c.handle + " in use");
        chunks[i][j] = c;
        used[i] |= 1L << j;
        size++;
    }

    void remove(Cap c) {
        if (get(c.handle) != c) throw new IllegalStateException("capability not in its table: " + c);
        int i = c.handle >>> CHUNK_BITS;
        int j = c.handle & (CHUNK - 1);
        chunks[i][j] = null;
        used[i] &= ~(1L << j);
        size--;
        if (used[i] != 0) return;
        chunks[i] = null;
        // The index of chunks shrinks too, to twice what is in use once three quarters of it
        // are not (so a table growing and shrinking round one size does not copy each time).
        int top = chunks.length, n = chunks.length;
        while (top > 1 && chunks[top - 1] == null) top--;
        while (n > 1 && top <= n / 4) n /= 2;
        if (n != chunks.length) {
            chunks = Arrays.copyOf(chunks, n);
            used = Arrays.copyOf(used, n);
        }
    }

    int size() {
        return size;
    }

    /** Slots the table keeps now, in use or not: what it costs the kernel's memory. */
    int slots() {
        int n = chunks.length;
        for (Cap[] c : chunks) if (c != null) n += CHUNK;
        return n;
    }

    /** The live capabilities in handle order (a copy: callers may remove while iterating). */
    Cap[] all() {
        Cap[] out = new Cap[size];
        int n = 0;
        for (Cap[] c : chunks) {
            if (c == null) continue;
            for (Cap x : c) if (x != null) out[n++] = x;
        }
        return out;
    }
}
