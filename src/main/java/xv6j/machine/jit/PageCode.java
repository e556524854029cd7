package xv6j.machine.jit;

import java.util.Arrays;
import xv6j.machine.Decoded;
import xv6j.machine.Decoder;
import xv6j.machine.Op;
import xv6j.machine.PhysicalMemory;

/**
 * The regions compiled from one version of a page's decoded words. It is valid exactly
 * while {@link #words} is the page's entry in {@link PhysicalMemory#decoded}: a write to
 * the page drops the words, and with them (by identity) every region compiled from them;
 * nothing needs to be found and flushed.
 *
 * <p>Each region's first instruction is marked in the words by an {@link Op#ENTER} word
 * whose imm is the region's index here; the word it replaced is the region's
 * {@link Region#original}.
 *
 * <p>A page's hot code goes first into one region, its <em>unit</em>, with every hot
 * entry point found on the page as a root: a new entry the unit has a block at is marked
 * to enter it at once, one it lacks waits to be taken in when the unit is built again,
 * and a build k waits for 2^k such entries. Fewer, longer-lived classes are what HotSpot
 * can compile in time (docs/design.md, round 7). Once the unit cannot take in more and
 * keep all it has, the page's further entries get regions of their own, as before.
 */
final class PageCode {
    /** The page: ram index >> 12. */
    final int page;
    final long[] words;
    private final long[] ram;
    /** By index; replaced whole (under the translator's lock) when a region is added. */
    private volatile Region[] regions = new Region[0];
    /** By index: how often the region left for elsewhere on this page (racy: a hint). */
    private volatile int[] hops = new int[0];

    // The page's unit, under the translator's lock.
    /** Its index in regions, or -1 before the first. */
    int unit = -1;
    /** Its roots: the entry first, then the others in the order they were found. */
    int[] unitRoots = new int[0];
    /** Places found since it was built, to be roots of its next build. */
    int[] pending = new int[0];
    /** Times it was built; new entries (or entries again) found since the last build. */
    int unitBuilds, unitEvents;
    /** It could not take in more and keep all it had: new entries get regions of their own. */
    boolean unitFull;
    /** Regions of it that were compiled for it, not found in the {@link CodeCache} (under the lock). */
    int classesMade;

    /** Its nest's index in regions (see {@link NestPlan}; a split nest's first piece); -1 before it, -2 if it has none. */
    int nest = -1;
    /** The indices of its nest's methods: one, or the pieces of a nest split along its loops (round 22). */
    int[] nests = new int[0];
    /** Its regions when its nest was last tried (or made), -1 before: it is tried again only once it has more. */
    int nestedRegions = -1;

    /** The hops between its regions in compiled code, as its marks were when made; null before. */
    volatile PageLink link;
    /** Hops {@code Hart.run} took itself since link was last considered (racy: a hint). */
    int unlinked;
    /** The translator's count of instructions compiled code ran on the page then. */
    long ranAtLink;

    PageCode(int page, long[] words, long[] ram) {
        this.page = page;
        this.words = words;
        this.ram = ram;
    }

    Region region(int index) {
        Region[] r = regions;
        return index >= 0 && index < r.length ? r[index] : null;
    }

    int count() { return regions.length; }

    /** Every region, by index (a snapshot). */
    Region[] regions() { return regions; }

    /** Per slot, how often a region jumped there from elsewhere on the page; made on the first hop. */
    private int[] hopsTo;

    /** How many hops went to slot. */
    int hopsAt(int slot) {
        int[] to = hopsTo;
        return to == null ? 0 : to[slot];
    }

    /**
     * The hops seen (while the page could still be nested), as (slot the region was
     * entered at, slot it went to) pairs, open-addressed (entry * PAGE_SLOTS + target + 1;
     * 0: empty); null before the first. Indirect jumps' edges, which {@link NestPlan#split}
     * needs to find the loops they close (a dispatch through a table, a return to a
     * caller on the page). Racy, as the counts are: a hint.
     */
    private int[] hopEdges;
    private int hopEdgeCount;

    /** Notes a hop from the region entered at entry to target (once per pair; at most half the table). */
    void hopEdge(int entry, int target) {
        int[] t = hopEdges;
        if (t == null) hopEdges = t = new int[4096];
        int key = entry * Decoded.PAGE_SLOTS + target + 1;
        // Bounded: harts racing here may fill more than half (the count is racy too).
        for (int n = 0, i = (key * 0x9E3779B1) >>> 20; n < t.length; n++, i = (i + 1) & (t.length - 1)) {
            if (t[i] == key) return;
            if (t[i] != 0) continue;
            if (hopEdgeCount >= t.length / 2) return;
            t[i] = key;
            hopEdgeCount++;
            return;
        }
    }

    /** The hops noted by {@link #hopEdge}: per pair, {entry, target}. */
    int[][] hopEdges() {
        int[] t = hopEdges;
        if (t == null) return new int[0][];
        return java.util.Arrays.stream(t).filter(k -> k != 0)
                .mapToObj(k -> new int[] {(k - 1) / Decoded.PAGE_SLOTS, (k - 1) % Decoded.PAGE_SLOTS}).toArray(int[][]::new);
    }

    /** Counts a hop to slot target; returns how many there have been. */
    int hopsTo(int target) {
        int[] to = hopsTo;
        if (to == null) hopsTo = to = new int[Decoded.PAGE_SLOTS];
        return ++to[target];
    }

    /** Counts a hop of region index to slot target; returns the region's count (0: no such region). */
    int hop(int index, int target) {
        hopsTo(target);
        int[] h = hops;
        return index >= 0 && index < h.length ? ++h[index] : 0;
    }

    /** The slots regions jumped to on this page, the most frequent first, without but. */
    int[] hopTargets(int but) {
        int[] to = hopsTo;
        if (to == null) return new int[0];
        return java.util.stream.IntStream.range(0, to.length).filter(s -> to[s] > 0 && s != but).boxed()
                .sorted((a, b) -> Integer.compare(to[b], to[a])).mapToInt(Integer::intValue).toArray();
    }

    /** Adds r (its fields set) and returns its index. Called under the translator's lock. */
    int add(Region r) {
        Region[] now = Arrays.copyOf(regions, regions.length + 1);
        now[now.length - 1] = r;
        hops = Arrays.copyOf(hops, now.length);
        regions = now; // volatile: r is complete before another hart can find it
        return now.length - 1;
    }

    /**
     * The instruction at slot as the interpreter would run it: decoded now if it was not
     * yet (and kept, as the interpreter keeps it), the original behind a region's mark.
     */
    long word(int slot) {
        long d = words[slot];
        int op = Decoded.op(d);
        if (op == Op.ENTER) {
            Region r = region(Decoded.imm(d));
            if (r != null) return r.original(slot);
            op = Op.DECODE; // a mark not of this version: decode again
        }
        if (op == Op.DECODE) {
            d = Decoder.decodeAt(ram, (page << PhysicalMemory.PAGE_SHIFT) + (slot << 1), slot == Decoded.PAGE_SLOTS - 1);
            words[slot] = d;
        }
        return d;
    }
}
