package xv6j.system;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.kernel.XvRun;
import xv6j.libos.LibosRun;

/**
 * The two systems a user can boot, for tests that must hold on both: xv6's kernel
 * ({@code make qemu}) and kernel-exo with the LibOS ({@code make EXO=1 qemu}). Each runs
 * the same C sources, so a test that types the same commands into both shells and reads
 * the same answers proves the LibOS keeps xv6's semantics. Tests that need what only one
 * side can report (the xv6 kernel's leak counters, say) use {@link XvRun} or
 * {@link LibosRun} directly.
 */
public enum Flavour {
    KERNEL("xv6j.kernel.Boot") {
        @Override
        public Path freshImage(Path dir, int blocks) throws Exception { return XvRun.freshImage(dir, blocks); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            XvRun.Result r = XvRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }

        @Override
        public Run boot(Path image, String script, int harts, boolean deterministic) throws Exception {
            XvRun.Result r = XvRun.boot(image, script, harts, deterministic, 128);
            return new Run(r.status(), r.output(), r.hartInstructions());
        }

        @Override
        int run(Machine m) throws InterruptedException { return new xv6j.kernel.Kernel(m).run(); }
    },
    EXO("xv6j.exo.Boot") {
        @Override
        public Path freshImage(Path dir, int blocks) throws Exception { return LibosRun.freshImage(dir, blocks); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            LibosRun.Result r = LibosRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }

        @Override
        public Run boot(Path image, String script, int harts, boolean deterministic) throws Exception {
            LibosRun.Result r = LibosRun.boot(image, script, harts, deterministic);
            return new Run(r.status(), r.output(), r.hartInstructions());
        }

        @Override
        int run(Machine m) throws InterruptedException {
            return xv6j.exo.Boot.boot(m, System.err);
        }
    };

    /** The main class of the system's jar (kernel.jar, kernel-exo.jar). */
    private final String main;

    Flavour(String main) {
        this.main = main;
    }

    /**
     * What one boot printed on the console, the machine's halt status (0: clean shutdown),
     * and the instructions each hart retired (empty when the jar ran in another process).
     */
    public record Run(int status, String output, List<Long> hartInstructions) {
        public Run(int status, String output) {
            this(status, output, List.of());
        }
    }

    /**
     * Runs the system's jar on image in a process of its own, as {@code printf script |
     * java -jar kernel.jar image} would: standard input a pipe holding script, standard
     * output and error together in the result. Returns when the process ends (a test's
     * {@code @Timeout} bounds the wait).
     */
    public Run runJar(Path image, String script) throws Exception {
        Process p = process(image);
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.ISO_8859_1));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Run(p.waitFor(), out);
    }

    /**
     * Starts the system's jar on image in a process of its own with standard input a pipe
     * kept open: lines typed into it run as a script does, and the machine waits for more
     * until {@link Running#close} ends the input (and it halts).
     */
    public Running start(Path image, String... options) throws Exception {
        return new Running(process(image, options));
    }

    /** The system's jar (its main class, on this JVM's class path) on image with options, output and errors merged. */
    private Process process(Path image, String... options) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(options));
        cmd.add(image.toString());
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .start();
    }

    /** A machine running in another process. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;
        private boolean halted;

        Running(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(() -> {
                try (var in = process.getInputStream()) {
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = in.read(b)) > 0) output.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    // the process is gone
                }
            });
        }

        public long pid() {
            return process.pid();
        }

        public void type(String s) throws java.io.IOException {
            process.getOutputStream().write(s.getBytes(StandardCharsets.ISO_8859_1));
            process.getOutputStream().flush();
        }

        /** Waits (up to 30 s) until the output holds text; fails with the output if it never does. */
        public void waitFor(String text) throws InterruptedException {
            for (int i = 0; i < 3000 && output.indexOf(text) < 0; i++) Thread.sleep(10);
            if (output.indexOf(text) < 0) throw new AssertionError("never printed " + text + ":\n" + output);
        }

        public String output() {
            return output.toString();
        }

        /**
         * Waits (up to 60 s) for the machine to halt by itself, input still open, and returns
         * its status; close then only cleans up.
         */
        public int haltStatus() throws InterruptedException {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) throw new AssertionError("did not halt:\n" + output);
            reader.join();
            halted = true;
            return process.exitValue();
        }

        /** Ends the input and waits for the machine to halt; fails unless it halted cleanly (or {@link #haltStatus} took the status). */
        @Override
        public void close() throws Exception {
            try {
                if (halted) return;
                process.getOutputStream().close();
                if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) throw new AssertionError("did not halt:\n" + output);
                reader.join();
                if (process.exitValue() != 0) throw new AssertionError("halt status " + process.exitValue() + ":\n" + output);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /** Boots the system on m and runs it until it halts; returns the halt status. */
    abstract int run(Machine m) throws InterruptedException;

    /** The programs the build made for this system (target/user/kernel/bin or exo/bin). */
    public List<Path> programs() {
        return this == EXO ? LibosRun.programs() : XvRun.programs();
    }

    /** The blocks make puts after this system's file system (kv's and pager's, on kernel-exo's image). */
    public int extraBlocks() {
        return this == EXO ? LibosRun.EXTRA_BLOCKS : 0;
    }

    /** A fresh image in dir with every program built for this system, as make builds it. */
    public Path freshImage(Path dir) throws Exception {
        return freshImage(dir, xv6j.fs.Fs.FSSIZE);
    }

    /** As {@link #freshImage(Path)}, with a file system of {@code blocks} blocks. */
    public abstract Path freshImage(Path dir, int blocks) throws Exception;

    /** Boots the image in deterministic time and types script into the shell; returns at shutdown. */
    public Run boot(Path image, String script) throws Exception {
        return boot(image, script, null);
    }

    /** As {@link #boot(Path, String)}, with observer (or null) watching the disk's writes and forces. */
    public abstract Run boot(Path image, String script, Disk.Observer observer) throws Exception;

    /** Boots on the given number of harts, in deterministic time or in the host's (real concurrency). */
    public abstract Run boot(Path image, String script, int harts, boolean deterministic) throws Exception;
}
