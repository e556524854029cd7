package xv6j.machine.jit;

import xv6j.machine.Decoded;
import xv6j.machine.Hart;

/**
 * Compiled code for one region of a page: the instructions reachable from one entry
 * point on that page, translated to a JVM method by {@link RegionCompiler}. Each region
 * is an instance of a hidden class of its own, so it is collected once nothing refers to
 * it (its page was written, or the code cache was emptied).
 *
 * <p>A region keeps the guest registers it uses in JVM locals, loads them on entry and
 * stores the ones it wrote on exit. It retires whole instructions only, never raises a
 * trap and never runs an instruction it cannot finish: it stops before it, for the
 * interpreter to do, so every exit is at an instruction boundary with the registers, pc
 * and the count of instructions exactly as the interpreter would have them.
 */
public abstract class Region {
    /** Why a region returned (the hart's exit field). */
    public static final int
            /** Control left the region: pc may be anywhere (a jump, a fall off the page, a store to its own page). */
            JUMP = 0,
            /** The instruction at pc is one compiled code leaves to the interpreter (a rare one, a TLB miss that faults). */
            STEP = 1,
            /** The budget does not cover the next block: the interpreter runs what is left of it, exactly. */
            BUDGET = 2;

    /** What it compiles, as its code cache key: the entry, then (slot, with 1 << 16 for a block's start; word) pairs in slot order. */
    long[] code;
    /** The size of its class file. */
    int classBytes;
    /** Where it starts: the slot on its page. */
    int entry;


    /**
     * Calls of it by harts (racy: a hint). One call in {@link #PRIME_EVERY} is preceded by
     * one with a budget of 0, which leaves at once through the handler of the budget's
     * test ({@link xv6j.machine.CompiledAccess#charge}) having retired nothing and changed
     * nothing: so HotSpot's profile shows the handler entered in every region, and C2
     * keeps it instead of compiling an uncommon trap there, which a region that seldom
     * runs out of budget hit later, for a deoptimization and a compile of it again.
     */
    public int calls;
    /** A power of two. */
    public static final int PRIME_EVERY = 1024;
    /**
     * Calls with a budget of 0 before its first call: they count as invocations, so
     * HotSpot compiles it (C1) at once, where it would wait for 200 calls of up to
     * {@link xv6j.machine.Hart}'s chunk each (a loop) in HotSpot's bytecode interpreter.
     */
    public static final int PRIME_FIRST = 256;

    protected Region() {}

    /**
     * Counts a call of r at slot and, on the calls {@link #calls} says, primes it first
     * (see there): for {@link xv6j.machine.Hart#run} and {@link PageLink}s alike.
     */
    public static void prime(Region r, Hart h, long pageVa, int page, int slot) {
        int calls = r.calls++;
        if ((calls & PRIME_EVERY - 1) != 0) return;
        for (int i = calls == 0 ? PRIME_FIRST : 1; i > 0; i--) r.run(h, pageVa, page, slot, 0);
    }

    /** The decoded word of the instruction at slot, which a mark for this region replaced. */
    long original(int slot) {
        for (int i = 1; i < code.length; i += 2) if ((code[i] & 0xffff) == slot) return code[i + 1];
        throw new IllegalStateException("slot " + slot + " is not in the region");
    }

    /** Whether a call may start at slot: one of its blocks, and not an instruction it leaves to the interpreter. */
    boolean enters(int slot) {
        for (int i = 1; i < code.length; i += 2) {
            if ((code[i] & 0xffff) != slot) continue;
            return (code[i] & 1 << 16) != 0 && RegionPlan.kind(Decoded.op(code[i + 1])) != RegionPlan.Kind.STEP;
        }
        return false;
    }

    /**
     * Runs from the region's entry for at most budget instructions.
     *
     * @param pageVa the virtual address of the page (the same physical code may be mapped anywhere)
     * @param page   the physical page (ram index >> 12): a store to it ends the region
     * @param slot   where to start: the entry, or another root of the region (a slot marked for it)
     * @return the pc of the next instruction; the hart's pageLeft says how much of the
     *         budget is left and its jitExit why it stopped
     */
    public abstract long run(Hart h, long pageVa, int page, int slot, int budget);
}
