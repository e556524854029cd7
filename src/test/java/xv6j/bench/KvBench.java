package xv6j.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import xv6j.fs.Fs;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Mkfs;

/**
 * The exokernel's case, measured: one key-value workload (user/kv/kvwork.h) three ways,
 * in one run.
 *
 * <ul>
 * <li>a: {@code kv bench}, kv on its own LibOS (user/kv/kvlib), on kernel-exo;</li>
 * <li>b: {@code kvfile bench}, the same store written with xv6's user API alone
 * (user/kvfile.c, a file per key), linked with the standard LibOS, on kernel-exo;</li>
 * <li>c: the same kvfile source built for the xv6 kernel, on it.</li>
 * </ul>
 *
 * Each boot (wall clock, one hart, 128 MiB, a fresh image) types one command; the program
 * prints "kvbench begin NAME" and "kvbench end NAME OPS" around each phase. The lines are
 * timed as they reach the console, and the disk's block writes and forces (every force a
 * host fsync of the image) are counted between them through the disk's observer: the same
 * yardstick for the three, whatever runs inside. The three ways take turns, a warm-up
 * round first, so a busy host slows all three alike; each figure is the median of the
 * measured rounds, and a/b and a/c are ratios of operations per second.
 *
 * <pre>
 *   make bench BENCH=kv                        (this alone, 5 boots of each way)
 *   java -cp CLASSPATH xv6j.bench.KvBench [runs]   (CLASSPATH as in {@link Bench})
 * </pre>
 */
public final class KvBench {
    /**
     * A phase of the workload, in kvwork.h's order, what one operation of it is, and how many
     * it makes at least (kvwork.h's counts for 100 keys; a phase that may repeat does until
     * it has lasted 0.2 s).
     */
    record Phase(String name, String label, int ops) {}

    static final List<Phase> PHASES = List.of(
            new Phase("put", "put, new key", 100),
            new Phase("update", "put, key present", 300),
            new Phase("get", "get, key present", 2000),
            new Phase("get_absent", "get, key absent", 2000),
            new Phase("scan", "scan of 100 records", 50),
            new Phase("del", "delete", 100),
            new Phase("mixed", "mixed: 5 get : 3 put : 2 del", 1000),
            new Phase("put_group", "put, 8 at a time (group commit)", 400));

    /** The three ways, in the table's order. */
    enum Way {
        KV("kv", "a: kv", "kv bench"),
        LIBOS("libos", "b: kvfile, LibOS", "kvfile bench"),
        XV6("xv6", "c: kvfile, xv6", "kvfile bench");

        final String id, heading, command;

        Way(String id, String heading, String command) {
            this.id = id;
            this.heading = heading;
            this.command = command;
        }

        boolean onExo() {
            return this != XV6;
        }
    }

    /** One phase of one boot: operations, wall nanoseconds, and the disk's block writes and forces. */
    record Loop(long ops, long nanos, long writes, long forces) {}

    /** A phase's figures on one way, over the measured rounds. */
    record Measured(Sample nanosPerOp, Sample forcesPerOp, Sample writesPerOp) {
        Sample opsPerSecond() {
            return nanosPerOp.inverse(1e9);
        }
    }

    /** The figures of the whole workload, beside the phases'. */
    static final String WHOLE = "whole";

    /** The phases' names, and WHOLE. */
    private static List<String> names() {
        List<String> n = new ArrayList<>(PHASES.stream().map(Phase::name).toList());
        n.add(WHOLE);
        return n;
    }

    /** The workload's keys (kvwork.h's KVW_KEYS): the other counts follow. */
    static final int KEYS = 100;

