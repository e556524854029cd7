package xv6j.exo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Hart;
import xv6j.machine.Machine;
import xv6j.machine.jit.Engine;
import xv6j.tools.Mkfs;

/**
 * Boots kernel-exo in this JVM on a fresh image whose /init is a chosen program, the way
 * {@code printf '...' | java -jar kernel-exo.jar fs-exo.img} would: a batch console, and
 * by default one hart, deterministic time and the invariant checker after every kernel
 * entry. Returns what the console printed. A run that does not halt within its time limit
 * is stopped and reported with status {@link #TIMED_OUT}: in the machine's own time when
 * it has one ({@link #TIMEOUT_TICKS}, deterministic runs), else in the host's; its Result
 * says where it stuck ({@link #whereItStuck}).
 */
final class ExoRun {
    static final int TIMED_OUT = -99;

    /**
     * A deterministic run's limit, in its virtual ticks (a million instructions each), which
     * the host's load does not stretch: the longest run here takes 124 (pctchain, 16-20 s
     * of an idle host; under a whole suite at load 20 it went past the 60 s host limit this
     * replaced). A run that goes past it loops.
     */
    static final long TIMEOUT_TICKS = 3000;

    /**
     * What one boot printed and did; longestPick: the most steps one scheduler pick took
     * (Scheduler.longestPick); longestSpread: the most one update of who helps whom took
     * (Scheduler.longestSpread); flushesUnderLock, consoleWritesUnderLock: host disk flushes
     * and console writes made with the kernel's lock held (every hart's kernel waited for
     * them; the kernel's own lines, such as "destroyed", are written so); stuck: where a
     * run that timed out stood at its limit, else "".
     */
    record Result(int status, String output, long instructions, long longestPick, long longestSpread, long flushesUnderLock,
                  long consoleWritesUnderLock, String stuck) {
        @Override
        public String toString() {
            return "status " + status + ", " + instructions + " instructions, output:\n" + output
                    + (stuck.isEmpty() ? "" : "\n" + stuck);
        }
    }

    /**
     * How to boot. checkEvery: run the invariant checker after every this many kernel entries (0: never).
     * timeoutMillis: a wall-clock run's limit, in the host's time.
     * asids: if not 0, environments get dedicated ASIDs 1 .. asids-1 and share one beyond
     * (so that a small machine reaches what only a large one could). slowMillis: if not 0,
     * each disk flush and console write also takes that long on the host, as a slow disk's
     * or terminal's may (this host's flushes take about a tenth of a millisecond).
     */
    record Options(int harts, boolean deterministic, int memMiB, long checkEvery, long timeoutMillis, int asids, int slowMillis, Engine engine) {
        static Options defaults() {
            return new Options(1, true, 8, 1, 60_000, 0, 0, Engine.fromSystemProperty());
        }

        Options harts(int n) {
            return new Options(n, n == 1 && deterministic, memMiB, checkEvery, timeoutMillis, asids, slowMillis, engine);
        }

        Options unchecked() {
            return new Options(harts, deterministic, memMiB, 0, timeoutMillis, asids, slowMillis, engine);
        }

        Options checkEvery(long n) {
            return new Options(harts, deterministic, memMiB, n, timeoutMillis, asids, slowMillis, engine);
        }

        Options memMiB(int mib) {
            return new Options(harts, deterministic, mib, checkEvery, timeoutMillis, asids, slowMillis, engine);
        }

        /** Deterministic time on any number of harts: they take turns (HartTurns), and the host's load changes nothing. */
        Options virtualTime() {
            return new Options(harts, true, memMiB, checkEvery, timeoutMillis, asids, slowMillis, engine);
        }

        Options wallClock() {
            return new Options(harts, false, memMiB, checkEvery, timeoutMillis, asids, slowMillis, engine);
        }

        Options slowMillis(int ms) {
            return new Options(harts, deterministic, memMiB, checkEvery, timeoutMillis, asids, ms, engine);
        }

        /** How the harts run user code (Hart.setEngine); unless told, as Engine.fromSystemProperty says. */
        Options engine(Engine e) {
            return new Options(harts, deterministic, memMiB, checkEvery, timeoutMillis, asids, slowMillis, e);
        }

        Options asids(int n) {
            return new Options(harts, deterministic, memMiB, checkEvery, timeoutMillis, n, slowMillis, engine);
        }
    }

    private ExoRun() {}

    /** A program the build made: an exokernel test (target/user/exotest/bin), a LibOS program (exo/bin) or an xv6 one (kernel/bin). */
    static Path program(String flavour, String name) {
        Path p = Path.of(System.getProperty("xv6j.user", "target/user"), flavour, "bin", name);
        if (!Files.isRegularFile(p)) throw new IllegalStateException("no program " + p + " (run the build first)");
        return p;
    }

    static Path exoProgram(String name) {
        return program("exotest", name);
    }

    /** A fresh image in dir with init as /init and the others under their own names. */
    static Path image(Path dir, Path init, Path... others) throws IOException {
        Path files = Files.createDirectories(dir.resolve("files"));
        List<Path> all = new ArrayList<>();
        all.add(Files.copy(init, files.resolve("init")));
        for (Path o : others) all.add(o);
        Path img = dir.resolve("fs-exo.img");
        Mkfs.build(img, all);
        return img;
    }

    /** Boots program user/exo/name as /init on a fresh image in dir. */
    static Result run(Path dir, String name, String script) throws Exception {
        return run(dir, name, script, Options.defaults());
    }

    static Result run(Path dir, String name, String script, Options o) throws Exception {
        // The build keeps each program unstripped beside bin/, in debug/: its names.
        Path unstripped = exoProgram(name).getParent().resolveSibling("debug").resolve(name);
        return boot(image(dir, exoProgram(name)), script, o, FunctionNames.of(unstripped));
    }

