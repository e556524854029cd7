package xv6j.system;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A script streamed from a slow writer ({@code (echo 'sleep 5 &'; sleep 60; ...) | make
 * qemu}): while the shell waits for the next line, a job it left in the background still
 * sleeps on the clock and wakes. Both kernels' idle paths waited for the host's next line
 * with the clock stopped, and the job slept until the user typed again.
 */
@Timeout(120)
class StreamedScriptTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aBackgroundSleepEndsWhileTheScriptsNextLineHasNotCome(Flavour system) throws Exception {
        try (Flavour.Running m = system.start(system.freshImage(dir))) {
            m.type("(sleep 5; echo slept) &\n");
            m.waitFor("slept\n"); // (no next line comes: half a second of sleep, 30 s allowed)
        }
    }
}
