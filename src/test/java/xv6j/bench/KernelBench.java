package xv6j.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.jit.Translator;

/**
 * The kernel's figures: boots a {@link KernelUnderTest} in this JVM, one hart and 128 MiB,
 * with a scripted console, as {@code printf 'sysbench\n' | java -jar kernel.jar fs.img}
 * would, and reads what sysbench printed.
 *
 * <p>First a warm-up boot runs the whole script so the JIT has compiled the hart and the
 * kernel; then {@code runs} measured boots, each on a fresh image, give the boot time (to
 * the first prompt) and sysbench's figures, of which the median is kept. Last, one boot
 * runs {@code usertests -q}.
 */
final class KernelBench {
    /** The figures sysbench prints, in table order. */
    static final List<String> SYSBENCH = List.of("getpid", "fork_exit_wait", "fork_exec_wait", "pipe_roundtrip",
            "file_create_write", "file_read", "file_unlink", "sbrk_page");
    static final int MEMORY_MIB = 128;
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private KernelBench() {}

    /**
     * One boot, as the console saw it.
     *
     * @param prompts      when each shell prompt appeared, in nanoseconds since the boot began
     * @param instructions user instructions retired by all harts
     * @param translator   what the machine's translator compiled
     */
    record Session(int status, String output, List<Long> prompts, long instructions, Translator.Stats translator) {
        /** Nanoseconds from the start of the boot to the first prompt. */
        long bootNanos() throws BenchException {
            if (prompts.isEmpty()) throw new BenchException("the shell never prompted" + BenchLines.lastLines(output));
            return prompts.get(0);
        }

        /** Nanoseconds the i-th command of the script took: from the prompt before it to the one after. */
        long commandNanos(int i) throws BenchException {
            if (prompts.size() < i + 2) throw new BenchException("command " + (i + 1) + " of the script never finished" + BenchLines.lastLines(output));
            return prompts.get(i + 1) - prompts.get(i);
        }
    }

