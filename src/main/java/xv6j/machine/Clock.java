package xv6j.machine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The machine's timer. It counts ticks (10 a second, as xv6's timer interrupt does) and
 * tells each hart how many instructions it may run before its next timer interrupt.
 *
 * <p>Two kinds (docs/architecture.md, decision 8):
 * <ul>
 * <li>{@link Virtual}: time is instructions. A tick is {@link Virtual#INSTRUCTIONS_PER_TICK}
 * instructions retired by the harts, and when every process sleeps the kernel jumps time
 * ahead to the next event. With one hart, the same program and input give the same
 * output and the same instruction counts on every run.</li>
 * <li>{@link Wall}: time is the host's clock; harts get fixed instruction budgets and
 * notice the tick at the end of one.</li>
 * </ul>
 */
public abstract sealed class Clock permits Clock.Virtual, Clock.Wall {
    public static final int TICKS_PER_SECOND = 10;
    /** The `time` CSR counts at 10 MHz, as on QEMU's virt board. */
    public static final long TIME_HZ = 10_000_000L;

    /** Ticks since boot. */
    public abstract long ticks();

    /** Value of the `time` CSR. */
    public long time() {
        return time(0);
    }

    /**
     * Value of the `time` CSR read by a hart that has retired {@code inRun} instructions in
     * its current run, not yet accounted for with {@link #retired}.
     */
    public abstract long time(long inRun);

    /** Instructions a hart may run before it must return for the timer. */
    public abstract long budget();

    /**
     * Accounts for instructions a hart just ran. Returns the tick count after them, so the
     * caller sees whether a tick boundary passed.
     */
    public abstract long retired(long instructions);

    /**
     * The machine is idle until tick {@code target}. A virtual clock jumps there and returns
     * 0; a wall clock returns the nanoseconds still to wait (0 once it is there).
     */
    public abstract long advanceTo(long target);

    public abstract boolean deterministic();

    /**
     * The hardware spent time the harts did not: a disk flush. Virtual time moves on by
     * the given number of instructions' worth; wall time has moved by itself.
     */
    public abstract void charge(long instructions);

    /** Instruction-count time. */
    public static final class Virtual extends Clock {
        public static final long INSTRUCTIONS_PER_TICK = 1_000_000L;
        private final AtomicLong instructions = new AtomicLong();

        @Override public long ticks() { return instructions.get() / INSTRUCTIONS_PER_TICK; }

        @Override public long time(long inRun) {
            return (instructions.get() + inRun) * (TIME_HZ / TICKS_PER_SECOND) / INSTRUCTIONS_PER_TICK;
        }

        @Override public long budget() {
            return INSTRUCTIONS_PER_TICK - instructions.get() % INSTRUCTIONS_PER_TICK;
        }

        @Override public long retired(long n) { return instructions.addAndGet(n) / INSTRUCTIONS_PER_TICK; }

        @Override public long advanceTo(long target) {
            instructions.accumulateAndGet(target * INSTRUCTIONS_PER_TICK, Math::max);
            return 0;
        }

        @Override public boolean deterministic() { return true; }

        @Override public void charge(long n) { instructions.addAndGet(n); }
    }

    /** Host time. */
    public static final class Wall extends Clock {
        /** Instructions between checks of the host clock: about a millisecond of emulation. */
        static final long SLICE = 200_000L;
        private static final long NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;
        private final long start = System.nanoTime();

        @Override public long ticks() { return (System.nanoTime() - start) / NANOS_PER_TICK; }

        @Override public long time(long inRun) { return (System.nanoTime() - start) / (1_000_000_000L / TIME_HZ); }

        @Override public long budget() { return SLICE; }

        @Override public long retired(long n) { return ticks(); }

        @Override public long advanceTo(long target) {
            return Math.max(0, start + target * NANOS_PER_TICK - System.nanoTime());
        }

        @Override public boolean deterministic() { return false; }

        @Override public void charge(long n) {}
    }
}
