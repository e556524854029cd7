package xv6j.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xv6j.fs.CorruptImageException;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.FsckCheck;
import xv6j.fs.FsckReport;
import xv6j.fs.LogHeader;
import xv6j.fs.SuperBlock;
import xv6j.machine.Disk;
import xv6j.machine.ImageLock;
import xv6j.fs.FsckReport.Finding;
import xv6j.fs.FsckReport.Severity;

/**
 * Checks an xv6 file-system image:
 *
 * <pre>
 *   scripts/fsck [--replay] IMAGE
 * </pre>
 *
 * Prints one line per finding ("error: ...", "warning: ...", "note: ..."), then a summary
 * line, and exits 0 when there is no error, 1 when there is, 2 for bad usage or a file it
 * cannot read. A committed transaction in the log is not an error: the image is checked
 * as it will be once recovery installs the log, and a note says so; {@code --replay}
 * installs it now, as a kernel's recovery would, then checks the result.
 *
 * <p>The checks, and how xv6's link counts and orphans are judged, are described in
 * {@link FsckCheck}.
 */
public final class Fsck {
    private Fsck() {}

    /** Checks the image file at path, read-only. */
    public static FsckReport check(Path image) throws IOException {
        long bytes = Files.size(image);
        // An empty file is an image with no superblock, as a one-block one is (not a file
        // fsck could not read, which the disk's own check would call it).
        if (bytes == 0) return failed("the image is empty (0 bytes): it has no superblock");
        if (bytes % Fs.BSIZE != 0)
            return failed("the image's size, " + Cli.count(bytes, "byte") + ", is not a whole number of " + Fs.BSIZE + "-byte blocks");
        try (Disk disk = Disk.open(image, true)) {
            return check(disk);
        }
    }

    /** Checks the image on a disk. */
    public static FsckReport check(Disk disk) {
        try {
            return FsckCheck.check(FsImage.open(disk));
        } catch (CorruptImageException e) {
            return failed(e.problems());
        }
    }

    /** Checks an image held in memory. */
    public static FsckReport check(byte[] image) {
        try {
            return FsckCheck.check(FsImage.of(image));
        } catch (CorruptImageException e) {
            return failed(e.problems());
        }
    }

    private static FsckReport failed(String problem) {
        return failed(List.of(problem));
    }

    /** A report for an image whose superblock cannot be used: nothing else can be checked. */
    private static FsckReport failed(List<String> problems) {
        List<Finding> f = new ArrayList<>();
        for (String p : problems) f.add(new Finding(Severity.ERROR, p));
        f.add(new Finding(Severity.NOTE, "without a usable superblock nothing else was checked"));
        return new FsckReport(f, false);
    }

    /**
     * Installs a committed transaction as xv6's recovery does: each logged block to its
     * home, then the header cleared, with the writes forced to the disk before each step
     * that depends on them. Returns the number of blocks installed (0 when the log held
     * none). Fails, writing nothing, when the superblock or log header is unusable.
     */
    public static int replay(Disk disk) throws CorruptImageException {
        FsImage img = FsImage.open(disk);
        LogHeader lh = img.logHeader();
        if (lh.n() == 0) return 0;
        SuperBlock sb = img.superBlock();
        byte[] buf = new byte[Fs.BSIZE];
        for (int i = 0; i < lh.n(); i++) {
            disk.read(sb.logstart() + 1 + i, buf);
            disk.write(lh.block(i), buf);
        }
        disk.force();
        // Clearing n is the commit point of installation: a crash before it replays again.
        disk.read(sb.logstart(), buf);
        new LogHeader(new int[0]).encode(buf);
        disk.write(sb.logstart(), buf);
        disk.force();
        return lh.n();
    }

    static final String USAGE = "usage: fsck [--replay] IMAGE\n"
            + "  --replay   first install a committed transaction the log holds, as a kernel's boot does";

    /**
     * Runs fsck on command-line arguments; returns the exit status: 0 no error, 1 errors,
     * 2 bad usage or an unreadable file.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean replay = false;
        String image = null;
        boolean options = true;
        for (String a : args) {
            if (options && a.equals("--")) {
                options = false;
            } else if (options && (a.equals("-h") || a.equals("--help"))) {
                out.println(USAGE);
                return 0;
            } else if (options && a.equals("--replay")) {
                replay = true;
            } else if (options && a.startsWith("-") && a.length() > 1) {
                return usage(err, "unknown option " + a);
            } else if (image != null) {
                return usage(err, "one image at a time");
            } else {
                image = a;
            }
        }
        if (image == null) return usage(err, "no image named");

        Path path = Path.of(image);
        try {
            if (!Files.exists(path)) throw new NoSuchFileException(image);
            if (!Files.isRegularFile(path)) throw new IOException(image + ": not a regular file");
            if (replay) {
                try (Disk disk = Disk.open(path, false)) {
                    int n = replay(disk);
                    out.println(n == 0 ? "note: the log holds no committed transaction; nothing to replay"
                            : "note: replayed the log: " + Cli.count(n, "block") + " installed");
                } catch (CorruptImageException e) {
                    for (String p : e.problems()) out.println("error: " + p);
                    out.println(image + ": not replayed");
                    return 1;
                }
            }
            // A machine running on the image changes it as fsck reads, and its half-done work
            // would be reported as the image's errors: fsck takes the image's lock (ImageLock)
            // first, which names the machine, and holds it while it checks.
            try (ImageLock.Locked held = Files.isWritable(path) ? ImageLock.open(path) : null) {
                FsckReport report = check(path);
                for (Finding f : report.findings()) out.println(f);
                out.println(image + ": " + report.summary());
                return report.clean() ? 0 : 1;
            }
        } catch (ImageLock.InUseException e) {
            err.println("fsck: " + e.getMessage() + " (fsck checks it once that program has ended)");
            return 2;
        } catch (IOException e) {
            err.println("fsck: " + Cli.describe(e));
            return 2;
        } catch (UncheckedIOException e) {
            err.println("fsck: " + Cli.describe(e));
            return 2;
        }
    }

    private static int usage(PrintStream err, String why) {
        err.println("fsck: " + why);
        err.println(USAGE);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
