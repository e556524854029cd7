package xv6j.machine.jit;

import xv6j.machine.Hart;

/**
 * The hops between the regions of one page, taken in compiled code (round 16): a hidden
 * class, written by {@link LinkCompiler} from the page's marks at one moment, whose
 * {@code run} enters the region marked at a slot, and when that region leaves for
 * another place on the page marked as it was then, enters the region there, and so on,
 * without returning to {@link Hart#run}. Each region is called from a call site of its
 * own on a constant receiver (the regions are the class's class data), so HotSpot makes
 * a direct call where {@code Hart.run} makes a megamorphic one.
 *
 * <p>It does exactly what {@code Hart.run}'s chaining does between two regions (the
 * same budget, the same tests, the hop counted for merges) and returns where that would
 * stop or where the page's marks have changed since it was made; {@code Hart.run} goes on
 * from there as after any region. Before returning it tells the hart the region that ran
 * last and the slot it was entered at ({@code Hart.jitRegion}, {@code jitSlot}), which
 * {@code Hart.run} needs to go on after a budget exit or to count the hop.
 */
public abstract class PageLink {
    /** Per slot of the page, the mark it had when this was made (0: none): a hop is taken only to a slot still so marked. */
    public long[] marks;

    protected PageLink() {}

    /** As {@link Region#run}, from the region marked at slot (which must be as in {@link #marks}). */
    public abstract long run(Hart h, long pageVa, int page, int slot, int budget);
}
