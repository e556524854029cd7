package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.harness.OwnThread;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;
import xv6j.machine.gdb.GdbServer;

/**
 * make qemu-gdb as a learner uses it, with a real gdb-multiarch in batch mode: the machine
 * boots stopped, gdb reads the .gdbinit the machine wrote (architecture, init's symbols,
 * the connection), follows user/debugme.c, and breaks, steps (next, stepi, finish, step,
 * and nexti over a call, found by its opcode with plain gdb commands: no gdb Python),
 * watches, reads and writes registers and memory, and breaks in a function of the
 * run-time (xv6's usys.S stub for write; kernel-exo: the LibOS's write, in C); then the
 * program runs to the end and prints what it prints without gdb. On both kernels.
 * Skipped, in one line, where no gdb-multiarch is installed (.ci/run installs it).
 */
@Timeout(180)
class GdbSessionTest {
    @TempDir
    Path dir;

    static boolean gdbInstalled;

    @BeforeAll
    static void findGdb() {
        gdbInstalled = GdbTool.installed();
        if (!gdbInstalled) System.err.println("GdbSessionTest: gdb-multiarch is not installed: the gdb tests are skipped");
    }

    /** What the session types into gdb. Registers and memory written are put back, so the output is unchanged. */
    private static final String SCRIPT = """
            info threads
            follow debugme
            break fib
            continue
            bt
            next
            next
            stepi
            info line
            delete 1
            watch calls
            continue
            delete
            finish
            step
            step
            bt 2
            set $saved = $t0
            set $t0 = 0x1234
            p/x $t0
            set $t0 = $saved
            p/x $pc
            info registers fcsr ft0
            set $before = calls
            set var calls = 12345
            x/dw &calls
            set var calls = $before
            # nexti over the next call, told by its bits (jal or jalr with rd != 0, c.jalr with
            # rs1 != 0): one instruction, the whole callee run. Plain gdb commands: no Python.
            set $i = 0
            set $call = 0
            while $i < 100 && !$call
              set $w = *(unsigned int *)$pc
              set $call = (($w & 0x7f) == 0x6f || ($w & 0x7f) == 0x67) && ($w & 0xf80) != 0 || ($w & 0xf07f) == 0x9002 && ($w & 0xf80) != 0
              if !$call
                stepi
              end
              set $i = $i + 1
            end
            set $before = calls
            set $at = $pc
            nexti
            printf "nexti over a call: pc %+d, calls %+d\\n", $pc - $at, calls - $before
            break write
            continue
            bt
            delete
            continue
            """;

    /** A machine booted as make qemu-gdb boots it, with input typed in, and gdb run against it. */
    private record Session(String gdb, String screen, int status, WeakReference<Machine> machine) {}

    /** What a test does while gdb runs: type, wait for the screen, press Ctrl-C. */
    private interface During {
        void run(ByteArrayOutputStream screen, Process gdb) throws Exception;
    }

    private Session session(Flavour system, String input, String script) throws Exception {
        return session(system, input, script, (screen, gdb) -> { });
    }

    private Session session(Flavour system, String input, String script, During during) throws Exception {
        return session(system, 1, input, script, during);
    }

