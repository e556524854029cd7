package xv6j.machine;

import java.nio.file.Path;
import xv6j.machine.jit.Engine;

/**
 * The command line shared by both kernels' launchers:
 * {@code [-m MIB] [-c HARTS] [-d] [-e ENGINE] [--view[=PORT]] IMAGE}.
 *
 * @param viewPort the live view's port (xv6j.view; 0: any free port), or -1 for no view
 */
public record MachineOptions(long memoryMiB, int harts, boolean deterministic, Engine engine, int viewPort, Path image) {

    public static final long DEFAULT_MEMORY_MIB = 128;
    /** --view without a port: 6828 (the MIT course xv6 was written for), or the next free one. */
    public static final int DEFAULT_VIEW_PORT = 6828;

    /** A command-line mistake, reported as one line plus the usage. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** The help text of a machine's launcher, scripts/NAME (make qemu runs scripts/kernel). */
    public static String usage(String name) {
        return "usage: scripts/" + name + " [options] IMAGE\n"
                + "  -m, --memory MIB      RAM in MiB (default " + DEFAULT_MEMORY_MIB + ")\n"
                + "  -c, --cpus N          number of harts (default 1)\n"
                + "  -d, --deterministic   virtual time: the same input gives the same output\n"
                + "                        and instruction counts (needs one hart)\n"
                + "  -e, --engine ENGINE   how harts run code: translator (hot code compiled to JVM\n"
                + "                        bytecode), interpreter, or eager (compile at once);\n"
                + "                        default " + Engine.DEFAULT.flag() + "\n"
                + "      --view[=PORT]     serve a live view of the machine on http://127.0.0.1:PORT/\n"
                + "                        (default " + DEFAULT_VIEW_PORT + "; 0 = any free port)\n"
                + "  -h, --help            this text\n"
                + "Ctrl-A then x quits; Ctrl-A then h lists the console's other keys.";
    }

    /** Parses args; null means help was asked for. */
    public static MachineOptions parse(String[] args) throws UsageException {
        long mem = DEFAULT_MEMORY_MIB;
        int harts = 1;
        boolean det = false;
        Engine engine;
        try {
            engine = Engine.fromSystemProperty();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int view = -1;
        Path image = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "-m", "--memory" -> mem = number(a, value(args, ++i, a), 1, PhysicalMemory.MAX_SIZE >> 20);
                case "-c", "--cpus" -> harts = (int) number(a, value(args, ++i, a), 1, 64);
                case "-d", "--deterministic" -> det = true;
                case "-e", "--engine" -> {
                    String v = value(args, ++i, a);
                    engine = Engine.parse(v);
                    if (engine == null) throw new UsageException(a + ": not an engine: " + v + " (" + Engine.names() + ")");
                }
                case "--view" -> view = DEFAULT_VIEW_PORT;
                default -> {
                    if (a.startsWith("--view=")) {
                        view = (int) number("--view", a.substring("--view=".length()), 0, 65535);
                        continue;
                    }
                    if (a.startsWith("-")) throw new UsageException("unknown option " + a);
                    if (image != null) throw new UsageException("more than one image: " + image + " and " + a);
                    image = Path.of(a);
                }
            }
        }
        if (image == null) throw new UsageException("no disk image given");
        if (det && harts != 1) throw new UsageException("deterministic mode needs exactly one hart (-c 1)");
        return new MachineOptions(mem, harts, det, engine, view, image);
    }

    private static String value(String[] args, int i, String opt) throws UsageException {
        if (i >= args.length) throw new UsageException(opt + " needs a value");
        return args[i];
    }

    private static long number(String opt, String v, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(opt + ": not a number: " + v);
        }
        if (n < min || n > max) throw new UsageException(opt + " must be between " + min + " and " + max + ", not " + n);
        return n;
    }

    public Clock clock() {
        return deterministic ? new Clock.Virtual() : new Clock.Wall();
    }
}
