package xv6j.machine;

/**
 * A debugger between a kernel and a hart (the GDB stub, {@code xv6j.machine.gdb}, is one).
 * While one is set on a hart ({@link Hart#setDebugHook}), {@link Hart#run} hands it the
 * run, and it runs the hart through {@link Hart#execute} in steps of its own choosing,
 * stopping the hart where a breakpoint, a watchpoint or a single step says, for as long
 * as the debugger's user wants. To the kernel such a run looks like any other: it ends in
 * a trap, or when the budget is used up or the kernel asked for the hart back.
 */
public interface DebugHook {
    /** Does for hart h what {@link Hart#run} promises (h's LR reservation is dropped after it). */
    Trap run(Hart h, long budget);

    /**
     * The kernel asked h to come back soon ({@link Hart#requestInterrupt}): from another
     * thread, perhaps while h is stopped in the debugger.
     */
    void interruptRequested(Hart h);
}
