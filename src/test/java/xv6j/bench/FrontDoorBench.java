package xv6j.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The front door, timed as a user meets it: from typing a command to the shell's first
 * prompt, when nothing needs building. {@code make qemu} (make deciding nothing changed,
 * the launcher finding a JDK, the JVM, the image check, the boot) and {@code
 * scripts/kernel} alone, each a process of its own with standard input a pipe, on an
 * image of its own in a temporary folder; then the input ends and the machine halts.
 */
final class FrontDoorBench {
    private FrontDoorBench() {}

    /** The commands timed, by figure name; run in the repository's root (root). */
    static Map<String, List<String>> commands(Path image) {
        return Map.of(
                "make_qemu", List.of("make", "-s", "--no-print-directory", "qemu", "IMG=" + image),
                "launcher", List.of("scripts/kernel", image.toString()));
    }

    /** Runs cmd warmups + runs times in root; the times (ms) of the measured runs. */
    static Sample time(List<String> cmd, Path root, int warmups, int runs, Consumer<String> log) throws BenchException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            double t = once(cmd, root);
            log.accept(String.format(java.util.Locale.ROOT, "%s %s %d: %.0f ms to the first prompt", i < warmups ? "warm-up" : "measured",
                    String.join(" ", cmd), i + 1, t));
            if (i >= warmups) ms.add(t);
        }
        return Sample.of(ms);
    }

    private static double once(List<String> cmd, Path root) throws BenchException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        // Not the make that runs make bench: its jobserver and level mean nothing to this one.
        pb.environment().remove("MAKEFLAGS");
        pb.environment().remove("MFLAGS");
        pb.environment().remove("MAKELEVEL");
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BenchException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
        }
        StringBuilder seen = new StringBuilder();
        try (InputStream in = p.getInputStream()) {
            byte[] b = new byte[4096];
            int n;
            long prompt = -1;
            while ((n = in.read(b)) > 0) {
                seen.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                if (prompt < 0 && (seen.indexOf("\n$ ") >= 0 || seen.indexOf("$ ") == 0)) {
                    prompt = System.nanoTime();
                    p.getOutputStream().close(); // the end of input: the machine halts
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new BenchException(String.join(" ", cmd) + " did not halt");
            if (prompt < 0 || p.exitValue() != 0)
                throw new BenchException(String.join(" ", cmd) + " exited with " + p.exitValue() + " before a prompt"
                        + BenchLines.lastLines(seen.toString()));
            return (prompt - t0) / 1e6;
        } catch (IOException e) {
            throw new BenchException(String.join(" ", cmd) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether root is the repository, with its Makefile and launchers, and make on the PATH. */
    static boolean available(Path root) {
        return Files.isRegularFile(root.resolve("Makefile")) && Files.isExecutable(root.resolve("scripts/kernel"))
                && Files.isRegularFile(root.resolve("target/kernel.jar"));
    }
}
