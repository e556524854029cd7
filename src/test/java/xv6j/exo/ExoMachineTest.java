package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.harness.OwnThread;
import xv6j.machine.Console;

/** kernel-exo as a machine: deterministic runs, several harts, Ctrl-A x. */
@Timeout(120)
class ExoMachineTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsOfTheSameProgramPrintTheSameBytesAndRetireTheSameInstructions() throws Exception {
        // Preemption, slice upcalls and console input: everything that depends on time.
        for (String program : new String[] {"preempt", "block"}) {
            Path a = Files.createDirectories(dir.resolve(program + "-a"));
            Path b = Files.createDirectories(dir.resolve(program + "-b"));
            ExoRun.Options o = ExoRun.Options.defaults().unchecked();
            ExoRun.Result r1 = ExoRun.run(a, program, "one\ntwo\n", o);
            ExoRun.Result r2 = ExoRun.run(b, program, "one\ntwo\n", o);
            assertTrue(r1.output().contains(program + ": ok\n"), r1.toString());
            assertEquals(r1.output(), r2.output());
            assertEquals(r1.instructions(), r2.instructions(), program);
        }
    }

    @Test
    void twoHartsRunPingPongPreemptionCallsCopyOnWriteAndRevocationToTheEnd() throws Exception {
        ExoRun.Options two = ExoRun.Options.defaults().harts(2);
        for (String program : new String[] {"pingpong", "preempt", "pct", "cow", "revoke3"}) {
            // pingpong's players spin on yields while the other runs on the other hart: tens
            // of thousands of kernel entries, too many to check the invariants after each.
            ExoRun.Options o = program.equals("pingpong") ? two.unchecked() : two;
            ExoRun.Result r = ExoRun.run(Files.createDirectories(dir.resolve(program)), program, "", o);
            assertEquals(0, r.status(), r.toString());
            assertFalse(r.output().contains("FAIL"), r.toString());
            assertTrue(r.output().matches("(?s).*(: ok|all passed)\n"), r.toString());
        }
    }

    @Test
    void aRevokedPageIsOutOfReachOfAReaderRunningOnAnotherHartWhenCaprevokeReturns() throws Exception {
        // The reader spins on the page on the other hart, on translations its TLB holds.
        for (int run = 0; run < 3; run++) {
            ExoRun.Result r = ExoRun.run(Files.createDirectories(dir.resolve("run" + run)), "shootdown", "",
                    ExoRun.Options.defaults().harts(2));
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.output().contains("shootdown: 10 rounds, the reader faulted in 10, saw the new value 0 times\n"), r.toString());
        }
    }

    /** A program booted as /init at a terminal whose keys the test types; its kernel once booted. */
    private record AtTerminal(PipedOutputStream keys, ByteArrayOutputStream out, CompletableFuture<ExoRun.Result> run,
                              CompletableFuture<Exokernel> kernel) {}

    private AtTerminal atTerminal(String program, ExoRun.Options o) throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(in, out, true, () -> {});
        Path img = ExoRun.image(dir, ExoRun.exoProgram(program));
        CompletableFuture<Exokernel> kernel = new CompletableFuture<>();
        CompletableFuture<ExoRun.Result> run = OwnThread.supply("machine (kernel-exo, " + program + ")",
                () -> ExoRun.boot(img, console, out, o, kernel::complete));
        return new AtTerminal(keys, out, run, kernel);
    }

    @Test
    void ctrlAThenXStopsAMachineThatWaitsForInput() throws Exception {
        AtTerminal t = atTerminal("block", ExoRun.Options.defaults());
        PipedOutputStream keys = t.keys();
        ByteArrayOutputStream out = t.out();
        CompletableFuture<ExoRun.Result> run = t.run();
        // Each line is typed when block waits for it; then it waits for input that never comes.
        awaitOutput(out, "block: waiting for input\n");
        type(keys, "typed\n");
        awaitOutput(out, "block: read typed\n");
        type(keys, "again\n");
        awaitOutput(out, "block: ok\n");
        type(keys, "\u0001x");
        ExoRun.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.output().contains("block: read typed\nblock: read again\nblock: ok\n"), r.toString());
        keys.close();
    }

    /** Issue 12, point 13: ticks advance while every environment waits for a key. */
    @Test
    void theClockRunsWhileEveryEnvironmentWaitsForAKeyAndTheMachineSaysItHaltedWhenNothingIsLeft() throws Exception {
        AtTerminal t = atTerminal("consticks", ExoRun.Options.defaults().wallClock());
        PipedOutputStream keys = t.keys();
        ByteArrayOutputStream out = t.out();
        CompletableFuture<ExoRun.Result> run = t.run();
        awaitOutput(out, "consticks: waiting for a key\n");
        // Ten ticks counted by the kernel while /init waits for the key (it read its start
        // before it said so): its clock must run with every environment blocked. Up to a minute.
        Exokernel k = t.kernel().get(60, TimeUnit.SECONDS);
        long from = ticks(k);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ticks(k) < from + 10) {
            assertTrue(System.nanoTime() < deadline, "the kernel's clock stood still while every environment waited: "
                    + ticks(k) + " ticks, " + from + " when /init began to wait");
            Thread.sleep(10);
        }
        type(keys, "k");
        // Issue 12, point 10: /init exits at a terminal; its end is the machine's: the
        // machine halts by itself, with /init's status, and says so.
        ExoRun.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.status(), r.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("consticks: a key after (\\d+) ticks\n").matcher(r.output());
        assertTrue(m.find(), r.toString());
        assertTrue(Integer.parseInt(m.group(1)) >= 10, "at least 10 ticks passed: " + r);
        assertTrue(r.output().endsWith("kernel-exo: the first environment ended (status 0): the machine halted\n"), r.toString());
        keys.close();
    }

    /**
     * At a terminal, when no environment can run and none waits for a key or for time
     * (here a lost wake-up: /init waits for a child asleep on a word no one wakes), nothing
     * can ever happen again: the machine halts by itself and says why.
     */
    @Test
    void atATerminalAMachineWhereNothingCanEverRunHaltsAndSaysSo() throws Exception {
        AtTerminal t = atTerminal("lostwake", ExoRun.Options.defaults().wallClock());
        PipedOutputStream keys = t.keys();
        CompletableFuture<ExoRun.Result> run = t.run();
        type(keys, "sleep\n");
        ExoRun.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.output().endsWith("kernel-exo: no environment can run, and none waits for a key or for time: the machine halted\n"), r.toString());
        keys.close();
    }

    /** The ticks kernel-exo's environments see (exo_ticks). */
    private static long ticks(Exokernel k) {
        k.lock.lock();
        try {
            return k.sched.ticks;
        } finally {
            k.lock.unlock();
        }
    }

    private static void type(PipedOutputStream keys, String s) throws Exception {
        keys.write(s.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString(StandardCharsets.ISO_8859_1).contains(text) && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(out.toString(StandardCharsets.ISO_8859_1).contains(text), "waited for \"" + text + "\" in:\n" + out);
    }
}
