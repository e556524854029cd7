package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Harts in the host's time are kept abreast in host CPU time, not in instructions: a hart
 * whose instructions cost more (interpreted, or code rewritten and compiled again and
 * again) must not hold a fast one to its pace, while a hart the host has stopped must
 * still hold the others back (issue 11). Each hart here runs on a thread of its own, as
 * a process's (xv6) or a hart's (kernel-exo) does, and a fake clock says how much CPU
 * time each thread has had.
 */
@Timeout(60)
class HartsAbreastTest {
    private final Map<Thread, Long> cpuTime = new ConcurrentHashMap<>();
    private final ExecutorService hart0 = Executors.newSingleThreadExecutor();
    private final ExecutorService hart1 = Executors.newSingleThreadExecutor();
    private final HartsAbreast pacer =
            new HartsAbreast(2, () -> false, () -> cpuTime.getOrDefault(Thread.currentThread(), 0L));

    /** Each executor's one thread, to see when it waits. */
    private final Map<ExecutorService, Thread> threads = new ConcurrentHashMap<>();

    @BeforeEach
    void twoBusyHarts() throws Exception {
        threads.put(hart0, hart0.submit(Thread::currentThread).get());
        threads.put(hart1, hart1.submit(Thread::currentThread).get());
        on(hart0, () -> pacer.busy(0)).get();
        on(hart1, () -> pacer.busy(1)).get();
    }

    @AfterEach
    void stop() {
        hart0.shutdownNow();
        hart1.shutdownNow();
    }

    /** Runs user code on hart that takes the host ms of CPU time and ends in a system call. */
    private void run(int hart, long ms) {
        pacer.keepAbreast(hart);
        cpuTime.merge(Thread.currentThread(), TimeUnit.MILLISECONDS.toNanos(ms), Long::sum);
        pacer.afterUser(hart, null);
    }

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
    void aHartWhoseInstructionsCostMoreDoesNotHoldBackAFastOne() throws Exception {
        on(hart1, () -> run(1, 10)).get();  // slow: a thousand instructions in 10 ms
        on(hart0, () -> run(0, 10)).get();  // fast: ten million in 10 ms
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
