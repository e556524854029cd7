package xv6j.machine.jit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
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
 * <p>A page whose code is rewritten soon after it was compiled, again and again, waits
 * longer each time before it is compiled again (see {@link #YOUNG}): compiling it cost
 * more than it ran, and the hart spent its time planning and compiling versions of its
 * code that ran a few instructions each (user/jitbait storm, docs/exo.md).
 *
 * <p>The code cache is bounded: past {@link #MAX_REGIONS} regions on the pages' current
 * versions it is emptied (with the decoded words, so no old mark survives) and code is
 * compiled again as it turns hot. Regions of a version of a page that was written stop
 * counting when the page is compiled again: counted, a program rewriting its own code
 * emptied every program's cache once it had made 10,000 (CodeCacheBoundTest).
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
    /**
     * Whether a page's hot entries go into its unit (see {@link PageCode}); false gives
     * round 6's translator (a region from every hot entry), for measuring against it.
     */
    static final boolean UNITS = Boolean.parseBoolean(System.getProperty("xv6j.jit.units", "true"));
    /**
     * Instructions compiled code must run on a version of a page for compiling it to have
     * paid, when classes were made for it: a version written before it ran this many (a
     * program rewriting its code, a page that held code of a program soon gone) is young,
     * and the page waits twice as long as before (HOT << strikes interpreted instructions,
     * strikes up to {@link #MAX_STRIKES}) to be compiled again. A version that runs this
     * many clears its page's strikes. Eager mode, which is there to test the translator,
     * compiles at once all the same.
     */
    static final long YOUNG = 1_000_000;
    /**
     * The same for a version all of whose regions were in the {@link CodeCache} (the same
     * code again): planning and marking it costs about what interpreting a hundred
     * thousand instructions does.
     */
    static final long YOUNG_CACHED = 100_000;
    /** Strikes a page may have: then it waits HOT << 10 (2 million) interpreted instructions. */
    static final int MAX_STRIKES = 10;
    /**
     * Whether hops between a page's regions are taken in compiled code, by its
     * {@link PageLink}, under {@link Engine#TRANSLATOR} (-Dxv6j.jit.link=true); else by
     * {@code Hart.run}. Off: it gained 3-8% where hops are dense, but not on the
     * headline beyond the noise (docs/design.md, round 16). {@link Engine#EAGER}, which
     * is there to test the translator, always links, so every test under it runs links.
     */
    static final boolean LINKS = Boolean.getBoolean("xv6j.jit.link");
    /**
     * Whether a page whose regions hop densely gets a nest, its hot code as one region
     * (see {@link NestPlan}), under {@link Engine#TRANSLATOR} (-Dxv6j.jit.nest=true; round
     * 20). {@link Engine#EAGER} always nests (before it links), so every test under it
     * runs nests.
     */
    static final boolean NEST = Boolean.getBoolean("xv6j.jit.nest");
    /** Whether {@code Hart.run} reports its hops ({@link #unlinked}) for a link or a nest. */
    public static final boolean LINK = LINKS || NEST;
    /**
     * Bytecode a nest's method may have: under HotSpot's 8000 (HugeMethodLimit), past
     * which it compiles nothing (docs/design.md, round 20).
     */
    static final int NEST_BYTES = Integer.getInteger("xv6j.jit.nestbytes", 7900);
    /**
     * Whether a nest must hold the code of all its page's regions, or is none
     * (-Dxv6j.jit.nestwhole=false: as many of them as fit, the hottest first). A part
     * of tokens' and sort's hot code as one method ran sort 13% slower (round 20).
     */
    static final boolean NEST_WHOLE = !"false".equals(System.getProperty("xv6j.jit.nestwhole"));
    /**
     * Whether a page whose hot code does not fit one method of {@link #NEST_PIECE_BYTES}
     * gets its nest split along its loops into several (see {@link NestPlan#split}),
     * linked to one another by the page's {@link PageLink} (-Dxv6j.jit.nestsplit=false:
     * a whole nest of up to {@link #NEST_BYTES} or none, round 20's rule; round 22).
     */
    static final boolean NEST_SPLIT = !"false".equals(System.getProperty("xv6j.jit.nestsplit"));
    /**
     * Instructions in one piece of a split nest at most (fewer if its method is too
     * large): tokens' two hot loops are 188 and 158 instructions, and cut into pieces of
     * 120 they hopped more than in regions (round 22).
     */
    static final int NEST_PIECE = Integer.getInteger("xv6j.jit.nestpiece", 200);
    /**
     * Bytecode a piece of a split nest (or a whole nest, where nests split) may have:
     * C1 skipped tokens' whole nest of 7612 (round 20); its loops' pieces have about 5000.
     */
    static final int NEST_PIECE_BYTES = Integer.getInteger("xv6j.jit.nestpiecebytes", 6000);
    /** Hops {@code Hart.run} takes itself on a page before its link is made again from its marks now. */
    static final int LINK_HOPS = Integer.getInteger("xv6j.jit.linkhops", 65_536);
    /** The same in {@link Engine#EAGER} mode. */
    static final int EAGER_LINK_HOPS = 3;
    /**
     * Instructions compiled code ran on a page a hop {@code Hart.run} took there, past
     * which the page gets no link: its hops cost too little of its time for a link to pay
     * for its class (matrix, at about 550, ran slower by the JVM's CPU with one).
     */
    static final int LINK_SPARSE = Integer.getInteger("xv6j.jit.linksparse", 128);
    /** Regions on one version of a page at most. */
    static final int MAX_PAGE_REGIONS = 128;
    /** Regions marked on pages at most: past it every mark goes (with the decoded words). */
    public static final int MAX_REGIONS = 10_000;

    private final MethodHandles.Lookup lookup;
    private final long[] ram;
    private final Object[] decoded;
    private final PageCode[] pages;
    /** Instructions interpreted per page since it was last compiled from; racy, as counters may be. */
    private final int[] heat;
    /** Per page: young versions in a row (see {@link #YOUNG}). */
    private final byte[] strikes;
    /** Per page: instructions compiled code ran on the page's version in {@link #pages}; racy. */
    private final long[] ran;

    /** Regions on the pages' versions in {@link #pages} (those since written count until the page is compiled again). */
    private int live;
    private final Stats stats = new Stats();
    /** If positive, every nest is split into pieces of at most this many instructions (a test's setting). */
    private int piecesForTesting;

    /** What compiling has cost so far, for the benchmarks. */
    public static final class Stats {
        /** Regions entered on pages, instructions in them; classes made for them (the rest were in the {@link CodeCache}). */
        public long regions, instructions, classes, bytecodeBytes, nanos, flushes, firstRegionNanos = -1;
        /** Versions of pages written before their code paid for its classes (see {@link #YOUNG}). */
        public long youngVersions;
        /** {@link PageLink} classes made. */
        public long links;
        /** Nests made (see {@link NestPlan}); the methods of those split along their loops. */
        public long nests, nestPieces;
        /** Hops from a region to another of its page, taken by {@code Hart.run} or a link, with links or nests on (racy: a hint). */
        public long hops;
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
        this.strikes = new byte[decoded.length];
        this.ran = new long[decoded.length];
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
    public boolean hot(int page, boolean eager) { return eager || heat[page] >= HOT << strikes[page]; }

    /** The interpreter ran n instructions on page. */
    public void interpreted(int page, int n) { heat[page] += n; }

    /** Compiled code ran n instructions on page: enough of them clear its strikes (see {@link #YOUNG}). */
    public void ran(int page, long n) {
        if ((ran[page] += n) >= YOUNG && strikes[page] != 0) strikes[page] = 0;
    }

    /**
     * The interpreter, on a hot page, is about to run slot: it goes into the page's unit
     * (see {@link PageCode}), or, on a page whose unit is full, into a region of its own.
     * A hart in {@link Engine#EAGER} mode has units built again at every new entry (no
     * back-off), so that tests see many builds.
     *
     * @return whether a region now starts at slot
     */
    public synchronized boolean compile(int page, long[] words, int slot, boolean eager) {
        boolean made = compileAt(page, words, slot, eager);
        // A test's split nests: made at once from every new region, not after hops.
        if (made && piecesForTesting > 0 && pages[page] != null) nest(pages[page]);
        return made;
    }

    private boolean compileAt(int page, long[] words, int slot, boolean eager) {
        if (decoded[page] != words) return false; // written since the hart looked
        PageCode p = pages[page];
        if (p != null && p.words != words) { // the page was written: its regions went with its old words
            live -= p.count();
            pages[page] = null;
            if (ran[page] < (p.classesMade > 0 ? YOUNG : YOUNG_CACHED)) {
                stats.youngVersions++;
                if (strikes[page] < MAX_STRIKES) strikes[page]++;
                if (!hot(page, eager)) return false; // it waits longer from now on
            }
            p = null;
        }
        heat[page] = 0;
        if (live >= MAX_REGIONS) {
            flush();
            return false;
        }
        if (Decoded.op(words[slot]) == Op.ENTER) return true; // another hart was first
        if (p == null) {
            pages[page] = p = new PageCode(page, words, ram);
            ran[page] = 0;
        }
        for (int n : p.nests) {
            if (!p.region(n).enters(slot)) continue;
            p.words[slot] = mark(p.region(n).original(slot), n);
            return true;
        }
        if (!UNITS || p.unitFull || p.nest >= 0) return install(p, slot, new int[0]);
        Region unit = p.region(p.unit);
        if (unit == null) return buildUnit(p, new int[] {slot}, null);
        return intoUnit(p, unit, slot, eager);
    }

    /**
     * slot is to be in the page's unit: marked at once if the unit has a block there,
     * else a root of its next build.
     *
     * @return whether slot is marked now
     */
    private boolean intoUnit(PageCode p, Region unit, int slot, boolean eager) {
        if (unit.enters(slot)) {
            p.words[slot] = mark(unit.original(slot), p.unit);
            return true;
        }
        for (int r : p.unitRoots) if (r == slot) return install(p, slot, new int[0]); // a root it could not hold
        if (!contains(p.pending, slot)) p.pending = append(p.pending, slot);
        // Built k times, the unit waits for 2^k new entries (or entries again) before the next.
        if (!eager && ++p.unitEvents < 1 << Math.min(20, p.unitBuilds)) return false;
        int[] roots = p.unitRoots;
        for (int r : p.pending) roots = append(roots, r);
        if (buildUnit(p, roots, unit)) return Decoded.op(p.words[slot]) == Op.ENTER;
        // It cannot take in more and keep all it has: from now on this page's entries get
        // regions of their own, as before units.
        p.unitFull = true;
        return install(p, slot, new int[0]);
    }

    /**
     * Builds the page's unit from roots (the first its entry), keeping all of the unit it
     * replaces, and marks every root it holds a block at.
     */
    private boolean buildUnit(PageCode p, int[] roots, Region replaced) {
        long t0 = System.nanoTime();
        Placed u = place(p, roots[0], Arrays.copyOfRange(roots, 1, roots.length), replaced,
                MAX_INSTRUCTIONS, RegionCompiler.MAX_CODE_BYTES);
        if (u == null) return false;
        p.unit = u.index;
        p.unitRoots = roots;
        p.unitBuilds++;
        p.unitEvents = 0;
        p.pending = new int[0];
        for (int root : roots) if (u.region.enters(root)) p.words[root] = mark(u, root);
        counted(u.plan, t0);
        return true;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /**
     * A region left for target, another place on its own page. One whose unit leaves for
     * the same place often (1000 times: an indirect jump through a switch's table, a return
     * to a caller on the page) takes it in as a root. On a page whose unit is full, a region
     * that leaves often (by mark, at entry) is compiled again with the places regions
     * jumped to on the page as roots too, the most frequent first (a merge).
     */
    public void hopped(int page, long[] words, long mark, int entry, int target, boolean eager) {
        // Counted only where links or nests are tried (their tests read it): one field all
        // harts write would otherwise be on every hop of the default engine.
        if (LINK || eager) stats.hops++;
        PageCode p = pages[page];
        if (p == null || p.words != words) return;
        // Where hops go, for the loops a nest keeps whole: only while a nest is to be tried
        // (a page that has one, or could not have one, hops millions of times a second).
        if ((NEST || eager) && p.count() > p.nestedRegions && entry >= 0 && entry < Decoded.PAGE_SLOTS) p.hopEdge(entry, target);
        if (p.nest >= 0) return;
        int hops = eager ? EAGER_MERGE_HOPS : MERGE_HOPS;
        if (UNITS && !p.unitFull) {
            if (p.hopsTo(target) == hops) unitHop(p, target, eager);
        } else if (Decoded.op(mark) == Op.ENTER && p.hop(Decoded.imm(mark), target) == hops) {
            // (A link reports the slot its last region was entered at, whose mark another
            // hart may have taken away meanwhile: the word there is then an instruction, and
            // its imm no region's index. The count is a hint; that hop goes uncounted.)
            merge(p, entry);
        }
    }

    /** The link of the page whose decoded words are words, if it has one. */
    public PageLink link(int page, long[] words) {
        PageCode p = pages[page];
        return p != null && p.words == words ? p.link : null;
    }

    /**
     * {@code Hart.run} took a hop on page itself (after {@link #hopped}): its link is
     * missing or older than its marks. Often enough, it is made again from them. Called
     * only where pages link ({@link #LINK}, or eager).
     */
    public void unlinked(int page, long[] words, boolean eager) {
        PageCode p = pages[page];
        if (p == null || p.words != words) return;
        if (++p.unlinked < (eager ? EAGER_LINK_HOPS : LINK_HOPS)) return;
        long ran = this.ran[page] - p.ranAtLink;
        p.ranAtLink = this.ran[page];
        if (!(eager || ran < (long) LINK_SPARSE * p.unlinked)) p.unlinked = 0;
        else if ((NEST || eager) && p.count() > p.nestedRegions) nest(p); // regions made since it was last tried
        else if (LINKS || eager || p.nests.length > 1) relink(p); // a split nest's pieces are linked
        else p.unlinked = 0;
    }

    /**
     * Compiles page p's nest (see {@link NestPlan}), or where its hot code does not fit
     * one method, its nest split along its loops, and marks every slot it (a piece) can
     * be entered at to enter it; from then on the page's units and merges are not built
     * again, and its new entries get regions of their own. A split nest's pieces are
     * linked at once (see {@link PageLink}), so that a hop between them stays in
     * compiled code.
     */
    private synchronized void nest(PageCode p) {
        p.unlinked = 0;
        if (decoded[p.page] != p.words || pages[p.page] != p || p.count() <= p.nestedRegions
                || p.count() >= MAX_PAGE_REGIONS || live >= MAX_REGIONS) return;
        // Tried again only once the page has regions it had not then (code found since).
        p.nestedRegions = p.count();
        if (p.nest == -1) p.nest = -2; // until it is made
        long t0 = System.nanoTime();
        List<NestPlan.Nest> made;
        try {
            NestPlan.Nest whole = piecesForTesting > 0 ? null
                    : NestPlan.of(p, NEST_WHOLE, compiler(NEST_SPLIT ? NEST_PIECE_BYTES : NEST_BYTES));
            made = whole != null ? List.of(whole)
                    : NEST_SPLIT || piecesForTesting > 0
                            ? NestPlan.split(p, piecesForTesting > 0 ? piecesForTesting : NEST_PIECE, piecesForTesting > 0,
                                    compiler(NEST_PIECE_BYTES))
                            : List.of();
        } catch (RuntimeException | LinkageError e) {
            stats.failures++;
            if (stats.failures == 1) System.err.println("xv6j: the translator could not compile a page's nest (" + e + ")");
            return;
        }
        if (made.isEmpty() || live + made.size() > MAX_REGIONS || p.count() + made.size() > MAX_PAGE_REGIONS) return;
        int[] indices = new int[made.size()];
        for (int i = 0; i < indices.length; i++) indices[i] = p.add(made.get(i).region());
        live += indices.length;
        VarHandle.releaseFence(); // the nest is complete before a mark can lead to it
        if (indices.length == 1) {
            // A slot whose region has code the nest lacks keeps it: entered there, the nest
            // would leave where that region goes on.
            Region r = made.get(0).region();
            RegionPlan plan = made.get(0).plan();
            for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
                long w = p.words[s];
                Region there = Decoded.op(w) == Op.ENTER ? p.region(Decoded.imm(w)) : null;
                if (there == null || !r.enters(s) || !plan.containsAll(there)) continue;
                p.words[s] = mark(there.original(s), indices[0]);
            }
        } else {
            // The pieces hold the page's hot code once each: every slot a piece is entered
            // at (marked, gone to by an indirect jump, led to from another piece) enters it.
            for (int i = 0; i < indices.length; i++) {
                NestPlan.Nest piece = made.get(i);
                for (int s : piece.entries()) if (piece.region().enters(s)) p.words[s] = mark(piece.plan().words[s], indices[i]);
            }
        }
        p.nest = indices[0];
        p.nests = indices;
        p.nestedRegions = p.count();
        stats.nests++;
        if (indices.length > 1) stats.nestPieces += indices.length;
        for (NestPlan.Nest n : made) counted(n.plan(), t0);
        if (indices.length > 1) relink(p);
    }

    /** Compiles a nest's plan (from the {@link CodeCache}); null if its method has more than maxBytes. */
    private Function<RegionPlan, Region> compiler(int maxBytes) {
        return plan -> {
            CodeCache.Key key = plan.key();
            return CodeCache.tooLarge(key, maxBytes) ? null : CodeCache.get(key, k -> build(plan, k, maxBytes));
        };
    }

    /**
     * From now on, every nest this translator makes is split along its loops into pieces
     * of at most max instructions, even where it would fit one method, and even a page's
     * one region, and made as soon as a page has a region it lacks, not after hops: so
     * that tests can run split nests on programs of a test's size.
     */
    public synchronized void splitNestsForTesting(int max) { piecesForTesting = max; }

    private synchronized void relink(PageCode p) {
        p.unlinked = 0;
        if (decoded[p.page] != p.words || pages[p.page] != p) return;
        long[] marks = new long[Decoded.PAGE_SLOTS];
        int last = -1;
        for (int s = 0; s < marks.length; s++) {
            long w = p.words[s];
            if (Decoded.op(w) != Op.ENTER || p.region(Decoded.imm(w)) == null) continue;
            marks[s] = w;
            last = Math.max(last, Decoded.imm(w));
        }
        PageLink was = p.link;
        if (last < 0 || was != null && Arrays.equals(was.marks, marks)) return;
        Region[] regions = Arrays.copyOf(p.regions(), last + 1);
        try {
            PageLink l = CodeCache.link(new CodeCache.LinkKey(marks, regions), this::makeLink);
            if (l != null) p.link = l;
        } catch (RuntimeException | LinkageError e) {
            stats.failures++;
            if (stats.failures == 1) System.err.println("xv6j: the translator could not link a page's regions (" + e + ")");
        }
    }

    private PageLink makeLink(CodeCache.LinkKey key) {
        byte[] classFile = LinkCompiler.compile(key.marks);
        if (classFile == null) return null;
        PageLink l = (PageLink) define(classFile, java.util.List.of(key.regions));
        l.marks = key.marks;
        stats.links++;
        return l;
    }

    private synchronized void unitHop(PageCode p, int target, boolean eager) {
        if (decoded[p.page] != p.words || pages[p.page] != p || p.unitFull || live >= MAX_REGIONS) return;
        Region unit = p.region(p.unit);
        if (unit != null && Decoded.op(p.words[target]) != Op.ENTER) intoUnit(p, unit, target, eager);
    }

    private synchronized void merge(PageCode p, int entry) {
        if (decoded[p.page] != p.words || pages[p.page] != p || live >= MAX_REGIONS) return;
        install(p, entry, p.hopTargets(entry));
    }

    /** Compiles the region at slot (with the code from roots), adds it to p and marks it. */
    private boolean install(PageCode p, int slot, int[] roots) {
        long t0 = System.nanoTime();
        boolean merged = roots.length > 0;
        // A merge must keep all of the region it replaces: one that can no longer hold a
        // loop the old one held would leave it on every pass.
        long was = p.words[slot];
        Region replaced = merged && Decoded.op(was) == Op.ENTER ? p.region(Decoded.imm(was)) : null;
        Placed u = merged ? place(p, slot, roots, replaced, MERGED_MAX_INSTRUCTIONS, RegionCompiler.MERGED_MAX_CODE_BYTES)
                : place(p, slot, roots, null, MAX_INSTRUCTIONS, RegionCompiler.MAX_CODE_BYTES);
        if (u == null) return false;
        p.words[slot] = mark(u, slot);
        // The other roots it took in lead to it too, unless the region marked there has
        // code this one lacks (a root may be in it only as the last instruction its size
        // allowed: entering there would leave again at once).
        for (int root : roots) {
            if (!u.region.enters(root)) continue;
            long there = p.words[root];
            Region r = Decoded.op(there) == Op.ENTER ? p.region(Decoded.imm(there)) : null;
            if (r != null && !u.plan.containsAll(r)) continue;
            p.words[root] = mark(u, root);
        }
        counted(u.plan, t0);
        return true;
    }

    /** A region placed on its page: added to it as index, not yet marked anywhere. */
    private record Placed(Region region, RegionPlan plan, int index) {}

    /**
     * Plans a region entered at entry (taking in the code of roots after the entry's),
     * compiles it (or finds it in the {@link CodeCache}) and adds it to p; null if it
     * cannot be made, or would not hold all of replaced.
     */
    private Placed place(PageCode p, int entry, int[] roots, Region replaced, int maxInstructions, int maxBytes) {
        if (p.count() >= MAX_PAGE_REGIONS) return null;
        RegionPlan.Order order = RegionPlan.order(p, entry);
        if (order == null) return null;
        Region r = null;
        RegionPlan plan = null;
        long classes = stats.classes;
        // Too large a method: a tenth fewer instructions, until it fits.
        for (int max = maxInstructions; r == null && max >= 4; max -= Math.max(1, max / 10)) {
            plan = RegionPlan.of(p, order, roots, max);
            if (plan == null || replaced != null && !plan.containsAll(replaced)) return null;
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
                return null;
            }
        }
        if (r == null) return null;
        if (stats.classes != classes) p.classesMade++;
        int index = p.add(r);
        live++;
        VarHandle.releaseFence(); // the region is complete before a mark can lead to it
        return new Placed(r, plan, index);
    }

    /** The mark at slot for region u. */
    private static long mark(Placed u, int slot) {
        return mark(u.plan.words[slot], u.index);
    }

    /** The mark for the region at index on its page, over an instruction decoded as original. */
    private static long mark(long original, int index) {
        return Decoded.pack(Op.ENTER, Decoded.halfwords(original), 0, 0, 0, index);
    }

    private void counted(RegionPlan plan, long t0) {
        long t1 = System.nanoTime();
        stats.regions++;
        stats.instructions += plan.size;
        stats.nanos += t1 - t0;
        if (stats.firstRegionNanos < 0) stats.firstRegionNanos = t1 - stats.created;
    }

    /** Compiles and defines a region no machine has yet; null if its method would be too large. */
    private Region build(RegionPlan plan, CodeCache.Key key, int maxBytes) {
        RegionCompiler.Result c = RegionCompiler.compile(plan, maxBytes);
        if (c.classFile() == null) {
            CodeCache.wasTooLarge(key, c.codeBytes());
            return null;
        }
        Region r = (Region) define(c.classFile(), null);
        r.code = key.code;
        r.classBytes = c.classFile().length;
        r.entry = plan.entry;
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

    /** An instance of the hidden class of classFile, with classData (a list, or null: none). */
    private Object define(byte[] classFile, Object classData) {
        try {
            MethodHandles.Lookup l = classData == null ? lookup.defineHiddenClass(classFile, true)
                    : lookup.defineHiddenClassWithClassData(classFile, classData, true);
            return l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
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

    /**
     * Marks slot of page (whose decoded words are words) to enter r, a region not made by
     * this translator: for tests of how {@link xv6j.machine.Hart#run} copes with a region
     * that misbehaves (one that cannot start where it is marked, say).
     */
    public synchronized void markForTesting(int page, long[] words, int slot, Region r) {
        PageCode p = pages[page];
        if (p == null || p.words != words) pages[page] = p = new PageCode(page, words, ram);
        long original = p.word(slot);
        r.code = new long[] {slot, slot | 1 << 16, original};
        r.entry = slot;
        p.words[slot] = mark(original, p.add(r));
    }

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
        s.youngVersions = stats.youngVersions;
        s.links = stats.links;
        s.nests = stats.nests;
        s.nestPieces = stats.nestPieces;
        s.hops = stats.hops;
        return s;
    }
}
