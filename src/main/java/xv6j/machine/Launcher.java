package xv6j.machine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import xv6j.machine.gdb.GdbServer;

/**
 * What both kernels' jars do from the command line: parse {@link MachineOptions}, open
 * the disk image and the host's terminal, build the machine, and hand it to a kernel.
 * Mistakes get one line and a status: 2 for usage, 1 for anything that stops the boot;
 * a clean halt is 0.
 */
public final class Launcher {
    private Launcher() {}

    /** A kernel: boots on a machine and runs until it halts. */
    @FunctionalInterface
    public interface Kernel {
        /**
         * Returns the exit status; reports its own boot failures as one line on err. opts is
         * the command line, for what concerns the kernel rather than the machine (--view).
         */
        int boot(Machine m, MachineOptions opts, PrintStream err) throws InterruptedException;
    }

    /**
     * @param name the program's name in messages and its launcher's, scripts/NAME: "kernel"
     */
    public static int run(String name, String[] args, PrintStream err, Kernel kernel) {
        return run(name, args, err, kernel, System.getenv(MAKE_TARGET));
    }

    /**
     * Set by the Makefile to the make command that runs the launcher ("make qemu"): a
     * mistake in one of its variables (CPUS=0) is then told in make's words, in one line.
     */
    static final String MAKE_TARGET = "XV6J_MAKE";

    /** As run, for a launcher started by makeTarget ("make qemu"), or by hand (null). */
    static int run(String name, String[] args, PrintStream err, Kernel kernel, String makeTarget) {
        MachineOptions opts;
        try {
            opts = MachineOptions.parse(args);
        } catch (MachineOptions.UsageException e) {
            if (makeTarget != null && e.inMakeTerms() != null) {
                err.println(makeTarget + ": " + e.inMakeTerms());
                return 2;
            }
            err.println(name + ": " + e.getMessage());
            err.println(MachineOptions.usage(name));
            return 2;
        }
        if (opts == null) {
            err.println(MachineOptions.usage(name));
            return 0;
        }
        // Harts run user code on threads that may be virtual: give each a carrier.
        System.setProperty("jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Math.max(opts.harts() + 1, Runtime.getRuntime().availableProcessors())));
        Disk disk;
        try {
            disk = Disk.open(opts.image(), false);
        } catch (IOException e) {
            err.println(name + ": " + describe(opts.image(), e));
            return 1;
        }
        // gdb's port is opened and announced before the terminal goes raw.
        try (disk; GdbServer gdb = opts.gdb() == null ? null : GdbServer.open(opts.gdb(), err);
             Console console = HostTerminal.open()) {
            Machine m = Machine.create(opts.memoryMiB() << 20, opts.harts(), disk, console, opts.clock(), opts.engine());
            if (gdb != null) gdb.start(m, opts.gdb().symbols());
            int status = kernel.boot(m, opts, err);
            if (gdb != null) gdb.halted(status);
            return status;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(name + ": " + describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** An I/O error as a user should read it, naming the image once. */
    static String describe(Path image, IOException e) {
        if (e instanceof NoSuchFileException) return image + ": no such disk image; " + Disk.make(image);
        if (e instanceof AccessDeniedException) return image + ": permission denied";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.startsWith(image.toString()) ? m : image + ": " + m;
    }

    /** An I/O error as a user should read it. */
    public static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The command a user types here to run one of xv6j's tools ("fsck", "mkfs"), with
     * arguments: the launcher in the repository's scripts/ (which finds a JDK 21+, as
     * make does), named relative to the current folder when this code runs from that
     * repository's target/; else this very JVM running the tool's jar beside ours, which
     * works wherever the default java is too old.
     */
    public static String toolCommand(String tool, String... args) {
        String cmd;
        Path here = codeLocation();
        Path root = repository();
        if (root != null && Files.isExecutable(root.resolve("scripts").resolve(tool))) {
            Path script = root.resolve("scripts").resolve(tool);
            Path cwd = Path.of("").toAbsolutePath();
            cmd = script.startsWith(cwd) ? cwd.relativize(script).toString() : script.toString();
        } else {
            Path jar = here == null ? Path.of(tool + ".jar") : here.resolveSibling(tool + ".jar");
            cmd = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + jar;
        }
        return args.length == 0 ? cmd : cmd + " " + String.join(" ", args);
    }

    /**
     * The repository this code was built in (it runs from its target/, and scripts/ is
     * beside that), or null: a jar copied elsewhere.
     */
    static Path repository() {
        Path here = codeLocation();
        Path root = here == null ? null : here.getParent().getParent(); // <root>/target/{kernel.jar,classes}
        return root != null && Files.isDirectory(root.resolve("scripts")) ? root : null;
    }

    /** The jar or classes folder this code was loaded from, or null if unknown. */
    private static Path codeLocation() {
        try {
            var src = Launcher.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI()).toAbsolutePath();
            return p.getParent() == null || p.getParent().getParent() == null ? null : p;
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
