package xv6j.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's output during a benchmark boot: every byte, and the moment each shell
 * prompt ("$ " at the start of a line) appeared, so the time to the first prompt is the
 * boot time and the time between two prompts is what the command typed in between took.
 */
final class ConsoleCapture extends OutputStream {
    private enum State { LINE_START, DOLLAR, INSIDE_LINE }

    private final long origin;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Long> prompts = new ArrayList<>();
    private State state = State.LINE_START;

    /** Prompt times are nanoseconds since {@code origin} (a System.nanoTime value). */
    ConsoleCapture(long origin) {
        this.origin = origin;
    }

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        if (state == State.DOLLAR && b == ' ') {
            prompts.add(System.nanoTime() - origin);
            state = State.INSIDE_LINE;
        } else if (state == State.LINE_START && b == '$') {
            state = State.DOLLAR;
        } else {
            state = b == '\n' ? State.LINE_START : State.INSIDE_LINE;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) write(b[off + i]);
    }

    /** When each prompt appeared, in nanoseconds since the origin. */
    synchronized List<Long> prompts() {
        return List.copyOf(prompts);
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
