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
     * @param thread       the CPU time of the thread running the hart: on a busy machine
     *                     this shows the hart's own speed, without what HotSpot spends
     *                     beside it
     * @param process      the CPU time of the whole JVM during the runs: the hart's thread
     *                     and HotSpot's compiler and GC threads
     * @param first        the first run (a warm-up): wall seconds, thread and process CPU
     *                     seconds, in that order; what a program run once costs
     * @param output       what the program printed
     */
    public record Result(long instructions, Sample wall, Sample thread, Sample process, double[] first, String output) {
        public double seconds() { return wall.median(); }
        public double cpuSeconds() { return thread.median(); }
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
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> seconds = new ArrayList<>(), cpu = new ArrayList<>(), process = new ArrayList<>();
        double[] first = null;
        long instructions = -1;
        String output = null;
        for (int i = 0; i < warmups + runs; i++) {
            Harness.Result r;
            long t0, t1, c0, c1, p0, p1;
            try {
                Harness h = new Harness(64 << 20);
                h.hart().setEngine(engine);
                t0 = System.nanoTime();
                c0 = threads.getCurrentThreadCpuTime();
                p0 = os.getProcessCpuTime();
                r = h.run(file, argv, Long.MAX_VALUE);
                p1 = os.getProcessCpuTime();
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
            double s = (t1 - t0) / 1e9, c = (c1 - c0) / 1e9, pc = (p1 - p0) / 1e9;
            boolean warm = i < warmups;
            long[] cache = xv6j.machine.jit.Translator.codeCacheSize();
            log.accept(String.format(Locale.ROOT, "%s %s %s run %d: %d instructions, %.3f s, %.1f MIPS;"
                            + " per CPU second %.1f MIPS of the hart's thread (%.3f s), %.1f of the JVM (%.3f s);"
                            + " code cache %d regions, %,d bytes",
                    program.getFileName(), engine.flag(), warm ? "warm-up" : "measured", i + 1, r.instret(), s, r.instret() / s / 1e6,
                    r.instret() / c / 1e6, c, r.instret() / pc / 1e6, pc, cache[0], cache[1]));
            if (i == 0) first = new double[] {s, c, pc};
            if (!warm) {
                seconds.add(s);
                cpu.add(c);
                process.add(pc);
            }
        }
        return new Result(instructions, Sample.of(seconds), Sample.of(cpu), Sample.of(process), first, output);
    }

    public static void main(String[] args) {
        Path program = args.length > 0 ? Path.of(args[0]) : Harness.userBin("bench").resolve("cpu");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<String> programArgs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        try {
            Result r = measure(program, programArgs, Engine.fromSystemProperty(), 3, runs, System.out::println);
            System.out.print("  output: " + r.output());
            System.out.printf(Locale.ROOT, "median: %.1f MIPS; per CPU second %.1f MIPS of the hart's thread, %.1f of the JVM; over %d runs%n",
                    r.mips(), r.cpuMips(), r.instructions() / r.process().median() / 1e6, runs);
        } catch (BenchException e) {
            System.err.println("cpubench: " + e.getMessage());
            System.exit(1);
        }
    }
}
