package xv6j.machine.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.harness.Harness;
import xv6j.harness.OwnThread;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.jit.Engine;

/**
 * The GDB stub on the wire, driven by a client that says exactly what gdb would (or what
 * a broken client might): programs on the machine's test harness, whose runs are
 * deterministic, so where a stop lands can be checked to the instruction.
 */
@Timeout(120)
class GdbStubTest {
    private static final Path BIN = Harness.userBin("test");

    /** A program run by the harness in a thread of its own, with the stub holding its hart. */
    /** A pause between slices once the machine has run: it goes on, slowly. */
    private static void pauseOnceGoing(Hart h) {
        if (h.instret == 0) return;
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Run implements AutoCloseable {
        final Harness harness;
        final GdbServer gdb;
        final CompletableFuture<Harness.Result> result;

        Run(String program, Engine engine, Runnable quit, java.util.function.Consumer<Hart> beforeSlice) throws Exception {
            harness = new Harness(64L << 20);
            Hart h = harness.hart();
            h.setEngine(engine);
            harness.beforeSlice(beforeSlice);
            gdb = GdbServer.listen(0);
            gdb.start(new Hart[] {h}, h.mem, null, () -> null, quit);
            result = OwnThread.supply("harness (" + program + ")", () -> {
                Harness.Result r = harness.run(BIN.resolve(program), List.of(program), 1L << 40);
                gdb.halted(r.exitCode());
                return r;
            });
        }

        GdbClient connect() throws Exception {
            return new GdbClient(gdb.port());
        }

        Harness.Result finish() throws Exception {
            return result.get(60, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            gdb.close();
        }
    }

    /** The program run without a debugger: what every debugged run must match. */
    private static Harness.Result reference(String program, Engine engine) throws Exception {
        Harness h = new Harness(64L << 20);
        h.hart().setEngine(engine);
        return h.run(BIN.resolve(program), List.of(program), 1L << 40);
    }

    /**
     * The first half of the run belongs to another task (scontext 1), which gdb does not
     * follow: it runs free, compiled under the translators. The second half is task 0's,
     * with a breakpoint on the exit call, which runs once: the stop comes exactly there,
     * with exactly the instructions retired that the run without gdb retires before it.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBreakpointStopsAtTheExactInstructionUnderEveryEngine(Engine engine) throws Exception {
        Harness.Result ref = reference("recursion", engine);
        long exitPc = ref.lastTrap().pc(), before = ref.instret();
        try (Run run = new Run("recursion", engine, null, h -> h.scontext = h.instret < before / 2 ? 1 : 0);
             GdbClient gdb = run.connect()) {
            String stop = gdb.ask("?");
            assertTrue(stop.startsWith("T05thread:1;"), stop);
            assertTrue(gdb.monitor("follow 0").contains("task 0 alone"));
            assertEquals("OK", gdb.ask("Z0," + Long.toHexString(exitPc) + ",2"));
            stop = gdb.ask("vCont;c");
            assertTrue(stop.startsWith("T05thread:1;") && stop.contains("swbreak:;"), stop);
            assertEquals(exitPc, GdbClient.stopRegister(stop, 0x20));
            Hart h = run.harness.hart();
            assertEquals(before, h.instret, "instructions retired before the breakpoint");
            assertEquals(93, h.x[17], "a7 at the exit call");
            // Two single steps back in the same address space: stepping over the exit call ends with the program.
            assertEquals("OK", gdb.ask("z0," + Long.toHexString(exitPc) + ",2"));
            assertEquals("W00", gdb.ask("vCont;c"));
            Harness.Result r = run.finish();
            assertEquals(ref.out(), r.out());
            assertEquals(ref.instret(), r.instret());
        }
    }

    /** Single steps retire one instruction each, and follow the program's own path; under every engine. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void singleStepsRetireOneInstructionEach(Engine engine) throws Exception {
        try (Run run = new Run("arith", engine, null, h -> { }); GdbClient gdb = run.connect()) {
            gdb.ask("?");
            Hart h = run.harness.hart();
            long pc = 0;
            for (int i = 1; i <= 200; i++) {
                String stop = gdb.ask("vCont;s:1;c");
                assertTrue(stop.startsWith("T05thread:1;"), stop);
                assertEquals(i, h.instret, "after step " + i);
                long next = GdbClient.stopRegister(stop, 0x20);
                assertTrue(next != pc, "step " + i + " stayed at 0x" + Long.toHexString(pc));
                pc = next;
            }
            assertEquals("OK", gdb.ask("D"));
            assertEquals(0, run.finish().exitCode());
        }
    }

    @Test
    void garbageMalformedAndUnknownPacketsGetAnAnswerAndTheStubGoesOn() throws Exception {
        Harness.Result ref = reference("recursion", Engine.DEFAULT);
        try (Run run = new Run("recursion", Engine.DEFAULT, null, h -> { }); GdbClient gdb = run.connect()) {
            gdb.raw("noise\u0000\u00ff+++");
            gdb.raw("$qSupported#00"); // a wrong checksum
            assertEquals('-', gdb.ack());
            gdb.raw("$" + "a".repeat(Connection.MAX_PACKET + 100) + "#00");
            assertEquals('-', gdb.ack());
            assertTrue(gdb.ask("qSupported:multiprocess+;swbreak+").contains("PacketSize="));
            assertEquals("", gdb.ask("frobnicate"), "an unknown packet: the empty reply");
            assertTrue(gdb.ask("mzz,4").startsWith("E"));
            assertTrue(gdb.ask("m0,ffffffffff").startsWith("E"));
            assertTrue(gdb.ask("M0,4:0102").startsWith("E"));
            assertTrue(gdb.ask("G00").startsWith("E"));
            assertTrue(gdb.ask("P1").startsWith("E"));
            assertEquals("E00", gdb.ask("p3e7"));
            assertEquals("E01", gdb.ask("Hg63"));
            assertEquals("E01", gdb.ask("T2"));
            assertEquals("", gdb.ask("Z9,0,0"));
            assertTrue(gdb.ask("vCont;x").startsWith("E"));
            assertTrue(gdb.ask("vCont;s:5").startsWith("E"));
            assertTrue(gdb.ask("qXfer:threads:read::zz").startsWith("E"));
            assertTrue(gdb.monitor("nonsense").startsWith("unknown command nonsense"));
            assertTrue(gdb.monitor("follow no-such-program").contains("follow:"));
            assertTrue(gdb.monitor("ps").contains("no kernel is running"));
            // Still a stub: it stops, reads, resumes.
            assertTrue(gdb.ask("?").startsWith("T05thread:1;"));
            assertEquals(65 * 16 + 3 * 8, gdb.ask("g").length());
            assertTrue(gdb.ask("qXfer:features:read:target.xml:0,fff").contains("org.gnu.gdb.riscv.fpu"));
            assertEquals("W00", gdb.ask("vCont;c"));
            assertEquals(ref.out(), run.finish().out());
        }
    }

    @Test
    void aSecondGdbIsRefusedWithAReasonAndTheFirstGoesOn() throws Exception {
        try (Run run = new Run("recursion", Engine.DEFAULT, null, h -> { }); GdbClient first = run.connect()) {
            assertTrue(first.ask("?").startsWith("T05"));
            try (GdbClient second = run.connect()) {
                second.send("qSupported");
                assertEquals('+', second.ack());
                assertEquals("E.another gdb is attached to this machine; one at a time", second.reply());
                assertTrue(second.closedByStub());
            }
            assertEquals(65 * 16 + 3 * 8, first.ask("g").length());
            assertEquals("W00", first.ask("vCont;c"));
            assertEquals(0, run.finish().exitCode());
        }
    }

    /** A gdb that vanishes lets the machine go on; the next one to connect stops it again. */
    @Test
    void aDroppedConnectionLetsTheMachineRunAndTheNextGdbStopsItAgain() throws Exception {
        Harness.Result ref = reference("sorthash", Engine.DEFAULT);
        // Once going, the machine is slowed (a pause between its slices), so that it cannot
        // finish before the second gdb is there, however fast the engine.
        try (Run run = new Run("sorthash", Engine.DEFAULT, null, GdbStubTest::pauseOnceGoing)) {
            Hart h = run.harness.hart();
            try (GdbClient first = run.connect()) {
                assertTrue(first.ask("?").startsWith("T05"));
                assertEquals(0, h.instret);
            } // dropped: no D, no k
            for (int i = 0; i < 500 && h.instret == 0 && !run.result.isDone(); i++) Thread.sleep(10);
            assertTrue(h.instret > 0 || run.result.isDone(), "the machine did not go on");
            try (GdbClient second = run.connect()) {
                String stop = second.ask("?");
                assertTrue(stop.startsWith("T05thread:1;"), stop);
                long at = h.instret;
                Thread.sleep(50);
                assertEquals(at, h.instret, "stopped means stopped");
                assertEquals("OK", second.ask("D"));
            }
            Harness.Result r = run.finish();
            assertEquals(ref.out(), r.out());
            assertEquals(0, r.exitCode());
        }
    }

    /**
     * A client that sends packets as fast as it can and never reads a reply: TCP holds it
     * back once the stub's queue is full (it never grows without end), and when it goes,
     * the machine goes on and the next gdb stops it again. (The bound itself:
     * theStubReadsNoMoreThanItsQueueHolds.)
     */
    @Test
    void aClientThatFloodsWithoutReadingIsHeldBackAndTheNextGdbWorks() throws Exception {
        Harness.Result ref = reference("sorthash", Engine.DEFAULT);
        try (Run run = new Run("sorthash", Engine.DEFAULT, null, h -> { })) {
            java.net.Socket flood = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), run.gdb.port());
            byte[] packets = GdbClient.frame("g").repeat(64 * 1024).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            CompletableFuture<Long> sent = OwnThread.supply("flooding client", () -> {
                long n = 0;
                try {
                    for (int i = 0; i < 64; i++) { // 4M packets of registers (4 GB of replies) asked for
                        flood.getOutputStream().write(packets);
                        n += packets.length;
                    }
                } catch (java.io.IOException e) {
                    // closed under us, while TCP held us back
                }
                return n;
            });
            // Held back (the stub's queue is bounded: theStubReadsNoMoreThanItsQueueHolds): the
            // reader waits for room, so TCP's windows fill and the client's writes wait. Here,
            // what matters is what comes after: the flood goes, and the next gdb works.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sent.isDone() && !stubReaderWaitsForRoom() && System.nanoTime() < deadline) Thread.sleep(10);
            flood.setSoLinger(true, 0); // gone at once, replies unread
            flood.close();
            assertTrue(sent.get(30, TimeUnit.SECONDS) < 64L * packets.length, "TCP never held the client back");
            Hart h = run.harness.hart();
            for (int i = 0; i < 500 && h.instret == 0 && !run.result.isDone(); i++) Thread.sleep(10);
            assertTrue(h.instret > 0 || run.result.isDone(), "the machine did not go on");
            try (GdbClient next = run.connect()) {
                String stop = next.ask("?");
                assertTrue(stop.startsWith("T05thread:1;") || stop.equals("W00"), stop);
                assertEquals("OK", next.ask("D"));
            }
            Harness.Result r = run.finish();
            assertEquals(ref.out(), r.out());
            assertEquals(0, r.exitCode());
        }
    }