    /**
     * Boots k on image with a batch console typing script, on one hart with a wall clock or
     * (deterministic) a virtual one, until the machine halts at the end of the script.
     */
    static Session boot(KernelUnderTest k, Path image, String script, boolean deterministic) throws BenchException {
        long t0 = System.nanoTime();
        ConsoleCapture out = new ConsoleCapture(t0);
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        try (Disk disk = Disk.open(image, false)) {
            Clock clock = deterministic ? new Clock.Virtual() : new Clock.Wall();
            Machine m = Machine.create((long) MEMORY_MIB << 20, 1, disk, console, clock);
            int[] status = {-1};
            Throwable[] failure = {null};
            Thread t = Thread.ofPlatform().name(k.name() + "-boot").daemon().start(() -> {
                try {
                    status[0] = k.booter().boot(m);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            if (!t.join(TIMEOUT)) {
                throw new BenchException(k.name() + " did not halt within " + TIMEOUT.toMinutes() + " minutes"
                        + BenchLines.lastLines(out.text()));
            }
            if (failure[0] != null) throw new BenchException(k.name() + " failed: " + failure[0] + BenchLines.lastLines(out.text()));
            long instructions = 0;
            for (Hart h : m.harts()) instructions += h.instret;
            return new Session(status[0], out.text(), out.prompts(), instructions, m.mem().translator.stats());
        } catch (IOException e) {
            throw new BenchException(image + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted");
        }
    }

    /** Boots k on a fresh image in dir and checks it halted cleanly. */
    static Session session(KernelUnderTest k, Path dir, String script, boolean deterministic) throws BenchException {
        Path img;
        try {
            img = k.freshImage(dir);
        } catch (IOException e) {
            throw new BenchException("cannot build " + k.name() + "'s image: " + e.getMessage());
        }
        try {
            Session s = boot(k, img, script, deterministic);
            if (s.status() != 0) throw new BenchException(k.name() + " halted with status " + s.status() + BenchLines.lastLines(s.output()));
            return s;
        } finally {
            try {
                Files.deleteIfExists(img);
            } catch (IOException e) {
                // a temporary file left behind; nothing to do
            }
        }
    }

    /** What {@link #measure} found on one kernel, in its units, by short name ("boot", "getpid", ...). */
    record Measured(KernelUnderTest kernel, Map<String, Figure> shared, Map<String, Figure> own, boolean usertestsPassed) {}

    /** All the kernel figures of k; dir holds the images while they are in use. */
    static Measured measure(KernelUnderTest k, int runs, Path dir, Consumer<String> log) throws BenchException {
        StringBuilder script = new StringBuilder("sysbench\n");
        for (String p : k.ownPrograms()) script.append(p).append('\n');
        String where = k.name() + " (wall clock, 1 hart, " + MEMORY_MIB + " MiB)";

        log.accept(k.name() + ": warm-up boot");
        readAll(k, session(k, dir, script.toString(), false).output());

        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, String> commands = new LinkedHashMap<>();
        for (int r = 1; r <= runs; r++) {
            log.accept(k.name() + ": measured boot " + r + " of " + runs);
            Session s = session(k, dir, script.toString(), false);
            add(values, units, commands, "boot", s.bootNanos() / 1e6, "ms", "boot " + where + " to the first $ prompt");
            for (Map.Entry<String, List<BenchLines.Measurement>> e : readAll(k, s.output()).entrySet()) {
                for (BenchLines.Measurement m : e.getValue())
                    add(values, units, commands, m.name(), m.value(), m.unit(), where + " $ " + e.getKey());
            }
        }
        Map<String, Figure> shared = new LinkedHashMap<>(), own = new LinkedHashMap<>();
        for (String n : values.keySet()) {
            Figure f = new Figure(k.name() + "." + n, Sample.of(values.get(n)), units.get(n),
                    "make bench: " + commands.get(n) + (runs > 1 ? ", median of " + runs + " boots" : ""));
            (n.equals("boot") || SYSBENCH.contains(n) ? shared : own).put(n, f);
        }

        // usertests -q as a user would time it, on the wall clock, sleeps included ...
        log.accept(k.name() + ": usertests -q, wall clock");
        Session w = session(k, dir, "usertests -q\n", false);
        String wt = "make bench: " + k.name() + " (wall clock, 1 hart, " + MEMORY_MIB + " MiB) $ usertests -q";
        shared.put("usertests_q_wall", new Figure(k.name() + ".usertests_q_wall", w.commandNanos(0) / 1e9, "s", wt));
        // ... and on the wall clock again, but with the machine's clock virtual, where a
        // sleep costs nothing: the time its work takes.
        log.accept(k.name() + ": usertests -q, virtual clock");
        Session u = session(k, dir, "usertests -q\n", true);
        boolean passed = u.output().contains("ALL TESTS PASSED") && w.output().contains("ALL TESTS PASSED");
        String ut = "make bench: " + k.name() + " (virtual clock, 1 hart, " + MEMORY_MIB + " MiB) $ usertests -q";
        shared.put("usertests_q", new Figure(k.name() + ".usertests_q", u.commandNanos(0) / 1e9, "s", ut));
        shared.put("usertests_q_instructions", new Figure(k.name() + ".usertests_q_instructions", u.instructions(),
                "instructions", ut + " (user instructions of the whole boot)"));
        shared.put("usertests_q_passed", new Figure(k.name() + ".usertests_q_passed", passed ? 1 : 0, "passed", ut));
        return new Measured(k, shared, own, passed);
    }

    /** sysbench's figures and those of k's own programs, by program; fails if one is missing. */
    private static Map<String, List<BenchLines.Measurement>> readAll(KernelUnderTest k, String output) throws BenchException {
        Map<String, List<BenchLines.Measurement>> all = new LinkedHashMap<>();
        all.put("sysbench", new ArrayList<>(BenchLines.parse(output, "sysbench", SYSBENCH).values()));
        for (String p : k.ownPrograms()) {
            List<BenchLines.Measurement> ms = BenchLines.parse(output, p);
            if (ms.isEmpty()) throw new BenchException(p + " printed no figures" + BenchLines.lastLines(output));
            all.put(p, ms);
        }
        return all;
    }

    private static void add(Map<String, List<Double>> values, Map<String, String> units, Map<String, String> commands,
                            String name, double value, String unit, String command) throws BenchException {
        String had = units.putIfAbsent(name, unit);
        if (had != null && !had.equals(unit)) throw new BenchException(name + " came in " + had + " and in " + unit);
        commands.putIfAbsent(name, command);
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
}
