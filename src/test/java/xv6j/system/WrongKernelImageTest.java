package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user who boots the other kernel's image ({@code scripts/kernel fs-exo.img}) gets a
 * line saying what to boot instead, and the machine halts with status 1. The xv6 kernel used to answer each
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
        // One line, not three (init killed, "panic: init exiting", the harts' state).
        if (system == Flavour.KERNEL) {
            assertTrue(out.matches("xv6: \\S*fs-exo.img was made for kernel-exo \\(its init made kernel-exo's system call 256\\),"
                    + " not for the xv6 kernel: boot it with make EXO=1 qemu, or scripts/kernel-exo\n"), out);
        } else {
            assertTrue(out.matches("kernel-exo: \\S*fs.img was made for the xv6 kernel \\(its init made the xv6 kernel's system call \\d+\\),"
                    + " not for kernel-exo: boot it with make qemu, or scripts/kernel\n"), out);
        }
    }
}
