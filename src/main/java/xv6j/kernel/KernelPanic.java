package xv6j.kernel;

/**
 * A broken kernel invariant: xv6's panic(). Caught at the top of every kernel thread,
 * which prints the message and a dump of the machine and stops it.
 */
public final class KernelPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelPanic(String message) {
        super(message);
    }
}
