package xv6j.exo;

import java.util.Arrays;
import java.util.BitSet;

/**
 * An environment's capability table: handle -> capability, written only by the kernel.
 * New handles take the lowest free number (as file descriptors do), so runs are
 * reproducible. Grows on demand up to EXO_NCAP entries.
 */
final class CapTable {
    private Cap[] slots = new Cap[16];
    private final BitSet used = new BitSet();
    private int size;

    /** The live capability under handle h, or null (any int, however absurd, is safe to ask). */
    Cap get(long h) {
        if (h < 0 || h >= slots.length) return null;
        return slots[(int) h];
    }

    /** The handle the next insert will use, or -1 if the table is full. */
    int nextHandle() {
        int h = used.nextClearBit(0);
        return h < ExoAbi.EXO_NCAP ? h : -1;
    }

    boolean full() {
        return nextHandle() < 0;
    }

    void put(Cap c) {
        if (c.handle >= slots.length) slots = Arrays.copyOf(slots, Math.max(slots.length * 2, c.handle + 1));
        if (slots[c.handle] != null) throw new IllegalStateException("handle " + c.handle + " in use");
        slots[c.handle] = c;
        used.set(c.handle);
        size++;
    }

    void remove(Cap c) {
        if (slots[c.handle] != c) throw new IllegalStateException("capability not in its table: " + c);
        slots[c.handle] = null;
        used.clear(c.handle);
        size--;
    }

    int size() {
        return size;
    }

    /** The live capabilities in handle order (a copy: callers may remove while iterating). */
    Cap[] all() {
        Cap[] out = new Cap[size];
        int n = 0;
        for (int h = used.nextSetBit(0); h >= 0; h = used.nextSetBit(h + 1)) out[n++] = slots[h];
        return out;
    }
}
