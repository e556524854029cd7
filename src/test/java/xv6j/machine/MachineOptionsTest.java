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
