package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;

/**
 * Processes killed in the middle of file-system work (user/killfs) leave a file system
 * others can use, and an image that is clean after a reboot. xv6 gets this from its log
 * and from kill taking effect only at a kernel exit; the LibOS keeps the shared state in
 * its file server, which a killed client cannot leave half changed.
 */
@Timeout(300)
class KillMidOperationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void killingWritersMidOperationLeavesAUsableFileSystemAndACleanImageAfterReboot(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        Flavour.Run r = system.boot(img, "killfs\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("killfs: 6 rounds of 3 victims killed; the file system works"), r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        Flavour.Run again = system.boot(img, "cat kfsurvivor | wc\necho after > f\ncat f\n");
        assertTrue(again.output().contains("0 1 8192 \n"), again.output());
        assertTrue(again.output().contains("$ cat f\nafter\n"), again.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
