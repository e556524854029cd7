package xv6j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import xv6j.harness.Harness;
import xv6j.harness.HarnessException;
import xv6j.machine.jit.Engine;

/**
 * Emulated speed on a CPU-bound workload (user/bench/cpu.c by default): runs it on the
 * test harness several times, the first ones to let the JIT compile the interpreter, and
 * takes the median of the measured runs. {@code make bench} calls {@link #measure}; run
 * alone it prints each run:
 *
 * <pre>
 *   java -cp target/classes:target/test-classes [-Dxv6j.engine=translator] xv6j.bench.CpuBench [program [runs [args...]]]
 * </pre>
 */
public final class CpuBench {
    private CpuBench() {}

    /**
     * The measured runs.
     *
     * @param instructions instructions one run retires (the same in every run)
     * @param wall         wall-clock seconds of the runs
     * @param cpu          the CPU time of the thread running the hart: on a busy machine
     *                     this shows the interpreter's own speed
     * @param output       what the program printed
     */
    public record Result(long instructions, Sample wall, Sample cpu, String output) {
        public double seconds() { return wall.median(); }
        public double cpuSeconds() { return cpu.median(); }
        public double mips() { return instructions / seconds() / 1e6; }
        public double cpuMips() { return instructions / cpuSeconds() / 1e6; }
    }

    /** Runs program with argv = [its name, args...] warmups + runs times under engine; each run must exit 0. */
    public static Result measure(Path program, List<String> args, Engine engine, int warmups, int runs, Consumer<String> log)
            throws BenchException {
        byte[] file;
        try {
            file = Files.readAllBytes(program);
        } catch (IOException e) {
            throw new BenchException("no program at " + program + " (run `make build` first)");
        }
        List<String> argv = new ArrayList<>(List.of(program.getFileName().toString()));
        argv.addAll(args);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> seconds = new ArrayList<>(), cpu = new ArrayList<>();
        long instructions = -1;
        String output = null;
        for (int i = 0; i < warmups + runs; i++) {
            Harness.Result r;
            long t0, t1, c0, c1;
            try {
                Harness h = new Harness(64 << 20);
                h.hart().setEngine(engine);
                t0 = System.nanoTime();
                c0 = threads.getCurrentThreadCpuTime();
                r = h.run(file, argv, Long.MAX_VALUE);
                c1 = threads.getCurrentThreadCpuTime();
                t1 = System.nanoTime();
            } catch (HarnessException e) {
                throw new BenchException(program + ": " + e.getMessage());
            }
            if (!r.exited() || r.exitCode() != 0)
                throw new BenchException(program + " failed: " + r.lastTrap() + ", exit status " + r.exitCode() + ", output: " + r.out().strip());
            if (instructions >= 0 && (r.instret() != instructions || !r.out().equals(output)))
                throw new BenchException(program + " did not run the same way twice: " + instructions + " then " + r.instret() + " instructions");
            instructions = r.instret();
            output = r.out();
            double s = (t1 - t0) / 1e9, c = (c1 - c0) / 1e9;
            boolean warm = i < warmups;
            log.accept(String.format(Locale.ROOT, "%s %s %s run %d: %d instructions, %.3f s, %.1f MIPS (%.3f s CPU, %.1f MIPS per CPU second)",
                    program.getFileName(), engine.flag(), warm ? "warm-up" : "measured", i + 1, r.instret(), s, r.instret() / s / 1e6, c, r.instret() / c / 1e6));
            if (!warm) {
                seconds.add(s);
                cpu.add(c);
            }
        }
        return new Result(instructions, Sample.of(seconds), Sample.of(cpu), output);
    }

    public static void main(String[] args) {
        Path program = args.length > 0 ? Path.of(args[0]) : Harness.userBin("bench").resolve("cpu");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> programArgs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        try {
            Result r = measure(program, programArgs, Engine.fromSystemProperty(), 3, runs, System.out::println);
            System.out.print("  output: " + r.output());
            System.out.printf(Locale.ROOT, "median: %.1f MIPS (%.1f MIPS per CPU second) over %d runs%n", r.mips(), r.cpuMips(), runs);
        } catch (BenchException e) {
            System.err.println("cpubench: " + e.getMessage());
            System.exit(1);
        }
    }
}
