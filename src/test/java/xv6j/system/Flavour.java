package xv6j.system;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import xv6j.machine.Disk;
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
        public Path freshImage(Path dir) throws Exception { return XvRun.freshImage(dir); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            XvRun.Result r = XvRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }

        @Override
        public Run boot(Path image, String script, int harts, boolean deterministic) throws Exception {
            XvRun.Result r = XvRun.boot(image, script, harts, deterministic, 128);
            return new Run(r.status(), r.output());
        }
    },
    EXO("xv6j.exo.Boot") {
        @Override
        public Path freshImage(Path dir) throws Exception { return LibosRun.freshImage(dir); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            LibosRun.Result r = LibosRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }

        @Override
        public Run boot(Path image, String script, int harts, boolean deterministic) throws Exception {
            LibosRun.Result r = LibosRun.boot(image, script, harts, deterministic);
            return new Run(r.status(), r.output());
        }
    };

    /** The main class of the system's jar (kernel.jar, kernel-exo.jar). */
    private final String main;

    Flavour(String main) {
        this.main = main;
    }

    /** What one boot printed on the console, and the machine's halt status (0: clean shutdown). */
    public record Run(int status, String output) {}

    /**
     * Runs the system's jar on image in a process of its own, as {@code printf script |
     * java -jar kernel.jar image} would: standard input a pipe holding script, standard
     * output and error together in the result. Returns when the process ends (a test's
     * {@code @Timeout} bounds the wait).
     */
    public Run runJar(Path image, String script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), main, image.toString()))
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.ISO_8859_1));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Run(p.waitFor(), out);
    }

    /** A fresh image in dir with every program built for this system, as make builds it. */
    public abstract Path freshImage(Path dir) throws Exception;

    /** Boots the image in deterministic time and types script into the shell; returns at shutdown. */
    public Run boot(Path image, String script) throws Exception {
        return boot(image, script, null);
    }

    /** As {@link #boot(Path, String)}, with observer (or null) watching the disk's writes and forces. */
    public abstract Run boot(Path image, String script, Disk.Observer observer) throws Exception;

    /** Boots on the given number of harts, in deterministic time or in the host's (real concurrency). */
    public abstract Run boot(Path image, String script, int harts, boolean deterministic) throws Exception;
}
