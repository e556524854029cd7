package xv6j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import xv6j.harness.Harness;
import xv6j.harness.HarnessException;
import xv6j.machine.jit.Engine;
import xv6j.machine.jit.Translator;

/**
 * What compiling costs: on an empty code cache, how long a fresh machine takes to its
 * first compiled region, and how much compiling a whole run takes (user/bench/cpu.c on
 * the harness; usertests -q on each kernel), with the code cache's size after it.
 */
final class TranslatorCost {
    private TranslatorCost() {}

    record Measured(List<Figure> figures, String describe) {}

    /** cpu 1 on a fresh harness machine with the translator, the JVM-wide code cache emptied first. */
    static Measured measure(Consumer<String> log) throws BenchException {
        Path program = Harness.userBin("bench").resolve("cpu");
        Translator.Stats s;
        try {
            byte[] file = Files.readAllBytes(program);
            Translator.emptyCodeCache();
            Harness h = new Harness(64 << 20);
            h.hart().setEngine(Engine.TRANSLATOR);
            Harness.Result r = h.run(file, List.of("cpu", "1"), Long.MAX_VALUE);
            if (!r.exited() || r.exitCode() != 0) throw new BenchException("cpu 1 failed under the translator: " + r.lastTrap());
            s = h.hart().mem.translator.stats();
        } catch (java.io.IOException | HarnessException e) {
            throw new BenchException(program + ": " + e.getMessage());
        }
        String how = "make bench: target/user/bench/bin/cpu 1 on a fresh harness machine, the translator's code cache empty";
        log.accept(String.format(Locale.ROOT, "translator: first region after %.1f ms, %d regions (%d classes) in %.1f ms",
                s.firstRegionNanos / 1e6, s.regions, s.classes, s.nanos / 1e6));
        List<Figure> f = List.of(
                new Figure("jit.first_region_ms", s.firstRegionNanos / 1e6, "ms", how + "; from the machine's creation to its first compiled region"),
                new Figure("jit.cpu_compile_ms", s.nanos / 1e6, "ms", how + "; time spent compiling (planning, writing bytecode, defining classes)"),
                new Figure("jit.cpu_regions", s.regions, "regions", how),
                new Figure("jit.cpu_classes", s.classes, "classes", how),
                new Figure("jit.cpu_bytecode_bytes", s.bytecodeBytes, "bytes", how + "; the class files made"));
        String text = String.format(Locale.ROOT,
                "  Compiling, from an empty code cache: cpu 1 reached its first compiled region %.1f ms after the machine was made;"
                        + " %d regions (%d classes, %,d bytes of class files) took %.1f ms to make.%n",
                s.firstRegionNanos / 1e6, s.regions, s.classes, s.bytecodeBytes, s.nanos / 1e6);
        return new Measured(f, text);
    }

    /** usertests -q on kernel k (virtual clock), the code cache emptied first. */
    static Measured usertests(KernelUnderTest k, Path dir, Consumer<String> log) throws BenchException {
        log.accept(k.name() + ": usertests -q from an empty code cache, for the translator's costs");
        Translator.emptyCodeCache();
        KernelBench.Session u = KernelBench.session(k, dir, "usertests -q\n", true);
        Translator.Stats s = u.translator();
        long[] cache = Translator.codeCacheSize();
        String how = "make bench: " + k.name() + " (virtual clock, 1 hart) $ usertests -q, the translator's code cache empty at boot";
        List<Figure> f = List.of(
                new Figure(k.name() + ".usertests_q_compile_ms", s.nanos / 1e6, "ms", how + "; time spent compiling"),
                new Figure(k.name() + ".usertests_q_regions", s.regions, "regions", how),
                new Figure(k.name() + ".usertests_q_code_cache_bytes", cache[1], "bytes", how + "; class files in the code cache after it"));
        String text = String.format(Locale.ROOT, "  usertests -q on %s from an empty code cache: %d regions (%d classes) compiled in %.0f ms;"
                + " the code cache then held %d regions, %,d bytes of class files.%n",
                k.name(), s.regions, s.classes, s.nanos / 1e6, cache[0], cache[1]);
        return new Measured(f, text);
    }
}
