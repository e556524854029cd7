package xv6j.machine;

import java.nio.file.Path;
import xv6j.machine.jit.Engine;

/**
 * The command line shared by both kernels' launchers:
 * {@code [-m MIB] [-c HARTS] [-d] [-e ENGINE] [--view[=PORT]] [--gdb[=PORT] [--gdbinit FILE] [--symbols DIR]] IMAGE}.
 *
 * @param viewPort the live view's port (xv6j.view; 0: any free port), or -1 for no view
 * @param gdb      the GDB stub's settings (xv6j.machine.gdb), or null for none
 */
public record MachineOptions(long memoryMiB, int harts, boolean deterministic, Engine engine, int viewPort, Gdb gdb,
                             Path image) {

    /**
     * --gdb[=PORT]: stop before the first user instruction and wait for gdb on
     * 127.0.0.1:PORT (0, and --gdb alone: a free port); --gdbinit FILE: write a .gdbinit
     * for it there; --symbols DIR: the programs' ELF files with debugging information.
     */
    public record Gdb(int port, Path gdbinit, Path symbols) {}

    public static final long DEFAULT_MEMORY_MIB = 128;
    /** As make qemu's CPUS (and xv6's): a user gets the same machine either way. */
    public static final int DEFAULT_HARTS = 3;
    /** --view without a port: 6828 (the MIT course xv6 was written for), or the next free one. */
    public static final int DEFAULT_VIEW_PORT = 6828;

    /** A command-line mistake, reported as one line plus the usage. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        /** For a bad value: the option as typed, the value, what is wrong with it; else null. */
        private final String option, value, problem;

        public UsageException(String message) {
            this(message, null, null, null);
        }

        UsageException(String message, String option, String value, String problem) {
            super(message);
            this.option = option;
            this.value = value;
            this.problem = problem;
        }

        /**
         * The mistake as make's variable that made it ({@code make qemu CPUS=0}: "CPUS=0: must
         * be between 1 and 64"), or null if no variable of make qemu's makes this option.
         */
        public String inMakeTerms() {
            String var = option == null ? null : switch (option) {
                case "-m" -> "MEM";
                case "-c" -> "CPUS";
                case "-e" -> "ENGINE";
                case "--view" -> "VIEW";
                default -> null;
            };
            return var == null ? null : var + "=" + value + ": " + problem;
        }
    }

    /** The help text of a machine's launcher, scripts/NAME (make qemu runs scripts/kernel). */
    public static String usage(String name) {
        return "usage: scripts/" + name + " [options] IMAGE\n"
                + "  -m, --memory MIB      RAM in MiB (default " + DEFAULT_MEMORY_MIB + ")\n"
                + "  -c, --cpus N          number of harts (default " + DEFAULT_HARTS + ")\n"
                + "  -d, --deterministic   virtual time: the same input gives the same output\n"
                + "                        and instruction counts (the harts take turns)\n"
                + "  -e, --engine ENGINE   how harts run code: translator (hot code compiled to JVM\n"
                + "                        bytecode), interpreter, or eager (compile at once);\n"
                + "                        default " + Engine.DEFAULT.flag() + "\n"
                + "      --view[=PORT]     serve a live view of the machine on http://127.0.0.1:PORT/\n"
                + "                        (default " + DEFAULT_VIEW_PORT + "; 0 = any free port)\n"
                + "      --gdb[=PORT]      stop before the first user instruction and wait for gdb on\n"
                + "                        127.0.0.1:PORT (default: a free port) (make qemu-gdb)\n"
                + "      --gdbinit FILE    write a .gdbinit that connects gdb to it\n"
                + "      --symbols DIR     the programs with debugging information, for gdb\n"
                + "  -h, --help            this text\n"
                + "Ctrl-A then x quits; Ctrl-A then h lists the console's other keys.";
    }

    /** Parses args; null means help was asked for. */
    public static MachineOptions parse(String[] args) throws UsageException {
        long mem = DEFAULT_MEMORY_MIB;
        int harts = DEFAULT_HARTS;
        boolean det = false;
        Engine engine;
        try {
            engine = Engine.fromSystemProperty();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int view = -1;
        int gdbPort = -1;
        Path gdbinit = null, symbols = null;
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
                    if (engine == null)
                        throw new UsageException(a + ": not an engine: " + v + " (" + Engine.names() + ")", a, v,
                                "not an engine (" + Engine.names() + ")");
                }
                case "--view" -> view = DEFAULT_VIEW_PORT;
                case "--gdb" -> gdbPort = 0;
                case "--gdbinit" -> gdbinit = Path.of(value(args, ++i, a));
                case "--symbols" -> symbols = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--view=")) {
                        view = (int) number("--view", a.substring("--view=".length()), 0, 65535);
                        continue;
                    }
                    if (a.startsWith("--gdb=")) {
                        gdbPort = (int) number("--gdb", a.substring("--gdb=".length()), 0, 65535);
                        continue;
                    }
                    if (a.startsWith("-")) throw new UsageException("unknown option " + a);
                    if (image != null) throw new UsageException("more than one image: " + image + " and " + a);
                    image = Path.of(a);
                }
            }
        }
        if (image == null) throw new UsageException("no disk image given");
        if (gdbPort < 0 && (gdbinit != null || symbols != null))
            throw new UsageException((gdbinit != null ? "--gdbinit" : "--symbols") + " is for --gdb, which is not given");
        Gdb gdb = gdbPort < 0 ? null : new Gdb(gdbPort, gdbinit, symbols);
        return new MachineOptions(mem, harts, det, engine, view, gdb, image);
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
            throw new UsageException(opt + ": not a number: " + v, opt, v, "not a number");
        }
        if (n < min || n > max)
            throw new UsageException(opt + " must be between " + min + " and " + max + ", not " + n, opt, v,
                    "must be between " + min + " and " + max);
        return n;
    }

    public Clock clock() {
        return deterministic ? new Clock.Virtual() : new Clock.Wall();
    }
}
