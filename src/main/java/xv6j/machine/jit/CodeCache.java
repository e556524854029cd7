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
    /**
     * The bytecode size of plans whose method was too large: every fresh machine plans
     * the same regions again, and without this wrote each such method again (with ASM)
     * only to drop it, in every run (40-80 ms of a 250 ms run of user/bench's sort).
     */
    private static final ConcurrentHashMap<Key, Integer> tooLarge = new ConcurrentHashMap<>();

    /** Whether key's method is known to be larger than maxBytes. */
    static boolean tooLarge(Key key, int maxBytes) {
        Integer bytes = tooLarge.get(key);
        return bytes != null && bytes > maxBytes;
    }

    static void wasTooLarge(Key key, int bytes) {
        if (tooLarge.size() >= MAX_REGIONS) tooLarge.clear();
        tooLarge.put(key, bytes);
    }

    /** The region for key, compiled by compile (which may return null) if no machine has it yet. */
    static Region get(Key key, Function<Key, Region> compile) {
        Region r = regions.get(key);
        if (r != null) return r;
        if (regions.size() >= MAX_REGIONS) regions.clear();
        return regions.computeIfAbsent(key, compile);
    }

    static int size() { return regions.size(); }

    static long bytes() { return regions.values().stream().mapToLong(r -> r.classBytes).sum(); }

    static void clear() {
        regions.clear();
        tooLarge.clear();
    }
}
