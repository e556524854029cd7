package xv6j.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import xv6j.machine.Trap;

/** Every C program under user/test, built by the build, runs on the harness and exits 0. */
class UserTestProgramsTest {
    private static final long LIMIT = 200_000_000;

    @TestFactory
    Stream<DynamicTest> everyTestProgramExitsWithZeroFailures() throws IOException {
        Path bin = Harness.userBin("test");
        List<Path> programs;
        try (Stream<Path> s = Files.list(bin)) {
            programs = s.sorted().toList();
        }
        assertFalse(programs.isEmpty(), "no programs in " + bin);
        return programs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Harness.Result r = new Harness(16 << 20).run(p, List.of(p.getFileName().toString()), LIMIT);
            assertTrue(r.exited(), p.getFileName() + " did not exit: " + r.lastTrap() + "\n" + r.out());
            assertEquals(0, r.exitCode(), p.getFileName() + " reported failures:\n" + r.out());
        }));
    }

    @Test
    void helloPrintsItsLine() throws Exception {
        Harness.Result r = new Harness(16 << 20).run(Harness.userBin("test").resolve("hello"), List.of("hello"), LIMIT);
        assertEquals("hello from RISC-V\n", r.out());
        assertEquals(0, r.exitCode());
        assertTrue(r.instret() > 10);
    }

    @Test
    void tooSmallMemoryIsOneClearError() {
        HarnessException e = org.junit.jupiter.api.Assertions.assertThrows(HarnessException.class, () -> new Harness(4096));
        assertTrue(e.getMessage().startsWith("memory size must be"), e.getMessage());
    }

    @Test
    void malformedExecutableIsOneClearError() throws Exception {
        HarnessException e = org.junit.jupiter.api.Assertions.assertThrows(HarnessException.class,
                () -> new Harness(16 << 20).run(new byte[] {0x7f, 'E', 'L', 'F'}, List.of("x"), 1000));
        assertEquals("bad executable: truncated ELF header (4 bytes)", e.getMessage());
    }

    @Test
    void faultIsReportedWithCausePcAndAddress() throws Exception {
        // Out of instructions: the result says so. Then an entry point that is not mapped.
        byte[] file = Files.readAllBytes(Harness.userBin("test").resolve("hello"));
        Harness.Result slice = new Harness(16 << 20).run(file, List.of("hello"), 1);
        assertEquals(Trap.Cause.TIMER_INTERRUPT, slice.lastTrap().cause());
        assertEquals(-1, slice.exitCode());
        // e_entry at offset 24: point it at an unmapped address.
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(24, 0x4000_0000L);
        Harness.Result r = new Harness(16 << 20).run(file, List.of("hello"), 1000);
        assertEquals(new Trap(Trap.Cause.INSTRUCTION_PAGE_FAULT, 0x4000_0000L, 0x4000_0000L), r.lastTrap());
    }
}
