package xv6j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import xv6j.harness.Harness;

/**
 * {@code make bench}: measures the machine and the kernels, prints a table of each for
 * people and writes every figure to target/bench.json.
 *
 * <pre>
 *   mvn test-compile exec:exec@bench       (what make bench runs; make bench BENCH=kv passes
 *                                           -Dbench.only=kv, and so -Dxv6j.bench=kv here)
 *   java -cp CLASSPATH xv6j.bench.Bench [--json FILE] [cpu] [kernels] [kv]
 * </pre>
 * (CLASSPATH: target/classes, target/test-classes and the jars Maven brings, ASM's among
 * them: without it the translator cannot compile, and every hart runs in the interpreter.)
 *
 * <ul>
 * <li>cpu: the workloads of user/bench on the machine's test harness under the interpreter
 * and the translator, and the same binaries under qemu-riscv64 when it is on the PATH
 * ({@link MachineSuite}); what compiling costs ({@link TranslatorCost}).</li>
 * <li>kernels: user/sysbench.c, boot time and usertests -q on each kernel of
 * {@link KernelUnderTest#all} that the build made; kernel-exo's own operations; the
 * key-value store three ways ({@link KvBench}); and the front door ({@link FrontDoorBench}):
 * make qemu to the first prompt.</li>
 * <li>kv: just the key-value store three ways.</li>
 * </ul>
 */
public final class Bench {
    static final int KERNEL_RUNS = 5;
    static final int EXO_RUNS = 5;
    static final int FSYNC_TRIES = 50;
    static final int FRONT_DOOR_RUNS = 5;
    static final int KV_RUNS = 5;

    /** A row of the kernel table: a figure's short name and what it means. */
    private record Row(String name, String label) {}

    private static final List<Row> KERNEL_ROWS = List.of(
            new Row("boot", "boot to the first $ prompt"),
            new Row("getpid", "null system call (getpid)"),
            new Row("fork_exit_wait", "fork + exit + wait"),
            new Row("fork_exec_wait", "fork + exec + wait"),
            new Row("pipe_roundtrip", "pipe round trip, 1 byte each way"),
            new Row("file_create_write", "create + write 4 KiB + close"),
            new Row("file_read", "open + read 4 KiB + close"),
            new Row("file_unlink", "unlink the 4 KiB file"),
            new Row("sbrk_page", "sbrk(4096) + sbrk(-4096)"),
            new Row("usertests_q_wall", "usertests -q, wall clock"),
            new Row("usertests_q", "usertests -q, virtual clock (below)"),
            new Row("usertests_q_instructions", "  its user instructions"));

    private final PrintStream out;
    private final Consumer<String> log;
    private final Path userDir;
    private final List<Figure> figures = new ArrayList<>();

    private Bench(PrintStream out, PrintStream err, Path userDir) {
        this.out = out;
        this.log = s -> err.println("bench: " + s);
        this.userDir = userDir;
    }

    public static void main(String[] args) {
        Path json = Path.of("target", "bench.json");
        boolean cpu = false, kernels = false, kv = false;
        List<String> what = new ArrayList<>(List.of(args));
        // make bench BENCH=...: the selection comes as a property (empty: everything).
        for (String w : System.getProperty("xv6j.bench", "").split(",")) {
            if (!w.isBlank()) what.add(w.strip());
        }
        for (int i = 0; i < what.size(); i++) {
            switch (what.get(i)) {
                case "--json" -> {
                    if (++i == what.size()) usage("--json needs a file");
                    json = Path.of(what.get(i));
                }
                case "cpu" -> cpu = true;
                case "kernels" -> kernels = true;
                case "kv" -> kv = true;
                default -> usage("unknown benchmark or argument " + what.get(i) + " (BENCH= takes cpu, kernels or kv)");
            }
        }
        if (!cpu && !kernels && !kv) cpu = kernels = true;
        // Kernel processes run on virtual threads: give each hart a carrier (as kernel.jar does).
        System.setProperty("jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));

        Path userDir = Path.of(System.getProperty("xv6j.user", "target/user"));
        Bench b = new Bench(System.out, System.err, userDir);
        try {
            Files.deleteIfExists(json); // never leave an older run's figures looking like this one's
            if (cpu) b.cpu();
            if (kernels) b.kernels();
            if (kernels) b.exoPrimitives();
            if (kernels || kv) b.figures.addAll(KvBench.run(userDir, KV_RUNS, b.out, b.log));
            if (kernels) b.frontDoor();
            Host host = Host.current();
            BenchJson.write(json, "make bench", host, b.figures);
            System.out.println("Measured on " + host.describe() + ".");
            System.out.println(b.figures.size() + " figures written to " + json + ".");
        } catch (BenchException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("bench: " + json + ": " + e.getMessage());
            System.exit(1);
        }
        System.exit(0); // kernels' daemon threads may linger
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem + "\nusage: Bench [--json FILE] [cpu] [kernels] [kv]");
        System.exit(2);
    }

