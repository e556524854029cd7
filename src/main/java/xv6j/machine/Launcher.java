package xv6j.machine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
        /** Returns the exit status; reports its own boot failures as one line on err. */
        int boot(Machine m, PrintStream err) throws InterruptedException;
    }

    /**
     * @param name the program's name in messages and its launcher's, scripts/NAME: "kernel"
     */
    public static int run(String name, String[] args, PrintStream err, Kernel kernel) {
        MachineOptions opts;
        try {
            opts = MachineOptions.parse(args);
        } catch (MachineOptions.UsageException e) {
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
        try (disk; Console console = HostTerminal.open()) {
            Machine m = Machine.create(opts.memoryMiB() << 20, opts.harts(), disk, console, opts.clock(), opts.engine());
            return kernel.boot(m, err);
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
        if (e instanceof NoSuchFileException) return image + ": no such disk image";
        if (e instanceof AccessDeniedException) return image + ": permission denied";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.startsWith(image.toString()) ? m : image + ": " + m;
    }

    /** An I/O error as a user should read it. */
    public static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
