package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.tools.Mkfs;

/** kernel-exo.jar's command line: bad input gets one clear line and a non-zero status, never a stack trace. */
class LauncherTest {
    @TempDir
    Path dir;

    private record Run(int status, String err) {}

    private static Run boot(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Boot.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Run r, String expected) {
        assertEquals(1, r.status(), r.err());
        assertEquals("kernel-exo: " + expected + "\n", r.err());
    }

    @Test
    void aMissingImageIsNamedInOneLine() {
        Run r = boot(dir.resolve("nope.img").toString());
        assertOneLine(r, dir.resolve("nope.img") + ": no such disk image; scripts/mkfs makes one (--help says how)");
    }

    @Test
    void anImageWithoutInitSaysSo() throws Exception {
        Path readme = Files.writeString(dir.resolve("README"), "no init here\n");
        Mkfs.build(dir.resolve("fs-exo.img"), List.of(readme));
        assertOneLine(boot(dir.resolve("fs-exo.img").toString()),
                dir.resolve("fs-exo.img") + " has no /init; make a new one with scripts/mkfs (--help says how)");
    }

    @Test
    void anInitThatIsNotAnElfFileSaysSo() throws Exception {
        Path init = Files.writeString(dir.resolve("init"), "#!/bin/sh\necho not a program\n");
        Mkfs.build(dir.resolve("fs-exo.img"), List.of(init));
        assertOneLine(boot(dir.resolve("fs-exo.img").toString()),
                dir.resolve("fs-exo.img") + " has an /init kernel-exo cannot load (not an ELF file (bad magic));"
                        + " make a new one with scripts/mkfs (--help says how)");
    }

    @Test
    void anImageThatIsNotAnXv6FileSystemSaysWhy() throws Exception {
        Path img = Files.write(dir.resolve("zero.img"), new byte[1024 * 100]);
        Run r = boot(img.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("kernel-exo: " + img + ": not an xv6 file-system image: superblock: bad magic 0x00000000"), r.err());
        assertTrue(r.err().endsWith("; make a new one with scripts/mkfs (--help says how)\n"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void anEmptyFileIsNotAnImage() throws Exception {
        Path img = Files.write(dir.resolve("empty.img"), new byte[0]);
        Run r = boot(img.toString());
        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(r.err().indexOf(img.toString()), r.err().lastIndexOf(img.toString()), "the image named once: " + r.err());
    }

    @Test
    void anUnknownOptionPrintsTheUsage() {
        Run r = boot("--frobnicate", "fs-exo.img");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("kernel-exo: unknown option --frobnicate\nusage:"), r.err());
    }
}
