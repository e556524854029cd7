package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;
import xv6j.fs.ImageEdit;
import xv6j.tools.Fsck;

/**
 * A directory is a file, at most MAXFILE blocks of entries. In a full one, link, create
 * and mkdir fail, undoing what they did before they found no room (a new inode, a new
 * directory's blocks, a link count), and the image stays clean: in xv6's kernel and in
 * the LibOS's file server alike.
 */
@Timeout(120)
class FullDirectoryTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void namesThatDoNotFitAFullDirectoryAreRefusedAndLeaveNothingBehind(Flavour system) throws Exception {
        // l00 full: ".", "..", and the rest names for one file f (17,150 link calls' worth).
        Path img = system.freshImage(dir);
        int full = Fs.MAXFILE * Fs.BSIZE / Fs.DIRENT_SIZE;
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.createWithLinks("f", "f\n".getBytes(), full - 1, full - 2);
        Files.write(img, e.img);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        Flavour.Run r = system.boot(img,
                "ln f l00/g\nmkdir l00/d\necho hi > l00/e\nls l00/g\nrm l00/x0000\nln f l00/g\ncat l00/g\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertFalse(out.contains("panic"), out);
        assertTrue(out.contains("$ ln f l00/g\nlink f l00/g: failed\n"), out);
        assertTrue(out.contains("$ mkdir l00/d\nmkdir: l00/d failed to create\n"), out);
        assertTrue(out.contains("$ echo hi > l00/e\nopen l00/e failed\n"), out);
        assertTrue(out.contains("$ ls l00/g\nls: cannot open l00/g\n"), out);
        // One name out, one name in.
        assertTrue(out.contains("$ ln f l00/g\n$ cat l00/g\nf\n"), out);
        var report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
    }
}