    private Figure figure(String name, double value, String unit, String command) {
        return figure(new Figure(name, value, unit, command));
    }

    private Figure figure(String name, Sample sample, String unit, String command) {
        return figure(new Figure(name, sample, unit, command));
    }

    private Figure figure(Figure f) {
        figures.add(f);
        return f;
    }

    // ---- the machine -----------------------------------------------------------------

    private void cpu() throws BenchException {
        var qemu = QemuUser.find();
        log.accept("machine: " + MachineSuite.WORKLOADS.size() + " workloads of user/bench on the test harness, interpreter and translator"
                + (qemu.isPresent() ? ", and under " + qemu.get() : ""));
        List<MachineSuite.Measured> ms = MachineSuite.measure(qemu, log);
        figures.addAll(MachineSuite.figures(ms));
        out.println();
        out.print(MachineSuite.table(ms));
        out.println("  " + LEGEND);
        if (qemu.isEmpty()) out.println("  " + QemuUser.NAME + " is not on the PATH: no comparison with QEMU.");
        else if (figures.stream().anyMatch(f -> f.name().equals("cpu.qemu_ratio")))
            out.printf(Locale.ROOT, "  Per CPU second, the translator runs at %.2f of %s's speed (geometric mean; lowest workload %.2f;"
                            + " its hart's thread alone %.2f; its first runs %.2f); the interpreter at %.2f. In wall-clock time: %.2f.%n",
                    value("cpu.qemu_ratio"), QemuUser.NAME, value("cpu.qemu_ratio_min"), value("cpu.qemu_ratio_thread"),
                    value("cpu.qemu_ratio_first"), value("cpu.qemu_ratio_interpreter"), value("cpu.qemu_ratio_wall"));
        else out.println("  No CPU time for " + QemuUser.NAME + " (no /proc/self/stat): no comparison.");
        TranslatorCost.Measured c = TranslatorCost.measure(log);
        figures.addAll(c.figures());
        out.print(c.describe());
        out.println();
    }

    private double value(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().value();
    }

    // ---- the kernels -----------------------------------------------------------------

