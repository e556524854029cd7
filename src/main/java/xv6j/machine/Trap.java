package xv6j.machine;

/**
 * Why a hart stopped running user code and handed control back to the kernel.
 * A trap is a returned value, never a thrown exception: traps are frequent (every
 * system call is one) and a Java exception costs far more than a return.
 *
 * @param cause what happened
 * @param pc    the pc of the instruction that trapped (for an interrupt: of the next
 *              instruction to run); the hart's pc equals it when the trap is returned
 * @param tval  the faulting virtual address for misaligned, access and page faults,
 *              the instruction bits for an illegal instruction, else 0
 */
public record Trap(Cause cause, long pc, long tval) {

    /** The RISC-V scause values a user-mode hart can raise, plus the timer interrupt. */
    public enum Cause {
        INSTRUCTION_MISALIGNED(0),
        INSTRUCTION_ACCESS_FAULT(1),
        ILLEGAL_INSTRUCTION(2),
        BREAKPOINT(3),
        LOAD_MISALIGNED(4),
        LOAD_ACCESS_FAULT(5),
        STORE_MISALIGNED(6),
        STORE_ACCESS_FAULT(7),
        ECALL(8),
        INSTRUCTION_PAGE_FAULT(12),
        LOAD_PAGE_FAULT(13),
        STORE_PAGE_FAULT(15),
        /** The slice ended (instruction-count timer) or another thread asked the hart to stop. */
        TIMER_INTERRUPT(-1);

        /** The scause code (exceptions) or -1 for the timer interrupt. */
        public final int code;

        Cause(int code) {
            this.code = code;
        }

        public boolean isInterrupt() {
            return this == TIMER_INTERRUPT;
        }

        public boolean isPageFault() {
            return this == INSTRUCTION_PAGE_FAULT || this == LOAD_PAGE_FAULT || this == STORE_PAGE_FAULT;
        }

        /** A short lower-case name for messages, e.g. "load page fault". */
        public String describe() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    @Override
    public String toString() {
        return String.format("%s pc=0x%x tval=0x%x", cause.describe(), pc, tval);
    }
}
