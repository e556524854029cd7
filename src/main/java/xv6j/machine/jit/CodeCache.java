package xv6j.machine.jit;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Compiled regions by what they compile, shared by every machine in the JVM: a region's
 * code depends only on its instructions and where they sit on the page, never on the
 * physical page, the address it is mapped at or the hart, so the same program run again,
 * in another process or on another machine in the same JVM (a test suite, the
 * benchmarks) finds its regions compiled, and HotSpot's native code for them warm.
 * It holds code, never machine state.
 *
 * <p>Bounded: past {@link #MAX_REGIONS} it is emptied; regions still in use stay alive
 * through the pages that use them, and the rest are collected with their hidden classes.
 */
final class CodeCache {
    static final int MAX_REGIONS = 20_000;

    private CodeCache() {}

    /** A region's instructions: its entry slot, then (slot, decoded word) pairs in slot order. */
    static final class Key {
        final long[] code;
        private final int hash;

        Key(long[] code) {
            this.code = code;
            this.hash = Arrays.hashCode(code);
        }

        @Override public boolean equals(Object o) { return o instanceof Key k && k.hash == hash && Arrays.equals(k.code, code); }

        @Override public int hashCode() { return hash; }
    }

    private static final ConcurrentHashMap<Key, Region> regions = new ConcurrentHashMap<>();

    /** The region for key, compiled by compile (which may return null) if no machine has it yet. */
    static Region get(Key key, Function<Key, Region> compile) {
        Region r = regions.get(key);
        if (r != null) return r;
        if (regions.size() >= MAX_REGIONS) regions.clear();
        return regions.computeIfAbsent(key, compile);
    }

    static int size() { return regions.size(); }

    static long bytes() { return regions.values().stream().mapToLong(r -> r.classBytes).sum(); }

    static void clear() { regions.clear(); }
}
