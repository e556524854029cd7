package xv6j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xv6j.harness.Harness;
import xv6j.harness.HarnessException;

/**
 * Emulated speed on a CPU-bound workload (user/bench/cpu.c by default): runs it on the
 * test harness several times, the first ones to let the JIT compile the interpreter, and
 * prints instructions, seconds and MIPS of each measured run and their median.
 *
 * <pre>
 *   java -cp target/classes:target/test-classes xv6j.bench.CpuBench [program] [runs]
 * </pre>
 */
public final class CpuBench {
    private CpuBench() {}

    public static void main(String[] args) throws Exception {
        Path program = args.length > 0 ? Path.of(args[0]) : Harness.userBin("bench").resolve("cpu");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int warmups = 3;
        if (!Files.isRegularFile(program)) {
            System.err.println("cpubench: no program at " + program + " (run `make build` first)");
            System.exit(2);
        }
        byte[] file = Files.readAllBytes(program);
        List<Double> mips = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            Harness h;
            Harness.Result r;
            long t0, t1, c0, c1;
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            try {
                h = new Harness(64 << 20);
                t0 = System.nanoTime();
                c0 = threads.getCurrentThreadCpuTime();
                r = h.run(file, List.of(program.getFileName().toString()), Long.MAX_VALUE);
                c1 = threads.getCurrentThreadCpuTime();
                t1 = System.nanoTime();
            } catch (HarnessException e) {
                System.err.println("cpubench: " + e.getMessage());
                System.exit(1);
                return;
            }
            if (!r.exited() || r.exitCode() != 0) {
                System.err.println("cpubench: the workload failed: " + r.lastTrap() + " exit " + r.exitCode() + "\n" + r.out());
                System.exit(1);
            }
            double s = (t1 - t0) / 1e9, cpu = (c1 - c0) / 1e9;
            double m = r.instret() / s / 1e6;
            boolean warm = i < warmups;
            // On a shared machine the thread's CPU time shows the interpreter's own speed.
            System.out.printf("%s run %d: %d instructions, %.3f s, %.1f MIPS (%.3f s CPU, %.1f MIPS per CPU second)%n",
                    warm ? "warm-up" : "measured", i + 1, r.instret(), s, m, cpu, r.instret() / cpu / 1e6);
            if (i == 0) System.out.print("  output: " + r.out());
            if (!warm) mips.add(m);
        }
        mips.sort(null);
        System.out.printf("median: %.1f MIPS over %d runs%n", mips.get(mips.size() / 2), runs);
    }
}
