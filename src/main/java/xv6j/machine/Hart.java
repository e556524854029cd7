package xv6j.machine;

/**
 * A RISC-V RV64GC hart running user-mode code. The kernel (Java) plays supervisor mode:
 * it loads a process's registers into the hart, calls {@link #run}, and gets back a
 * {@link Trap} when the user code makes a system call, faults, or uses up its slice.
 *
 * <p>State is in plain fields and arrays so a kernel can save and restore it by copying
 * and generated code can use it directly.
 */
public final class Hart {
    public final int id;
    public final PhysicalMemory mem;

    /** Integer registers; x[0] is always 0. */
    public final long[] x = new long[32];
    /** Floating-point registers as raw bits; a single is NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    public long pc;
    /** The fcsr CSR: frm in bits 7:5, the accrued exception flags (NV DZ OF UF NX) in bits 4:0. */
    public int fcsr;
    /** Instructions retired (the instret and cycle CSRs). */
    public long instret;

    public final Mmu mmu;
    private java.util.function.LongSupplier time = () -> 0;

    public Hart(int id, PhysicalMemory mem) {
        this.id = id;
        this.mem = mem;
        this.mmu = new Mmu(mem);
    }

    public void setTimeSource(java.util.function.LongSupplier time) { this.time = time; }
    public void requestInterrupt() {}
    public void clearReservation() {}

    /** Runs user code for at most budget instructions; returns why it stopped. */
    public Trap run(long budget) {
        throw new UnsupportedOperationException("the interpreter is being written (issue 2)");
    }
}
