package xv6j.machine.jit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import xv6j.machine.Decoded;
import xv6j.machine.Op;
import xv6j.machine.PhysicalMemory;

/**
 * The translator of one machine's memory, shared by its harts: decides what to compile,
 * compiles it ({@link RegionPlan}, {@link RegionCompiler}), keeps the result per physical
 * page ({@link PageCode}) and marks each region's entry in the decoded words, where the
 * hart's run loop finds it. Compiling happens on the hart that found the code hot, under
 * this object's lock; finding compiled code takes no lock.
 *
 * <p>Hotness is counted per physical page in instructions the interpreter ran there.
 * When a page's count passes {@link #HOT}, the next time the interpreter enters the page
 * the translator compiles a region from that instruction. In {@link Engine#EAGER} mode
 * every entry is compiled at once.
 *
 * <p>The code cache is bounded: past {@link #MAX_REGIONS} regions it is emptied (with the
 * decoded words, so no old mark survives) and code is compiled again as it turns hot.
 */
public final class Translator {
    /** Instructions interpreted on a page before the translator compiles where the interpreter enters it. */
    static final int HOT = Integer.getInteger("xv6j.jit.hot", 2000);
    /** Instructions in one region at most (fewer if its method would be too large). */
    static final int MAX_INSTRUCTIONS = Integer.getInteger("xv6j.jit.maxinsns", 100);
    /**
     * The same for a region compiled again with the places its page's regions hopped to
     * (a merge). The sizes are system properties (xv6j.jit.maxinsns, maxbytes, mergeinsns,
     * mergebytes, and xv6j.jit.hot for {@link #HOT}) only so that their measurements in
     * docs/design.md can be repeated; the defaults are the ones measured best.
     */
    static final int MERGED_MAX_INSTRUCTIONS = Integer.getInteger("xv6j.jit.mergeinsns", 100);
    /** Jumps from a region to elsewhere on its page before it is compiled again to take them in. */
    static final int MERGE_HOPS = 1000;
    /** The same in {@link Engine#EAGER} mode, which is there to test the translator: soon. */
    static final int EAGER_MERGE_HOPS = 3;
    /** Regions on one version of a page at most. */
    static final int MAX_PAGE_REGIONS = 128;
    /** Regions marked on pages at most: past it every mark goes (with the decoded words). */
    static final int MAX_REGIONS = 10_000;

    private final MethodHandles.Lookup lookup;
    private final long[] ram;
    private final Object[] decoded;
    private final PageCode[] pages;
    /** Instructions interpreted per page since it was last compiled from; racy, as counters may be. */
    private final int[] heat;

    private int live;
    private final Stats stats = new Stats();

    /** What compiling has cost so far, for the benchmarks. */
    public static final class Stats {
        /** Regions entered on pages, instructions in them; classes made for them (the rest were in the {@link CodeCache}). */
        public long regions, instructions, classes, bytecodeBytes, nanos, flushes, firstRegionNanos = -1;
        /** Regions the translator failed to make (a bug: the interpreter ran that code). */
        public long failures;
        private final long created = System.nanoTime();
    }

    /**
     * @param lookup where regions are defined: a lookup of the hart's package, whose
     *               package-private fields compiled code reads
     */
    public Translator(MethodHandles.Lookup lookup, long[] ram, Object[] decoded) {
        this.lookup = lookup;
        this.ram = ram;
        this.decoded = decoded;
        this.pages = new PageCode[decoded.length];
        this.heat = new int[decoded.length];
    }

    /** The region whose mark is at slot of words (physical page's); null, with the mark undone, if there is none. */
    public Region region(int page, long[] words, int slot) {
        PageCode p = pages[page];
        Region r = p != null && p.words == words ? p.region(Decoded.imm(words[slot])) : null;
        if (r == null) new PageCode(page, words, ram).word(slot); // decodes the slot again, in place
        return r;
    }

    /** The word a mark at slot replaced, for a hart that interprets it. */
    public long original(int page, long[] words, int slot) {
        PageCode p = pages[page];
        Region r = p != null && p.words == words ? p.region(Decoded.imm(words[slot])) : null;
        return r != null ? r.original(slot) : new PageCode(page, words, ram).word(slot);
    }

