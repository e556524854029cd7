package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.ImageEdit;
import xv6j.tools.Fsck;

/** The LibOS's file server, like xv6's kernel, refuses a link its 16-bit link count cannot hold. */
@Timeout(120)
class LibosLinkCountTest {
    @TempDir
    Path dir;

    @Test
    void aLinkBeyondTheLargestLinkCountIsRefusedAndTheFileSystemStaysWhole() throws Exception {
        Path img = LibosRun.freshImage(dir);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.createWithLinks("f", "linked\n".getBytes(), Short.MAX_VALUE, 1024);
        Files.write(img, e.img);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        LibosRun.Result r = LibosRun.boot(img, "ln f g\nrm l00/x0000\nln f g\ncat g\nrm g l01/x0000 f\nls f\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertFalse(out.contains("panic"), out);
        assertTrue(out.contains("$ ln f g\nlink f g: failed\n"), out);
        assertTrue(out.contains("$ ln f g\n$ cat g\nlinked\n"), out);
        assertTrue(out.contains("$ ls f\nls: cannot open f"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
