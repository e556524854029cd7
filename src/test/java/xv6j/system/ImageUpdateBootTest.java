package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsckReport;
import xv6j.fs.ImageEdit;
import xv6j.tools.Fsck;
import xv6j.tools.ImageUpdate;
import xv6j.tools.ImageUpdate.Outcome;

/**
 * What {@code make qemu} does to an image a user has used, once programs changed: puts
 * them in place (mkfs --update, with the Makefile's --extra on kernel-exo's image), and
 * the next boot runs the new programs among the user's files, on both kernels. An image
 * that cannot be updated is kept beside a new one that boots.
 */
@Timeout(180)
class ImageUpdateBootTest {
    @TempDir
    Path dir;

    private static Path program(Flavour system, String name) {
        return system.programs().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }

    /** The programs, with echo changed (now wc's code) and a new one, hello (cat's code). */
    private List<Path> changedPrograms(Flavour system) throws Exception {
        Path in = Files.createDirectories(dir.resolve("new"));
        List<Path> files = new ArrayList<>();
        for (Path p : system.programs()) if (!p.getFileName().toString().equals("echo")) files.add(p);
        files.add(Files.copy(program(system, "wc"), in.resolve("echo")));
        files.add(Files.copy(program(system, "cat"), in.resolve("hello")));
        return files;
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void changedProgramsRunAndTheUsersFilesStay(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        String kv = system == Flavour.EXO ? "kv put greeting kept\n" : "";
        Flavour.Run before = system.boot(img, "mkdir d\necho mine > d/f\necho top > mine\n" + kv);
        assertEquals(0, before.status(), before.output());

        ImageUpdate.Result u = ImageUpdate.update(img, changedPrograms(system), Fs.FSSIZE, Fs.NINODES, system.extraBlocks());
        assertEquals(Outcome.UPDATED, u.outcome());
        assertEquals(List.of("echo"), u.replaced());
        assertEquals(List.of("hello"), u.added());
        FsckReport report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());

        String kvGet = system == Flavour.EXO ? "kv get greeting\n" : "";
        Flavour.Run after = system.boot(img, "echo < mine\nhello d/f\nls d\n" + kvGet);
        String out = after.output();
        assertEquals(0, after.status(), out);
        assertTrue(out.contains("$ echo < mine\n1 1 4 \n"), "the new echo is wc: " + out);
        assertTrue(out.contains("$ hello d/f\nmine\n"), "the new hello is cat: " + out);
        if (system == Flavour.EXO) assertTrue(out.contains("$ kv get greeting\nkept\n"), "kv's blocks kept: " + out);
        report = Fsck.check(img);
        assertTrue(report.clean() && report.warnings().isEmpty(), report.findings().toString());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aCorruptImageIsKeptAsOldAndTheNewOneBoots(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        assertEquals(0, system.boot(img, "echo mine > mine\n").status());
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        e.setNlink(FsImage.of(e.img).lookup("/mine").orElseThrow(), 5);
        Files.write(img, e.img);

        ImageUpdate.Result u = ImageUpdate.update(img, changedPrograms(system), Fs.FSSIZE, Fs.NINODES, system.extraBlocks());
        assertEquals(Outcome.REMADE, u.outcome());
        assertTrue(u.why().startsWith("fsck finds 1 error"), u.why());
        assertArrayEquals(e.img, Files.readAllBytes(u.kept()), "the old image is kept as it was");
        assertNewProgramsRun(system, img);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anImageTooFullForTheNewProgramsIsKeptAsOldAndTheNewOneBoots(Flavour system) throws Exception {
        Path img = system.freshImage(dir);
        // The user's files fill the disk: no room for a larger echo.
        ImageEdit e = new ImageEdit(Files.readAllBytes(img));
        int free = FsImage.of(e.img).freeBlocks();
        for (int i = 0; free > Fs.MAXFILE + 1; i++, free -= Fs.MAXFILE + 1)
            e.create(Fs.ROOTINO, "user" + i, new byte[Fs.MAXFILE * Fs.BSIZE]);
        e.create(Fs.ROOTINO, "last", new byte[(free - 1) * Fs.BSIZE]);
        Files.write(img, e.img);
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());

        List<Path> files = changedPrograms(system);
        Path bigger = dir.resolve("new").resolve("echo");
        Files.write(bigger, new byte[(int) Files.size(bigger) + 4 * Fs.BSIZE], java.nio.file.StandardOpenOption.APPEND);
        ImageUpdate.Result u = ImageUpdate.update(img, files, Fs.FSSIZE, Fs.NINODES, system.extraBlocks());
        assertEquals(Outcome.REMADE, u.outcome());
        assertTrue(u.why().startsWith("the new files do not fit"), u.why());
        assertArrayEquals(e.img, Files.readAllBytes(u.kept()), "the old image is kept as it was");
        assertNewProgramsRun(system, img);
    }

    /** The new image holds the new programs: echo is wc, counting hello (cat). */
    private static void assertNewProgramsRun(Flavour system, Path img) throws Exception {
        Flavour.Run r = system.boot(img, "echo < hello\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(java.util.regex.Pattern.compile("\\$ echo < hello\n\\d+ \\d+ \\d+ \n").matcher(r.output()).find(),
                r.output());
        assertTrue(Fsck.check(img).clean(), Fsck.check(img).summary());
    }
}