    /** How long a boot may take before the benchmark gives up. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private KvBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // Kernel processes run on virtual threads: give each hart a carrier (as kernel.jar does).
        System.setProperty("jdk.virtualThreadScheduler.parallelism",
                String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())));
        List<Figure> figures = run(Path.of(System.getProperty("xv6j.user", "target/user")), runs, System.out,
                s -> System.err.println("kvbench: " + s));
        System.out.println(figures.size() + " figures.");
        System.exit(0);
    }

    /** Measures, prints the table to out and returns the figures for bench.json. */
    static List<Figure> run(Path userDir, int runs, PrintStream out, Consumer<String> log) throws BenchException {
        Path exoBin = userDir.resolve("exo").resolve("bin"), xv6Bin = userDir.resolve("kernel").resolve("bin");
        for (Path p : List.of(exoBin.resolve("kv"), exoBin.resolve("kvfile"), xv6Bin.resolve("kvfile"))) {
            if (!Files.isRegularFile(p)) throw new BenchException("no " + p + " (run `make build` first)");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("xv6j-kvbench");
        } catch (IOException e) {
            throw new BenchException("cannot make a temporary folder: " + e.getMessage());
        }
        try {
            Map<Way, Map<String, List<Loop>>> loops = new EnumMap<>(Way.class);
            for (int r = 0; r <= runs; r++) {
                for (Way w : Way.values()) {
                    log.accept(w.heading + ": " + (r == 0 ? "warm-up boot" : "measured boot " + r + " of " + runs));
                    Map<String, Loop> l = boot(w, w.onExo() ? exoBin : xv6Bin, dir, KEYS);
                    if (r == 0) continue;
                    l.forEach((p, loop) -> loops.computeIfAbsent(w, x -> new LinkedHashMap<>())
                            .computeIfAbsent(p, x -> new ArrayList<>()).add(loop));
                }
            }
            Map<Way, Map<String, Measured>> m = new EnumMap<>(Way.class);
            for (Way w : Way.values()) {
                Map<String, Measured> byPhase = new LinkedHashMap<>();
                // The whole workload once, one "operation": each phase's least count of
                // operations at the rate measured, added up, run by run.
                List<Loop> rounds = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    double ns = 0, wr = 0, fo = 0;
                    for (Phase p : PHASES) {
                        Loop l = loops.get(w).get(p.name()).get(r);
                        double share = (double) p.ops() / l.ops();
                        ns += l.nanos() * share;
                        wr += l.writes() * share;
                        fo += l.forces() * share;
                    }
                    rounds.add(new Loop(1, Math.round(ns), Math.round(wr), Math.round(fo)));
                }
                loops.get(w).put(WHOLE, rounds);
                for (String p : names()) {
                    List<Loop> ls = loops.get(w).get(p);
                    byPhase.put(p, new Measured(
                            Sample.of(ls.stream().map(l -> (double) l.nanos() / l.ops()).toList()),
                            Sample.of(ls.stream().map(l -> (double) l.forces() / l.ops()).toList()),
                            Sample.of(ls.stream().map(l -> (double) l.writes() / l.ops()).toList())));
                }
                m.put(w, byPhase);
            }
            print(m, runs, out);
            return figures(m, runs);
        } finally {
            deleteTree(dir);
        }
    }

    private static List<Figure> figures(Map<Way, Map<String, Measured>> m, int runs) {
        List<Figure> fs = new ArrayList<>();
        for (Way w : Way.values()) {
            String cmd = "make bench: $ " + w.command + " on " + (w.onExo() ? "kernel-exo" : "the xv6 kernel")
                    + " (wall clock, 1 hart, 128 MiB, a fresh image), median of " + runs + " boots after a warm-up";
            for (String p : names()) {
                Measured x = m.get(w).get(p);
                String name = "kvstore." + w.id + "." + p;
                if (p.equals(WHOLE)) {
                    // One operation is the whole workload here: its seconds and its forces.
                    String once = cmd + "; the workload once: each phase's least count of operations at the rate measured";
                    fs.add(new Figure(name, x.nanosPerOp().inverse(1e9).inverse(1), "s", once));
                    fs.add(new Figure(name + "_forces", x.forcesPerOp(), "forces", once));
                    continue;
                }
                fs.add(new Figure(name, x.opsPerSecond(), "ops/s", cmd));
                fs.add(new Figure(name + "_forces", x.forcesPerOp(), "forces/op", cmd + "; disk forces (host fsyncs) per operation"));
                fs.add(new Figure(name + "_writes", x.writesPerOp(), "writes/op", cmd + "; block writes per operation"));
            }
        }
        for (String p : names()) {
            Sample a = m.get(Way.KV).get(p).opsPerSecond();
            for (Way base : List.of(Way.LIBOS, Way.XV6)) {
                fs.add(new Figure("kvstore." + p + ".kv_vs_" + base.id, a.over(m.get(base).get(p).opsPerSecond()), "x",
                        "make bench: kv's operations per second over kvfile's on " + (base == Way.XV6 ? "the xv6 kernel" : "the LibOS")
                                + ", medians of " + runs + " boots of each"));
            }
        }
        return fs;
    }

    private static void print(Map<Way, Map<String, Measured>> m, int runs, PrintStream out) {
        List<String> header = new ArrayList<>(List.of(""));
        for (Way w : Way.values()) header.add(w.heading);
        header.addAll(List.of("a/b", "a/c", "forces/op a, b, c"));
        Table t = new Table(String.format(Locale.ROOT, "A key-value store three ways: operations a second, every change durable"
                + " when it returns;%n  1 hart, median of %d boots of each after a warm-up", runs), header.toArray(String[]::new));
        for (Phase p : PHASES) {
            List<String> cells = new ArrayList<>(List.of(p.label()));
            List<String> forces = new ArrayList<>();
            for (Way w : Way.values()) {
                Measured x = m.get(w).get(p.name());
                cells.add(rate(x.opsPerSecond()));
                double f = x.forcesPerOp().median();
                forces.add(f == Math.rint(f) ? String.format(Locale.ROOT, "%.0f", f) : String.format(Locale.ROOT, "%.2f", f));
            }
            Sample a = m.get(Way.KV).get(p.name()).opsPerSecond();
            cells.add(Bench.ratio(a.over(m.get(Way.LIBOS).get(p.name()).opsPerSecond())));
            cells.add(Bench.ratio(a.over(m.get(Way.XV6).get(p.name()).opsPerSecond())));
            cells.add(String.join(" · ", forces));
            t.row(cells.toArray(String[]::new));
        }
        Sample[] total = new Sample[Way.values().length];
        for (Way w : Way.values()) total[w.ordinal()] = m.get(w).get(WHOLE).nanosPerOp();
        out.println();
        out.print(t);
        out.printf(Locale.ROOT, "  The workload once (each phase's least count at the rate measured): a %s, b %s, c %s;%n"
                + "  a/b %s, a/c %s.%n", seconds(total[0]), seconds(total[1]), seconds(total[2]),
                Bench.ratio(total[1].over(total[0])), Bench.ratio(total[2].over(total[0])));
        out.println("  " + Bench.LEGEND);
        out.println("  a: kv on its own LibOS (user/kv); b: the same store on xv6's files, a file per key");
        out.println("  (user/kvfile.c), on the standard LibOS; c: that program on the xv6 kernel. a/b, a/c: a's");
        out.println("  operations a second over b's and c's. forces/op: host fsyncs of the image an operation.");
        out.println();
    }

    private static String seconds(Sample ns) {
        return String.format(Locale.ROOT, "%.2f s", ns.median() / 1e9) + ns.shown();
    }

    private static String rate(Sample s) {
        String v = s.median() >= 100 ? String.format(Locale.ROOT, "%,.0f", s.median()) : String.format(Locale.ROOT, "%.1f", s.median());
        return v + s.shown();
    }

    /** Boots one way on a fresh image, types its command for the workload on keys keys, and returns each phase's loop. */
    static Map<String, Loop> boot(Way w, Path programs, Path dir, int keys) throws BenchException {
        Path img = dir.resolve(w.id + ".img");
        try {
            List<Path> files;
            try (Stream<Path> s = Files.list(programs)) {
                files = s.sorted().toList();
            }
            Mkfs.build(img, files, Fs.FSSIZE, Fs.NINODES, w.onExo() ? 1000 : 0);
            allocate(img);
        } catch (IOException | UncheckedIOException e) {
            throw new BenchException("cannot build " + w.heading + "'s image: " + e.getMessage());
        }
        PhaseLines out = new PhaseLines();
        String command = w.command + (keys == KEYS ? "" : " " + keys) + "\n";
        Console console = Console.batch(new ByteArrayInputStream(command.getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(img, false)) {
            disk.observe(out);
            Machine machine = Machine.create(128L << 20, 1, disk, console, new Clock.Wall());
            KernelUnderTest k = w.onExo() ? KernelUnderTest.exo(programs.getParent().getParent())
                    : KernelUnderTest.xv6(programs.getParent().getParent());
            int[] status = {-1};
            Throwable[] failure = {null};
            Thread t = Thread.ofPlatform().name("kvbench-" + w.id).daemon().start(() -> {
                try {
                    status[0] = k.booter().boot(machine);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            if (!t.join(TIMEOUT))
                throw new BenchException(w.heading + " did not halt within " + TIMEOUT.toMinutes() + " minutes" + BenchLines.lastLines(out.text()));
            if (failure[0] != null) throw new BenchException(w.heading + " failed: " + failure[0] + BenchLines.lastLines(out.text()));
            if (status[0] != 0) throw new BenchException(w.heading + " halted with status " + status[0] + BenchLines.lastLines(out.text()));
        } catch (IOException e) {
            throw new BenchException(img + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        } finally {
            try {
                Files.deleteIfExists(img);
            } catch (IOException e) {
                // a temporary file left behind
            }
        }
        return out.loops(w);
    }

    /**
     * Gives every block of the image its place on the host. mkfs leaves the blocks it does
     * not write as holes in a sparse file, and the first write into a hole makes the host's
     * next force commit the file's new extent too, a cost a disk does not have. It would
     * fall on whichever store writes fresh blocks: kv's log goes round its 1000 blocks,
     * where the file system's log and data blocks are the same few again and again.
     */
    static void allocate(Path img) throws IOException {
        try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(64 * Disk.BLOCK_SIZE);
            for (long pos = 0, size = ch.size(); pos < size; pos += b.limit()) {
                b.clear();
                while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {}
                b.flip();
                while (b.hasRemaining()) ch.write(b, pos + b.position());
            }
            ch.force(false);
        }
    }

    /**
     * The console's output, with the moment each line ended and the disk's writes and
     * forces counted so far; the disk's observer too.
     */
    static final class PhaseLines extends OutputStream implements Disk.Observer {
        private record Line(String text, long nanos, long writes, long forces) {}

        private final StringBuilder all = new StringBuilder();
        private final StringBuilder cur = new StringBuilder();
        private final List<Line> lines = new ArrayList<>();
        private final AtomicLong writes = new AtomicLong(), forces = new AtomicLong();

        @Override
        public void wrote(int blockno, byte[] data) {
            writes.incrementAndGet();
        }

        @Override
        public void forced() {
            forces.incrementAndGet();
        }

        @Override
        public synchronized void write(int b) {
            char c = (char) (b & 0xff);
            all.append(c);
            if (c != '\n') {
                cur.append(c);
                return;
            }
            lines.add(new Line(cur.toString(), System.nanoTime(), writes.get(), forces.get()));
            cur.setLength(0);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        synchronized String text() {
            return all.toString();
        }

        /** Each phase's loop, from its begin and end lines; fails on a failure line or a missing phase. */
        synchronized Map<String, Loop> loops(Way w) throws BenchException {
            Map<String, Line> begins = new LinkedHashMap<>();
            Map<String, Loop> loops = new LinkedHashMap<>();
            boolean done = false;
            for (Line l : lines) {
                String s = l.text().strip();
                if (s.startsWith("kvbench: ")) throw new BenchException(w.heading + ": " + s);
                String[] f = s.split(" ");
                if (f.length == 3 && f[0].equals("kvbench") && f[1].equals("begin")) begins.put(f[2], l);
                if (f.length == 4 && f[0].equals("kvbench") && f[1].equals("end") && begins.containsKey(f[2])) {
                    // A phase run in turns (new puts and deletes) is their sum.
                    Line b = begins.remove(f[2]);
                    Loop turn = new Loop(Long.parseLong(f[3]), l.nanos() - b.nanos(), l.writes() - b.writes(), l.forces() - b.forces());
                    loops.merge(f[2], turn, (x, y) -> new Loop(x.ops() + y.ops(), x.nanos() + y.nanos(),
                            x.writes() + y.writes(), x.forces() + y.forces()));
                }
                done |= s.equals("kvbench done");
            }
            Map<String, Loop> inOrder = new LinkedHashMap<>();
            for (Phase p : PHASES) {
                if (!loops.containsKey(p.name()))
                    throw new BenchException(w.heading + " did not finish phase " + p.name() + BenchLines.lastLines(text()));
                inOrder.put(p.name(), loops.get(p.name()));
            }
            if (!done) throw new BenchException(w.heading + " did not finish" + BenchLines.lastLines(text()));
            return inOrder;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