    /**
     * gdb's Ctrl-C (a 0x03 byte while the machine runs) stops it, as SIGINT. The machine,
     * once going, waits before its next slice until the byte is on its way, then goes on
     * slowly until gdb has its reply: it is running when the byte comes however slow the
     * host. (Before, a 20 ms
     * pause here could outlast the whole run on a loaded host: the stub had told of the
     * exit and closed the port, and the byte met a broken pipe.)
     */
    @Test
    void ctrlCStopsARunningMachine() throws Exception {
        var going = new java.util.concurrent.CountDownLatch(1);
        var sent = new java.util.concurrent.CountDownLatch(1);
        var replied = new AtomicBoolean();
        java.util.function.Consumer<Hart> heldUntilSent = h -> {
            if (h.instret == 0) return;
            going.countDown();
            try {
                sent.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!replied.get()) pauseOnceGoing(h);
        };
        try (Run run = new Run("sorthash", Engine.DEFAULT, null, heldUntilSent); GdbClient gdb = run.connect()) {
            gdb.ask("?");
            gdb.send("vCont;c");
            assertEquals('+', gdb.ack());
            assertTrue(going.await(30, TimeUnit.SECONDS), "the machine never went on");
            gdb.raw("\u0003");
            sent.countDown();
            String stop = gdb.reply();
            replied.set(true);
            assertTrue(stop.startsWith("T02thread:1;") || stop.equals("W00"), stop);
            if (stop.startsWith("T02")) {
                Hart h = run.harness.hart();
                long at = h.instret;
                Thread.sleep(50);
                assertEquals(at, h.instret);
                assertEquals("W00", gdb.ask("vCont;c"));
            }
            assertEquals(0, run.finish().exitCode());
        }
    }

