package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.tools.Fsck;
import xv6j.tools.Mkfs;

/**
 * Two machines on one image would each overwrite the other's blocks: while one runs, a
 * second boot stops with one line naming the process that holds the image, and so do
 * mkfs and fsck --replay; the running machine's session is intact.
 */
@Timeout(120)
class ImageInUseTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aSecondBootOfAnImageInUseStopsWithOneLineNamingTheHolder(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        try (Flavour.Running first = system.start(img)) {
            first.type("echo kept > f\n");
            first.waitFor("$ echo kept > f\n$ ");

            Flavour.Run second = system.runJar(img, "echo lost > f\n");
            assertEquals(1, second.status(), second.output());
            String line = second.output().strip();
            assertTrue(line.lines().count() == 1 && line.contains(img + " is in use by ")
                    && line.contains("(pid " + first.pid() + ")"), line);

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            PrintStream none = new PrintStream(PrintStream.nullOutputStream());
            Path readme = Files.writeString(dir.resolve("README"), "x\n");
            assertEquals(1, Mkfs.run(new String[] {img.toString(), readme.toString()}, none, e), err.toString());
            assertEquals(1, Mkfs.run(new String[] {"--update", img.toString(), readme.toString()}, none, e), err.toString());
            assertEquals(2, Fsck.run(new String[] {"--replay", img.toString()}, none, e), err.toString());
            List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(3, lines.size(), err.toString());
            for (String l : lines) assertTrue(l.contains("(pid " + first.pid() + ")"), l);

            first.type("cat f\n");
            first.waitFor("$ cat f\nkept\n");
        }
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
        assertTrue(system.runJar(img, "cat f\n").output().contains("$ cat f\nkept\n"));
    }
}
