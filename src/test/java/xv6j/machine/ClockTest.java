package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockTest {
    private static final long T = Clock.Virtual.INSTRUCTIONS_PER_TICK;

    @Test
    void virtualTimeIsInstructionsRetired() {
        Clock c = new Clock.Virtual();
        assertEquals(0, c.ticks());
        assertEquals(T, c.budget());
        assertEquals(0, c.retired(T - 1));
        assertEquals(1, c.budget(), "the budget ends exactly at the next tick");
        assertEquals(1, c.retired(1));
        assertEquals(1, c.ticks());
        assertEquals(Clock.TIME_HZ / Clock.TICKS_PER_SECOND, c.time(), "the time CSR runs at 10 MHz");
    }

    @Test
    void virtualTimeAdvancesWithinARunBeforeTheKernelAccountsForIt() {
        Clock c = new Clock.Virtual();
        c.retired(T);
        assertEquals(c.time(0) + 100, c.time(T / 10_000), "10 MHz: 100 time units per 1/100 of a tick");
    }

    @Test
    void anIdleVirtualMachineJumpsToTheTargetTickAtOnce() {
        Clock c = new Clock.Virtual();
        c.retired(T / 2);
        assertEquals(0, c.advanceTo(5));
        assertEquals(5, c.ticks());
        assertEquals(0, c.advanceTo(3), "time never goes back");
        assertEquals(5, c.ticks());
    }

    @Test
    void wallTimeMovesOnItsOwnAndSaysHowLongToWait() throws Exception {
        Clock c = new Clock.Wall();
        long wait = c.advanceTo(c.ticks() + 1);
        assertTrue(wait > 0 && wait <= 1_000_000_000L / Clock.TICKS_PER_SECOND, "waits at most a tick: " + wait);
        long t0 = c.time();
        Thread.sleep(2);
        assertTrue(c.time() > t0);
    }
}