    private void kernels() throws BenchException {
        List<KernelUnderTest> kernels = KernelUnderTest.all(userDir).stream().filter(KernelUnderTest::built).toList();
        if (kernels.isEmpty()) throw new BenchException("no kernel's programs under " + userDir + " (run `make build` first)");
        Path dir;
        try {
            dir = Files.createTempDirectory("xv6j-bench");
        } catch (IOException e) {
            throw new BenchException("cannot make a temporary folder: " + e.getMessage());
        }
        try {
            List<KernelBench.Measured> measured = new ArrayList<>();
            for (KernelUnderTest k : kernels) measured.add(KernelBench.measure(k, KERNEL_RUNS, dir, log));
            double fsync = HostDisk.forceNanos(dir, FSYNC_TRIES);
            KernelBench.Measured first = measured.get(0);
            for (KernelBench.Measured m : measured) {
                figures.addAll(m.shared().values());
                figures.addAll(m.own().values());
                if (m == first) continue;
                // Each further kernel beside the first: its figure over the first's.
                for (Figure f : m.shared().values()) {
                    Figure base = first.shared().get(shortName(f));
                    if (base != null && base.value() != 0 && !f.unit().equals("passed"))
                        figure(f.name() + ".vs_" + first.kernel().name(), f.sample().over(base.sample()), "x",
                                f.command() + "; over " + base.name());
                }
            }
            figure("host.fsync", fsync / 1e3, "us", "make bench: write 1 KiB to a file in " + dir.getParent()
                    + " and force it, median of " + FSYNC_TRIES);
            printKernels(measured, fsync);
            for (KernelUnderTest k : kernels) {
                TranslatorCost.Measured c = TranslatorCost.usertests(k, dir, log);
                figures.addAll(c.figures());
                out.print(c.describe());
            }
            out.println();
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * kernel-exo's own operations (user/exo/exobench.c), each beside the xv6 kernel's
     * closest equivalent measured earlier in this run.
     */
    private void exoPrimitives() throws BenchException {
        Path program = ExoBench.program();
        if (!Files.isRegularFile(program)) {
            log.accept("exo primitives: no " + program + "; skipped");
            return;
        }
        log.accept("exo primitives: " + program + " as /init, 2 warm-ups and " + EXO_RUNS + " runs");
        List<ExoBench.Op> ops;
        try {
            ops = ExoBench.measure(program, 2, EXO_RUNS);
        } catch (Exception e) {
            throw new BenchException("exobench: " + e.getMessage());
        }
        String cmd = "make bench: user/exo/exobench.c booted as /init of kernel-exo (deterministic time, 1 hart), median of "
                + EXO_RUNS + " boots";
        Map<String, String> closest = Map.of(
                "null_call", "getpid", "pct_roundtrip", "pipe_roundtrip", "yield_pingpong", "pipe_roundtrip",
                "wake_pingpong", "pipe_roundtrip", "map_unmap", "sbrk_page");
        Table t = new Table("The exokernel's own operations, beside the xv6 kernel's closest equivalent from this run",
                "", "exo", "instr/op", "kernel", "");
        for (ExoBench.Op op : ops) {
            Figure ns = figure("exo." + op.name(), op.nanos(), "ns/op", cmd);
            figure("exo." + op.name() + "_instructions", op.instructions(), "instructions/op", cmd + "; user instructions, both sides");
            String k = closest.get(op.name());
            Figure base = k == null ? null : figures.stream().filter(f -> f.name().equals("kernel." + k)).findFirst().orElse(null);
            t.row(op.name(), show(ns), String.format(Locale.ROOT, "%.0f", op.instructions()),
                    base == null ? "-" : show(base), base == null ? "" : k);
        }
        out.print(t);
        out.println("  " + LEGEND);
        out.println();
    }

    /** make qemu and the launcher, from the command to the first prompt, nothing to rebuild. */
    private void frontDoor() throws BenchException {
        Path root = Path.of("").toAbsolutePath();
        if (!FrontDoorBench.available(root)) {
            log.accept("front door: no Makefile, scripts/kernel and target/kernel.jar in " + root + "; skipped");
            return;
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("xv6j-frontdoor");
        } catch (IOException e) {
            throw new BenchException("cannot make a temporary folder: " + e.getMessage());
        }
        try {
            Path image = dir.resolve("fs.img");
            Table t = new Table("The front door: from the command to the shell's first prompt, nothing to rebuild; median of "
                    + FRONT_DOOR_RUNS + " runs after a warm-up", "", "time");
            Map<String, String> labels = Map.of("make_qemu", "make qemu", "launcher", "scripts/kernel fs.img");
            for (String name : List.of("make_qemu", "launcher")) {
                List<String> cmd = FrontDoorBench.commands(image).get(name);
                log.accept("front door: " + String.join(" ", cmd));
                Sample ms = FrontDoorBench.time(cmd, root, 1, FRONT_DOOR_RUNS, log);
                Figure f = figure("frontdoor." + name, ms, "ms", "make bench: " + String.join(" ", cmd)
                        + " with standard input a pipe, to its first \"$ \", median of " + FRONT_DOOR_RUNS + " runs after a warm-up");
                t.row(labels.get(name), show(f));
            }
            out.print(t);
            out.println("  " + LEGEND);
            Figure boot = figures.stream().filter(f -> f.name().equals("kernel.boot")).findFirst().orElse(null);
            out.println("  The boot itself (kernel.boot, above) is " + (boot == null ? "a small part" : show(boot))
                    + "; the rest is the JVM starting, the launcher finding a JDK and the image check.");
            out.println();
        } finally {
            deleteTree(dir);
        }
    }

    private void printKernels(List<KernelBench.Measured> measured, double fsyncNanos) {
        KernelBench.Measured first = measured.get(0);
        List<String> header = new ArrayList<>(List.of(""));
        for (KernelBench.Measured m : measured) header.add(m.kernel().name());
        for (KernelBench.Measured m : measured.subList(1, measured.size())) header.add(m.kernel().name() + " ÷ " + first.kernel().name());
        Table t = new Table(String.format(Locale.ROOT, "The kernels: wall clock, 1 hart, %d MiB; median of %d boots after a warm-up boot",
                KernelBench.MEMORY_MIB, KERNEL_RUNS), header.toArray(String[]::new));
        for (Row row : KERNEL_ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.label()));
            for (KernelBench.Measured m : measured) {
                Figure f = m.shared().get(row.name());
                String s = f == null ? "-" : show(f);
                if (row.name().startsWith("usertests_q") && !row.name().endsWith("instructions") && !m.usertestsPassed()) s += " (FAILED)";
                cells.add(s);
            }
            Figure base = first.shared().get(row.name());
            for (KernelBench.Measured m : measured.subList(1, measured.size())) {
                Figure f = m.shared().get(row.name());
                cells.add(f == null || base == null || base.value() == 0 ? "-" : ratio(f.sample().over(base.sample())));
            }
            t.row(cells.toArray(String[]::new));
        }
        out.print(t);
        out.println("  " + LEGEND);
        out.println("  usertests -q, virtual clock: the same run with the machine's clock counting instructions");
        out.println("  (DET=1), where a sleep costs nothing: the time usertests' own work takes. It is another");
        out.println("  boot than the wall-clock row's, so on a busy host it can come out the larger.");
        out.printf(Locale.ROOT, "  The host's disk: write 1 KiB + force, %s (every log commit forces the image four times).%n",
                Table.nanos(fsyncNanos));
        for (KernelBench.Measured m : measured) {
            if (!m.usertestsPassed()) out.println("  usertests -q did not print ALL TESTS PASSED on " + m.kernel().name() + ".");
        }
        for (KernelBench.Measured m : measured) {
            if (m.own().isEmpty()) continue;
            Table own = new Table("Only on " + m.kernel().name(), "", m.kernel().name());
            for (Map.Entry<String, Figure> e : m.own().entrySet()) own.row(e.getKey(), show(e.getValue()));
            out.println();
            out.print(own);
        }
        out.println();
    }

