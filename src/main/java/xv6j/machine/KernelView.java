package xv6j.machine;

import java.util.List;
import java.util.Optional;

/**
 * What the console's monitor (Ctrl-A c, {@link Monitor}) may ask of the kernel running on
 * the machine: read-only snapshots, each taken consistently under the kernel's own lock,
 * and the console's way out of a program that escapes ^C (kill, killall), which the
 * kernel carries out under that lock; the monitor never reaches into it.
 * Both kernels implement it (xv6j.kernel.View, xv6j.exo.View); the machine knows nothing
 * else of them.
 */
public interface KernelView {
    /**
     * A process (xv6) or an environment (kernel-exo).
     *
     * @param parent the parent's id, or -1
     * @param pages  the physical pages it holds for its memory (its page tables not counted)
     * @param more   anything else worth a glance, or ""
     */
    record Task(long id, long parent, String name, String state, long pages, String more) {}

    /** What a hart runs now: a task (its id and name), or "idle", and where. */
    record HartState(int hart, String running, long pc, long instructions) {}

    /** One capability: its handle, type, rights and what it names ("pages 0x80400..0x80fff"). */
    record Capability(int handle, String type, String rights, String names) {}

    /** Physical memory, in pages. */
    record Memory(long freePages, long totalPages) {}

    /**
     * The disk: free and total data blocks of its file system, and blocks after it
     * (kernel-exo keeps kv's store there).
     */
    record Blocks(long free, long total, long outside) {}

    /** What the kernel is ("xv6", "kernel-exo"), and what it calls a task ("process", "environment"). */
    String kernelName();

    String taskNoun();

    List<Task> tasks();

    List<HartState> harts();

    /** The capabilities task holds; empty when the kernel has none (xv6); fails for no such task. */
    Optional<List<Capability>> capabilities(long task) throws IllegalArgumentException;

    Memory memory();

    Blocks blocks();

    /**
     * Kills the task id (the kernel's id, as tasks() gives it), as kill(2) would but from
     * above every program. Returns a line saying what was done; fails, with the reason,
     * for no such task or one the kernel keeps (init, kernel-exo's file server).
     */
    String kill(long id) throws IllegalArgumentException;

    /** Kills every task of process group pgid but init; fails for no such group or a kernel without groups. */
    String killGroup(long pgid) throws IllegalArgumentException;

    /**
     * Kills every task but init and the kernel's own, at once, so that none can make a
     * survivor meanwhile; init then starts a new shell. Returns a line saying how many.
     */
    String killAll();
}
