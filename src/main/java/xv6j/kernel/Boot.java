package xv6j.kernel;

import java.io.IOException;
import java.io.PrintStream;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.HostTerminal;
import xv6j.machine.Machine;
import xv6j.machine.MachineOptions;

/**
 * {@code java -jar kernel.jar [options] fs.img}: builds the machine and boots xv6 on it,
 * with the console on this terminal (or on standard input and output when they are not
 * a terminal). Exits 0 after a clean halt, 1 after a panic, 2 for a usage error.
 */
public final class Boot {
    private Boot() {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        MachineOptions opts;
        try {
            opts = MachineOptions.parse(args);
        } catch (MachineOptions.UsageException e) {
            err.println("kernel: " + e.getMessage());
            err.println(MachineOptions.usage("kernel.jar"));
            return 2;
        }
        if (opts == null) {
            err.println(MachineOptions.usage("kernel.jar"));
            return 0;
        }
        // Harts run user code on process threads, which are virtual: give them a carrier each.
        System.setProperty("jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Math.max(opts.harts() + 1, Runtime.getRuntime().availableProcessors())));
        Disk disk;
        try {
            disk = Disk.open(opts.image(), false);
        } catch (IOException e) {
            err.println("kernel: " + opts.image() + ": " + describe(e));
            return 1;
        }
        try (disk; Console console = HostTerminal.open()) {
            Machine m = Machine.create(opts.memoryMiB() << 20, opts.harts(), disk, console, opts.clock());
            return new Kernel(m).run();
        } catch (IllegalArgumentException e) {
            err.println("kernel: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("kernel: " + describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such disk image";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage();
    }
}
