package xv6j.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Keys for a batch console that leave the shell waiting: the lines given, then nothing
 * (a read blocks) until {@link #release}, then the end of input. A test of a machine
 * idle at the shell's prompt types with it (a console at the end of its input halts).
 */
public final class HeldKeys extends InputStream {
    private final byte[] typed;
    private int at;
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldKeys(String typed) {
        this.typed = typed.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** No more keys: reads end (the shell sees the end of its input). */
    public void release() {
        released.countDown();
    }

    @Override
    public int read() throws IOException {
        if (at < typed.length) return typed[at++] & 0xff;
        try {
            released.await();
        } catch (InterruptedException e) {
            throw new InterruptedIOException();
        }
        return -1;
    }
}
