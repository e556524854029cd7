package xv6j.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What the command-line tools share: turning an I/O failure into one line for a user, and
 * telling a user how to run a tool.
 */
public final class Cli {
    private Cli() {}

    /**
     * The command a user types here to run one of xv6j's tools ("fsck", "mkfs"), with
     * arguments: the launcher in the repository's scripts/ (which finds a JDK 21+, as
     * make does), named relative to the current folder when this code runs from that
     * repository's target/; else this very JVM running the tool's jar beside ours, which
     * works wherever the default java is too old.
     */
    public static String command(String tool, String... args) {
        String cmd;
        Path here = codeLocation();
        Path root = here == null ? null : here.getParent().getParent(); // <root>/target/{kernel.jar,classes}
        if (root != null && Files.isExecutable(root.resolve("scripts").resolve(tool))) {
            Path script = root.resolve("scripts").resolve(tool);
            Path cwd = Path.of("").toAbsolutePath();
            cmd = script.startsWith(cwd) ? cwd.relativize(script).toString() : script.toString();
        } else {
            Path jar = here == null ? Path.of(tool + ".jar") : here.resolveSibling(tool + ".jar");
            cmd = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + jar;
        }
        return args.length == 0 ? cmd : cmd + " " + String.join(" ", args);
    }

    /** The jar or classes folder this code was loaded from, or null if unknown. */
    private static Path codeLocation() {
        try {
            var src = Cli.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI()).toAbsolutePath();
            return p.getParent() == null || p.getParent().getParent() == null ? null : p;
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** One line saying what failed and on which file, without Java's exception names. */
    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException f -> f.getFile() + ": no such file";
            case AccessDeniedException f -> f.getFile() + ": permission denied";
            case NotDirectoryException f -> f.getFile() + ": not a directory";
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }

    static String describe(UncheckedIOException e) {
        return e.getMessage() != null ? e.getMessage() : describe(e.getCause());
    }
}
