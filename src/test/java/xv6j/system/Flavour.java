package xv6j.system;

import java.nio.file.Path;
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
    KERNEL {
        @Override
        public Path freshImage(Path dir) throws Exception { return XvRun.freshImage(dir); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            XvRun.Result r = XvRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }
    },
    EXO {
        @Override
        public Path freshImage(Path dir) throws Exception { return LibosRun.freshImage(dir); }

        @Override
        public Run boot(Path image, String script, Disk.Observer observer) throws Exception {
            LibosRun.Result r = LibosRun.boot(image, script, observer);
            return new Run(r.status(), r.output());
        }
    };

    /** What one boot printed on the console, and the machine's halt status (0: clean shutdown). */
    public record Run(int status, String output) {}

    /** A fresh image in dir with every program built for this system, as make builds it. */
    public abstract Path freshImage(Path dir) throws Exception;

    /** Boots the image in deterministic time and types script into the shell; returns at shutdown. */
    public Run boot(Path image, String script) throws Exception {
        return boot(image, script, null);
    }

    /** As {@link #boot(Path, String)}, with observer (or null) watching the disk's writes and forces. */
    public abstract Run boot(Path image, String script, Disk.Observer observer) throws Exception;
}
