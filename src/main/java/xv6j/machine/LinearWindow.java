package xv6j.machine;

/**
 * One linear window as compiled code reads it (see {@link LinearWindows}, which keeps it):
 * virtual addresses [lo, lo + size) are ram indexes va + addend (see {@link CompiledAccess#window}). A small object of its
 * own, not elements of a long[], so that HotSpot knows no store to ram (a long[]) can
 * change it, and reads each field once for many accesses. Written only between the
 * hart's calls of compiled code.
 */
final class LinearWindow {
    /** The first va; size + 2^63, for a signed compare to be an unsigned one; ram index - va. */
    long lo, bound = Long.MIN_VALUE, addend;

    void set(long lo, long size, long addend) {
        this.lo = lo;
        this.bound = size + Long.MIN_VALUE;
        this.addend = addend;
    }
}
