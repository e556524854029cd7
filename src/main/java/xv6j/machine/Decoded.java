package xv6j.machine;

/**
 * The decoded form of one instruction, packed in a long so a page of them is one
 * {@code long[]} (no objects, no pointers for the garbage collector to follow):
 *
 * <pre>
 *   bits  0-7   op       an {@link Op} constant
 *   bits  8-9   length   in halfwords: 1 (compressed) or 2
 *   bits 10-14  rd
 *   bits 15-19  rs1
 *   bits 20-24  rs2
 *   bits 32-63  imm      sign-extended immediate, shift amount, or raw instruction bits
 * </pre>
 *
 * A decoded page ({@link PhysicalMemory#decoded}) has one word per halfword of the page
 * (slot = offset / 2) plus two {@link Op#END} words past the end, so running off the page
 * needs no bounds test, and after them the word {@link #MADE_AT}. The form is plain data: an interpreter executes it, and a
 * translator could compile it.
 */
public final class Decoded {
    private Decoded() {}

    /** Slots of a page that hold instructions: one per halfword. */
    public static final int PAGE_SLOTS = PhysicalMemory.PAGE_SIZE / 2;
    /** Words in a decoded page: one per halfword, then two END sentinels. */
    public static final int PAGE_WORDS = PAGE_SLOTS + 2;

    public static long pack(int op, int halfwords, int rd, int rs1, int rs2, int imm) {
        return (op & 0xffL) | ((long) halfwords << 8) | ((long) rd << 10) | ((long) rs1 << 15)
                | ((long) rs2 << 20) | ((long) imm << 32);
    }

    public static int op(long d) { return (int) d & 0xff; }
    public static int halfwords(long d) { return (int) (d >>> 8) & 3; }
    /** halfwords(d) == 2, as one bit test. */
    public static boolean is32Bit(long d) { return (d & 0x200) != 0; }
    public static int rd(long d) { return (int) (d >>> 10) & 31; }
    public static int rs1(long d) { return (int) (d >>> 15) & 31; }
    public static int rs2(long d) { return (int) (d >>> 20) & 31; }
    public static int imm(long d) { return (int) (d >> 32); }

    /**
     * The word after the END sentinels: the memory's count of fence.i
     * ({@link PhysicalMemory#fences}) when the page was made. A hart that has executed a
     * fence.i since then does not trust the page (see {@link Hart}'s FENCE_I).
     */
    public static final int MADE_AT = PAGE_WORDS;

    /** A fresh decoded page: every slot still to decode, END past the end, made at fences. */
    public static long[] newPage(long fences) {
        long[] page = new long[PAGE_WORDS + 1];
        page[PAGE_WORDS - 2] = page[PAGE_WORDS - 1] = pack(Op.END, 0, 0, 0, 0, 0);
        page[MADE_AT] = fences;
        return page;
    }

    /** A readable rendering, e.g. "addi x1, x0, -1 (4 bytes)". */
    public static String toString(long d) {
        return String.format("%s rd=x%d rs1=x%d rs2=x%d imm=%d (%d bytes)",
                Op.name(op(d)), rd(d), rs1(d), rs2(d), imm(d), 2 * halfwords(d));
    }
}
