package xv6j.exo;

import java.io.IOException;
import java.io.PrintStream;
import java.util.OptionalInt;
import xv6j.fs.CorruptImageException;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsckCheck;
import xv6j.machine.Disk;
import xv6j.machine.Launcher;
import xv6j.machine.Machine;
import xv6j.view.ViewServer;

/**
 * {@code scripts/kernel-exo [options] fs-exo.img} (target/kernel-exo.jar): builds the machine, loads /init
 * of the image as the first environment and runs the exokernel, with the console on this
 * terminal (or standard input and output when they are not one). This launcher is the
 * only part that knows about files: the exokernel proper knows none. Exits 0 after a
 * clean halt, 1 after a panic or a boot failure, 2 for a usage error.
 */
public final class Boot {
    private Boot() {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    static int run(String[] args, PrintStream err) {
        return Launcher.run("kernel-exo", args, err, (m, opts, e) -> {
            String warning = FsckCheck.bootWarning(m.disk(), Launcher.toolCommand("fsck", m.disk().path().toString()));
            if (warning != null) e.println("kernel-exo: " + warning);
            return boot(m, opts.viewPort(), e);
        });
    }

    /** Loads /init from the machine's disk into a new exokernel and runs it; returns the halt status. */
    public static int boot(Machine m, PrintStream err) throws InterruptedException {
        return boot(m, -1, err);
    }

    /** As {@link #boot(Machine, PrintStream)}, with the live view on viewPort (-1: none). */
    static int boot(Machine m, int viewPort, PrintStream err) throws InterruptedException {
        Exokernel k;
        try {
            k = load(m);
        } catch (BootException e) {
            err.println("kernel-exo: " + e.getMessage());
            return 1;
        }
        ViewServer view = viewPort < 0 ? null : ViewServer.start(k, m, viewPort, "kernel-exo", err);
        try {
            return k.run();
        } finally {
            if (view != null) view.close();
        }
    }

    /** Why the first environment cannot start; the message is one line for the user. */
    public static final class BootException extends Exception {
        private static final long serialVersionUID = 1L;

        BootException(String message) {
            super(message);
        }
    }

    /**
     * A new exokernel on m with /init of m's disk loaded as its first environment, ready to
     * {@link Exokernel#run}. The image is read as a kernel would see it after log recovery;
     * the disk is not written.
     */
    public static Exokernel load(Machine m) throws BootException {
        byte[] init = readInit(m.disk());
        Exokernel k = new Exokernel(m);
        try {
            BootLoader.load(k, k.createBootEnv(), init, new String[] {"init"});
        } catch (BootLoader.LoadException e) {
            throw new BootException(m.disk().path() + " has an /init kernel-exo cannot load (" + e.getMessage() + "); " + Disk.remake(m.disk().path()));
        }
        return k;
    }

    private static byte[] readInit(Disk disk) throws BootException {
        try {
            FsImage fs = FsImage.open(disk).replayed();
            OptionalInt inum = fs.lookup("/init");
            if (inum.isEmpty()) throw new BootException(disk.path() + " has no /init; " + Disk.remake(disk.path()));
            if (fs.inode(inum.getAsInt()).type() != Fs.T_FILE)
                throw new BootException(disk.path() + ": /init is not a file; " + Disk.remake(disk.path()));
            return fs.readFile(inum.getAsInt());
        } catch (CorruptImageException e) {
            throw new BootException(FsckCheck.notAnImage(disk, e));
        }
    }
}
