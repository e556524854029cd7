package xv6j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.fs.ImageEdit;
import xv6j.tools.Fsck;

/**
 * A file unlinked while open when the machine stopped keeps its inode and blocks on the
 * disk (nlink 0, in no directory). xv6 frees such orphans at boot (ireclaim, after log
 * recovery); so does xv6j. Before, they stayed allocated for good, and fsck warned of
 * them on every run.
 */
class OrphanReclaimTest {
    @TempDir
    Path dir;

    @Test
    void bootFreesAFileUnlinkedWhileOpenAndItsBlocks() throws Exception {
        Path img = XvRun.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int inum = e.create(Fs.ROOTINO, "doomed", new byte[20 * Fs.BSIZE]);
        int firstBlock = e.inode(inum).addr(0);
        e.unlinkKeepOpen(Fs.ROOTINO, "doomed");
        Files.write(img, e.img);
        assertEquals(1, Fsck.check(img).warnings().size(), "the orphan is there before the boot");

        XvRun.Result r = XvRun.boot(img, "echo up\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("ireclaim: orphaned inode " + inum + "\n"), r.output());

        var report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.summary() + "\n" + report.findings());
        ImageEdit after = new ImageEdit(Files.readAllBytes(img));
        assertTrue(after.inode(inum).nlink() > 0 || after.inode(inum).type() == Fs.T_FREE,
                "the orphan's inode is free (or init's console took it)");
        assertFalse(after.marked(firstBlock), "the orphan's blocks are free again");
    }
}
