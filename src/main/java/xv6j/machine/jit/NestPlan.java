package xv6j.machine.jit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
 *
 * <p>A page whose hot code does not fit one method is {@link #split} along its loops
 * (round 22): several methods, each holding whole the loop nests that fit it, which
 * the page's {@link PageLink} links to one another.
 */
final class NestPlan {
    private NestPlan() {}

    /** A nest (or a piece of one): its plan, the region compiled from it, and the slots it is entered at (a piece's; null for a whole nest). */
    record Nest(RegionPlan plan, Region region, int[] entries) {}

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
            best = new Nest(plan, compiled, null);
            added++;
        }
        return added > 1 ? best : null;
    }

    /**
     * Page p's hot code, the code of all its regions, split along its loops into pieces
     * (round 22): each a region of at most max instructions (fewer if its method is too
     * large) holding whole every loop nest that fits in that many, so that the hops
     * between pieces are the loops' entries and exits, not their passes. A loop nest
     * larger than a piece is split along its inner loops (its header's back edges taken
     * away, as in Bourdoncle's weak topological order), the inner loops kept whole.
     * Each piece is entered at every slot marked on the page, every slot indirect jumps
     * went to, and every slot another piece's code leads to; compile as for {@link #of}.
     * Empty if the page has less than two regions' code (unless single, a test's setting:
     * then one region's code is split too); a piece whose method is too
     * large even alone is left out (its code stays in the regions that hold it).
     */
    static List<Nest> split(PageCode p, int max, boolean single, Function<RegionPlan, Region> compile) {
        long[] all = new long[Decoded.PAGE_WORDS];
        int withCode = 0;
        for (Region r : p.regions()) {
            if (r.classBytes == 0) continue;
            withCode++;
            for (int i = 1; i < r.code.length; i += 2) all[(int) (r.code[i] & 0xffff)] = r.code[i + 1];
        }
        List<Nest> pieces = new ArrayList<>();
        if (withCode < (single ? 1 : 2)) return pieces;
        boolean[] root = new boolean[Decoded.PAGE_SLOTS];
        for (int s : marked(p)) root[s] = true;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (all[s] != 0 && p.hopsAt(s) > 0) root[s] = true;
        boolean[] in = new boolean[Decoded.PAGE_SLOTS];
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) in[s] = all[s] != 0;
        int[][] jumps = indirectEdges(p, all);
        List<int[]> atoms = new ArrayList<>();
        loops(all, jumps, in, -1, max, atoms);
        pack(all, jumps, root, atoms, max, compile, pieces);
        return pieces;
    }

    /**
     * Adds to atoms, in topological order, the loop nests (strongly connected parts) of
     * the code at the slots in within, with edges into header (-1: none) taken away:
     * each whole if it has at most max instructions, else split again along its inner
     * loops; an instruction on no loop is an atom of its own.
     */
    private static void loops(long[] all, int[][] jumps, boolean[] within, int header, int max, List<int[]> atoms) {
        List<int[]> parts = new Tarjan(all, jumps, within, header).parts;
        for (int k = parts.size() - 1; k >= 0; k--) { // Tarjan finds them sinks first
            int[] part = parts.get(k);
            if (part.length <= max || part.length == 1) {
                atoms.add(part);
                continue;
            }
            // Too large: its header (the slot entered from outside it, or its first) alone,
            // then what is left of it without the back edges to the header.
            boolean[] sub = new boolean[Decoded.PAGE_SLOTS];
            for (int s : part) sub[s] = true;
            int h = part[0];
            for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
                if (all[s] == 0 || sub[s] || !within[s]) continue;
                for (int t : successors(all, jumps, s)) if (sub[t]) h = t;
            }
            atoms.add(new int[] {h});
            sub[h] = false;
            loops(all, jumps, sub, h, max, atoms);
        }
    }

    /**
     * Per slot, where the indirect jump there went (null: none seen, or not an indirect
     * jump): each hop the page's regions took, from the region entered at one slot to a
     * place its code does not reach without one, is an edge from every indirect jump
     * that code reaches to where it went (the hops say where a region was entered, not
     * which of its instructions left), so that a loop closed by an indirect jump (a
     * dispatch through a table, a return to a caller on the page) is a loop here too.
     */
    private static int[][] indirectEdges(PageCode p, long[] all) {
        int[][] jumps = new int[Decoded.PAGE_SLOTS][];
        int[][] hops = p.hopEdges();
        Arrays.sort(hops, Comparator.comparingInt((int[] e) -> e[0]));
        boolean[] seen = new boolean[Decoded.PAGE_SLOTS];
        int[] queue = new int[Decoded.PAGE_SLOTS];
        for (int i = 0; i < hops.length; ) {
            int entry = hops[i][0], j = i;
            while (j < hops.length && hops[j][0] == entry) j++;
            if (all[entry] != 0) {
                Arrays.fill(seen, false);
                int head = 0, tail = 0;
                queue[tail++] = entry;
                seen[entry] = true;
                while (head < tail) {
                    int s = queue[head++];
                    for (int t : RegionPlan.successors(s, all[s])) {
                        if (t < 0 || t >= Decoded.PAGE_SLOTS || all[t] == 0 || seen[t]) continue;
                        seen[t] = true;
                        queue[tail++] = t;
                    }
                }
                // A hop to code the entry's reaches without one left a region only for its
                // size (as the eager engine's small regions do): no indirect jump's edge.
                for (int q = 0; q < tail; q++) {
                    int s = queue[q];
                    if (RegionPlan.kind(Decoded.op(all[s])) != RegionPlan.Kind.INDIRECT) continue;
                    for (int k = i; k < j; k++) {
                        int t = hops[k][1];
                        if (all[t] != 0 && !seen[t] && !contains(jumps[s], t)) jumps[s] = jumps[s] == null ? new int[] {t} : append(jumps[s], t);
                    }
                }
            }
            i = j;
        }
        return jumps;
    }

    /** Where control may go on the page's hot code after slot s: its successors, and where an indirect jump there went. */
    private static int[] successors(long[] all, int[][] jumps, int s) {
        int[] t = RegionPlan.successors(s, all[s]);
        if (jumps[s] != null) {
            t = Arrays.copyOf(t, t.length + jumps[s].length);
            System.arraycopy(jumps[s], 0, t, t.length - jumps[s].length, jumps[s].length);
        }
        int n = 0;
        for (int x : t) if (x >= 0 && x < Decoded.PAGE_SLOTS && all[x] != 0) t[n++] = x;
        return Arrays.copyOf(t, n);
    }

    private static boolean contains(int[] a, int v) {
        if (a != null) for (int x : a) if (x == v) return true;
        return false;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    /** Packs atoms, in order, into pieces of at most max instructions, each compiled (smaller if too large). */
    private static void pack(long[] all, int[][] jumps, boolean[] root, List<int[]> atoms, int max, Function<RegionPlan, Region> compile,
            List<Nest> pieces) {
        List<int[]> piece = new ArrayList<>();
        int size = 0;
        for (int i = 0; i <= atoms.size(); i++) {
            int[] atom = i < atoms.size() ? atoms.get(i) : null;
            if (atom != null && (size + atom.length <= max || piece.isEmpty())) {
                piece.add(atom);
                size += atom.length;
                continue;
            }
            Nest n = piece(all, jumps, root, piece, compile);
            if (n == null && piece.size() > 1) pack(all, jumps, root, piece, Math.max(1, size / 2), compile, pieces);
            else if (n != null) pieces.add(n);
            piece = new ArrayList<>();
            size = 0;
            if (atom != null) {
                piece.add(atom);
                size = atom.length;
            }
        }
    }

    /** The piece of atoms, compiled; null if its method is too large or it cannot be entered. */
    private static Nest piece(long[] all, int[][] jumps, boolean[] root, List<int[]> atoms, Function<RegionPlan, Region> compile) {
        long[] words = new long[Decoded.PAGE_WORDS];
        for (int[] atom : atoms) for (int s : atom) words[s] = all[s];
        // Entered where the page's marks and indirect jumps are, and where other code leads in.
        boolean[] entered = new boolean[Decoded.PAGE_SLOTS];
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            if (words[s] != 0 && root[s]) entered[s] = true;
            if (all[s] == 0 || words[s] != 0) continue;
            for (int t : successors(all, jumps, s)) if (words[t] != 0) entered[t] = true;
        }
        int entry = -1, n = 0;
        int[] roots = new int[Decoded.PAGE_SLOTS];
        for (int[] atom : atoms) for (int s : atom) if (entered[s]) {
            if (entry < 0) entry = s;
            roots[n++] = s;
        }
        if (entry < 0) return null;
        roots = Arrays.copyOf(roots, n);
        RegionPlan plan = RegionPlan.of(entry, words, roots);
        Region r = compile.apply(plan);
        return r == null ? null : new Nest(plan, r, roots);
    }

    /** Tarjan's strongly connected parts of the code at the slots in within (indirect jumps' edges too), edges into header left out; sinks first. */
    private static final class Tarjan {
        final List<int[]> parts = new ArrayList<>();
        private final long[] all;
        private final int[][] jumps;
        private final boolean[] within;
        private final int header;
        private final int[] index = new int[Decoded.PAGE_SLOTS], low = new int[Decoded.PAGE_SLOTS];
        private final boolean[] onStack = new boolean[Decoded.PAGE_SLOTS];
        private final int[] stack = new int[Decoded.PAGE_SLOTS];
        private int depth, next = 1;

        Tarjan(long[] all, int[][] jumps, boolean[] within, int header) {
            this.all = all;
            this.jumps = jumps;
            this.within = within;
            this.header = header;
            for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (within[s] && index[s] == 0) visit(s);
        }

        private int[] edges(int s) {
            int[] t = successors(all, jumps, s);
            int n = 0;
            for (int x : t) if (within[x] && x != header) t[n++] = x;
            return Arrays.copyOf(t, n);
        }

        // Iterative: a page's code may be a chain of 2048 instructions, too deep to recurse.
        private void visit(int root) {
            int[] callStack = new int[Decoded.PAGE_SLOTS], edge = new int[Decoded.PAGE_SLOTS];
            int[][] succ = new int[Decoded.PAGE_SLOTS][];
            int sp = 0;
            callStack[sp++] = root;
            open(root, succ);
            while (sp > 0) {
                int v = callStack[sp - 1];
                if (edge[v] < succ[v].length) {
                    int w = succ[v][edge[v]++];
                    if (index[w] == 0) {
                        open(w, succ);
                        callStack[sp++] = w;
                    } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
                    continue;
                }
                sp--;
                if (sp > 0) low[callStack[sp - 1]] = Math.min(low[callStack[sp - 1]], low[v]);
                if (low[v] != index[v]) continue;
                int top = depth;
                while (stack[--top] != v) {}
                int[] part = Arrays.copyOfRange(stack, top, depth);
                for (int s : part) onStack[s] = false;
                depth = top;
                Arrays.sort(part);
                parts.add(part);
            }
        }

        private void open(int v, int[][] succ) {
            index[v] = low[v] = next++;
            stack[depth++] = v;
            onStack[v] = true;
            succ[v] = edges(v);
        }
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
