package xv6j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import xv6j.harness.Harness;
import xv6j.machine.jit.Engine;

/**
 * The machine's table of {@code make bench}: every workload of user/bench on the test
 * harness under the interpreter and under the translator, and the same binary under
 * qemu-riscv64 when it is on the PATH. A row's ratio is the translator's MIPS over
 * QEMU's; the headline ({@code cpu.qemu_ratio}) is their geometric mean.
 *
 * <p>The translator's figures are its steady state: its warm-up runs are where it
 * compiles (and HotSpot compiles what it made); the cost of that is measured apart
 * (the {@code jit.*} figures). QEMU's times include its own translation, which for
 * programs this size is a few milliseconds.
 */
final class MachineSuite {
    /** A workload: the program user/bench/NAME.c, run with ROUNDS so that it retires 100-200 million instructions. */
    record Workload(String name, int rounds, String what) {}

    static final List<Workload> WORKLOADS = List.of(
            new Workload("cpu", 4, "list walk, integer matrix product, switch-driven state machine"),
            new Workload("lists", 12, "sorted insertion, merge sort, reversal, filtering of linked lists"),
            new Workload("matrix", 220, "16x16 integer products, matrix power mod p, determinant"),
            new Workload("tokens", 100, "a lexer: a state machine over bytes with a class table"),
            new Workload("crc", 50, "CRC-32 by table, CRC-32C by bit, Adler-32, FNV-1a"),
            new Workload("sort", 8, "quicksort, heapsort, Shell sort; merge sort through a comparator"),
            new Workload("strings", 35, "word hash table, KMP search, reversal"),
            new Workload("calls", 40, "a register VM dispatching through a function table, tree walks, recursion"),
            new Workload("float", 50, "n-body step, Mandelbrot (single and double), double matrix product"));

    static final int INTERPRETER_WARMUPS = 1, INTERPRETER_RUNS = 3;
    static final int TRANSLATOR_WARMUPS = 6, TRANSLATOR_RUNS = 5;
    static final int QEMU_WARMUPS = 1, QEMU_RUNS = 5;

    /** One workload's figures; qemu is empty without qemu-riscv64. */
    record Measured(Workload workload, CpuBench.Result interpreter, CpuBench.Result translator, Optional<QemuUser.Result> qemu) {
        long instructions() { return translator.instructions(); }
        Sample interpreterMips() { return interpreter.wall().inverse(instructions() / 1e6); }
        Sample translatorMips() { return translator.wall().inverse(instructions() / 1e6); }
        Sample translatorMipsCpu() { return translator.cpu().inverse(instructions() / 1e6); }
        Optional<Sample> qemuMips() { return qemu.map(q -> q.program().inverse(instructions() / 1e6)); }
        Optional<Sample> ratio() { return qemuMips().map(m -> translatorMips().over(m)); }
        Optional<Sample> interpreterRatio() { return qemuMips().map(m -> interpreterMips().over(m)); }
    }

    private MachineSuite() {}

    static List<Measured> measure(Optional<Path> qemu, Consumer<String> log) throws BenchException {
        Path hello = Harness.userBin("test").resolve("hello");
        List<Measured> out = new ArrayList<>();
        for (Workload w : WORKLOADS) {
            Path program = Harness.userBin("bench").resolve(w.name());
            List<String> args = List.of(String.valueOf(w.rounds()));
            CpuBench.Result interp = CpuBench.measure(program, args, Engine.INTERPRETER, INTERPRETER_WARMUPS, INTERPRETER_RUNS, log);
            CpuBench.Result jit = CpuBench.measure(program, args, Engine.TRANSLATOR, TRANSLATOR_WARMUPS, TRANSLATOR_RUNS, log);
            if (!jit.output().equals(interp.output()) || jit.instructions() != interp.instructions())
                throw new BenchException(w.name() + ": the translator and the interpreter differ: " + jit.output().strip()
                        + " in " + jit.instructions() + " instructions, " + interp.output().strip() + " in " + interp.instructions());
            Optional<QemuUser.Result> q = Optional.empty();
            if (qemu.isPresent()) {
                QemuUser.Result r = QemuUser.measure(qemu.get(), program, args, hello, QEMU_WARMUPS, QEMU_RUNS, log);
                if (!r.output().equals(jit.output()))
                    throw new BenchException(QemuUser.NAME + " printed something else than xv6j for " + w.name() + ":\n  xv6j: "
                            + jit.output().strip() + "\n  qemu: " + r.output().strip());
                if (r.programSeconds() <= 0)
                    throw new BenchException(QemuUser.NAME + " ran " + w.name() + " faster than its own start-up; cannot time it");
                q = Optional.of(r);
            }
            out.add(new Measured(w, interp, jit, q));
        }
        return out;
    }