    static Result boot(Path image, String script, Options o) throws Exception {
        return boot(image, script, o, FunctionNames.NONE);
    }

    private static Result boot(Path image, String script, Options o, FunctionNames names) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = Console.batch(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)), out);
        return boot(image, console, out, o, k -> { }, names);
    }

    /** Boots on a console of the caller's (e.g. an interactive one fed from a pipe) that writes to out. */
    static Result boot(Path image, Console console, ByteArrayOutputStream out, Options o) throws Exception {
        return boot(image, console, out, o, k -> { });
    }

    /** The same, handing the kernel to booted before it runs (a test that watches its state). */
    static Result boot(Path image, Console console, ByteArrayOutputStream out, Options o,
                       java.util.function.Consumer<Exokernel> booted) throws Exception {
        return boot(image, console, out, o, booted, FunctionNames.NONE);
    }

    /** names: /init's functions, for the report of a run that times out. */
    private static Result boot(Path image, Console console, ByteArrayOutputStream out, Options o,
                               java.util.function.Consumer<Exokernel> booted, FunctionNames names) throws Exception {
        try (Disk disk = Disk.open(image, false)) {
            Clock clock = o.deterministic() ? new Clock.Virtual() : new Clock.Wall();
            Machine m = Machine.create((long) o.memMiB() << 20, o.harts(), disk, console, clock);
            for (Hart h : m.harts()) h.setEngine(o.engine());
            Exokernel k;
            try {
                k = Boot.load(m);
            } catch (Boot.BootException e) {
                return new Result(1, "kernel-exo: " + e.getMessage() + "\n", 0, 0, 0, 0, 0, "");
            }
            k.checkInvariantsEvery(o.checkEvery());
            AtomicLong flushesUnderLock = new AtomicLong();
            disk.onForce(() -> {
                clock.charge(Machine.DISK_FLUSH_INSTRUCTIONS); // what the machine's own hook does
                if (k.lock.isHeldByCurrentThread()) flushesUnderLock.incrementAndGet();
                slow(o);
            });
            AtomicLong writesUnderLock = new AtomicLong();
            console.tap((b, off, len) -> {
                if (k.lock.isHeldByCurrentThread()) writesUnderLock.incrementAndGet();
                slow(o);
            });
            if (o.asids() != 0) k.envs.asidLimit = o.asids();
            AtomicReference<String> stuck = new AtomicReference<>("");
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    if (o.deterministic()) {
                        while (clock.ticks() < TIMEOUT_TICKS) Thread.sleep(100);
                    } else {
                        Thread.sleep(o.timeoutMillis());
                    }
                    stuck.set(whereItStuck(k, names));
                    k.halt(TIMED_OUT);
                } catch (InterruptedException e) {
                    // the run ended first
                }
            });
            booted.accept(k);
            int status = k.run();
            watchdog.interrupt();
            long instret = 0;
            for (Hart h : m.harts()) instret += h.instret;
            long longestPick, longestSpread;
            k.lock.lock();
            try {
                longestPick = k.sched.longestPick;
                longestSpread = k.sched.longestSpread;
            } finally {
                k.lock.unlock();
            }
            return new Result(status, out.toString(StandardCharsets.ISO_8859_1), instret, longestPick, longestSpread, flushesUnderLock.get(),
                    writesUnderLock.get(), stuck.get());
        }
    }

    /**
     * A run at its time limit, in a few lines: each environment (its state, what it waits
     * for, the pc and return address it last saved, the ticks it ran) and each hart (whose
     * thread it runs, in user mode or the kernel, and its pc when it last trapped or
     * resumed: compiled code keeps the live one to itself), functions named from /init's
     * symbols where it can. A kernel that holds its lock for good says who holds it.
     */
    static String whereItStuck(Exokernel k, FunctionNames names) throws InterruptedException {
        if (!k.lock.tryLock(5, TimeUnit.SECONDS)) return "stuck: the kernel's lock " + k.lock + " stayed taken for 5 s\n";
        try {
            Snapshot s = k.snapshot();
            StringBuilder sb = new StringBuilder("stuck at tick " + s.ticks() + ":\n");
            for (Snapshot.Environment e : s.envs()) {
                Env env = k.envs.get(e.id());
                sb.append(String.format("  env %d (of %d) %s", e.id(), e.parentId(), e.state()));
                if (e.state().equals("exited")) {
                    sb.append(" status ").append(e.status()).append('\n');
                    continue;
                }
                if (!e.waitsFor().isEmpty()) sb.append(" for ").append(e.waitsFor());
                if (e.hart() >= 0) sb.append(" on hart ").append(e.hart());
                long pc = env.cur.regs.pc, ra = env.cur.regs.x[ExoAbi.RA];
                sb.append(String.format(", pc 0x%x%s ra 0x%x%s, ran %d ticks%n", pc, names.at(pc), ra, names.at(ra), env.ticksRun));
            }
            for (Snapshot.HartRun h : s.harts()) {
                sb.append(String.format("  hart %d: %s, %s, pc 0x%x%s, %d instructions%n", h.hart(),
                        h.env() == 0 ? "idle" : "env " + h.env() + (h.threadOf() != h.env() ? " (thread of " + h.threadOf() + ")" : ""),
                        h.user() ? "user" : "kernel", h.pc(), h.user() ? names.at(h.pc()) : "", h.instret()));
            }
            return sb.toString();
        } finally {
            k.lock.unlock();
        }
    }

    private static void slow(Options o) {
        if (o.slowMillis() == 0) return;
        try {
            Thread.sleep(o.slowMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