    /** Printed under each table whose figures carry their spread. */
    static final String LEGEND = String.format(Locale.ROOT, "±: half the range of the runs over their median (none: one run);"
            + " * marks runs%n  spread wider than ±%.0f%%, and the ratios made from them: not to be trusted (a busy host?).",
            100 * Sample.TRUSTED);

    /** A ratio, marked when the runs it comes from are not to be trusted. */
    static String ratio(Figure f) {
        return ratio(f.sample());
    }

    static String ratio(Sample r) {
        return String.format(Locale.ROOT, "%.2f", r.median()) + (r.runs() > 1 && !r.trusted() ? "*" : "");
    }

    /** "getpid" for "kernel.getpid". */
    private static String shortName(Figure f) {
        return f.name().substring(f.name().indexOf('.') + 1);
    }

    /** A figure's value in a unit that suits people, with the spread of its runs. */
    static String show(Figure f) {
        return switch (f.unit()) {
            case "ns/op" -> Table.nanos(f.value());
            case "ms" -> String.format(Locale.ROOT, "%.1f ms", f.value());
            case "s" -> String.format(Locale.ROOT, "%.1f s", f.value());
            case "instructions" -> String.format(Locale.ROOT, "%,.0f", f.value());
            case "passed" -> f.value() == 1 ? "yes" : "no";
            default -> BenchJson.number(f.value()) + " " + f.unit();
        } + f.sample().shown();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
