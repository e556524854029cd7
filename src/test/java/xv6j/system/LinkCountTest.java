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
 * A file's link count is 16 bits on the disk. 32,767 names for one file is as far as it
 * goes: a program that makes one more must be refused, or the count wraps negative and
 * the next unlink finds an inode with no links (a panic, then a corrupt image).
 */
@Timeout(120)
class LinkCountTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aLinkBeyondTheLargestLinkCountIsRefusedAndTheFileSystemStaysWhole(Flavour system) throws Exception {
        // "f" with 32,767 names, as 32,766 calls of link would leave it (which would take
        // minutes to make through the system calls). Their directories take about 550
        // blocks, more than a default image keeps free once every program is on it.
        Path img = system.freshImage(dir, Fs.FSSIZE + 1000);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.createWithLinks("f", "linked\n".getBytes(), Short.MAX_VALUE, 1024);
        Files.write(img, e.img);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        Flavour.Run r = system.boot(img, "ln f g\nrm l00/x0000\nln f g\ncat g\nrm g l01/x0000 f\nls f\n");
        String out = r.output();
        assertEquals(0, r.status(), out);
        assertFalse(out.contains("panic"), out);
        assertTrue(out.contains("$ ln f g\nlink f g: failed\n"), out);
        // With one name fewer, one more fits; the file and its count stay right.
        assertTrue(out.contains("$ ln f g\n$ cat g\nlinked\n"), out);
        assertTrue(out.contains("$ ls f\nls: cannot open f"), out);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
