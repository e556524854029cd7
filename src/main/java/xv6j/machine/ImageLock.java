package xv6j.machine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The lock that lets one program at a time write a disk image, as QEMU locks its images:
 * two machines writing one file system would each overwrite the other's blocks, and one
 * session's files would be lost. Everything that writes an image takes it — both
 * kernels' jars (through {@link Disk#open}), mkfs, fsck --replay — and a second writer
 * stops with one line naming the process that holds it.
 *
 * <p>The lock is the host's advisory record lock on the image file itself (fcntl on Unix),
 * so it goes when its holder does, however it ends (kill -9 included): there is no stale
 * lock file to clean up. The holder's pid comes from /proc/locks where there is one
 * (Linux); elsewhere the message says only that another program holds it.
 */
public final class ImageLock {
    private ImageLock() {}

    /** The image is being written by another program (or by this one, elsewhere). */
    public static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /** An open image file and its lock: closing it releases the lock. */
    public record Locked(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * Opens the existing file at path for reading and writing and takes its lock. Fails
     * with {@link InUseException} (one line) when another writer holds it.
     */
    public static Locked open(Path path) throws IOException {
        // The lock belongs to the file the name leads to when we hold it. mkfs replaces an
        // image by renaming a new file over it (holding the old one's lock meanwhile), so
        // a lock taken on a file that has since been replaced is let go and taken again.
        for (int attempt = 0; ; attempt++) {
            Object before = fileKey(path);
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                FileLock lock = tryLock(ch, path);
                if (before == null || before.equals(fileKey(path)) || attempt == 10)
                    return new Locked(ch, lock);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            ch.close();
        }
    }

    /** Takes the lock on an open channel of path, or says who holds it. */
    static FileLock tryLock(FileChannel ch, Path path) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new InUseException(path + " is in use by this program already");
        }
        if (lock == null) throw new InUseException(path + " is in use by " + holder(path) + "; one machine or tool at a time may write an image");
        return lock;
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Who holds the lock on path, as a user should read it: "kernel.jar (pid 1234)". */
    static String holder(Path path) {
        return holderPid(path).map(pid -> describe(pid)).orElse("another program");
    }

    private static String describe(long pid) {
        String cmd = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
        return program(cmd).map(p -> p + " (pid " + pid + ")").orElse("process " + pid);
    }

    /**
     * The program a command line runs, in a few words: the jar of {@code java -jar X.jar}
     * (xv6j's tools and kernels), the main class of {@code java -cp ... xv6j.X}, else the
     * command's own name.
     */
    static Optional<String> program(String commandLine) {
        if (commandLine.isBlank()) return Optional.empty();
        String[] words = commandLine.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("-jar")) return Optional.of(Path.of(words[i + 1]).getFileName().toString());
        }
        for (String w : words) {
            if (w.startsWith("xv6j.")) return Optional.of(w);
        }
        return Optional.of(Path.of(words[0]).getFileName().toString());
    }

    /** The pid holding a lock on path's file, from /proc/locks (Linux), if it can be found. */
    private static Optional<Long> holderPid(Path path) {
        Path locks = Path.of("/proc/locks");
        if (!Files.isReadable(locks)) return Optional.empty();
        try {
            long ino = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
            return holderPid(Files.readAllLines(locks), dev, ino);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /**
     * The pid of the lock on device dev, inode ino in /proc/locks's lines, e.g.
     * {@code 1: POSIX  ADVISORY  WRITE 4896 fe:00:2146873 0 EOF}. A lock whose device
     * matches is preferred; some file systems (overlays) report another device there.
     */
    static Optional<Long> holderPid(List<String> lines, long dev, long ino) {
        // glibc's major() and minor() of a Linux dev_t
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String exact = String.format("%02x:%02x:%d", major, minor, ino);
        Long sameInode = null;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // "N:" [-> ] POSIX|FLOCK|OFDLCK ADVISORY|MANDATORY READ|WRITE pid dev:ino start end
            int i = f.length > 1 && f[1].equals("->") ? 2 : 1;
            if (f.length < i + 5 || !f[i + 2].equals("WRITE")) continue;
            long pid;
            try {
                pid = Long.parseLong(f[i + 3]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid <= 0) continue; // an open-file-description lock names no process
            String id = f[i + 4];
            if (id.equals(exact)) return Optional.of(pid);
            if (sameInode == null && id.endsWith(":" + ino)) sameInode = pid;
        }
        return Optional.ofNullable(sameInode);
    }
}
