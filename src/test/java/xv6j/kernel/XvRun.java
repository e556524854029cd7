package xv6j.kernel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import xv6j.fs.Fs;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Mkfs;

/**
 * Boots the xv6 kernel in this JVM the way a user would run it with a script on standard
 * input ({@code printf '...' | make qemu}): a fresh image, a batch console, and by
 * default deterministic time. Returns what the console printed.
 */
public final class XvRun {
    /**
     * What one boot printed and did (the instructions all harts retired, and each hart's
     * share), and what the kernel held when it halted: free pages, and processes,
     * in-memory inodes and open files in use (leak checks).
     */
    public record Result(int status, String output, long instructions, List<Long> hartInstructions, Held held) {}

    /** What a halted kernel still holds. */
    public record Held(int freePages, int procs, int inodes, int files) {}

    private XvRun() {}

    /** The xv6 programs the build made (target/user/kernel/bin). */
    public static List<Path> programs() {
        Path bin = Path.of(System.getProperty("xv6j.user", "target/user"), "kernel", "bin");
        try (Stream<Path> s = Files.list(bin)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no user programs at " + bin + " (run the build first)", e);
        }
    }

    /** A fresh fs.img in dir with every program and a README, as `make fs.img` builds it. */
    public static Path freshImage(Path dir) throws IOException {
        return freshImage(dir, Fs.FSSIZE);
    }

    /** As {@link #freshImage(Path)}, with a file system of {@code blocks} blocks. */
    public static Path freshImage(Path dir, int blocks) throws IOException {
        Path readme = dir.resolve("README");
        Files.writeString(readme, "xv6j test image\n");
        List<Path> files = new ArrayList<>(programs());
        files.add(readme);
        Path img = dir.resolve("fs.img");
        Mkfs.build(img, files, blocks, Fs.NINODES);
        return img;
    }

    public static Result boot(Path image, String script) throws Exception {
        return boot(image, script, 1, true, 128);
    }

    public static Result boot(Path image, String script, int harts, boolean deterministic, int memMiB) throws Exception {
        return boot(image, script, harts, deterministic, memMiB, null);
    }

    /** As {@link #boot(Path, String)}, with observer watching the disk's writes and forces. */
    public static Result boot(Path image, String script, Disk.Observer observer) throws Exception {
        return boot(image, script, 1, true, 128, observer);
    }

    private static Result boot(Path image, String script, int harts, boolean deterministic, int memMiB,
                               Disk.Observer observer) throws Exception {
        return boot(image, script, harts, deterministic, memMiB, observer, k -> {});
    }

    /** As {@link #boot(Path, String)}, with setup changing the kernel before it boots (tests set counters so). */
    static Result boot(Path image, String script, java.util.function.Consumer<Kernel> setup) throws Exception {
        return boot(image, script, 1, true, 128, null, setup);
    }

    private static Result boot(Path image, String script, int harts, boolean deterministic, int memMiB,
                               Disk.Observer observer, java.util.function.Consumer<Kernel> setup) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(image, false)) {
            if (observer != null) disk.observe(observer);
            Clock clock = deterministic ? new Clock.Virtual() : new Clock.Wall();
            Machine m = Machine.create((long) memMiB << 20, harts, disk, console, clock);
            Kernel k = new Kernel(m);
            setup.accept(k);
            int status;
            try {
                status = k.run();
            } catch (InterruptedException e) {
                // A test's timeout: halt the machine, or its processes run on, in this JVM,
                // on the carriers later tests' processes need.
                k.halt(1);
                throw e;
            }
            List<Long> perHart = Stream.of(m.harts()).map(h -> h.instret).toList();
            long instret = perHart.stream().mapToLong(Long::longValue).sum();
            Held held = new Held(k.freePages(), k.procs.countUsed(), k.itable.inUse(), k.files.inUse());
            return new Result(status, out.toString(StandardCharsets.ISO_8859_1), instret, perHart, held);
        }
    }
}
