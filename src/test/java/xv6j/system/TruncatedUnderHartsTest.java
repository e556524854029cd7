package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;

/**
 * The image cut short under a machine of three harts while a program writes (red team
 * 12): the machine stops with one panic, as on one hart (CorruptImageTest). Before, each
 * hart that met the short image afterwards printed a panic of its own, with the state of
 * every hart again, each naming another block: kernel-exo printed three in three runs out
 * of three, the xv6 kernel two now and then.
 */
@Timeout(120)
class TruncatedUnderHartsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageTruncatedUnderThreeBusyHartsStopsTheMachineWithOnePanic(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (Flavour.Running m = system.start(img, "-c", "3")) {
            m.waitFor("$ ");
            m.type("stressfs\n");
            m.waitFor("write 1");
            try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
                ch.truncate(60L * Fs.BSIZE);
            }
            // Everything read or written from now on, and kept in a buffer cache, fails.
            m.type("stressfs\nusertests\n");
            assertEquals(1, m.haltStatus(), m.output());
            String out = m.output();
            assertEquals(1, out.split("panic: ", -1).length - 1, "one panic:\n" + out);
            assertFalse(out.contains("at xv6j.") || out.contains("Exception"), out);
        }
    }
}
