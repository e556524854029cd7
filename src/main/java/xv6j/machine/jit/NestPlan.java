package xv6j.machine.jit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Function;
import xv6j.machine.Decoded;
import xv6j.machine.Op;

/**
 * Which of a page's compiled code goes into its <em>nest</em> (round 20): one region
 * holding the code of several of the page's regions, so that the hops between them,
 * which went back to {@code Hart.run} (or through a {@link PageLink}) with the registers
 * stored and loaded again, are gotos inside one method with the registers in locals.
 * The hot loop nest of a page whose regions hop often is spread over its unit and the
 * regions made for what the unit could not hold; their code together is the page's hot
 * code, already found, and the nest takes it whole where it fits.
 *
 * <p>The regions go in the unit first, then by the hops that went to them (most first),
 * each whole or not at all, while the method stays within the bytes given: HotSpot
 * compiles no method past 8000 (HugeMethodLimit), and C1's and C2's time grows faster
 * than the method. As the translator uses it, a nest holds every region of its page or
 * is not made ({@link Translator#NEST_WHOLE}).
 */
final class NestPlan {
    private NestPlan() {}

    /** A nest: its plan, and the region compiled from it. */
    record Nest(RegionPlan plan, Region region) {}

    /**
     * The nest of page p, entered at the unit's entry and at every slot marked on the
     * page; null if it would hold no more than one region's code. compile gives a plan's
     * region (from the {@link CodeCache}, so that another machine running the same code
     * writes no class again), or null if its method is too large; a region that does not
     * fit is left out (whole: the nest is then none).
     */
    static Nest of(PageCode p, boolean whole, Function<RegionPlan, Region> compile) {
        int[] roots = marked(p);
        // Each region's heat: the hops that went to the slots marked for it (the page's
        // own count, so that the same run makes the same nest; a region's calls are
        // counted JVM-wide).
        Region[] regions = p.regions();
        long[] heat = new long[regions.length];
        for (int s : roots) heat[Decoded.imm(p.words[s])] += p.hopsAt(s);
        Integer[] byHeat = new Integer[regions.length];
        for (int i = 0; i < byHeat.length; i++) byHeat[i] = i;
        Arrays.sort(byHeat, Comparator.comparingInt((Integer i) -> i == p.unit ? 0 : 1)
                .thenComparingLong(i -> -heat[i]).thenComparingInt(i -> i));
        long[] words = new long[Decoded.PAGE_WORDS];
        Nest best = null;
        int added = 0; // regions that brought code of their own
        for (Integer index : byHeat) {
            Region r = regions[index];
            if (r.classBytes == 0) continue; // not compiled from its code (a test's stand-in): nothing to take in
            long[] more = words.clone();
            boolean adds = false;
            for (int i = 1; i < r.code.length; i += 2) {
                int s = (int) (r.code[i] & 0xffff);
                if (more[s] == 0) adds = true;
                more[s] = r.code[i + 1];
            }
            if (!adds) continue; // already whole in the nest
            RegionPlan plan = RegionPlan.of(best == null ? r.entry : best.plan.entry, more, roots);
            Region compiled = compile.apply(plan);
            if (compiled == null) {
                if (whole) return null;
                continue; // too large: a later one may fit
            }
            words = more;
            best = new Nest(plan, compiled);
            added++;
        }
        return added > 1 ? best : null;
    }

    /** The slots of p marked to enter one of its regions. */
    private static int[] marked(PageCode p) {
        int n = 0;
        int[] roots = new int[Decoded.PAGE_SLOTS];
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            long w = p.words[s];
            if (Decoded.op(w) == Op.ENTER && p.region(Decoded.imm(w)) != null) roots[n++] = s;
        }
        return Arrays.copyOf(roots, n);
    }
}
