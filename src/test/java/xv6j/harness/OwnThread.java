package xv6j.harness;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Work a test runs beside itself (a machine, a reader of gdb's output, a client) on a
 * thread of its own, which no other work can hold. Not the common ForkJoinPool, which
 * {@code CompletableFuture.supplyAsync} uses: on two cores (CI's) it has one worker, so a
 * machine left running by one test, or still running in the same test, kept every later
 * task from starting (a later test's machine never booted; a gdb reader waited for the
 * machine it was reading about to halt). The thread is a daemon, named for the thread
 * dump a timed-out test prints.
 */
public final class OwnThread {
    private OwnThread() {
    }

    /** Starts work on a new thread called name; its result (or what it threw) completes the future. */
    public static <T> CompletableFuture<T> supply(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
