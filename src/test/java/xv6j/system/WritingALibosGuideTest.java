package xv6j.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import xv6j.fs.Fs;
import xv6j.kernel.XvRun;
import xv6j.libos.LibosRun;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Mkfs;
import xv6j.tools.UserBuild;

/**
 * docs/writing-a-libos.md, followed literally: its code samples are what the repository
 * holds or what a reader would type, and they build (by where they are put, with no Java
 * changed) and print what the guide shows. The programs of §2 and §3 are built by
 * xv6j.tools.UserBuild in a copy of just the parts of user/ they need.
 */
@Timeout(300)
class WritingALibosGuideTest {
    static final Path USER = Path.of("user");
    static final Path GUIDE = Path.of("docs", "writing-a-libos.md");

    @TempDir
    Path dir;

    /** The code block after the guide's marker comment {@code <!-- guide:NAME ... -->}. */
    static String block(String name) throws IOException {
        String text = Files.readString(GUIDE);
        int at = text.indexOf("<!-- guide:" + name + " ");
        if (at < 0) at = text.indexOf("<!-- guide:" + name + "-->");
        if (at < 0) at = text.indexOf("<!-- guide:" + name + " -->");
        assertTrue(at >= 0, "the guide has no block " + name);
        int open = text.indexOf("```", at);
        int start = text.indexOf('\n', open) + 1;
        int end = text.indexOf("```", start);
        return text.substring(start, end);
    }

    /** A shown session as a pattern: the guide's text, any number in it standing for any number. */
    static Pattern session(String shown) {
        StringBuilder re = new StringBuilder("(?s).*");
        for (String part : shown.split("\\d+", -1)) {
            if (re.length() > 6) re.append("\\d+");
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.append(".*").toString());
    }

