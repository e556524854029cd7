package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Makefile's switches, as a user types them: a value that is neither 0 nor 1 is
 * refused with its name, never taken for "off". Runs make with -n, which reads the
 * Makefile (where the check is) and runs nothing.
 */
class MakeOptionsTest {
    private record Made(int status, String out) {}

    private static Made make(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("make", "-n", "qemu"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Only the switches given here: none from a make above us (make test) or the shell.
        for (String v : List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DET", "EXO", "MEM", "CPUS", "ENGINE", "VIEW"))
            pb.environment().remove(v);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "make -n finished");
        return new Made(p.exitValue(), out);
    }

    @Test
    void aSwitchThatIsNeitherZeroNorOneIsRefusedWithItsName() throws Exception {
        Made det = make("DET=2");
        assertEquals(2, det.status(), det.out());
        assertTrue(det.out().contains("DET=2: say DET=1 for deterministic virtual time, or DET=0"), det.out());
        Made exo = make("EXO=yes");
        assertEquals(2, exo.status(), exo.out());
        assertTrue(exo.out().contains("EXO=yes: say EXO=1 for kernel-exo, or EXO=0 for the xv6 kernel"), exo.out());
    }

    @Test
    void detOneAsksTheLauncherForDeterministicTimeAndZeroDoesNot() throws Exception {
        Made on = make("DET=1");
        assertEquals(0, on.status(), on.out());
        assertTrue(on.out().contains("XV6J_MAKE=\"make qemu\" scripts/kernel -m '128' -c '3' -d "), on.out());
        Made off = make("DET=0", "EXO=1");
        assertEquals(0, off.status(), off.out());
        assertTrue(off.out().contains("XV6J_MAKE=\"make EXO=1 qemu\" scripts/kernel-exo -m '128' -c '3' "), off.out());
        assertTrue(!off.out().contains(" -d "), off.out());
    }
}
