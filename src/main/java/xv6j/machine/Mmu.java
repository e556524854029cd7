package xv6j.machine;

/** Placeholder until the interpreter branch lands (issue 2). */
public final class Mmu {
    public Mmu(PhysicalMemory mem) {}
    public void setSatp(long satp) {}
    public void flush() {}
}
