package xv6j.libos;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import xv6j.exo.Boot;
import xv6j.fs.Fs;
import xv6j.fs.FsckReport;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Fsck;
import xv6j.tools.Mkfs;

/**
 * Boots kernel-exo in this JVM with the standard LibOS's programs on a fresh fs-exo.img,
 * the way a user would run a script through {@code make EXO=1 qemu}: a batch console,
 * deterministic time by default. Returns what the console printed.
 */
public final class LibosRun {
    /**
     * Blocks after the file system, as the Makefile's MKFSFLAGS puts them there for the
     * LibOSes of their own (user/libos/root/storage: kv's 1000, then pager's 256).
     */
    public static final int EXTRA_BLOCKS = 1256;

    /** What one boot printed, and the instructions all harts retired and each hart's share. */
    public record Result(int status, String output, long instructions, List<Long> hartInstructions) {
        Result(int status, String output, Machine m) {
            this(status, output, Stream.of(m.harts()).mapToLong(h -> h.instret).sum(),
                    Stream.of(m.harts()).map(h -> h.instret).toList());
        }
    }

    private LibosRun() {}

    /** The exo programs the build made (target/user/exo/bin). */
    public static List<Path> programs() {
        Path bin = Path.of(System.getProperty("xv6j.user", "target/user"), "exo", "bin");
        try (Stream<Path> s = Files.list(bin)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no exo programs at " + bin + " (run the build first)", e);
        }
    }

    /** A fresh fs-exo.img in dir: every program, then EXTRA_BLOCKS free blocks after the file system. */
    public static Path freshImage(Path dir) throws IOException {
        return freshImage(dir, Fs.FSSIZE);
    }

    /** As {@link #freshImage(Path)}, with a file system of {@code blocks} blocks. */
    public static Path freshImage(Path dir, int blocks) throws IOException {
        Path img = dir.resolve("fs-exo.img");
        Mkfs.build(img, programs(), blocks, Fs.NINODES, EXTRA_BLOCKS);
        return img;
    }

    /**
     * A fresh image named name in dir whose /storage is storage (lines "program first
     * count") instead of the build's, with extra blocks after the file system.
     */
    public static Path freshImage(Path dir, String name, String storage, int extra) throws IOException {
        Path table = Files.createDirectories(dir.resolve(name + ".files")).resolve("storage");
        Files.writeString(table, storage);
        List<Path> files = new java.util.ArrayList<>();
        for (Path p : programs()) if (!p.getFileName().toString().equals("storage")) files.add(p);
        files.add(table);
        Path img = dir.resolve(name);
        Mkfs.build(img, files, Fs.FSSIZE, Fs.NINODES, extra);
        return img;
    }

    public static Result boot(Path image, String script) throws Exception {
        return boot(image, script, 1, true);
    }

    public static Result boot(Path image, String script, int harts, boolean deterministic) throws Exception {
        return boot(image, script, harts, deterministic, null);
    }

    /** As {@link #boot(Path, String)}, with observer watching the disk's writes and forces. */
    public static Result boot(Path image, String script, Disk.Observer observer) throws Exception {
        return boot(image, script, 1, true, observer);
    }

    /**
     * As {@link #boot(Path, String, int, boolean)}, with kernel-exo's invariant checker run
     * after every checkEvery-th kernel entry (a broken invariant panics the machine) and once
     * more after the halt; what it finds then is appended to the output.
     */
    public static Result bootChecked(Path image, String script, int harts, boolean deterministic, long checkEvery)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(image, false)) {
            Clock clock = deterministic ? new Clock.Virtual() : new Clock.Wall();
            Machine m = Machine.create(128L << 20, harts, disk, console, clock);
            xv6j.exo.Exokernel k = Boot.load(m);
            k.checkInvariantsEvery(checkEvery);
            int status = k.run();
            List<String> bad = xv6j.exo.Invariants.check(k);
            String text = out.toString(StandardCharsets.ISO_8859_1) + (bad.isEmpty() ? "" : "invariants broken after the run:\n" + String.join("\n", bad));
            return new Result(status, text, m);
        }
    }

    /** What one boot printed, and the kernel crossings it made by system call number (Exokernel.crossings). */
    public record Counted(int status, String output, long[] crossings) {}

    /** Boots image on one hart in virtual time, as {@link #boot(Path, String)}, counting the kernel's crossings. */
    public static Counted bootCounting(Path image, String script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(image, false)) {
            Machine m = Machine.create(128L << 20, 1, disk, console, new Clock.Virtual());
            xv6j.exo.Exokernel k = Boot.load(m);
            int status = k.run();
            return new Counted(status, out.toString(StandardCharsets.ISO_8859_1), k.crossings());
        }
    }

    /**
     * Runs script on a fresh image in dir with the invariant checker after every checkEvery
     * kernel entries (deterministic time on one hart), as the attack tests do, and checks
     * what every attack must leave: a clean halt, no broken invariant or panic, no line
     * saying FAIL, an fsck-clean image. Returns what the console printed.
     */
    static String attack(Path dir, String script, int harts, long checkEvery) throws Exception {
        Path img = freshImage(dir);
        Result r = bootChecked(img, script, harts, harts == 1, checkEvery);
        Assertions.assertEquals(0, r.status(), r.output());
        Assertions.assertFalse(r.output().contains("invariants broken") || r.output().contains("exo panic"), r.output());
        Assertions.assertFalse(r.output().contains("FAIL"), r.output());
        FsckReport fsck = Fsck.check(img);
        Assertions.assertTrue(fsck.clean(), "fsck after the session: " + fsck.summary());
        return r.output();
    }

    private static Result boot(Path image, String script, int harts, boolean deterministic, Disk.Observer observer)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Disk disk = Disk.open(image, false)) {
            if (observer != null) disk.observe(observer);
            Clock clock = deterministic ? new Clock.Virtual() : new Clock.Wall();
            Machine m = Machine.create(128L << 20, harts, disk, console, clock);
            int status = Boot.boot(m, new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.ISO_8859_1) + err.toString(StandardCharsets.UTF_8);
            return new Result(status, text, m);
        }
    }
}
