package xv6j.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.kernel.Kernel;
import xv6j.kernel.XvRun;
import xv6j.libos.LibosRun;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.jit.Engine;

/**
 * Every engine runs real programs instruction for instruction as the interpreter does:
 * each C program of user/test and user/bench prints the same bytes, exits the same way
 * and retires the same number of instructions under each; and both kernels, booted in
 * deterministic mode (DET=1) with the same script, print byte-identical output, retire
 * identical instruction counts and leave identical disk images.
 */
@Timeout(600)
class EnginesAgreeTest {
    private static final Engine[] ENGINES = {Engine.INTERPRETER, Engine.TRANSLATOR, Engine.EAGER};
    private static final long LIMIT = 400_000_000;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyProgramRunsTheSameUnderEveryEngine() throws IOException {
        List<Path> programs = new ArrayList<>();
        for (String flavour : List.of("test", "bench")) {
            try (Stream<Path> s = Files.list(Harness.userBin(flavour))) {
                s.sorted().forEach(programs::add);
            }
        }
        assertFalse(programs.isEmpty());
        return programs.stream().map(p -> DynamicTest.dynamicTest(p.getParent().getParent().getFileName() + "/" + p.getFileName(), () -> {
            Harness.Result want = null;
            for (Engine e : ENGINES) {
                Harness h = new Harness(64 << 20);
                h.hart().setEngine(e);
                Harness.Result r = h.run(p, List.of(p.getFileName().toString()), LIMIT);
                assertTrue(r.exited(), p.getFileName() + " under " + e.flag() + ": " + r.lastTrap());
                assertEquals(0, h.hart().mem.translator.stats().failures, p.getFileName() + " under " + e.flag() + ": regions not compiled");
                if (want == null) {
                    want = r;
                    continue;
                }
                assertEquals(want.out(), r.out(), p.getFileName() + " under " + e.flag() + ": output");
                assertEquals(want.exitCode(), r.exitCode(), p.getFileName() + " under " + e.flag() + ": exit status");
                assertEquals(want.instret(), r.instret(), p.getFileName() + " under " + e.flag() + ": instructions");
            }
        }));
    }

    /** What a deterministic boot leaves: its console, instruction count and image. */
    private record Boot(String output, long instructions, byte[] image) {}

    @Test
    void xv6InDeterministicModeIsByteIdenticalUnderEveryEngine() throws Exception {
        String script = "forktest &\necho a b c | wc\nstressfs\nls\ncat README\n";
        Boot want = null;
        for (Engine e : ENGINES) {
            Path img = XvRun.freshImage(Files.createDirectory(dir.resolve("xv6-" + e.flag())));
            Boot b = boot(img, script, e, (m, err) -> new Kernel(m).run());
            assertTrue(b.output().contains("fork test OK"), b.output());
            if (want == null) want = b;
            else assertSame(want, b, "xv6 under " + e.flag());
        }
    }

    @Test
    void exokernelInDeterministicModeIsByteIdenticalUnderEveryEngine() throws Exception {
        String script = "forktest\necho a b c | wc\nls\ncat README\n";
        Boot want = null;
        for (Engine e : ENGINES) {
            Path img = LibosRun.freshImage(Files.createDirectory(dir.resolve("exo-" + e.flag())));
            Boot b = boot(img, script, e, (m, err) -> xv6j.exo.Boot.boot(m, err));
            assertTrue(b.output().contains("fork test OK"), b.output());
            if (want == null) want = b;
            else assertSame(want, b, "kernel-exo under " + e.flag());
        }
    }

    private static void assertSame(Boot want, Boot got, String what) {
        assertEquals(want.output(), got.output(), what + ": console");
        assertEquals(want.instructions(), got.instructions(), what + ": instructions");
        assertTrue(Arrays.equals(want.image(), got.image()), what + ": the disk images differ");
    }

    @FunctionalInterface
    private interface Booter {
        int boot(Machine m, PrintStream err) throws Exception;
    }

    private static Boot boot(Path image, String script, Engine engine, Booter kernel) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        long instructions = 0;
        try (Disk disk = Disk.open(image, false)) {
            Machine m = Machine.create(128L << 20, 1, disk, console, new Clock.Virtual(), engine);
            int status = kernel.boot(m, new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, out.toString(StandardCharsets.ISO_8859_1) + err);
            for (Hart h : m.harts()) instructions += h.instret;
        }
        String text = out.toString(StandardCharsets.ISO_8859_1) + err.toString(StandardCharsets.UTF_8);
        return new Boot(text, instructions, Files.readAllBytes(image));
    }
}
