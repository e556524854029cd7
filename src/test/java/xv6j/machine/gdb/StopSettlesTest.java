package xv6j.machine.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.harness.Harness;
import xv6j.harness.OwnThread;
import xv6j.machine.Hart;
import xv6j.machine.jit.Engine;

/**
 * When a stop is settled, and so reported to gdb with the registers it shows. The stub
 * stops waiting for harts on their way to park after a grace (Session, 2 s): on a loaded
 * host a long continue outlasts it, and gdb's session thread, woken by the breakpoint,
 * used to settle the stop before the hart that hit it had parked, and report the pc it
 * had when it last left user code. Here the interleaving is forced: the debugger's wake-up
 * runs on the hart's thread, between the breakpoint's stop and the park, and looks then.
 */
@Timeout(60)
class StopSettlesTest {
    private static final Path RECURSION = Harness.userBin("test").resolve("recursion");

    /** A breakpoint's stop settles, even when forced, only with its hart parked at the breakpoint. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aForcedStopWaitsForTheHartAtTheBreakpointToPark(Engine engine) throws Exception {
        Harness reference = new Harness(64L << 20);
        reference.hart().setEngine(engine);
        long exitPc = reference.run(RECURSION, List.of("recursion"), 1L << 40).lastTrap().pc();

        Harness harness = new Harness(64L << 20);
        Hart h = harness.hart();
        h.setEngine(engine);
        AtomicReference<Debugger> dbg = new AtomicReference<>();
        AtomicReference<Thread> hartThread = new AtomicReference<>();
        AtomicReference<String> early = new AtomicReference<>();
        // What the session does when woken, done where the race is: on the hart's thread,
        // after its stop is recorded and before it parks; forced, as after the grace.
        Runnable onPark = () -> {
            Debugger d = dbg.get();
            if (Thread.currentThread() != hartThread.get() || d.parked(0)) return;
            Debugger.Stop s = d.settled(true);
            if (s != null && s.reason() == Debugger.Reason.BREAKPOINT && early.get() == null)
                early.set(s + " settled before its hart parked, showing pc 0x" + Long.toHexString(d.registers(0)[32]));
        };
        Debugger d = new Debugger(new Hart[] {h}, h.mem, onPark);
        dbg.set(d);
        d.attach();
        CompletableFuture<Harness.Result> run = OwnThread.supply("harness (recursion)", () -> {
            hartThread.set(Thread.currentThread());
            return harness.run(RECURSION, List.of("recursion"), 1L << 40);
        });
        try {
            assertEquals(Debugger.Reason.ATTACHED, d.awaitStop(30, TimeUnit.SECONDS).reason());
            d.addBreakpoint(exitPc);
            d.resume(new Debugger.Action[] {Debugger.Action.CONTINUE});
            Debugger.Stop stop = d.awaitStop(30, TimeUnit.SECONDS);
            assertNull(early.get());
            assertEquals(Debugger.Reason.BREAKPOINT, stop.reason());
            assertEquals(exitPc, d.registers(0)[32], "the pc gdb is shown");
            d.removeBreakpoint(exitPc);
            d.resume(new Debugger.Action[] {Debugger.Action.CONTINUE});
            assertEquals(0, run.get(30, TimeUnit.SECONDS).exitCode());
        } finally {
            d.release();
        }
    }
}
