package xv6j.bench;

/** A benchmark could not be measured: its message is one line for the person running it. */
public final class BenchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }
}
