package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import xv6j.machine.jit.Engine;

/** The jars' command line chooses the engine; a wrong name is one clear line. */
class MachineOptionsTest {
    @Test
    void engineFlagChoosesHowHartsRunCode() throws Exception {
        assertEquals(Engine.INTERPRETER, MachineOptions.parse(new String[] {"-e", "interpreter", "fs.img"}).engine());
        assertEquals(Engine.TRANSLATOR, MachineOptions.parse(new String[] {"--engine", "translator", "fs.img"}).engine());
        assertEquals(Engine.EAGER, MachineOptions.parse(new String[] {"-e", "eager", "fs.img"}).engine());
    }

    @Test
    void unknownEngineIsAUsageError() {
        MachineOptions.UsageException e = assertThrows(MachineOptions.UsageException.class,
                () -> MachineOptions.parse(new String[] {"-e", "turbo", "fs.img"}));
        assertEquals("-e: not an engine: turbo (interpreter, translator or eager)", e.getMessage());
        assertThrows(MachineOptions.UsageException.class, () -> MachineOptions.parse(new String[] {"fs.img", "-e"}));
    }

    /** What the launcher prints for args, started by makeTarget (null: by hand); the kernel must never boot. */
    private static String launch(String makeTarget, String... args) {
        var err = new java.io.ByteArrayOutputStream();
        int status = Launcher.run("kernel", args, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                (m, o, e) -> { throw new AssertionError("booted"); }, makeTarget);
        assertEquals(2, status);
        return err.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * make qemu CPUS=0 (MEM=, ENGINE=foo, VIEW=x): one line naming the variable the user
     * typed, not the launcher's option and its seventeen lines of usage. By hand, the
     * option and the usage, as before.
     */
    @Test
    void aBadValueFromMakeIsToldAsMakesVariableInOneLine() {
        assertEquals("make qemu: CPUS=0: must be between 1 and 64\n", launch("make qemu", "-m", "128", "-c", "0", "fs.img"));
        assertEquals("make qemu: MEM=: not a number\n", launch("make qemu", "-m", "", "-c", "3", "fs.img"));
        assertEquals("make EXO=1 qemu: ENGINE=foo: not an engine (interpreter, translator or eager)\n",
                launch("make EXO=1 qemu", "-m", "128", "-e", "foo", "fs.img"));
        assertEquals("make qemu-gdb: VIEW=x: not a number\n", launch("make qemu-gdb", "--view=x", "--gdb", "fs.img"));
        String byHand = launch(null, "-c", "0", "fs.img");
        assertTrue(byHand.startsWith("kernel: -c must be between 1 and 64, not 0\nusage: scripts/kernel"), byHand);
        // A mistake no variable of make's makes keeps the launcher's words.
        assertTrue(launch("make qemu", "-x", "fs.img").startsWith("kernel: unknown option -x\n"));
    }

    @Test
    void deterministicModeTakesAnyNumberOfHarts() throws Exception {
        MachineOptions o = MachineOptions.parse(new String[] {"-d", "-c", "3", "fs.img"});
        assertTrue(o.deterministic());
        assertEquals(3, o.harts());
    }

    @Test
    void theLaunchersDefaultToTheHartsMakeQemuBoots() throws Exception {
        var cpus = Pattern.compile("(?m)^CPUS \\?= (\\d+)$").matcher(Files.readString(Path.of("Makefile")));
        assertTrue(cpus.find(), "the Makefile sets CPUS");
        int makeQemu = Integer.parseInt(cpus.group(1));
        assertEquals(makeQemu, MachineOptions.parse(new String[] {"fs.img"}).harts());
        assertTrue(MachineOptions.usage("kernel").contains("number of harts (default " + makeQemu + ")"));
    }

    @Test
    void usageNamesTheEngines() {
        assertTrue(MachineOptions.usage("kernel.jar").contains("-e, --engine ENGINE"));
    }
}
