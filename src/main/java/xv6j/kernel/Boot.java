package xv6j.kernel;

import java.io.PrintStream;
import xv6j.fs.FsckCheck;
import xv6j.machine.Launcher;
import xv6j.view.ViewServer;

/**
 * {@code scripts/kernel [options] fs.img} (target/kernel.jar): builds the machine and boots xv6 on it,
 * with the console on this terminal (or on standard input and output when they are not
 * a terminal). Exits 0 after a clean halt, 1 after a panic, 2 for a usage error.
 */
public final class Boot {
    private Boot() {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        return Launcher.run("kernel", args, err, (m, opts, e) -> {
            String refusal = FsckCheck.bootRefusal(m.disk());
            if (refusal != null) {
                e.println("kernel: " + refusal);
                return 1;
            }
            String warning = FsckCheck.bootWarning(m.disk(), Launcher.toolCommand("fsck", m.disk().path().toString()));
            if (warning != null) e.println("kernel: " + warning);
            Kernel k = new Kernel(m);
            ViewServer view = opts.viewPort() < 0 ? null : ViewServer.start(k, m, opts.viewPort(), "kernel", e);
            try {
                return k.run();
            } finally {
                if (view != null) view.close();
            }
        });
    }
}