    /** Whether a stub's reader thread (Connection's) is parked in a put to its event queue: the queue is full. */
    /**
     * The stub reads no more than its queue holds: with no session taking its events, the
     * reader waits for room once the queue is full, and a client sending without end is
     * held back by TCP. Were the queue unbounded, the reader would take the whole flood.
     */
    @Test
    void theStubReadsNoMoreThanItsQueueHolds() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket client = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort());
             Connection conn = new Connection(server.accept())) {
            conn.start();
            byte[] packets = GdbClient.frame("g").repeat(64 * 1024).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            CompletableFuture<Long> sent = OwnThread.supply("flooding client", () -> {
                long n = 0;
                try {
                    for (int i = 0; i < 64; i++) { // 4M packets, 20 MB
                        client.getOutputStream().write(packets);
                        n += packets.length;
                    }
                } catch (java.io.IOException e) {
                    // closed under us, while TCP held us back
                }
                return n;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // (it takes milliseconds)
            while (!sent.isDone() && !stubReaderWaitsForRoom()) {
                assertTrue(System.nanoTime() < deadline, "the reader neither took the flood nor waited for room");
                Thread.sleep(10);
            }
            assertFalse(sent.isDone(), "the stub took the whole flood: its queue has no bound");
            client.setSoLinger(true, 0);
            client.close();
            assertTrue(sent.get(30, TimeUnit.SECONDS) < 64L * packets.length, "TCP never held the client back");
        }
    }

    private static boolean stubReaderWaitsForRoom() {
        return Thread.getAllStackTraces().entrySet().stream().anyMatch(t -> t.getKey().getName().equals("gdb-reader")
                && t.getKey().getState() == Thread.State.WAITING
                && java.util.Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName().equals("java.util.concurrent.LinkedBlockingQueue")
                        && f.getMethodName().equals("put")));
    }

    /** kill runs no more user instructions, and asks the machine to halt (as Ctrl-A x). */
    @Test
    void killStopsUserCodeForGoodAndAsksTheMachineToHalt() throws Exception {
        AtomicBoolean quit = new AtomicBoolean();
        // The harness has no halt: once asked, it ends its run at the next slice.
        java.util.function.Consumer<Hart> halt = h -> {
            if (quit.get()) throw new IllegalStateException("halted");
        };
        try (Run run = new Run("recursion", Engine.DEFAULT, () -> quit.set(true), halt); GdbClient gdb = run.connect()) {
            gdb.ask("?");
            Hart h = run.harness.hart();
            long at = h.instret;
            gdb.send("k");
            assertEquals('+', gdb.ack());
            assertTrue(gdb.closedByStub());
            assertTrue(quit.get());
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, run::finish);
            assertEquals("halted", e.getCause().getMessage());
            assertEquals(at, h.instret, "no user instruction ran after kill");
        }
    }

    /** Watchpoints stop after the access, with the address: gdb's Z2 (write), Z3 (read), Z4 (access). */
    @Test
    void watchpointsStopAfterTheAccessWithItsAddress() throws Exception {
        try (Run run = new Run("recursion", Engine.DEFAULT, null, h -> { }); GdbClient gdb = run.connect()) {
            gdb.ask("?");
            Hart h = run.harness.hart();
            long sp = h.x[2];
            // The program's first store below its initial stack pointer: a write watchpoint on the 64 bytes there.
            long low = sp - 64;
            assertEquals("OK", gdb.ask("Z2," + Long.toHexString(low) + ",40"));
            String stop = gdb.ask("vCont;c");
            assertTrue(stop.startsWith("T05thread:1;watch:") || stop.contains(";watch:"), stop);
            long addr = Long.parseLong(stop.substring(stop.indexOf("watch:") + 6, stop.indexOf(';', stop.indexOf("watch:"))), 16);
            assertTrue(addr >= low && addr < sp, Long.toHexString(addr));
            assertEquals("OK", gdb.ask("z2," + Long.toHexString(low) + ",40"));
            // The recursion reads those bytes back, and writes them again.
            assertEquals("OK", gdb.ask("Z3," + Long.toHexString(low) + ",40"));
            stop = gdb.ask("vCont;c");
            assertTrue(stop.contains(";rwatch:"), stop);
            assertEquals("OK", gdb.ask("z3," + Long.toHexString(low) + ",40"));
            assertEquals("OK", gdb.ask("Z4," + Long.toHexString(low) + ",40"));
            stop = gdb.ask("vCont;c");
            assertTrue(stop.contains(";awatch:"), stop);
            assertEquals("OK", gdb.ask("z4," + Long.toHexString(low) + ",40"));
            assertEquals("W00", gdb.ask("vCont;c"));
            assertEquals(0, run.finish().exitCode());
        }
    }

    /** xv6 booted on 2 harts with the stub holding them, keys typed, on a thread of its own: its halt status. */
    private static CompletableFuture<Integer> bootXv6(Disk disk, GdbServer server, java.io.InputStream keys, ByteArrayOutputStream screen) {
        Machine m = Machine.create(64L << 20, 2, disk, Console.batch(keys, screen), new Clock.Wall());
        server.start(m, null);
        return OwnThread.supply("machine (xv6)", () -> {
            int s = new xv6j.kernel.Kernel(m).run();
            server.halted(s);
            return s;
        });
    }

    /** One thread per hart, described by what it runs; a thread that is no hart is not alive. */
    @Test
    void everyHartIsAThread(@TempDir Path dir) throws Exception {
        Path image = xv6j.kernel.XvRun.freshImage(dir);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Disk disk = Disk.open(image, false); GdbServer server = GdbServer.listen(0)) {
            CompletableFuture<Integer> boot = bootXv6(disk, server, new ByteArrayInputStream("echo hi\n".getBytes()), screen);
            try (GdbClient gdb = new GdbClient(server.port())) {
                String stop = gdb.ask("?");
                assertTrue(stop.matches("T05thread:[12];.*"), stop);
                assertEquals("m1,2", gdb.ask("qfThreadInfo"));
                assertEquals("l", gdb.ask("qsThreadInfo"));
                assertEquals("OK", gdb.ask("T2"));
                assertEquals("E01", gdb.ask("T3"));
                String threads = gdb.ask("qXfer:threads:read::0,fff");
                assertTrue(threads.matches("(?s)l<\\?xml.*<thread id=\"1\" core=\"0\".*<thread id=\"2\" core=\"1\".*"), threads);
                assertTrue(threads.contains("process 1"), threads); // init, on the hart that stopped first
                // The hart that stopped runs init; the other has nothing to run: it says it is
                // idle, and has no registers to show (all "x": unavailable), where it showed
                // those it last left user code with, which gdb decoded as a frame of the
                // program it follows.
                int user = stop.startsWith("T05thread:1;") ? 1 : 2, idle = 3 - user;
                assertEquals("OK", gdb.ask("Hg" + user));
                assertTrue(gdb.ask("g").matches("[0-9a-f]{" + (65 * 16 + 3 * 8) + "}"));
                assertEquals("OK", gdb.ask("Hg" + idle));
                assertEquals("x".repeat(65 * 16 + 3 * 8), gdb.ask("g"));
                assertEquals("x".repeat(16), gdb.ask("p20")); // pc
                assertTrue(threads.contains("<thread id=\"" + idle + "\" core=\"" + (idle - 1) + "\" name=\"idle\">hart "
                        + (idle - 1) + ", idle in the kernel"), threads);
                String extra = gdb.ask("qThreadExtraInfo," + idle);
                assertTrue(new String(java.util.HexFormat.of().parseHex(extra)).startsWith("hart " + (idle - 1) + ", idle in the kernel"), extra);
                assertTrue(gdb.monitor("ps").contains("init"));
                assertEquals("W00", gdb.ask("vCont;c")); // the script runs, and the machine halts
            }
            assertEquals(0, boot.get(60, TimeUnit.SECONDS));
            assertTrue(screen.toString().contains("$ echo hi\nhi\n"), screen.toString());
        }
    }

    /**
     * gdb's Ctrl-C with every hart idle in the kernel, the shell waiting for a key: after
     * the grace (Debugger.settled) the stop names the hart that ran the shell last, with
     * the shell's registers as it entered the kernel: pc at its read's ecall, a7 = read,
     * its memory read through its page table. Before, the stop had no registers, and gdb
     * failed the command that waited ("PC register is not available").
     */
    @Test
    void ctrlCOnAnIdleMachineStopsInTheShellAtItsRead(@TempDir Path dir) throws Exception {
        Path image = xv6j.kernel.XvRun.freshImage(dir);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        // One line, then no more keys until the test is done: the shell waits in read.
        xv6j.harness.HeldKeys keys = new xv6j.harness.HeldKeys("echo ready\n");
        try (Disk disk = Disk.open(image, false); GdbServer server = GdbServer.listen(0)) {
            CompletableFuture<Integer> boot = bootXv6(disk, server, keys, screen);
            try (GdbClient gdb = new GdbClient(server.port())) {
                gdb.ask("?");
                gdb.send("vCont;c");
                assertEquals('+', gdb.ack());
                // The prompt after "ready" is printed, and no hart runs a process: the shell is in read.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!screen.toString().contains("ready\n$ ") || gdb.monitor("harts").contains("pid ")) {
                    assertTrue(System.nanoTime() < deadline, "the shell never waited for input:\n" + screen);
                    Thread.sleep(20);
                }
                gdb.raw("\u0003");
                String stop = gdb.reply();
                assertTrue(stop.matches("T02thread:[12];20:[0-9a-f]{16};02:[0-9a-f]{16};"), stop);
                long pc = GdbClient.stopRegister(stop, 0x20);
                String thread = stop.substring("T02thread:".length(), stop.indexOf(';'));
                assertEquals("OK", gdb.ask("Hg" + thread));
                String g = gdb.ask("g");
                assertTrue(g.matches("[0-9a-f]{" + (65 * 16 + 3 * 8) + "}"), g);
                assertEquals(pc, Long.reverseBytes(Long.parseUnsignedLong(g.substring(32 * 16, 33 * 16), 16)));
                assertEquals("0500000000000000", g.substring(17 * 16, 18 * 16), "a7: SYS_read");
                assertEquals("73000000", gdb.ask("m" + Long.toHexString(pc) + ",4"), "ecall at pc");
                String extra = new String(java.util.HexFormat.of().parseHex(gdb.ask("qThreadExtraInfo," + thread)));
                assertTrue(extra.matches("hart [01], idle in the kernel; shows process \\d+ as it entered the kernel.*"), extra);
                // The other hart has nothing of its own to show.
                assertEquals("OK", gdb.ask("Hg" + (3 - Integer.parseInt(thread))));
                assertEquals("x".repeat(16), gdb.ask("p20"));
                gdb.send("k");
                assertEquals('+', gdb.ack());
            } finally {
                keys.release();
            }
            assertEquals(0, boot.get(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void theGdbOptionsAreParsedAndCheckedLikeTheOthers() throws Exception {
        var o = xv6j.machine.MachineOptions.parse(new String[] {"--gdb", "--gdbinit", ".gdbinit", "--symbols", "d", "fs.img"});
        assertEquals(new xv6j.machine.MachineOptions.Gdb(0, Path.of(".gdbinit"), Path.of("d")), o.gdb());
        assertEquals(1234, xv6j.machine.MachineOptions.parse(new String[] {"--gdb=1234", "fs.img"}).gdb().port());
        assertEquals(null, xv6j.machine.MachineOptions.parse(new String[] {"fs.img"}).gdb());
        var e = org.junit.jupiter.api.Assertions.assertThrows(xv6j.machine.MachineOptions.UsageException.class,
                () -> xv6j.machine.MachineOptions.parse(new String[] {"--gdbinit", "x", "fs.img"}));
        assertEquals("--gdbinit is for --gdb, which is not given", e.getMessage());
        assertFalse(xv6j.machine.MachineOptions.usage("kernel").isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(xv6j.machine.MachineOptions.UsageException.class,
                () -> xv6j.machine.MachineOptions.parse(new String[] {"--gdb=99999", "fs.img"}));
    }
}
