package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * Processes killed in the middle of file-system work leave a file system others can use:
 * the LibOS keeps the shared file-system state in its file server, which a killed client
 * cannot leave half changed.
 */
@Timeout(300)
class KillMidOperationTest {
    @TempDir
    Path dir;

    @Test
    void killingWritersMidOperationLeavesAUsableFileSystemAndACleanImageAfterReboot() throws Exception {
        Path img = LibosRun.freshImage(dir);
        LibosRun.Result r = LibosRun.boot(img, "killfs\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("killfs: 6 rounds of 3 victims killed; the file system works"), r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        LibosRun.Result again = LibosRun.boot(img, "cat kfsurvivor | wc\necho after > f\ncat f\n");
        assertTrue(again.output().contains("0 1 8192 \n"), again.output());
        assertTrue(again.output().contains("$ cat f\nafter\n"), again.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
