package xv6j.machine;

import static xv6j.machine.PhysicalMemory.LONGS;
import static xv6j.machine.PhysicalMemory.PAGE_SHIFT;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The LR/SC reservations of every hart on one {@link PhysicalMemory}, kept so that an SC
 * fails exactly when the A extension says it must: when a store by another hart (or the
 * kernel, or a device) to the reservation set can be observed between the LR and the SC,
 * even one that put back the value LR read (A, B, A). A reservation set here is the
 * bytes the LR read, no more, so a store beside them on the page breaks nothing.
 *
 * <p>The cost falls on pages with a reservation, not on every store. LR <em>marks</em> its
 * page; a marked page is kept out of every hart's store TLB, so every store to it takes a
 * slow path (Hart.store, an AMO, a kernel write through PhysicalMemory) that sees the mark
 * and, holding this object's lock, writes and breaks the reservations it overlaps. SC
 * checks its reservation and writes under the same lock, so no store falls between the
 * check and the write. Stores to unmarked pages (nearly all) run as before: the fast
 * paths test nothing.
 *
 * <p>Marking a page is a TLB shootdown: other harts may hold a store-TLB entry for it, and
 * one may be between a TLB hit and its write. So LR asks every other hart to drop its
 * entries for marked pages and waits for each that is running user code to answer, which
 * it does between two instructions ({@link Hart#execute} looks at every chunk); a hart
 * not running does it before it runs again. Only then does LR read the value: any store
 * that hit a stale entry has landed, and every later one takes the slow path.
 *
 * <p>A shootdown costs the wait for the other harts to finish a chunk, so a mark outlives
 * its reservations: a lock word taken and released again and again pays once. It goes
 * after {@link #LINGER} stores to its page with no reservation there, so a page that
 * stops being used for LR/SC but keeps being written gets its fast path back.
 *
 * <p>The kernel's threads are not harts and answer no shootdown, so a kernel write
 * through PhysicalMemory counts itself on its pages while it writes ({@link
 * #kernelWriting}): LR, once it has marked a page, waits until no write counted there is
 * left. A write that counts itself after the mark sees it and takes the lock.
 */
final class Reservations {
    private static final VarHandle MARKS = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);
    /** A page's mark: none; set, with a shootdown not yet known complete; set and shot down. */
    private static final byte UNMARKED = 0, MARKING = 1, MARKED = 2;
    /** Stores a marked page with no reservation takes before its mark goes. */
    static final int LINGER = 256;

    /** Per physical page (ram index >> 12); written under this object's lock, read anywhere. */
    private final byte[] mark;
    /** Per page, under the lock: harts holding a reservation there. */
    private final int[] holders;
    /** Per page, under the lock: stores left before the mark of a page without holders goes. */
    private final int[] linger;
    /** Per page: kernel writes to it under way without the lock (atomic adds). */
    private final int[] kernelWrites;
    /** Every hart on the memory; replaced (never changed) as harts are made. */
    private volatile Hart[] harts = new Hart[0];

    Reservations(int pages) {
        mark = new byte[pages];
        holders = new int[pages];
        linger = new int[pages];
        kernelWrites = new int[pages];
    }

    synchronized void attach(Hart h) {
        Hart[] hs = java.util.Arrays.copyOf(harts, harts.length + 1);
        hs[hs.length - 1] = h;
        harts = hs;
    }

    /** Whether page (ram index >> 12) is marked: its stores must come here. */
    boolean marked(int page) {
        return (byte) MARKS.getVolatile(mark, page) != UNMARKED;
    }

    /** Whether any page of ram[i, i+len) is marked. */
    boolean marked(int i, int len) {
        int last = (i + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        for (int p = i >>> PAGE_SHIFT; p <= last; p++) if (marked(p)) return true;
        return false;
    }

    /**
     * LR: h reserves the size bytes at ram index a (aligned) and gets what they hold,
     * after marking the page and, if need be, shooting it down from the other harts' TLBs.
     */
    long loadReserved(Hart h, int a, int size) {
        int page = a >>> PAGE_SHIFT;
        boolean shoot;
        synchronized (this) {
            release(h); // one reservation per hart: LR replaces it
            holders[page]++;
            linger[page] = LINGER;
            shoot = mark[page] != MARKED;
            if (shoot) MARKS.setVolatile(mark, page, MARKING);
            // Held from here on, if not yet valid: stores to the page now come here.
            h.reserved = true;
            h.reservationValid = false;
            h.reservedIndex = a;
            h.reservedSize = size;
        }
        if (shoot) {
            shootDown(h);
            for (int spins = 0; (int) COUNTS.getVolatile(kernelWrites, page) != 0; spins++) await(h, spins);
            synchronized (this) {
                MARKS.setVolatile(mark, page, MARKED);
            }
        }
        synchronized (this) {
            long whole = (long) LONGS.getVolatile(h.ram, a >>> 3);
            long v = size == 4 ? (int) (whole >>> ((a & 4) << 3)) : whole;
            h.reservedValue = v;
            h.reservationValid = true;
            return v;
        }
    }

    /**
     * SC: if h's reservation is of the size bytes at a and still valid, they become v (and
     * the reservations of other harts on them break); h's reservation ends either way. The
     * write is a compare-and-set against what LR read, though a valid reservation means
     * nothing has stored there since: a check that costs nothing more than the write.
     */
    synchronized boolean storeConditional(Hart h, int a, int size, long v) {
        boolean ok = h.reserved && h.reservationValid && h.reservedIndex == a && h.reservedSize == size
                && (size == 4 ? storeConditionalWord(h.ram, a, (int) h.reservedValue, (int) v)
                              : LONGS.compareAndSet(h.ram, a >>> 3, h.reservedValue, v));
        release(h);
        if (ok) stored(a, size);
        return ok;
    }

    /** Ends h's reservation, if it has one. */
    synchronized void release(Hart h) {
        if (!h.reserved) return;
        h.reserved = false;
        h.reservationValid = false;
        holders[h.reservedIndex >>> PAGE_SHIFT]--;
    }

    /**
     * After a store to ram[a, a+len) on marked pages, made under this object's lock: the
     * reservations it overlaps break, and a page with none counts towards losing its mark.
     */
    void stored(int a, int len) {
        assert Thread.holdsLock(this);
        for (Hart h : harts) {
            if (h.reservationValid && a < h.reservedIndex + h.reservedSize && h.reservedIndex < a + len)
                h.reservationValid = false;
        }
        int last = (a + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        for (int p = a >>> PAGE_SHIFT; p <= last; p++) {
            if (mark[p] == MARKED && holders[p] == 0 && --linger[p] <= 0) MARKS.setVolatile(mark, p, UNMARKED);
        }
    }

    /**
     * Makes every other hart drop its store-TLB entries for marked pages, and waits for
     * those running user code to have done so; h drops its own. Waiting, h does what others
     * ask of it, so two harts shooting down at once do not wait for each other forever.
     */
    private void shootDown(Hart h) {
        h.mmu.dropMarkedStoreEntries();
        Hart[] hs = harts;
        long[] asked = new long[hs.length];
        for (int i = 0; i < hs.length; i++) if (hs[i] != h) asked[i] = hs[i].askShootdown();
        for (int i = 0; i < hs.length; i++) {
            if (hs[i] == h) continue;
            for (int spins = 0; !hs[i].shotDown(asked[i]); spins++) await(h, spins);
        }
    }

    /**
     * One turn of h's wait for another thread: it answers what is asked of it meanwhile. A
     * running hart answers within a chunk (microseconds), a kernel write ends sooner,
     * unless the thread waits for a core: then this one gives its own up rather than spin.
     */
    private static void await(Hart h, int spins) {
        h.answerShootdown();
        if (spins < 256) Thread.onSpinWait();
        else if (spins < 512) Thread.yield();
        else LockSupport.parkNanos(50_000);
    }

    /**
     * Before a kernel write to ram[i, i+len): true if a page of it is marked, and the write
     * must then be made under this object's lock (and {@link #stored} called); else the
     * write is counted on its pages until {@link #kernelWrote}, which must follow it.
     */
    boolean kernelWriting(int i, int len) {
        int first = i >>> PAGE_SHIFT, last = (i + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        for (int p = first; p <= last; p++) COUNTS.getAndAdd(kernelWrites, p, 1);
        // After the count, so that an LR marking the page now either is seen here or sees the count.
        if (!marked(i, len)) return false;
        kernelWrote(i, len);
        return true;
    }

    /** After a kernel write that {@link #kernelWriting} counted. */
    void kernelWrote(int i, int len) {
        int first = i >>> PAGE_SHIFT, last = (i + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        for (int p = first; p <= last; p++) COUNTS.getAndAdd(kernelWrites, p, -1);
    }

    /**
     * SC.W: the word at ram index a (4-aligned) becomes v if it still holds expect, by a
     * compare-and-set of the doubleword holding it (retried while only the other half of
     * that doubleword changes).
     */
    private static boolean storeConditionalWord(long[] ram, int a, int expect, int v) {
        int e = a >>> 3, sh = (a & 4) << 3;
        long mask = 0xffffffffL << sh;
        while (true) {
            long whole = (long) LONGS.getVolatile(ram, e);
            if ((int) (whole >>> sh) != expect) return false;
            if (LONGS.compareAndSet(ram, e, whole, (whole & ~mask) | ((v & 0xffffffffL) << sh))) return true;
        }
    }
}
