package xv6j.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * The same RISC-V binary under {@code qemu-riscv64} (QEMU's Linux user mode), for scale.
 * The harness programs use Linux's system-call numbers and stack layout, so they run
 * there unchanged. QEMU does not count instructions, so its speed is ours for the same
 * run: our instruction count over its time. Its time is the program's wall time minus
 * the start-up of QEMU itself, measured by running a trivial program.
 *
 * <p>The build never needs QEMU: without it on the PATH there is simply no comparison.
 */
final class QemuUser {
    static final String NAME = "qemu-riscv64";

    private QemuUser() {}

    /**
     * Medians over the measured runs. CPU times are the children's CPU time the kernel
     * charges to this JVM (Linux's /proc/self/stat), averaged over all measured runs since
     * they come in hundredths of a second; empty where that is not available.
     */
    record Result(Sample seconds, Sample startupSeconds, OptionalDouble cpuSeconds, OptionalDouble startupCpuSeconds,
                  String output) {
        /** The program's own time: each run's, less the median start-up. */
        Sample program() { return seconds.plus(-startupSeconds.median()); }

        double programSeconds() { return program().median(); }
    }

    /** qemu-riscv64 on the PATH, if there is one. */
    static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, NAME);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Runs program (with args) and trivial warmups + runs times each; every run must exit 0. */
    static Result measure(Path qemu, Path program, List<String> args, Path trivial, int warmups, int runs,
                          Consumer<String> log) throws BenchException {
        Timing main = time(qemu, program, args, warmups, runs);
        Timing startup = time(qemu, trivial, List.of(), warmups, runs);
        log.accept(String.format(Locale.ROOT, "%s: %s %.3f s, %s %.3f s (medians of %d runs)", NAME,
                program.getFileName(), main.seconds.median(), trivial.getFileName(), startup.seconds.median(), runs));
        return new Result(main.seconds, startup.seconds, main.cpuSeconds, startup.cpuSeconds, main.output);
    }

    private record Timing(Sample seconds, OptionalDouble cpuSeconds, String output) {}

    private static Timing time(Path qemu, Path program, List<String> args, int warmups, int runs) throws BenchException {
        if (!Files.isRegularFile(program)) throw new BenchException("no program at " + program + " (run `make build` first)");
        List<String> cmd = new ArrayList<>(List.of(qemu.toString(), program.toString()));
        cmd.addAll(args);
        List<Double> seconds = new ArrayList<>();
        OptionalDouble cpu0 = OptionalDouble.empty();
        String output = null;
        for (int i = 0; i < warmups + runs; i++) {
            if (i == warmups) cpu0 = childrenCpuSeconds();
            try {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                byte[] out = p.getInputStream().readAllBytes();
                int status = p.waitFor();
                long t1 = System.nanoTime();
                output = new String(out, StandardCharsets.UTF_8);
                if (status != 0) throw new BenchException(String.join(" ", cmd) + " exited with " + status + ": " + output.strip());
                if (i >= warmups) seconds.add((t1 - t0) / 1e9);
            } catch (IOException e) {
                throw new BenchException("cannot run " + qemu + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted");
            }
        }
        OptionalDouble cpu1 = childrenCpuSeconds();
        OptionalDouble cpu = cpu0.isPresent() && cpu1.isPresent()
                ? OptionalDouble.of((cpu1.getAsDouble() - cpu0.getAsDouble()) / runs) : OptionalDouble.empty();
        return new Timing(Sample.of(seconds), cpu, output);
    }

    /**
     * CPU time (user + system) of this process's children that have been waited for:
     * fields 16 and 17 of /proc/self/stat, in clock ticks of 1/100 s (Linux's USER_HZ).
     */
    static OptionalDouble childrenCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state), so field n is f[n - 3].
            return OptionalDouble.of((Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