    @Test
    void section1ShowsUserExoHelloWholeAndWhatItPrints() throws Exception {
        assertEquals(Files.readString(USER.resolve("exo/hello.c")), block("section1-program"));
        Path init = Files.copy(built("exotest", "hello"), Files.createDirectories(dir.resolve("my")).resolve("init"));
        Path img = dir.resolve("my.img");
        Mkfs.build(img, List.of(init));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(128L << 20, 1, disk, Console.batch(new ByteArrayInputStream(new byte[0]), out), new Clock.Virtual());
            assertEquals(0, xv6j.exo.Boot.boot(m, new PrintStream(out, true, StandardCharsets.UTF_8)));
        }
        assertEquals(block("section1-output"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void section2ALibosFolderIsBuiltByWhereItIsAndItsProgramRunsFromTheShell() throws Exception {
        // The parts of user/ a LibOS of its own builds on, then the guide's two steps.
        Path src = dir.resolve("user");
        for (String f : List.of("user.ld", "exo.h", "exo_sysnum.h", "exosys.S")) copy(USER.resolve(f), src.resolve(f));
        try (Stream<Path> s = Files.list(USER.resolve("libos"))) {
            for (Path h : s.filter(p -> p.toString().endsWith(".h")).toList()) copy(h, src.resolve("libos").resolve(h.getFileName()));
        }
        copyTree(USER.resolve("libos/lib"), src.resolve("libos/lib"));
        copyTree(USER.resolve("kv/kvlib"), src.resolve("hello2/hello2lib"));
        Files.writeString(src.resolve("hello2/hello2.c"), block("section2-program"));

        Path out = dir.resolve("out");
        UserBuild.build(src, out);

        // First as it is; then with the guide's two lines of configuration: 100 more blocks
        // after the file system, and hello2's line in /storage.
        Path hello2 = out.resolve("exo/bin/hello2");
        LibosRun.Result r = LibosRun.boot(exoImage("plain", hello2, 1000, ""), "hello2\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(session(block("section2-session")).matcher(r.output()).matches(), r.output());
        assertTrue(!r.output().contains("blocks of my own"), r.output());

        // The guide's two lines give hello2 the blocks after the last line of /storage as the
        // repository has it, and the Makefile room for them.
        String guide = Files.readString(GUIDE);
        Matcher extra = Pattern.compile("`MKFSFLAGS = --extra (\\d+)`").matcher(guide);
        Matcher line = Pattern.compile("the line: `/hello2 (\\d+) (\\d+)`").matcher(guide);
        assertTrue(extra.find() && line.find(), "the guide's two lines of configuration");
        int blocks = Integer.parseInt(extra.group(1)), first = Integer.parseInt(line.group(1)), count = Integer.parseInt(line.group(2));
        assertEquals(storageEnd(), first, "hello2's blocks start where /storage's last line ends");
        assertEquals(first + count, blocks, "the guide's --extra makes room for hello2's blocks and no more");
        LibosRun.Result s = LibosRun.boot(exoImage("storage", hello2, blocks, "/hello2 " + first + " " + count + "\n"), "hello2\n");
        assertEquals(0, s.status(), s.output());
        String shown = block("section2-storage-session");
        String own = "hello2: " + count + " disk blocks of my own, from block " + (Fs.FSSIZE + first) + "\n";
        assertTrue(shown.contains(own), "the guide shows " + own + "in\n" + shown);
        assertTrue(session(shown.substring(0, shown.lastIndexOf("hello2: "))).matcher(s.output()).matches()
                && s.output().contains(own), s.output());
    }

    /**
     * The blocks after the file system that /storage deals out (the end of its last range),
     * which must be what the Makefile puts there and what the tests' images have.
     */
    static int storageEnd() throws IOException {
        int end = 0;
        for (String l : Files.readAllLines(USER.resolve("libos/root/storage"))) {
            String[] f = l.trim().split("\\s+");
            if (f.length == 3 && !f[0].startsWith("#")) end = Math.max(end, Integer.parseInt(f[1]) + Integer.parseInt(f[2]));
        }
        return end;
    }

    @Test
    void theMakefilesExtraBlocksHoldEveryLineOfStorageAsTheTestsImagesDo() throws Exception {
        int end = storageEnd();
        assertTrue(Files.readString(Path.of("Makefile")).contains("MKFSFLAGS = --extra " + end + "\n"), "the Makefile's --extra is " + end);
        assertEquals(end, LibosRun.EXTRA_BLOCKS);
    }

    /** fs-exo.img as make EXO=1 builds it, with hello2 added, extra blocks after it and more lines in /storage. */
    private Path exoImage(String name, Path hello2, int extra, String moreStorage) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        List<Path> files = new ArrayList<>();
        for (Path p : LibosRun.programs()) {
            if (!p.getFileName().toString().equals("storage")) files.add(p);
        }
        files.add(Files.writeString(d.resolve("storage"), Files.readString(USER.resolve("libos/root/storage")) + moreStorage));
        files.add(hello2);
        Path img = d.resolve("fs-exo.img");
        Mkfs.build(img, files, Fs.FSSIZE, Fs.NINODES, extra);
        return img;
    }

    @Test
    void section5PagersSessionIsWhatItPrintsInFsExoImgAsMakeBuildsIt() throws Exception {
        String shown = block("section5-session");
        StringBuilder script = new StringBuilder();
        for (String l : shown.split("\n")) if (l.startsWith("$ ")) script.append(l.substring(2)).append('\n');
        LibosRun.Result r = LibosRun.boot(LibosRun.freshImage(dir), script.toString());
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains(shown), r.output());
    }

    @Test
    void section3AProgramPutInUserRunsInTheShell() throws Exception {
        Path src = dir.resolve("user");
        for (String f : List.of("user.ld", "user.h", "ulib.c", "printf.c", "umalloc.c", "usys.S"))
            copy(USER.resolve(f), src.resolve(f));
        Files.writeString(src.resolve("hello.c"), block("section3-program"));

        Path out = dir.resolve("out");
        UserBuild.build(src, out);

        Path img = dir.resolve("fs.img");
        List<Path> files = new ArrayList<>(XvRun.programs());
        files.add(out.resolve("kernel/bin/hello"));
        Mkfs.build(img, files);
        XvRun.Result r = XvRun.boot(img, "hello xv6\n");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains(block("section3-session")), r.output());
    }

    private static Path built(String flavour, String name) {
        return Path.of(System.getProperty("xv6j.user", "target/user"), flavour, "bin", name);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else copy(p, t);
            }
        }
    }
}
