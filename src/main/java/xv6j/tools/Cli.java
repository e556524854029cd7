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
 * What the command-line tools share: turning an I/O failure into one line for a user.
 * (How a user runs a tool is xv6j.machine.Launcher.toolCommand.)
 */
public final class Cli {
    private Cli() {}

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

    /** n things, the noun agreeing: "1 file", "2 files". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String describe(UncheckedIOException e) {
        return e.getMessage() != null ? e.getMessage() : describe(e.getCause());
    }
}
