package xv6j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;

/**
 * The images as the Makefile makes them (fs.img, fs-exo.img: README.md and every program
 * of bin/) leave a user room: usertests' largest file, and ten programs of their own
 * beside it (README.md, "Room on the disk"). When the LibOS was linked into every program
 * with its symbols and page-aligned segments, fs-exo.img had about 250 free blocks and
 * usertests' writebig, which needs 269, failed after a user added two programs.
 */
class ImageRoomTest {
    /** usertests' writebig: a file of MAXFILE blocks and its indirect block. */
    static final int USERTESTS_LARGEST = Fs.MAXFILE + 1;
    /** Room for ten programs of a user's own of 32 KiB each (most LibOS programs are 6-20 KiB). */
    static final int USER_PROGRAMS = 10 * 32;
    /** The free data blocks each image must have as built: 269 + 320 = 589. */
    static final int ROOM = USERTESTS_LARGEST + USER_PROGRAMS;

    @TempDir
    Path dir;

    private static final Path USER = Path.of(System.getProperty("xv6j.user", "target/user"));

    /** Makes the image as the Makefile's rule does (mkfs [flags] IMG README.md BIN/*); its free data blocks. */
    private int freeBlocksOfImageAsMade(String flavour, String... flags) throws Exception {
        Path img = dir.resolve(flavour + ".img");
        List<String> args = new ArrayList<>(List.of(flags));
        args.add(img.toString());
        args.add("README.md");
        try (Stream<Path> s = Files.list(USER.resolve(flavour).resolve("bin"))) {
            for (Path p : s.sorted().toList()) args.add(p.toString());
        }
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = Mkfs.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return FsImage.of(Files.readAllBytes(img)).freeBlocks();
    }

    @Test
    void theExokernelsImageAsBuiltHasRoomForUsertestsAndTenProgramsOfAUsersOwn() throws Exception {
        int free = freeBlocksOfImageAsMade("exo", "--extra", "1000"); // the Makefile's MKFSFLAGS for EXO=1
        assertTrue(free >= ROOM, "fs-exo.img has " + free + " free blocks; usertests and ten programs need " + ROOM);
    }

    @Test
    void theXv6ImageAsBuiltHasRoomForUsertestsAndTenProgramsOfAUsersOwn() throws Exception {
        int free = freeBlocksOfImageAsMade("kernel");
        assertTrue(free >= ROOM, "fs.img has " + free + " free blocks; usertests and ten programs need " + ROOM);
    }
}