    /** Whether the interpreter, about to run on page, should first compile where it is. */
    public boolean hot(int page, boolean eager) {
        eagerUnits = eager;
        return eager || heat[page] >= HOT;
    }

    /** The interpreter ran n instructions on page. */
    public void interpreted(int page, int n) { heat[page] += n; }

    /**
     * Compiles a region entered at slot of page, whose decoded words are words, and marks
     * its entry.
     *
     * @return whether a region now starts at slot
     */
    public synchronized boolean compile(int page, long[] words, int slot) {
        heat[page] = 0;
        if (decoded[page] != words) return false; // written since the hart looked
        if (live >= MAX_REGIONS) {
            flush();
            return false;
        }
        if (Decoded.op(words[slot]) == Op.ENTER) return true; // another hart was first
        PageCode p = pages[page];
        if (p == null || p.words != words) pages[page] = p = new PageCode(page, words, ram);
        if (UNITS && !p.unitFull) return unitEntry(p, slot, eagerUnits);
        return install(p, slot, new int[0]);
    }

    // ---- page units (prototype, round 7) ---------------------------------------------------

    /** Whether a page's hot entry points go into one region per page, rebuilt rarely. */
    static final boolean UNITS = Boolean.parseBoolean(System.getProperty("xv6j.jit.units", "true"));
    static final int UNIT_MAX_INSTRUCTIONS = Integer.getInteger("xv6j.jit.unitinsns", 100);
    static final int UNIT_MAX_BYTES = Integer.getInteger("xv6j.jit.unitbytes", 2500);
    /** Hops of a unit to one place on its page before that place becomes a root. */
    static final int UNIT_HOPS = Integer.getInteger("xv6j.jit.unithops", 1000);
    /** Rebuild k of a unit waits for 2^(k*BACKOFF) events. */
    static final int UNIT_BACKOFF = Integer.getInteger("xv6j.jit.unitbackoff", 1);
    private volatile boolean eagerUnits;

    /** A hot entry point at slot: into the page's unit (marked at once if the unit has it as a block). */
    private boolean unitEntry(PageCode p, int slot, boolean eager) {
        Region u = p.region(p.unit);
        if (u == null) {
            p.unitRoots = new int[] {slot};
            return buildUnit(p, null);
        }
        if (enterable(u.plan, slot)) {
            p.words[slot] = Decoded.pack(Op.ENTER, Decoded.halfwords(u.plan.words[slot]), 0, 0, 0, p.unit);
            return true;
        }
        return pend(p, slot, eager);
    }

    /** slot is to be a root of the page's unit; true if it is now marked. */
    private boolean pend(PageCode p, int slot, boolean eager) {
        for (int r : p.pending) if (r == slot) { p.events++; return maybeRebuild(p, eager); }
        for (int r : p.unitRoots) if (r == slot) return install(p, slot, new int[0]); // a root it could not hold
        p.pending = append(p.pending, slot);
        p.events++;
        return maybeRebuild(p, eager);
    }

    private boolean maybeRebuild(PageCode p, boolean eager) {
        if (!eager && p.events < 1 << Math.min(20, p.builds * UNIT_BACKOFF)) return false;
        if (p.count() >= MAX_PAGE_REGIONS) return false;
        Region old = p.region(p.unit);
        int[] roots = p.unitRoots;
        for (int r : p.pending) roots = append(roots, r);
        int[] was = p.unitRoots;
        p.unitRoots = roots;
        if (buildUnit(p, old)) return true;
        // The unit cannot grow: the page's code goes on in regions of their own, as before units.
        p.unitRoots = was;
        p.unitFull = true;
        return false;
    }

