package xv6j.machine.jit;

import java.util.ArrayDeque;
import xv6j.machine.Decoded;
import xv6j.machine.Op;

/**
 * Which instructions of a page one region holds, and how they form blocks: found by
 * following control flow from the entry (both ways at a branch, to the target of a jump
 * that stays on the page), never by reading the page in order, so data beside code is
 * never taken for instructions. The region stops at indirect jumps, at jumps off the
 * page and at instructions compiled code leaves to the interpreter, and at a size that
 * keeps its JVM method small enough for HotSpot to compile.
 *
 * <p>A block is what the budget is checked for once: it starts at the entry, at a jump
 * target, after a branch and wherever control does not simply fall in from the
 * instruction before; its length is the number of instructions it retires when run to
 * its end.
 */
final class RegionPlan {
    /** How an instruction ends, for the plan. */
    enum Kind {
        /** Runs and falls through to the next instruction. */
        PLAIN,
        /** A conditional branch: falls through or jumps to a target on the page (or off it). */
        BRANCH,
        /** jal / j: jumps to one target. */
        JUMP,
        /** jalr / jr: jumps to a register's value; ends the region. */
        INDIRECT,
        /** Left to the interpreter: the region stops before it. */
        STEP
    }

    static Kind kind(int op) {
        return switch (op) {
            case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU -> Kind.BRANCH;
            case Op.J, Op.JAL -> Kind.JUMP;
            case Op.JR, Op.JALR -> Kind.INDIRECT;
            case Op.NOP, Op.LI, Op.LUI, Op.AUIPC,
                 Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, Op.LOAD_X0, Op.FLW, Op.FLD,
                 Op.SB, Op.SH, Op.SW, Op.SD, Op.FSW, Op.FSD,
                 Op.ADDI, Op.SLTI, Op.SLTIU, Op.XORI, Op.ORI, Op.ANDI, Op.SLLI, Op.SRLI, Op.SRAI,
                 Op.ADDIW, Op.SLLIW, Op.SRLIW, Op.SRAIW,
                 Op.ADD, Op.SUB, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.SRA, Op.OR, Op.AND,
                 Op.ADDW, Op.SUBW, Op.SLLW, Op.SRLW, Op.SRAW,
                 Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU,
                 Op.MULW, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW, Op.FP, Op.FENCE -> Kind.PLAIN;
            default -> Kind.STEP; // amo, csr, fence.i, ecall, ebreak, illegal, cross, end
        };
    }

    final int entry;
    /** The decoded word of each slot in the region, 0 (DECODE) for a slot outside it. */
    final long[] words = new long[Decoded.PAGE_WORDS];
    /** Slots that start a block. */
    final boolean[] leader = new boolean[Decoded.PAGE_WORDS];
    /** For a leader: the instructions its block retires when run to its end. */
    final int[] blockLength = new int[Decoded.PAGE_WORDS];
    /** Instructions in the region (STEP ones not counted). */
    final int size;

    private RegionPlan(int entry, int size) {
        this.entry = entry;
        this.size = size;
    }

