package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user who boots the other kernel's image ({@code scripts/kernel fs-exo.img}) gets a few
 * lines saying so, and the machine halts with status 1. The xv6 kernel used to answer each
 * of init's exokernel calls with -1 and a line, and the LibOS retried for ever: millions
 * of lines, and no halt.
 */
@Timeout(60)
class WrongKernelImageTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theOtherKernelsImageHaltsWithALineSayingSo(Flavour system) throws Exception {
        Flavour other = system == Flavour.KERNEL ? Flavour.EXO : Flavour.KERNEL;
        Flavour.Run r = system.boot(other.freshImage(dir), "ls\n");
        String out = r.output();
        assertEquals(1, r.status(), out);
        assertTrue(out.contains(system == Flavour.KERNEL
                ? "pid 1 init: system call 256 is kernel-exo's: this program was built for kernel-exo, not the xv6 kernel: killed\n"
                : "this program was built for the xv6 kernel, not kernel-exo"), out);
        assertTrue(out.lines().count() < 6, out);
    }
}
