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
 * qemu-riscv64 when it is on the PATH.
 *
 * <p>The headline is CPU time, not wall-clock time: the host is shared (several builds
 * and tests at once on two cores), and a wall-clock ratio then measures who got a core
 * more than either emulator. A row's ratio ({@code cpu.W.qemu_ratio}) is the translator's
 * instructions per CPU second of the whole JVM (the hart's thread, and HotSpot's compiler
 * and GC threads: nothing it spends is left out) over QEMU's per CPU second of its
 * process (user + system); {@code cpu.qemu_ratio} is their geometric mean. Beside it: the
 * same with only the hart's thread's CPU time ({@code _thread}), in wall-clock time
 * ({@code _wall}), and for the first run of the program in the JVM, compiling included
 * ({@code _first}).
 *
 * <p>The translator's steady state is the median of its measured runs after its warm-up
 * runs, in which it compiles (and HotSpot compiles what it made). QEMU's every run is a
 * first run: its times include its own translation, which for programs this size is a
 * few milliseconds.
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
    /** QEMU's CPU time comes in hundredths of a second: batches of runs, each giving one sample. */
    static final int QEMU_WARMUPS = 1, QEMU_BATCHES = 3, QEMU_PER_BATCH = 4;

    /** One workload's figures; qemu is empty without qemu-riscv64. */
    record Measured(Workload workload, CpuBench.Result interpreter, CpuBench.Result translator, Optional<QemuUser.Result> qemu) {
        long instructions() { return translator.instructions(); }
        private Sample mips(Sample seconds) { return seconds.inverse(instructions() / 1e6); }
        Sample interpreterMips() { return mips(interpreter.wall()); }
        Sample interpreterMipsCpu() { return mips(interpreter.process()); }
        Sample translatorMips() { return mips(translator.wall()); }
        Sample translatorMipsThread() { return mips(translator.thread()); }
        Sample translatorMipsCpu() { return mips(translator.process()); }
        double firstMips() { return instructions() / translator.first()[0] / 1e6; }
        double firstMipsCpu() { return instructions() / translator.first()[2] / 1e6; }
        Optional<Sample> qemuMips() { return qemu.map(q -> mips(q.program())); }
        Optional<Sample> qemuMipsCpu() { return qemu.flatMap(QemuUser.Result::programCpu).map(this::mips); }
        /** The headline: the translator's MIPS per CPU second of the JVM over QEMU's per CPU second. */
        Optional<Sample> ratio() { return qemuMipsCpu().map(m -> translatorMipsCpu().over(m)); }
        Optional<Sample> ratioThread() { return qemuMipsCpu().map(m -> translatorMipsThread().over(m)); }
        Optional<Sample> ratioWall() { return qemuMips().map(m -> translatorMips().over(m)); }
        Optional<Double> ratioFirst() { return qemuMipsCpu().map(m -> firstMipsCpu() / m.median()); }
        Optional<Sample> interpreterRatio() { return qemuMipsCpu().map(m -> interpreterMipsCpu().over(m)); }
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
                QemuUser.Result r = QemuUser.measure(qemu.get(), program, args, hello, QEMU_WARMUPS, QEMU_BATCHES, QEMU_PER_BATCH, log);
                if (!r.output().equals(jit.output()))
                    throw new BenchException(QemuUser.NAME + " printed something else than xv6j for " + w.name() + ":\n  xv6j: "
                            + jit.output().strip() + "\n  qemu: " + r.output().strip());
                if (r.programSeconds() <= 0 || r.programCpu().map(c -> c.median() <= 0).orElse(false))
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
        String steady = ", median of " + TRANSLATOR_RUNS + " runs after " + TRANSLATOR_WARMUPS + " warm-ups";
        for (Measured m : ms) {
            String n = "cpu." + m.workload().name() + ".";
            String how = "make bench: target/user/bench/bin/" + m.workload().name() + " " + m.workload().rounds()
                    + " on the test harness (xv6j.bench.MachineSuite)";
            String interp = how + ", interpreter, median of " + INTERPRETER_RUNS + " runs after " + INTERPRETER_WARMUPS + " warm-up";
            f.add(new Figure(n + "instructions", m.instructions(), "instructions", how));
            f.add(new Figure(n + "interpreter_mips", m.interpreterMips(), "MIPS", interp + ", wall clock"));
            f.add(new Figure(n + "interpreter_mips_cpu", m.interpreterMipsCpu(), "MIPS", interp + ", per CPU second of the JVM"));
            f.add(new Figure(n + "translator_mips", m.translatorMips(), "MIPS", how + ", translator" + steady + ", wall clock"));
            f.add(new Figure(n + "translator_mips_thread", m.translatorMipsThread(), "MIPS",
                    how + ", translator" + steady + ", per CPU second of the hart's thread"));
            f.add(new Figure(n + "translator_mips_cpu", m.translatorMipsCpu(), "MIPS",
                    how + ", translator" + steady + ", per CPU second of the JVM (compiler and GC threads included)"));
            f.add(new Figure(n + "translator_first_mips", m.firstMips(), "MIPS", how + ", translator, the program's first run in the JVM, wall clock"));
            f.add(new Figure(n + "translator_first_mips_cpu", m.firstMipsCpu(), "MIPS",
                    how + ", translator, the program's first run in the JVM, per CPU second of the JVM"));
            if (m.qemu().isPresent()) {
                String q = how + "; " + QemuUser.NAME + " less its start-up (user/test/hello), " + QEMU_BATCHES * QEMU_PER_BATCH + " runs";
                f.add(new Figure(n + "qemu_mips", m.qemuMips().orElseThrow(), "MIPS", q + ", wall clock, median"));
                m.qemuMipsCpu().ifPresent(c -> f.add(new Figure(n + "qemu_mips_cpu", c, "MIPS",
                        q + ", per CPU second (user + system), median of " + QEMU_BATCHES + " batches")));
                m.ratio().ifPresent(r -> f.add(new Figure(n + "qemu_ratio", r, "x", q + "; the translator's MIPS per CPU second of the JVM over QEMU's")));
                m.ratioThread().ifPresent(r -> f.add(new Figure(n + "qemu_ratio_thread", r, "x",
                        q + "; the translator's MIPS per CPU second of the hart's thread over QEMU's per CPU second")));
                f.add(new Figure(n + "qemu_ratio_wall", m.ratioWall().orElseThrow(), "x", q + "; the translator's MIPS over QEMU's, wall clock"));
                m.ratioFirst().ifPresent(r -> f.add(new Figure(n + "qemu_ratio_first", r, "x",
                        q + "; the translator's first run, per CPU second of the JVM, over QEMU's per CPU second")));
                m.interpreterRatio().ifPresent(r -> f.add(new Figure(n + "qemu_ratio_interpreter", r, "x",
                        q + "; the interpreter's MIPS per CPU second of the JVM over QEMU's")));
            }
        }
        if (ms.stream().allMatch(m -> m.ratio().isPresent())) {
            String how = "make bench: geometric mean over the " + ms.size() + " workloads of user/bench";
            f.add(new Figure("cpu.qemu_ratio", geomean(ms, m -> m.ratio().orElseThrow().median()), "x",
                    how + " of the translator's MIPS per CPU second of the JVM over qemu-riscv64's per CPU second"));
            f.add(new Figure("cpu.qemu_ratio_min", ms.stream().mapToDouble(m -> m.ratio().orElseThrow().median()).min().orElseThrow(), "x",
                    "make bench: the lowest workload's ratio of the translator's MIPS per CPU second of the JVM over qemu-riscv64's"));
            f.add(new Figure("cpu.qemu_ratio_thread", geomean(ms, m -> m.ratioThread().orElseThrow().median()), "x",
                    how + " of the translator's MIPS per CPU second of the hart's thread over qemu-riscv64's per CPU second"));
            f.add(new Figure("cpu.qemu_ratio_wall", geomean(ms, m -> m.ratioWall().orElseThrow().median()), "x",
                    how + " of the translator's MIPS over qemu-riscv64's, wall clock"));
            f.add(new Figure("cpu.qemu_ratio_first", geomean(ms, m -> m.ratioFirst().orElseThrow()), "x",
                    how + " of the translator's first run's MIPS per CPU second of the JVM over qemu-riscv64's"));
            f.add(new Figure("cpu.qemu_ratio_interpreter", geomean(ms, m -> m.interpreterRatio().orElseThrow().median()), "x",
                    how + " of the interpreter's MIPS per CPU second of the JVM over qemu-riscv64's"));
        }
        return f;
    }

    static Table table(List<Measured> ms) {
        Table t = new Table("The machine: user/bench on the test harness, in millions of instructions per CPU second"
                + " (the JVM's, compiling and GC included, unless said)",
                "", "instructions", "interpreter", "translator", "(hart thread)", "(first run)", QemuUser.NAME, "ratio", "(first run)", "(wall clock)");
        for (Measured m : ms) {
            t.row(m.workload().name(), String.format(Locale.ROOT, "%,d", m.instructions()),
                    mips(m.interpreterMipsCpu()), mips(m.translatorMipsCpu()), mips(m.translatorMipsThread()),
                    String.format(Locale.ROOT, "%.0f", m.firstMipsCpu()),
                    m.qemuMipsCpu().map(MachineSuite::mips).orElse("-"),
                    m.ratio().map(Bench::ratio).orElse("-"),
                    m.ratioFirst().map(r -> String.format(Locale.ROOT, "%.2f", r)).orElse("-"),
                    m.ratioWall().map(Bench::ratio).orElse("-"));
        }
        if (ms.stream().allMatch(m -> m.ratio().isPresent())) {
            t.row("geometric mean of ratios", "",
                    String.format(Locale.ROOT, "(%.2f)", geomean(ms, m -> m.interpreterRatio().orElseThrow().median())),
                    "", String.format(Locale.ROOT, "(%.2f)", geomean(ms, m -> m.ratioThread().orElseThrow().median())), "", "",
                    String.format(Locale.ROOT, "%.2f", geomean(ms, m -> m.ratio().orElseThrow().median())),
                    String.format(Locale.ROOT, "%.2f", geomean(ms, m -> m.ratioFirst().orElseThrow())),
                    String.format(Locale.ROOT, "%.2f", geomean(ms, m -> m.ratioWall().orElseThrow().median())));
        }
        return t;
    }

    private static double geomean(List<Measured> ms, java.util.function.ToDoubleFunction<Measured> ratio) {
        return Math.exp(ms.stream().mapToDouble(m -> Math.log(ratio.applyAsDouble(m))).average().orElse(Double.NaN));
    }

    private static String mips(Sample m) {
        return String.format(Locale.ROOT, "%.0f", m.median()) + m.shown();
    }
}