    /** What the region compiles (and where its blocks start), as the code cache's key. */
    CodeCache.Key key() {
        int n = 0;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) if (words[s] != 0) n++;
        long[] k = new long[1 + 2 * n];
        k[0] = entry;
        int i = 1;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            if (words[s] == 0) continue;
            k[i++] = leader[s] ? s | 1 << 16 : s;
            k[i++] = words[s];
        }
        return new CodeCache.Key(k);
    }

    boolean contains(int slot) { return slot >= 0 && slot < Decoded.PAGE_SLOTS && words[slot] != 0; }

    /** Whether this plan has every instruction region r compiled. */
    boolean containsAll(Region r) {
        for (int i = 1; i < r.code.length; i += 2) if (!contains((int) (r.code[i] & 0xffff))) return false;
        return true;
    }

    /** The slot after the instruction at s. */
    static int next(int s, long d) { return s + Decoded.halfwords(d); }

    /** The slot a branch or jal at s goes to (perhaps off the page: below 0 or past the end). */
    static int target(int s, long d) { return s + (Decoded.imm(d) >> 1); }

    /**
     * The plan for a region entered at slot entry of page, of at most max instructions;
     * null if the instruction there is one compiled code leaves to the interpreter.
     */
    static RegionPlan of(PageCode page, int entry, int max) { return of(page, entry, new int[0], max); }

    /**
     * The same, taking in as well the code reachable from other roots on the page (the
     * entries of other regions, places indirect jumps went), after the entry's, so an
     * indirect jump within the page can reach them without leaving.
     */
    static RegionPlan of(PageCode page, int entry, int[] roots, int max) {
        if (entry >= Decoded.PAGE_SLOTS || kind(Decoded.op(page.word(entry))) == Kind.STEP) return null;
        return of(page, new Order(page, entry), roots, max);
    }

    /** The same, with the order of the entry's code found already (by {@link #order}), for trying several sizes. */
    static RegionPlan of(PageCode page, Order o, int[] roots, int max) {
        int entry = o.entry;
        long[] words = new long[Decoded.PAGE_WORDS];
        int size = 0;
        // The entry's code, innermost loop first; each instruction once one before it is in.
        for (int s : o.slots) {
            if (size >= max) break;
            if (s != entry && !o.fromTaken(s, words)) continue;
            long d = page.word(s);
            words[s] = d;
            if (kind(Decoded.op(d)) != Kind.STEP) size++;
        }
        // Then the code of the other roots, each in the order control reaches it.
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        int nextRoot = 0;
        while (size < max) {
            if (todo.isEmpty()) {
                if (nextRoot == roots.length) break;
                todo.add(roots[nextRoot++]);
            }
            int s = todo.poll();
            if (s < 0 || s >= Decoded.PAGE_SLOTS || words[s] != 0) continue;
            long d = page.word(s);
            words[s] = d;
            Kind k = kind(Decoded.op(d));
            if (k != Kind.STEP) size++;
            for (int t : successors(s, d)) todo.add(t);
        }
        RegionPlan p = new RegionPlan(entry, size);
        System.arraycopy(words, 0, p.words, 0, words.length);
        for (int r : roots) if (p.contains(r)) p.leader[r] = true; // where the indirect jumps go
        p.findBlocks();
        return p;
    }

    /**
     * The plan of exactly the instructions in words (a slot's decoded word, 0 outside),
     * entered at entry, with a block starting at each of roots it holds: a page's nest
     * ({@link NestPlan}), made of code other plans found.
     */
    static RegionPlan of(int entry, long[] words, int[] roots) {
        int size = 0;
        for (long d : words) if (d != 0 && kind(Decoded.op(d)) != Kind.STEP) size++;
        RegionPlan p = new RegionPlan(entry, size);
        System.arraycopy(words, 0, p.words, 0, words.length);
        for (int r : roots) if (p.contains(r)) p.leader[r] = true;
        p.findBlocks();
        return p;
    }

    /** The order a region entered at entry takes the code it reaches; null if the instruction there is one compiled code leaves to the interpreter. */
    static Order order(PageCode page, int entry) {
        if (entry >= Decoded.PAGE_SLOTS || kind(Decoded.op(page.word(entry))) == Kind.STEP) return null;
        return new Order(page, entry);
    }

    private static final int[] NONE = {};

    /** Where control may go on the page after the instruction d at s (a branch: falling through first). */
    static int[] successors(int s, long d) {
        return switch (kind(Decoded.op(d))) {
            case PLAIN -> new int[] {next(s, d)};
            case BRANCH -> new int[] {next(s, d), target(s, d)};
            case JUMP -> new int[] {target(s, d)};
            default -> NONE;
        };
    }

    /**
     * The instructions reachable from an entry, in the order a region takes them: those
     * on a cycle through the entry first, by the length of the shortest such cycle (the
     * innermost loop's body whole before the loop around it, and before any way out of
     * them), then the rest by their distance from the entry. A region that cannot hold
     * all of a loop it is entered in would leave it on every pass (measured on matrix:
     * a 72-instruction loop split over three regions, 35 instructions an entry).
     */
    static final class Order {
        final int entry;
        final int[] slots;
        private final int[][] preds = new int[Decoded.PAGE_SLOTS][];

        private Order(PageCode page, int entry) {
            this.entry = entry;
            int n = Decoded.PAGE_SLOTS;
            int[] from = new int[n], to = new int[n];
            java.util.Arrays.fill(from, -1);
            java.util.Arrays.fill(to, -1);
            int[] queue = new int[n];
            int head = 0, tail = 0;
            from[entry] = 0;
            queue[tail++] = entry;
            while (head < tail) { // distances from the entry, and each instruction's predecessors
                int s = queue[head++];
                for (int t : successors(s, page.word(s))) {
                    if (t < 0 || t >= n) continue;
                    int[] p = preds[t];
                    preds[t] = p == null ? new int[] {s} : append(p, s);
                    if (from[t] < 0) {
                        from[t] = from[s] + 1;
                        queue[tail++] = t;
                    }
                }
            }
            int reached = tail;
            head = tail = 0;
            queue[tail++] = entry;
            to[entry] = 0;
            while (head < tail) { // distances back to the entry
                int s = queue[head++];
                if (preds[s] == null) continue;
                for (int p : preds[s]) {
                    if (to[p] < 0) {
                        to[p] = to[s] + 1;
                        queue[tail++] = p;
                    }
                }
            }
            Integer[] order = new Integer[reached];
            for (int i = 0, k = 0; i < n; i++) if (from[i] >= 0) order[k++] = i;
            java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingLong(s -> to[s] < 0 ? Long.MAX_VALUE : from[s] + to[s])
                    .thenComparingInt(s -> from[s]).thenComparingInt(s -> s));
            slots = new int[reached];
            for (int i = 0; i < reached; i++) slots[i] = order[i];
        }

        /** Whether an instruction taken already leads to s. */
        boolean fromTaken(int s, long[] words) {
            if (preds[s] != null) for (int p : preds[s]) if (words[p] != 0) return true;
            return false;
        }

        private static int[] append(int[] a, int v) {
            int[] b = java.util.Arrays.copyOf(a, a.length + 1);
            b[a.length] = v;
            return b;
        }
    }

    private void findBlocks() {
        // Targets: of jumps, and of fall-throughs to an instruction that is not the next
        // one emitted (code that overlaps itself), which the emitter reaches by a goto.
        boolean[] target = new boolean[Decoded.PAGE_WORDS];
        int prev = -1;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            long d = words[s];
            if (d == 0) continue;
            Kind k = kind(Decoded.op(d));
            if ((k == Kind.BRANCH || k == Kind.JUMP) && contains(target(s, d))) target[target(s, d)] = true;
            if (prev >= 0 && next(prev, words[prev]) != s && contains(next(prev, words[prev]))) target[next(prev, words[prev])] = true;
            prev = k == Kind.PLAIN || k == Kind.BRANCH ? s : -1;
        }
        int prevNext = -1; // the slot the instruction before falls into, if it simply falls
        int lead = -1;
        for (int s = 0; s < Decoded.PAGE_SLOTS; s++) {
            long d = words[s];
            if (d == 0) continue;
            Kind k = kind(Decoded.op(d));
            if (s == entry || leader[s] || target[s] || s != prevNext || k == Kind.STEP) {
                leader[s] = true;
                lead = s;
            }
            if (k != Kind.STEP) blockLength[lead]++;
            prevNext = k == Kind.PLAIN ? next(s, d) : -1;
        }
    }
}
