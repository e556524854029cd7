package xv6j.bench;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xv6j.exo.Boot;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;
import xv6j.tools.Mkfs;

/**
 * kernel-exo's basic costs: boots user/exo/exobench.c as /init (one hart, deterministic
 * time, no invariant checks), which loops over each operation and prints "begin NAME" and
 * "end NAME N INSTRUCTIONS" around each loop. The console output is timed line by line,
 * so the wall time of a loop is the time between its two lines. The first boots warm up
 * the JIT; of the measured ones the median is kept.
 *
 * <pre>
 *   java -cp target/classes:target/test-classes xv6j.bench.ExoBench [runs]
 * </pre>
 *
 * Instructions are user-mode instructions retired by the hart (every environment's, so a
 * round trip counts both sides); the kernel is Java and shows in the time only.
 */
public final class ExoBench {
    /** The operations, in exobench's order, with what each loop iteration does. */
    static final Map<String, String> OPS = new LinkedHashMap<>();

    static {
        OPS.put("null_call", "exo_envid: a null exokernel call");
        OPS.put("fault_upcall", "ebreak, fault upcall to a user handler, exo_resume");
        OPS.put("map_unmap", "exo_map + exo_unmap of a page");
        OPS.put("unmap_crowded", "the same, of a page mapped at 50000 other addresses too");
        OPS.put("page_fault", "page fault, upcall, capalloc + exo_map in the handler, resume; capfree");
        OPS.put("pct_roundtrip", "pct_call + pct_return, to another environment and back");
        OPS.put("yield_pingpong", "two environments, each EXOSCHED_YIELD_TO the other");
        OPS.put("wake_pingpong", "two environments taking turns on a word: EXOSCHED_WAIT, EXOSCHED_WAKE");
    }

    private ExoBench() {}

    /** One operation's loop: iterations, instructions, and nanoseconds between its lines. */
    record Loop(long iterations, long instructions, long nanos) {}

    /** An operation's figures: nanoseconds per iteration (the runs' median) and user instructions per iteration. */
    record Op(String name, String what, Sample nanos, double instructions) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmups = 2;
        System.out.printf("kernel-exo, one hart, deterministic time: median of %d runs (%d warm-up)%n", runs, warmups);
        System.out.printf("%-16s %10s %14s  %s%n", "operation", "ns/op", "instr/op", "what one iteration does");
        for (Op op : measure(program(), warmups, runs)) {
            System.out.printf("%-16s %10.0f %14.1f  %s%n", op.name(), op.nanos().median(), op.instructions(), op.what());
        }
    }

    /** user/exo/exobench.c as the build made it. */
    static Path program() {
        return Path.of(System.getProperty("xv6j.user", "target/user"), "exotest", "bin", "exobench");
    }

    /** Boots exobench warmups + runs times and keeps the median of the measured runs, per operation. */
    static List<Op> measure(Path program, int warmups, int runs) throws Exception {
        if (!Files.isRegularFile(program)) throw new IllegalStateException("no program at " + program + " (run `make build` first)");
        Path dir = Files.createTempDirectory("exobench");
        try {
            Path init = Files.copy(program, Files.createDirectories(dir.resolve("files")).resolve("init"));
            Map<String, List<Loop>> measured = new LinkedHashMap<>();
            for (int i = 0; i < warmups + runs; i++) {
                Path img = dir.resolve("fs-exo.img");
                Mkfs.build(img, List.of(init));
                Map<String, Loop> loops = boot(img);
                if (i >= warmups) loops.forEach((op, l) -> measured.computeIfAbsent(op, o -> new ArrayList<>()).add(l));
            }
            List<Op> ops = new ArrayList<>();
            for (Map.Entry<String, String> op : OPS.entrySet()) {
                List<Loop> ls = measured.get(op.getKey());
                if (ls == null) throw new IllegalStateException("exobench printed no figure for " + op.getKey());
                List<Double> ns = new ArrayList<>();
                for (Loop l : ls) ns.add((double) l.nanos() / l.iterations());
                Loop any = ls.get(0);
                ops.add(new Op(op.getKey(), op.getValue(), Sample.of(ns), (double) any.instructions() / any.iterations()));
            }
            return ops;
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Boots the image once and returns each operation's loop. */
    static Map<String, Loop> boot(Path img) throws Exception {
        TimedLines out = new TimedLines();
        Console console = Console.batch(new ByteArrayInputStream(new byte[0]), out);
        try (Disk disk = Disk.open(img, false)) {
            Machine m = Machine.create(64L << 20, 1, disk, console, new Clock.Virtual());
            int status = Boot.load(m).run();
            if (status != 0) throw new IllegalStateException("kernel-exo halted with status " + status + ":\n" + out.text());
        }
        Map<String, Long> begins = new LinkedHashMap<>();
        Map<String, Loop> loops = new LinkedHashMap<>();
        for (TimedLines.Line l : out.lines()) {
            String[] w = l.text().split(" ");
            if (w.length == 2 && w[0].equals("begin")) begins.put(w[1], l.nanos());
            if (w.length == 4 && w[0].equals("end") && begins.containsKey(w[1]))
                loops.put(w[1], new Loop(Long.parseLong(w[2]), Long.parseLong(w[3]), l.nanos() - begins.get(w[1])));
        }
        if (!out.text().contains("exobench: done")) throw new IllegalStateException("exobench did not finish:\n" + out.text());
        return loops;
    }

    /** Console output split into lines, each with the moment its newline was written. */
    static final class TimedLines extends OutputStream {
        record Line(String text, long nanos) {}

        private final StringBuilder all = new StringBuilder();
        private final StringBuilder cur = new StringBuilder();
        private final List<Line> lines = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            char c = (char) (b & 0xff);
            all.append(c);
            if (c == '\n') {
                lines.add(new Line(cur.toString(), System.nanoTime()));
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        synchronized List<Line> lines() {
            return List.copyOf(lines);
        }

        synchronized String text() {
            return all.toString();
        }
    }
}
