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
 * <p>It keeps the {@link PageLink}s made over those regions too, by the marks they were
 * made over and the regions those name.
 *
 * <p>Bounded: past {@link #MAX_REGIONS} regions or {@link #MAX_LINKS} links it is emptied;
 * regions still in use stay alive through the pages that use them, and the rest are
 * collected with their hidden classes.
 */
final class CodeCache {
    static final int MAX_REGIONS = 20_000;
    /** Links at most (each holds a mark per slot of its page, 16 KiB). */
    static final int MAX_LINKS = 1024;

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
        if (regions.size() >= MAX_REGIONS) {
            regions.clear();
            links.clear(); // they hold regions
        }
        return regions.computeIfAbsent(key, compile);
    }

    /**
     * A {@link PageLink}'s key: the marks it was made over and the regions they name, by
     * identity (a machine that runs the same program makes the same regions, found here,
     * in the same order).
     */
    static final class LinkKey {
        final long[] marks;
        final Region[] regions;
        private final int hash;

        LinkKey(long[] marks, Region[] regions) {
            this.marks = marks;
            this.regions = regions;
            int h = Arrays.hashCode(marks);
            for (Region r : regions) h = h * 31 + System.identityHashCode(r);
            this.hash = h;
        }

        @Override public boolean equals(Object o) {
            if (!(o instanceof LinkKey k) || k.hash != hash || !Arrays.equals(k.marks, marks) || k.regions.length != regions.length) return false;
            for (int i = 0; i < regions.length; i++) if (k.regions[i] != regions[i]) return false;
            return true;
        }

        @Override public int hashCode() { return hash; }
    }

    private static final ConcurrentHashMap<LinkKey, PageLink> links = new ConcurrentHashMap<>();

    /** The link for key, made by make (which may return null) if no machine has it yet. */
    static PageLink link(LinkKey key, Function<LinkKey, PageLink> make) {
        PageLink l = links.get(key);
        if (l != null) return l;
        if (links.size() >= MAX_LINKS) links.clear();
        return links.computeIfAbsent(key, make);
    }

    static int size() { return regions.size(); }

    static long bytes() { return regions.values().stream().mapToLong(r -> r.classBytes).sum(); }

    static void clear() {
        regions.clear();
        tooLarge.clear();
        links.clear();
    }
}