    private Session session(Flavour system, int harts, String input, String script, During during) throws Exception {
        return session(system, harts, new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), script, during);
    }

    /** The machine of the session under way (for a During to ask its kernel what it runs). */
    private volatile Machine machine;

    private Session session(Flavour system, int harts, java.io.InputStream input, String script, During during) throws Exception {
        Path symbols = symbols(system);
        Path gdbinit = dir.resolve(".gdbinit");
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Console console = Console.batch(input, screen);
        Path image = system.freshImage(dir);
        // What the launcher does for make qemu-gdb: the port, the .gdbinit, the banner; then the machine.
        try (Disk disk = Disk.open(image, false);
             GdbServer gdb = GdbServer.open(new MachineOptions.Gdb(0, gdbinit, symbols), new PrintStream(banner, true))) {
            Machine m = Machine.create(128L << 20, harts, disk, console, new Clock.Virtual());
            machine = m;
            gdb.start(m, symbols);
            CompletableFuture<Integer> run = OwnThread.supply("machine (" + system + ", under gdb)", () -> {
                int status = system.run(m);
                gdb.halted(status);
                return status;
            });
            try {
                assertTrue(banner.toString().contains("*** Now run 'gdb-multiarch' in another window."), banner.toString());
                String out = GdbTool.run(dir, gdbinit, script, gdbProcess -> during.run(screen, gdbProcess));
                int status;
                try {
                    status = run.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("gdb has ended, and the machine has not halted a minute later:\n" + out
                            + "\n---- screen:\n" + screen.toString(StandardCharsets.ISO_8859_1), e);
                }
                return new Session(out, screen.toString(StandardCharsets.ISO_8859_1), status, new WeakReference<>(m));
            } finally {
                machine = null; // (the tests check that a halted machine is collected)
                // A failed session's machine (grind runs for ever) is halted, not left to
                // run beside the next test.
                if (!run.isDone()) m.console().quit();
            }
        }
    }

    private static Path symbols(Flavour system) {
        return Path.of(System.getProperty("xv6j.user", "target/user"), system == Flavour.KERNEL ? "kernel" : "exo", "debug");
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void gdbBreaksStepsWatchesAndTheProgramPrintsWhatItWouldWithoutIt(Flavour system) throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        Session r = session(system, "debugme\n", SCRIPT);
        String out = r.gdb();
        assertEquals(0, r.status(), out);
        String runtime = system == Flavour.KERNEL ? "user/usys.S" : "user/libos/fd.c";
        expect(out,
                // Stopped before the first user instruction: init's, at its entry.
                "\\* 1 +Thread 1 \"init\" \\(hart 0, (process|environment) 1\\) .*_start",
                "Breakpoint 1 at 0x[0-9a-f]+: file .*user/debugme.c, line 11.",
                "Breakpoint 1, fib \\(n=10\\) at .*user/debugme.c:11\\n11\\s+calls\\+\\+;",
                "#0  fib \\(n=10\\) at .*user/debugme.c:11\\n#1  0x[0-9a-f]+ in main \\(.*\\) at .*user/debugme.c:28",
                "\\n12\\s+if \\(n < 2\\) return n;\\n13\\s+return fib\\(n - 1\\) \\+ fib\\(n - 2\\);",
                "\\n0x0*[0-9a-f]+\\s+13\\s", // stepi: the next instruction, still on line 13
                "Hardware watchpoint 2: calls",
                "Old value = 1\\nNew value = 2\\n",
                "Value returned is \\$\\d+ = 34\\n", // fib(9), back in fib(10)
                // step, twice (line 13 has two statements): into fib(n - 2), which clang made a jump
                "\\n11\\s+calls\\+\\+;\\n#0  fib \\(.*\\) at .*user/debugme.c:11\\n#1  ",
                "\\$\\d+ = 0x1234",
                "fcsr +0x0\\s.*\\nft0 +\\{float = 0, double = 0\\}",
                "<calls>:\\s+12345",
                "nexti over a call: pc \\+[24], calls \\+41\\n", // from fib(8): over fib(7), its 41 calls
                "Breakpoint \\d+, write \\(.*\\) at .*" + Pattern.quote(runtime) + ":\\d+",
                "#\\d+ +0x[0-9a-f]+ in printf \\(fmt=0x[0-9a-f]+ \"fib\\(10\\) = 55 after 286 calls; .*\\n#\\d+ +0x[0-9a-f]+ in main",
                "\\[Inferior 1 \\(Remote target\\) exited normally\\]");
        // gdb waited for a stop when the machine halted: its session ends, and lets the machine go.
        HaltedMachineIsCollectedTest.assertCollected(r.machine());
        assertTrue(r.screen().contains("$ debugme\nfib(10) = 55 after 286 calls; fib(10) / fib(9) = 1617/1000\n"
                + "debugme: the child exited with status 0\n"), r.screen() + "\n---- gdb:\n" + out);
    }

    /**
     * The first stop, before init's first instruction, is on a line of source, and the
     * backtrace from it is that one frame. kernel-exo's LibOS entry was file-scope asm,
     * with no line (gdb said "0x0000000000000000 in _start ()"); on both kernels bt went on
     * to the return address 0, _start again, and called the stack corrupt.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theFirstStopIsOnASourceLineWithAWholeBacktrace(Flavour system) throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        Session r = session(system, "", """
                bt
                kill
                """);
        String out = r.gdb();
        assertEquals(0, r.status(), out);
        String start = system == Flavour.KERNEL ? "user/ulib.c" : "user/libos/start.c";
        expect(out, "#0  _start \\(.*\\) at .*" + Pattern.quote(start) + ":\\d+\\n");
        assertFalse(out.contains("corrupt stack"), out);
        assertFalse(out.contains("#1 "), out);
    }

    /**
     * Every program starts at address 0. With debugme followed, a breakpoint there lets
     * echo (and the shell's child, before its exec) run through it, stops debugme's first
     * instruction, and was never written into memory: gdb reads the program's own bytes
     * there. kill then halts the machine cleanly.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBreakpointStopsOnlyInTheProgramItWasSetForAndKillHalts(Flavour system) throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        Session r = session(system, "echo before\ndebugme\n", """
                follow debugme
                break *0
                continue
                info threads
                x/4xb 0
                monitor follow
                kill
                """);
        String out = r.gdb();
        assertEquals(0, r.status(), out); // a clean halt
        expect(out,
                "Breakpoint 1 at 0x0",
                "Breakpoint 1, (0x0+ in )?_start ",
                "\\* 1 +Thread 1 \"debugme\" \\(hart 0, (process|environment) \\d+\\)",
                "0x0 <_start>:((\\s+0x[0-9a-f]{2}){4})",
                "breakpoints and watchpoints stop in the address spaces running debugme",
                "\\[Inferior 1 \\(Remote target\\) killed\\]");
        Matcher bytes = Pattern.compile("0x0 <_start>:((\\s+0x[0-9a-f]{2}){4})").matcher(out);
        assertTrue(bytes.find());
        byte[] elf = Files.readAllBytes(symbols(system).resolve("debugme"));
        xv6j.elf.ProgramHeader text = xv6j.elf.Elf.parse(elf).loadSegments().stream().filter(p -> p.vaddr() == 0).findFirst().orElseThrow();
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 4; i++) want.append(String.format(" 0x%02x", elf[(int) text.offset() + i] & 0xff));
        assertEquals(want.toString(), bytes.group(1).replaceAll("\\s+", " "), "the program's own bytes, no breakpoint in them");
        assertTrue(r.screen().contains("$ echo before\nbefore\n$ debugme\n"), r.screen());
        assertFalse(r.screen().contains("fib("), r.screen());
    }

    /**
     * Ctrl-C in gdb's window (a SIGINT to gdb, as the terminal sends it) while grind keeps
     * the machine busy: gdb sends its interrupt, the machine stops in user code (a hart in
     * the kernel at that moment first gets back to it) and names the program that ran;
     * kill then halts it cleanly.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCInGdbStopsABusyMachineAndKillHalts(Flavour system) throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        Session r = session(system, "grind\n", """
                continue
                info threads
                kill
                """, (screen, gdb) -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!screen.toString(StandardCharsets.ISO_8859_1).contains("grind: round 0\n")) {
                        assertTrue(System.nanoTime() < deadline, "grind never started:\n" + screen);
                        Thread.sleep(20);
                    }
                    Thread.sleep(200); // its workers busy
                    // Java has no SIGINT of its own to send.
                    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start();
                    assertEquals(0, kill.waitFor(), "kill -INT");
                });
        String out = r.gdb();
        assertEquals(0, r.status(), out);
        expect(out,
                "received signal SIGINT, Interrupt\\.",
                // In user code, with registers to show: hart 0 was often in the kernel at
                // the ^C (grind's workers make system calls), and the stop named it there,
                // with no pc; gdb failed the continue ("PC register is not available"), its
                // script ended before kill, and the machine ran grind on.
                "\\* 1 +Thread 1 \"[a-z]+\" \\(hart 0, (process|environment) \\d+\\)",
                "\\[Inferior 1 \\(Remote target\\) killed\\]");
        assertFalse(out.contains("Disconnected"), out);
    }

    /**
     * Ctrl-C in gdb with every hart idle in the kernel, the shell waiting for a key: after
     * two seconds gdb stops in the shell, at the system call it waits in, and shows where;
     * the script goes on to kill, which halts the machine. Before, the stop had no pc, and
     * gdb failed the continue ("PC register is not available") and ended the script there.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void ctrlCInGdbOnAnIdleMachineStopsInTheWaitingShell(Flavour system) throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        // One line, then no more keys until gdb is done: the shell waits in read.
        xv6j.harness.HeldKeys keys = new xv6j.harness.HeldKeys("echo ready\n");
        Session r;
        try {
            r = session(system, 2, keys, """
                    follow sh
                    continue
                    info threads
                    x/i $pc
                    kill
                    """, (screen, gdb) -> {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        // The prompt after "ready" is out, and every hart is idle: the shell is in read.
                        while (!screen.toString(StandardCharsets.ISO_8859_1).contains("ready\n$ ")
                                || !machine.console().view().harts().stream().allMatch(h -> h.running().startsWith("idle"))) {
                            assertTrue(System.nanoTime() < deadline, "the shell never waited for input:\n" + screen);
                            Thread.sleep(20);
                        }
                        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start();
                        assertEquals(0, kill.waitFor(), "kill -INT");
                        gdb.onExit().thenRun(keys::release); // (the console's reader lets go as the machine halts)
                    });
        } finally {
            keys.release();
        }
        String out = r.gdb();
        assertEquals(0, r.status(), out);
        expect(out,
                "Thread \\d \"sh\" received signal SIGINT, Interrupt\\.",
                "\\* \\d +Thread \\d \"sh\" \\(hart \\d, idle in the kernel; shows (process|environment) \\d+ as it entered the kernel",
                "=> 0x[0-9a-f]+ <[^>]*>:\\s+ecall",
                "\\[Inferior 1 \\(Remote target\\) killed\\]");
        assertFalse(out.contains("PC register is not available"), out);
    }

    /**
     * README's "Debugging with gdb" session, word for word: its (gdb) commands typed into
     * gdb against a machine booted as make qemu-gdb boots it (3 harts, the default CPUS),
     * and every line README shows gdb printing found, whole, in that order, in what gdb
     * printed. Only what README itself says it shortens is forgiven: the full path of a
     * source file, and which hart (Thread N) ran debugme, with the [Switching to Thread N]
     * gdb prints only when that is not the hart it last stopped on; and "Continuing.",
     * which gdb prints only to a terminal, not in batch mode.
     */
    @org.junit.jupiter.api.Test
    void readmesGdbSessionIsWhatGdbPrints() throws Exception {
        Assumptions.assumeTrue(gdbInstalled, "gdb-multiarch is not installed");
        List<String> commands = new java.util.ArrayList<>();
        List<String> shown = new java.util.ArrayList<>();
        readmeSession(commands, shown);
        Session r = session(Flavour.KERNEL, 3, "debugme\n", String.join("\n", commands) + "\n", (screen, gdb) -> { });
        String[] printed = r.gdb().lines().map(GdbSessionTest::plain).toArray(String[]::new);
        int at = 0;
        for (String line : shown) {
            int from = at;
            while (at < printed.length && !printed[at].equals(line)) at++;
            assertTrue(at < printed.length, "README shows a line gdb never printed (after its line " + from + "):\n  "
                    + line + "\n---- gdb:\n" + r.gdb());
            at++;
        }
        assertTrue(r.screen().contains("$ debugme\nfib(10) = 55 after 286 calls;"), r.screen());
    }

    /** The (gdb) commands and the lines of gdb's output in README's session, without comments or blank lines. */
    private static void readmeSession(List<String> commands, List<String> shown) throws java.io.IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int start = readme.indexOf("    $ gdb-multiarch");
        assertTrue(start >= 0, "README has no '    $ gdb-multiarch' session");
        for (String line : readme.subList(start + 1, readme.size())) {
            if (!line.isEmpty() && !line.startsWith("    ")) break;
            String text = line.strip().replaceFirst("\\s{2,}#.*$", "");
            if (text.startsWith("#") && !text.matches("#\\d.*")) continue; // a comment of README's own
            if (text.startsWith("(gdb) ")) commands.add(text.substring(6).strip());
            else if (!text.isEmpty() && !text.startsWith("[Switching to Thread") && !text.equals("Continuing."))
                shown.add(plain(text));
        }
        assertTrue(commands.size() > 5 && shown.size() > 5, "README's session was not found whole: " + commands);
    }

    /** A line as README shows it: sources by their path in the repository, any hart, spaces collapsed. */
    private static String plain(String line) {
        return line.replaceAll("/\\S*/(user/)", "$1").replaceAll("Thread \\d+", "Thread N").replaceAll("\\s+", " ").strip();
    }

    /** Each pattern must be found in out, in this order. */
    static void expect(String out, String... patterns) {
        int at = 0;
        for (String p : patterns) {
            Matcher m = Pattern.compile(p).matcher(out);
            assertTrue(m.find(at), "gdb never printed /" + p + "/ after position " + at + ":\n" + out);
            at = m.end();
        }
    }

    /** gdb-multiarch, run in batch mode. */
    static final class GdbTool {
        static boolean installed() {
            try {
                Process p = new ProcessBuilder("gdb-multiarch", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (Exception e) {
                return false;
            }
        }

        /** What to do with gdb's process while it runs. */
        interface WhileRunning {
            void accept(Process gdb) throws Exception;
        }

        /** Runs gdb with the .gdbinit and then script (and whileRunning meanwhile); returns all it printed. */
        static String run(Path dir, Path gdbinit, String script, WhileRunning whileRunning) throws Exception {
            Path commands = dir.resolve("session.gdb");
            Files.writeString(commands, script);
            Process p = new ProcessBuilder(List.of("gdb-multiarch", "-batch", "-nx", "-x", gdbinit.toString(), "-x",
                    commands.toString())).directory(dir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = OwnThread.supply("gdb's output", () -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    return "(gdb's output could not be read: " + e + ")";
                }
            });
            try {
                whileRunning.accept(p);
            } catch (Exception | AssertionError e) {
                p.destroyForcibly();
                throw new AssertionError(e.getMessage() + "\n---- gdb:\n" + out.get(30, TimeUnit.SECONDS), e);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gdb did not finish:\n" + out.getNow(""));
            }
            return out.get();
        }
    }
}
