package xv6j.view;

/**
 * What the page shows of the kernel that runs: each writes, from one consistent snapshot
 * of its kernel, the members "harts" and "memory" and a member of its own ("xv6" or
 * "exo"). The machine's devices (disk, console) are {@link Sampler}'s.
 */
sealed interface KernelPart permits Xv6Part, ExoPart {
    /** "xv6" or "kernel-exo". */
    String kernel();

    /** Writes its members into the snapshot object being written. */
    void write(Json j);
}
