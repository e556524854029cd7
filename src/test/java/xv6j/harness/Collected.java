package xv6j.harness;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;

/**
 * Waits until the collector has cleared a reference: what a test of a leak waits for. Not
 * a number of collections: the last threads of a halted machine end soon after the halt,
 * and a loaded host stretches "soon" without bound. Thirty seconds is the bound, for an object
 * something still refers to.
 */
public final class Collected {
    private Collected() {
    }

    /** Collects until ref is cleared; fails, with message, if it is not within 30 s. */
    public static void await(WeakReference<?> ref, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), message);
    }
}
