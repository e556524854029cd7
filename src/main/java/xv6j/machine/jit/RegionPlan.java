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
        long[] words = new long[Decoded.PAGE_WORDS];
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(entry);
        int nextRoot = 0;
        int size = 0;
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
            switch (k) {
                case PLAIN -> todo.add(next(s, d));
                case BRANCH -> {
                    todo.add(next(s, d));
                    todo.add(target(s, d));
                }
                case JUMP -> todo.add(target(s, d));
                default -> { }
            }
        }
        RegionPlan p = new RegionPlan(entry, size);
        System.arraycopy(words, 0, p.words, 0, words.length);
        for (int r : roots) if (p.contains(r)) p.leader[r] = true; // where the indirect jumps go
        p.findBlocks();
        return p;
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
