package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The log header (the first block of the log region): {@code int n; int block[LOGSIZE]}.
 * n &gt; 0 means a committed transaction waits to be installed: log block i+1 holds the
 * new contents of home block block[i].
 */
public record LogHeader(int[] blocks) {

    public LogHeader {
        blocks = blocks.clone();
    }

    public int n() {
        return blocks.length;
    }

    /**
     * Reads a header. Returns null when n is outside 0..maxBlocks, so a corrupt header is
     * reported by the caller instead of being replayed.
     */
    public static LogHeader decode(byte[] block, int maxBlocks) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(0);
        if (n < 0 || n > maxBlocks || 4 + 4L * n > block.length) return null;
        int[] blocks = new int[n];
        for (int i = 0; i < n; i++) blocks[i] = b.getInt(4 + 4 * i);
        return new LogHeader(blocks);
    }

    public void encode(byte[] block) {
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, blocks.length);
        for (int i = 0; i < blocks.length; i++) b.putInt(4 + 4 * i, blocks[i]);
    }

    @Override
    public int[] blocks() {
        return blocks.clone();
    }

    public int block(int i) {
        return blocks[i];
    }
}
