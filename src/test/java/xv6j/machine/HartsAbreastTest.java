package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Harts in the host's time are kept abreast in host CPU time, not in instructions: a hart
 * whose instructions cost more (interpreted, or code rewritten and compiled again and
 * again) must not hold a fast one to its pace, while a hart the host has stopped must
 * still hold the others back (issue 11). Each hart here runs on a thread of its own, as
 * a process's (xv6) or a hart's (kernel-exo) does, and fake clocks say how much CPU time
 * each thread has had and what time the host's is. A virtual thread's CPU clock reads -1,
 * as the JVM's does (xv6's processes run on virtual threads): its hart counts the host
 * time of its runs instead, at most {@link HartsAbreast#DEAREST} an instruction.
 */
@Timeout(60)
class HartsAbreastTest {
    private final Map<Thread, Long> cpuTime = new ConcurrentHashMap<>();
    private final AtomicLong hostTime = new AtomicLong();
    private final ExecutorService hart0 = Executors.newSingleThreadExecutor();
    private final ExecutorService hart1 = Executors.newSingleThreadExecutor();
    private final ExecutorService virtual0 = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final ExecutorService virtual1 = Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final HartsAbreast pacer = new HartsAbreast(2, () -> false, this::threadCpuTime, hostTime::get);

    /** The JVM's answer: a platform thread's CPU time, -1 for a virtual thread. */
    private long threadCpuTime() {
        Thread t = Thread.currentThread();
        return t.isVirtual() ? -1 : cpuTime.getOrDefault(t, 0L);
    }

    /** Each executor's one thread, to see when it waits. */
    private final Map<ExecutorService, Thread> threads = new ConcurrentHashMap<>();

    @BeforeEach
    void twoBusyHarts() throws Exception {
        for (ExecutorService e : new ExecutorService[] {hart0, hart1, virtual0, virtual1}) {
            threads.put(e, e.submit(Thread::currentThread).get());
        }
        pacer.busy(0);
        pacer.busy(1);
    }

    @AfterEach
    void stop() {
        hart0.shutdownNow();
        hart1.shutdownNow();
        virtual0.shutdownNow();
        virtual1.shutdownNow();
    }

    /** Runs user code on hart that takes the host ms of CPU time (a million instructions a ms) and ends in a system call. */
    private void run(int hart, long ms) {
        run(hart, ms, ms * 1_000_000, SYSTEM_CALL);
    }

    /**
     * Runs user code on hart that retires instructions in ms of the host's time, ending in
     * trap t; on a platform thread, all of it the thread's CPU time.
     */
    private void run(int hart, long ms, long instructions, Trap t) {
        pacer.keepAbreast(hart);
        pacer.budget(HartsAbreast.QUANTUM);
        long ns = TimeUnit.MILLISECONDS.toNanos(ms);
        hostTime.addAndGet(ns);
        if (!Thread.currentThread().isVirtual()) cpuTime.merge(Thread.currentThread(), ns, Long::sum);
        pacer.afterUser(hart, instructions, t);
    }

    private static final Trap SYSTEM_CALL = new Trap(Trap.Cause.ECALL, 0, 0);
    /** A run of a loop ends when its budget is used up: an interrupt, no trap of its own. */
    private static final Trap TIMER = new Trap(Trap.Cause.TIMER_INTERRUPT, 0, 0);

    private static Future<?> on(ExecutorService hart, Runnable r) {
        return hart.submit(r);
    }

    /**
     * Waits until keepAbreast, running as back on hart's thread, either waits (the thread in
     * the pacer's timed wait; an idle executor's thread waits untimed) or has returned; true
     * if it returned. An event, where a pause would pass on a host that had not run it yet.
     */
    private boolean waitsOrReturns(ExecutorService hart, Future<?> back) throws Exception {
        Thread t = threads.get(hart);
        while (!back.isDone() && t.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
        return back.isDone();
    }

    @Test
    void aLoopOnAVirtualThreadIsHeldBackByAStoppedHart() throws Exception {
        // Ten million instructions in 10 ms, ending at the slice's end: no trap, and no CPU
        // time the JVM reads. Before, such a hart counted nothing and ran on for ever.
        on(virtual0, () -> run(0, 10, 10_000_000, TIMER)).get();
        Future<?> back = on(virtual0, () -> pacer.keepAbreast(0));
        assertFalse(waitsOrReturns(virtual0, back), "a loop 10 ms ahead of a stopped hart went back to user mode");
        on(virtual1, () -> run(1, 10, 10_000_000, TIMER)).get(); // the host lets it run again
        back.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aVirtualThreadStoppedInTheMiddleOfARunCountsOnlyWhatItsInstructionsCouldCost() throws Exception {
        // The host stops init's carrier for 10 ms in a run of a hundred instructions up to a
        // system call: that run counts 5 µs and its trap, not 10 ms.
        on(virtual1, () -> run(1, 10, 100, SYSTEM_CALL)).get();
        on(virtual0, () -> run(0, 5, 5_000_000, TIMER)).get();
        Future<?> back = on(virtual0, () -> pacer.keepAbreast(0));
        assertFalse(waitsOrReturns(virtual0, back), "a hart stopped by the host counted the stop as progress");
        on(virtual1, () -> run(1, 10, 10_000_000, TIMER)).get();
        back.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLoopOnAVirtualThreadWhoseInstructionsCostMoreDoesNotHoldBackAFastOne() throws Exception {
        on(virtual1, () -> run(1, 10, 1_000_000, TIMER)).get();  // interpreted, or compiling: 10 ns an instruction
        on(virtual0, () -> run(0, 10, 10_000_000, TIMER)).get(); // translated: 1 ns
        on(virtual0, () -> pacer.keepAbreast(0)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHartWhoseInstructionsCostMoreDoesNotHoldBackAFastOne() throws Exception {
        on(hart1, () -> run(1, 10, 1_000, SYSTEM_CALL)).get();       // slow: a thousand instructions in 10 ms
        on(hart0, () -> run(0, 10, 10_000_000, SYSTEM_CALL)).get();  // fast: ten million in 10 ms
        // Level in time: the fast hart goes on at once (it waited for ever when its lead
        // was counted in instructions).
        on(hart0, () -> pacer.keepAbreast(0)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHartTheHostStoppedHoldsBackTheOthersUntilItRunsAgain() throws Exception {
        on(hart1, () -> run(1, 0));             // stopped: no CPU time at all
        on(hart0, () -> run(0, 10)).get();
        Future<?> back = on(hart0, () -> pacer.keepAbreast(0));
        assertFalse(waitsOrReturns(hart0, back), "a hart 10 ms ahead of a stopped one went back to user mode");
        on(hart1, () -> run(1, 10)).get();      // the host lets it run again
        back.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHartThatGoesIdleHoldsNobodyBack() throws Exception {
        on(hart0, () -> run(0, 10)).get();
        Future<?> back = on(hart0, () -> pacer.keepAbreast(0));
        assertFalse(waitsOrReturns(hart0, back), "a hart 10 ms ahead of a busy one went back to user mode");
        on(hart1, () -> pacer.idle(1)).get();   // its work is done (or it waits for a device)
        back.get(10, TimeUnit.SECONDS);
    }
}
