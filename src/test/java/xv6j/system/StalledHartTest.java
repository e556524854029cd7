package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.DebugHook;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.Trap;
import xv6j.machine.gdb.ProgramOnHart;

/**
 * A hart the host stops holds the others back, on both kernels (issue 11). A busy host
 * stops a hart's thread for milliseconds while the others run on, and whatever that hart
 * runs falls behind those it serves: init, handed to a stopped hart, fell behind a process
 * making orphans on another, and fork failed (OrphansTest's wall-clock case, under host
 * load). Here the host's part is played on purpose, at the worst moment, so the test
 * needs no loaded host: the thread that runs init on hart 1 is stopped for
 * {@link #STOPPED_MS} before each of init's runs there, as a descheduled thread is.
 * Before kernel-exo's harts were kept abreast, 2 of 3 rounds of {@code orphans 200 3}
 * failed (44 to 80 forks of 400) in each of two runs; the xv6 kernel's were already.
 * With init known by what it is, and kernel-exo's pacing switched off in a scratch
 * build, 2 of 3 rounds failed in 2 of 3 runs (20 to 86 forks of 400; host load 25-40).
 */
@Timeout(300)
class StalledHartTest {
    /** How long the host stops hart 1 before each of init's runs on it. */
    static final long STOPPED_MS = 5;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void initOnAHartTheHostKeepsStoppingStillReapsOrphansAsFastAsTheyAreMade(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream("orphans 200 3\n".getBytes(StandardCharsets.ISO_8859_1)), out);
        int status;
        HostStopsInit stops = new HostStopsInit(system, new ProgramOnHart(init(system)), new AtomicLong());
        try (Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(128L << 20, 2, disk, console, new Clock.Wall());
            m.harts()[1].setDebugHook(stops);
            status = system.run(m);
        }
        String output = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(0, status, output);
        assertTrue(output.contains("orphans OK"), output);
        assertTrue(stops.stopped().get() > 0, "init never ran on hart 1: nothing was shown\n" + output);
    }

    /**
     * init as the image holds it. The hook knows init by what it is, not by an id (xv6's
     * init is pid 1 and kernel-exo's the third environment only as long as the boot goes
     * as it does now, and a test that stopped some other process would pass without
     * showing anything): a process running this file's code. On kernel-exo the file holds
     * the file server too (user/libos/server/boot.c: the first environment loads /init as
     * the server, which starts it again as init), so there it is also the process whose
     * LibOS hand-off says pid 1, as a debugger reads it (the server's says 0).
     */
    private static Path init(Flavour system) {
        return system.programs().stream().filter(p -> p.getFileName().toString().equals("init")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no init among " + system.programs()));
    }

    /** The host's scheduler, for one hart: it stops the hart's thread before each run of init, and counts the stops. */
    private record HostStopsInit(Flavour system, ProgramOnHart init, AtomicLong stopped) implements DebugHook {
        /** Where the LibOS keeps a process's hand-off (user/libos/layout.h UPROC_VA, uproc.h: its magic, then its pid). */
        static final long UPROC_VA = 0x3F00000000L, UPROC_MAGIC = 0x534f42494cL;

        boolean runsInit(Hart h) {
            if (!init.runsOn(h)) return false;
            if (system == Flavour.KERNEL) return true;
            byte[] b = new byte[12];
            if (ProgramOnHart.read(h, UPROC_VA, b) < b.length) return false;
            java.nio.ByteBuffer uproc = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            return uproc.getLong(0) == UPROC_MAGIC && uproc.getInt(8) == 1;
        }

        @Override
        public Trap run(Hart h, long budget) {
            if (runsInit(h)) {
                stopped.incrementAndGet();
                try {
                    Thread.sleep(STOPPED_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return h.execute(budget);
        }

        @Override
        public void interruptRequested(Hart h) {}
    }
}
