package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Fsck;

/**
 * user/outsider: system calls at the edges of xv6's interface (exec's argv at its limits
 * and off mapped memory, empty and overlong paths, ".." at the root, a removed cwd, device
 * nodes no driver serves, pointers into text and unmapped memory, full descriptor tables,
 * MAXFILE) give the same answers on both kernels, the answers xv6 gives, and leave a clean
 * file system. The two systems implement these checks in different places (the xv6
 * kernel's system calls; the LibOS and its file server), so a check one of them lacks
 * shows as a line that differs.
 */
@Timeout(120)
class OutsiderTest {
    @TempDir
    Path dir;

    /** What outsider printed, without the kernels' own lines about killed processes (their pcs differ). */
    private String run(Flavour system) throws Exception {
        Path sub = Files.createDirectories(dir.resolve(system.name()));
        // Room on the disk for a file of MAXFILE blocks beside kernel-exo's larger programs.
        Path img = system.freshImage(sub, 4000);
        Flavour.Run r = system.boot(img, "outsider\n");
        assertEquals(0, r.status(), r.output());
        assertFalse(r.output().contains("panic"), r.output());
        var report = Fsck.check(img);
        assertTrue(report.clean(), report.summary());
        String out = r.output();
        int from = out.indexOf("$ outsider\n");
        int to = out.indexOf("outsider: done\n");
        assertTrue(from >= 0 && to > from, out);
        return out.substring(from, to).lines().filter(l -> !l.startsWith("pid ")).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void edgeCasesOfEveryCallGiveXv6sAnswersOnBothKernels() throws Exception {
        String xv6 = run(Flavour.KERNEL);
        String exo = run(Flavour.EXO);
        assertEquals(xv6, exo);
        for (String line : new String[] {
            "exec 31 args: 0", "exec 32 args: 77", "exec 4095-byte arg: 77", "exec arg off the end: 77",
            "exec argv off the end: 77", "unlink /..: -1", "cwd after /.. is inode: 1",
            "create in removed cwd: -1", "open major 2: 1", "write major 2: -1", "read into text: -1",
            "pipe with one fd: -1", "pipe after: 1", "file max size: 274432", "write at max: -1",
            "exec 31 args of 100 bytes: 0", "exec 31 args of 127 bytes: 77", "write 10 at max-5: -1", "write 5 at max-5: 5", "size truncated: 0",
            "ghost nlink: 0", "unlink /ot: 0"}) {
            assertTrue(xv6.contains("\n" + line + "\n"), line + " in:\n" + xv6);
        }
    }
}