    /** Whether a region of plan may be entered at slot: one of its blocks, and not one it leaves to the interpreter. */
    private static boolean enterable(RegionPlan plan, int slot) {
        return plan.contains(slot) && plan.leader[slot] && RegionPlan.kind(Decoded.op(plan.words[slot])) != RegionPlan.Kind.STEP;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Builds the unit from p.unitRoots, keeping all of old; marks its roots. */
    private boolean buildUnit(PageCode p, Region old) {
        long t0 = System.nanoTime();
        int[] roots = p.unitRoots;
        int entry = roots[0];
        RegionPlan.Order order = RegionPlan.order(p, entry);
        if (order == null) return false;
        int[] others = Arrays.copyOfRange(roots, 1, roots.length);
        Region r = null;
        RegionPlan plan = null;
        for (int max = UNIT_MAX_INSTRUCTIONS; r == null && max >= 4; max -= Math.max(1, max / 10)) {
            plan = RegionPlan.of(p, order, others, max);
            if (plan == null || old != null && !plan.containsAll(old)) return false;
            RegionPlan planned = plan;
            CodeCache.Key key = plan.key();
            if (CodeCache.tooLarge(key, UNIT_MAX_BYTES)) continue;
            try {
                r = CodeCache.get(key, k -> build(planned, k, UNIT_MAX_BYTES));
            } catch (RuntimeException | LinkageError e) {
                stats.failures++;
                if (stats.failures == 1) System.err.println("xv6j: the translator could not compile a region (" + e + "); interpreting it");
                return false;
            }
        }
        if (r == null) return false;
        int index = p.add(r);
        live++;
        VarHandle.releaseFence();
        p.unit = index;
        p.builds++;
        p.events = 0;
        int[] left = new int[0];
        for (int root : roots) {
            if (enterable(plan, root))
                p.words[root] = Decoded.pack(Op.ENTER, Decoded.halfwords(plan.words[root]), 0, 0, 0, index);
            else if (root != entry) left = append(left, root);
        }
        p.pending = new int[0];
        long t1 = System.nanoTime();
        stats.regions++;
        stats.instructions += plan.size;
        stats.nanos += t1 - t0;
        if (stats.firstRegionNanos < 0) stats.firstRegionNanos = t1 - stats.created;
        return plan.contains(entry);
    }

    /**
     * The region marked (by mark) at entry left for target, another place on its own page. A region that does so
     * often (an indirect jump through a switch's table, a return to a caller on the
     * page) is compiled again with the places regions jumped to on the page as roots
     * too, the most frequent first, so its indirect jumps reach them without leaving.
     */
    public void hopped(int page, long[] words, long mark, int entry, int target, boolean eager) {
        PageCode p = pages[page];
        if (UNITS && p != null && !p.unitFull) {
            if (p.words != words) return;
            int[] h = p.unitHops;
            if (h == null) p.unitHops = h = new int[Decoded.PAGE_SLOTS];
            if (++h[target] == (eager ? EAGER_MERGE_HOPS : UNIT_HOPS)) unitHop(p, target, eager);
            return;
        }
        if (p != null && p.words == words && p.hop(Decoded.imm(mark), target) == (eager ? EAGER_MERGE_HOPS : MERGE_HOPS)) merge(p, entry);
    }

    private synchronized void unitHop(PageCode p, int target, boolean eager) {
        if (decoded[p.page] != p.words || pages[p.page] != p || live >= MAX_REGIONS) return;
        if (Decoded.op(p.words[target]) == Op.ENTER) return;
        Region u = p.region(p.unit);
        if (u != null && enterable(u.plan, target)) {
            p.words[target] = Decoded.pack(Op.ENTER, Decoded.halfwords(u.plan.words[target]), 0, 0, 0, p.unit);
            return;
        }
        pend(p, target, eager);
    }

    private synchronized void merge(PageCode p, int entry) {
        if (decoded[p.page] != p.words || pages[p.page] != p || live >= MAX_REGIONS) return;
        install(p, entry, p.hopTargets(entry));
    }

    /** Compiles the region at slot (with the code from roots), adds it to p and marks it. */
    private boolean install(PageCode p, int slot, int[] roots) {
        if (p.count() >= MAX_PAGE_REGIONS) return false;
        long t0 = System.nanoTime();
        Region r = null;
        RegionPlan plan = null;
        // Too large a method: a tenth fewer instructions, until it fits.
        boolean merged = roots.length > 0;
        // A merge must keep all of the region it replaces: one that can no longer hold a
        // loop the old one held would leave it on every pass.
        long mark = p.words[slot];
        Region replaced = merged && Decoded.op(mark) == Op.ENTER ? p.region(Decoded.imm(mark)) : null;
        int maxBytes = merged ? RegionCompiler.MERGED_MAX_CODE_BYTES : RegionCompiler.MAX_CODE_BYTES;
        RegionPlan.Order order = RegionPlan.order(p, slot);
        if (order == null) return false;
        for (int max = merged ? MERGED_MAX_INSTRUCTIONS : MAX_INSTRUCTIONS; r == null && max >= 4; max -= Math.max(1, max / 10)) {
            plan = RegionPlan.of(p, order, roots, max);
            if (plan == null || replaced != null && !plan.containsAll(replaced)) return false;
            RegionPlan planned = plan;
            CodeCache.Key key = plan.key();
            if (CodeCache.tooLarge(key, maxBytes)) continue; // known from an earlier machine: no need to write it again
            try {
                r = CodeCache.get(key, k -> build(planned, k, maxBytes)); // null: too large a method, try fewer
            } catch (RuntimeException | LinkageError e) {
                // A translator bug must not stop the machine: the interpreter runs this code
                // instead. The tests count these (Stats.failures) and expect none.
                stats.failures++;
                if (stats.failures == 1) System.err.println("xv6j: the translator could not compile a region (" + e + "); interpreting it");
                return false;
            }
        }
        if (r == null) return false;
        int index = p.add(r);
        live++;
        VarHandle.releaseFence();
        p.words[slot] = Decoded.pack(Op.ENTER, Decoded.halfwords(plan.words[slot]), 0, 0, 0, index);
        // The other roots it took in lead to it too, unless the region marked there has
        // code this one lacks (a root may be in it only as the last instruction its size
        // allowed: entering there would leave again at once).
        for (int root : roots) {
            if (!plan.contains(root) || !plan.leader[root] || RegionPlan.kind(Decoded.op(plan.words[root])) == RegionPlan.Kind.STEP) continue;
            long was = p.words[root];
            Region there = Decoded.op(was) == Op.ENTER ? p.region(Decoded.imm(was)) : null;
            if (there != null && !plan.containsAll(there)) continue;
            p.words[root] = Decoded.pack(Op.ENTER, Decoded.halfwords(plan.words[root]), 0, 0, 0, index);
        }
        long t1 = System.nanoTime();
        stats.regions++;
        stats.instructions += plan.size;
        stats.nanos += t1 - t0;
        if (stats.firstRegionNanos < 0) stats.firstRegionNanos = t1 - stats.created;
        return true;
    }

    /** Compiles and defines a region no machine has yet; null if its method would be too large. */
    private Region build(RegionPlan plan, CodeCache.Key key, int maxBytes) {
        RegionCompiler.Result c = RegionCompiler.compile(plan, maxBytes);
        if (c.classFile() == null) {
            CodeCache.wasTooLarge(key, c.codeBytes());
            return null;
        }
        Region r = define(c.classFile());
        r.code = key.code;
        r.classBytes = c.classFile().length;
        r.entry = plan.entry;
        r.plan = plan;
        stats.classes++;
        stats.bytecodeBytes += c.classFile().length;
        return r;
    }

    /** Empties the code cache: every region, and the decoded words that carry their marks. */
    private void flush() {
        Arrays.fill(pages, null);
        Arrays.fill(decoded, null);
        live = 0;
        stats.flushes++;
    }

    private Region define(byte[] classFile) {
        try {
            MethodHandles.Lookup l = lookup.defineHiddenClass(classFile, true);
            return (Region) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("the translator made a class the JVM refused", e);
        }
    }

    /**
     * Empties the JVM-wide cache of compiled regions ({@link CodeCache}), so the next
     * machine compiles everything itself: for measuring what compiling costs.
     */
    public static void emptyCodeCache() { CodeCache.clear(); }

    /** Regions in the JVM-wide cache, and the bytes of their class files. */
    public static long[] codeCacheSize() { return new long[] {CodeCache.size(), CodeCache.bytes()}; }

    /** A copy of the figures so far. */
    public synchronized Stats stats() {
        Stats s = new Stats();
        s.regions = stats.regions;
        s.instructions = stats.instructions;
        s.classes = stats.classes;
        s.bytecodeBytes = stats.bytecodeBytes;
        s.nanos = stats.nanos;
        s.flushes = stats.flushes;
        s.firstRegionNanos = stats.firstRegionNanos;
        s.failures = stats.failures;
        return s;
    }
}
