package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.ImageEdit;
import xv6j.kernel.XvRun;
import xv6j.tools.ImageUpdate.Outcome;

/**
 * mkfs --update, which make runs when a program changed: the programs in the image are
 * replaced or added, and nothing a user made is lost (files, directories, kv's blocks
 * after the file system); an image that cannot be updated is kept beside the new one.
 */
class ImageUpdateTest {
    @TempDir
    Path dir;

    private Path file(String name, String contents) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        return Files.writeString(in.resolve(name), contents);
    }

    private static String read(Path img, String path) throws Exception {
        FsImage fs = FsImage.of(Files.readAllBytes(img));
        return new String(fs.readFile(fs.lookup(path).orElseThrow()), StandardCharsets.ISO_8859_1);
    }

    @Test
    void programsAreReplacedAndAddedWhileTheFilesAUserMadeStay() throws Exception {
        Path img = XvRun.freshImage(dir);
        XvRun.Result r = XvRun.boot(img, "mkdir d\necho mine > d/f\necho top > mine\n");
        assertEquals(0, r.status(), r.output());
        List<Path> programs = XvRun.programs();
        Path newCat = file("cat", "a new cat\n");
        Path hello = file("hello", "a new program\n");
        List<Path> files = new java.util.ArrayList<>(programs.stream().filter(p -> !p.getFileName().toString().equals("cat")).toList());
        files.add(newCat);
        files.add(hello);

        ImageUpdate.Result u = ImageUpdate.update(img, files, Fs.FSSIZE, Fs.NINODES, 0);

        assertEquals(Outcome.UPDATED, u.outcome());
        assertEquals(List.of("cat"), u.replaced());
        assertEquals(List.of("hello"), u.added());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
        assertEquals("a new cat\n", read(img, "/cat"));
        assertEquals("a new program\n", read(img, "/hello"));
        assertEquals("mine\n", read(img, "/d/f"));
        assertEquals("top\n", read(img, "/mine"));
        XvRun.Result again = XvRun.boot(img, "ls d\nwc mine\n");
        assertTrue(again.output().contains("\n1 1 4 mine\n"), "the programs still run: " + again.output());

        assertEquals(Outcome.UNCHANGED, ImageUpdate.update(img, files, Fs.FSSIZE, Fs.NINODES, 0).outcome());
    }

    @Test
    void theBlocksAfterTheFileSystemAreKeptAndMayGrow() throws Exception {
        Path prog = file("prog", "v1");
        Path img = dir.resolve("fs-exo.img");
        Mkfs.build(img, List.of(prog), 300, 50, 10);
        byte[] kv = new byte[10 * Fs.BSIZE];
        Arrays.fill(kv, (byte) 0x5a);
        byte[] bytes = Files.readAllBytes(img);
        System.arraycopy(kv, 0, bytes, 300 * Fs.BSIZE, kv.length);
        Files.write(img, bytes);

        Files.writeString(prog, "v2");
        ImageUpdate.Result u = ImageUpdate.update(img, List.of(prog), 300, 50, 20);

        assertEquals(Outcome.UPDATED, u.outcome());
        byte[] after = Files.readAllBytes(img);
        assertEquals(320 * Fs.BSIZE, after.length, "grown to the 20 blocks now asked for");
        assertArrayEquals(kv, Arrays.copyOfRange(after, 300 * Fs.BSIZE, 310 * Fs.BSIZE), "kv's blocks kept");
        assertArrayEquals(new byte[10 * Fs.BSIZE], Arrays.copyOfRange(after, 310 * Fs.BSIZE, 320 * Fs.BSIZE));
        assertEquals("v2", read(img, "/prog"));
    }

    @Test
    void aCommittedLogIsInstalledBeforeTheUpdate() throws Exception {
        Path prog = file("prog", "v1");
        ImageEdit e = ImageEdit.fresh(dir.resolve("e"), Map.of("prog", "v1".getBytes(), "x", new byte[0]));
        ImageEdit after = e.copy();
        after.create(Fs.ROOTINO, "logged", "in the log".getBytes());
        e.commitLog(after);
        Path img = Files.write(dir.resolve("fs.img"), e.img);

        Files.writeString(prog, "v2");
        assertEquals(Outcome.UPDATED, ImageUpdate.update(img, List.of(prog), Fs.FSSIZE, Fs.NINODES, 0).outcome());

        assertEquals("in the log", read(img, "/logged"));
        assertEquals("v2", read(img, "/prog"));
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }

    @Test
    void aNameTheUserMadeADirectoryIsLeftAlone() throws Exception {
        Path img = XvRun.freshImage(dir);
        assertEquals(0, XvRun.boot(img, "mkdir hello\necho x > hello/y\n").status());
        ImageUpdate.Result u = ImageUpdate.update(img, List.of(file("hello", "program")), Fs.FSSIZE, Fs.NINODES, 0);
        assertEquals(List.of("hello"), u.skipped());
        assertEquals("x\n", read(img, "/hello/y"));
        assertTrue(ImageUpdate.describe(img, u).get(0).contains("'hello' is not a file there"));
    }

    @Test
    void anImageThatCannotBeUpdatedIsKeptAndANewOneMadeLoudly() throws Exception {
        Path prog = file("prog", "v1");
        Path img = dir.resolve("fs.img");
        Mkfs.build(img, List.of(prog));
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.setNlink(2, 5); // an error fsck finds
        Files.write(img, e.img);
        byte[] broken = e.img.clone();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Mkfs.run(new String[] {"--update", img.toString(), prog.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, status);
        String loud = err.toString(StandardCharsets.UTF_8);
        assertTrue(loud.contains("*** " + img + " could not be updated in place: fsck finds 1 error"), loud);
        assertTrue(loud.contains("kept as fs.img.old"), loud);
        assertArrayEquals(broken, Files.readAllBytes(dir.resolve("fs.img.old")));
        assertTrue(Fsck.check(img).clean());
        assertEquals("v1", read(img, "/prog"));
    }

    @Test
    void filesThatNoLongerFitMakeANewImageAndKeepTheOld() throws Exception {
        Path small = file("prog", "v1");
        Path img = dir.resolve("fs.img");
        Mkfs.build(img, List.of(small), 200, 50, 0);
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.create(Fs.ROOTINO, "big", new byte[120 * Fs.BSIZE]); // the user's, nearly filling it
        Files.write(img, e.img);

        Files.write(small, new byte[60 * Fs.BSIZE]);
        ImageUpdate.Result u = ImageUpdate.update(img, List.of(small), 200, 50, 0);

        assertEquals(Outcome.REMADE, u.outcome());
        assertTrue(u.why().startsWith("the new files do not fit"), u.why());
        assertArrayEquals(e.img, Files.readAllBytes(u.kept()));
        assertTrue(Fsck.check(img).clean());
    }

    @Test
    void anImageNotThereIsMade() throws Exception {
        Path img = dir.resolve("new.img");
        ImageUpdate.Result u = ImageUpdate.update(img, List.of(file("prog", "v1")), Fs.FSSIZE, Fs.NINODES, 0);
        assertEquals(Outcome.MADE, u.outcome());
        assertEquals("v1", read(img, "/prog"));
    }
}