    /** The figures, each named cpu.WORKLOAD.*, and the geometric means. */
    static List<Figure> figures(List<Measured> ms) {
        List<Figure> f = new ArrayList<>();
        for (Measured m : ms) {
            String n = "cpu." + m.workload().name() + ".";
            String how = "make bench: target/user/bench/bin/" + m.workload().name() + " " + m.workload().rounds()
                    + " on the test harness (xv6j.bench.MachineSuite)";
            f.add(new Figure(n + "instructions", m.instructions(), "instructions", how));
            f.add(new Figure(n + "interpreter_mips", m.interpreterMips(), "MIPS",
                    how + ", interpreter, median of " + INTERPRETER_RUNS + " runs after " + INTERPRETER_WARMUPS + " warm-up"));
            f.add(new Figure(n + "translator_mips", m.translatorMips(), "MIPS",
                    how + ", translator, median of " + TRANSLATOR_RUNS + " runs after " + TRANSLATOR_WARMUPS + " warm-ups"));
            f.add(new Figure(n + "translator_mips_cpu", m.translatorMipsCpu(), "MIPS", how + ", translator, per CPU second of the hart's thread"));
            if (m.qemu().isPresent()) {
                String q = how + "; " + QemuUser.NAME + " less its start-up (user/test/hello), median of " + QEMU_RUNS + " runs";
                f.add(new Figure(n + "qemu_mips", m.qemuMips().orElseThrow(), "MIPS", q));
                f.add(new Figure(n + "qemu_ratio", m.ratio().orElseThrow(), "x", q + "; the translator's MIPS over QEMU's"));
                f.add(new Figure(n + "qemu_ratio_interpreter", m.interpreterRatio().orElseThrow(), "x", q + "; the interpreter's MIPS over QEMU's"));
            }
        }
        if (ms.stream().allMatch(m -> m.qemu().isPresent())) {
            String how = "make bench: geometric mean over the " + ms.size() + " workloads of user/bench";
            f.add(new Figure("cpu.qemu_ratio", geomean(ms.stream().map(m -> m.ratio().orElseThrow().median()).toList()), "x",
                    how + " of the translator's MIPS over qemu-riscv64's"));
            f.add(new Figure("cpu.qemu_ratio_min", ms.stream().mapToDouble(m -> m.ratio().orElseThrow().median()).min().orElseThrow(), "x",
                    "make bench: the lowest workload's ratio of the translator's MIPS over qemu-riscv64's"));
            f.add(new Figure("cpu.qemu_ratio_interpreter", geomean(ms.stream().map(m -> m.interpreterRatio().orElseThrow().median()).toList()), "x",
                    how + " of the interpreter's MIPS over qemu-riscv64's"));
        }
        return f;
    }

    static Table table(List<Measured> ms) {
        Table t = new Table("The machine: user/bench on the test harness, in millions of instructions a second (wall clock)",
                "", "instructions", "interpreter", "translator", QemuUser.NAME, "ratio");
        for (Measured m : ms) {
            t.row(m.workload().name(), String.format(Locale.ROOT, "%,d", m.instructions()),
                    mips(m.interpreterMips()), mips(m.translatorMips()),
                    m.qemuMips().map(MachineSuite::mips).orElse("-"),
                    m.ratio().map(Bench::ratio).orElse("-"));
        }
        if (ms.stream().allMatch(m -> m.qemu().isPresent())) {
            double g = geomean(ms.stream().map(m -> m.ratio().orElseThrow().median()).toList());
            double gi = geomean(ms.stream().map(m -> m.interpreterRatio().orElseThrow().median()).toList());
            t.row("geometric mean of ratios", "", String.format(Locale.ROOT, "(%.2f)", gi), "", "", String.format(Locale.ROOT, "%.2f", g));
        }
        return t;
    }

    static double geomean(List<Double> xs) {
        return Math.exp(xs.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }

    private static String mips(Sample m) {
        return String.format(Locale.ROOT, "%.0f", m.median()) + m.shown();
    }
}
