package xv6j.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import xv6j.machine.jit.Translator;

/**
 * The machine's RAM: {@code size} bytes of 4096-byte pages starting at physical address
 * {@link #BASE}, as on QEMU's virt board. Everything a kernel keeps "in hardware" lives
 * here: user pages and page-table pages. Little-endian, like RISC-V.
 *
 * <p>Accesses by physical address check bounds and fail with {@link #BAD_ADDRESS} handling
 * left to the caller ({@link #contains}); a hart checks before it touches memory, so an
 * access fault is a trap, never an exception.
 *
 * <p>The bytes are a {@code long[]} on the Java heap, eight little-endian bytes an
 * element: an aligned doubleword is one array element, and a narrower aligned value
 * lies inside one, a shift away. HotSpot compiles an access to a plain move behind a
 * bounds check it can often hoist, where a direct ByteBuffer costs several field loads
 * and checks per access, and generated code reaches it without a call (see
 * docs/design.md). A {@code long[]} also allows every atomic a RISC-V machine needs on
 * the memory plain accesses use (a byte[] allows none through a VarHandle since JDK 22):
 * 64-bit compare-and-set and read-modify-write directly, 32-bit ones as a compare-and-set
 * of the doubleword holding the word.
 *
 * <p>A store narrower than eight bytes rewrites its doubleword. With one hart on the
 * memory nothing else writes it while the hart runs (the kernel writes between runs), so
 * that is a plain read and write; once a second hart shares the memory ({@link #shared})
 * it is a compare-and-set, so two harts writing neighbouring bytes never lose either.
 *
 * <p>Decoded instructions are cached per physical page (see {@link #decoded}); every write
 * made through this class drops the decoded form of the page it touches, so a kernel that
 * loads a program, or a program that writes its own code, never runs stale instructions.
 */
public final class PhysicalMemory {
    public static final long BASE = 0x8000_0000L;
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;
    /** Smallest memory a kernel can boot in: 1 MiB. */
    public static final long MIN_SIZE = 1L << 20;
    /** Largest memory one Java array can hold. */
    public static final long MAX_SIZE = 1L << 30;

    /** Atomic access to {@link #ram}'s elements. */
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Eight bytes of a byte[] at a time, for the bulk copies. */
    private static final VarHandle BYTES_AS_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The bytes: ram index i (= physical address - BASE) is byte i & 7 of element i >>> 3.
     * Harts and compiled code use it directly on their fast paths.
     */
    public final long[] ram;
    /**
     * Per physical page, the hart's decoded instructions for it, or null. Owned by the
     * hart's decoder; cleared here on every write to the page.
     */
    public final Object[] decoded;
    /**
     * The compiled code of every hart on this memory, beside the decoded words it was
     * compiled from (and valid while they are {@link #decoded}'s).
     */
    public final Translator translator;
    /**
     * How many fence.i the harts on this memory have executed. A decoded page records the
     * count it was made at; a hart that executed a fence.i since then makes the page
     * afresh from memory before running it (Hart, FENCE_I).
     */
    public final AtomicLong fences = new AtomicLong();

    /** A fresh decoded page for page (every slot still to decode, made now), put in {@link #decoded}. */
    public long[] newDecoded(int page) {
        long[] code = Decoded.newPage(fences.get());
        VarHandle.releaseFence(); // another hart must not see the page before its END words
        decoded[page] = code;
        return code;
    }
    /** The LR/SC reservations of the harts on this memory, which every store here respects. */
    final Reservations reservations;
    private final long size;
    /** Harts made on this memory. */
    private int harts;
    /**
     * Whether more than one hart uses this memory: narrow stores are then compare-and-sets.
     * Set before the second hart runs (harts are made before any runs).
     */
    boolean shared;

    public PhysicalMemory(long size) {
        if (size < MIN_SIZE || size > MAX_SIZE || size % PAGE_SIZE != 0)
            throw new IllegalArgumentException(String.format(
                    "memory size must be a multiple of 4 KiB between %d MiB and %d MiB, not %d bytes",
                    MIN_SIZE >> 20, MAX_SIZE >> 20, size));
        this.size = size;
        // With masked indices (CompiledAccess.MASKED) compiled code indexes these arrays by
        // i & (length - 1), which is i only when the length is a power of two: then a
        // size that is not one gets arrays of the next, whose tail no address reaches.
        long room = CompiledAccess.MASKED ? Long.highestOneBit(size - 1) << 1 : size;
        this.ram = new long[(int) (room >>> 3)];
        this.decoded = new Object[(int) (room >>> PAGE_SHIFT)];
        this.reservations = new Reservations(decoded.length);
        // Compiled code lives in this package, beside the hart whose fields it uses.
        this.translator = new Translator(MethodHandles.lookup(), ram, decoded);
    }

    /** A hart was made on this memory. */
    synchronized void attach(Hart h) {
        if (++harts > 1) shared = true;
        reservations.attach(h);
    }

    public long size() { return size; }
    public int pages() { return (int) (size >>> PAGE_SHIFT); }
    /** One past the last physical address. */
    public long end() { return BASE + size; }

    /** True if [pa, pa+len) is all RAM. */
    public boolean contains(long pa, long len) {
        return pa >= BASE && len >= 0 && pa - BASE <= size - len;
    }

    private int index(long pa, int len) {
        if (!contains(pa, len))
            throw new IllegalArgumentException(String.format("physical address 0x%x (+%d) is outside RAM", pa, len));
        return (int) (pa - BASE);
    }

    /** Index of the physical page holding pa, counted from BASE. */
    public static int pageIndex(long pa) { return (int) ((pa - BASE) >>> PAGE_SHIFT); }

    /** Called after any write to [i, i+len) of ram: drop decoded code of the touched pages. */
    public void invalidateCode(int i, int len) {
        int first = i >>> PAGE_SHIFT;
        int last = (i + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
        for (int p = first; p <= last; p++) decoded[p] = null;
    }

    // ---- the element arithmetic, shared by the harts ---------------------------------------

    /**
     * The size bytes (1, 2, 4 or 8) at ram index a, zero-extended; a need not be aligned
     * (two elements are read when the value spans them).
     */
    static long read(long[] ram, int a, int size) {
        int sh = (a & 7) << 3;
        long v = ram[a >>> 3] >>> sh;
        if ((a & 7) + size > 8) v |= ram[(a >>> 3) + 1] << (64 - sh);
        return size == 8 ? v : v & ((1L << (size << 3)) - 1);
    }

    /**
     * Writes the low size bytes of v at ram index a (any alignment), leaving the other
     * bytes of the elements it touches as they are; atomically against other writers of
     * those elements if atomic.
     */
    static void write(long[] ram, int a, int size, long v, boolean atomic) {
        int off = a & 7;
        if (off + size <= 8) {
            merge(ram, a >>> 3, off, size, v, atomic);
        } else {
            int low = 8 - off;
            merge(ram, a >>> 3, off, low, v, atomic);
            merge(ram, (a >>> 3) + 1, 0, size - low, v >>> (low << 3), atomic);
        }
    }

    /** Bytes [off, off+n) of element e become the low n bytes of v. */
    static void merge(long[] ram, int e, int off, int n, long v, boolean atomic) {
        if (n == 8) {
            ram[e] = v;
            return;
        }
        int sh = off << 3;
        long mask = ((1L << (n << 3)) - 1) << sh;
        long bits = (v << sh) & mask;
        if (!atomic) {
            ram[e] = (ram[e] & ~mask) | bits;
            return;
        }
        long old;
        do {
            old = (long) LONGS.getVolatile(ram, e);
        } while (!LONGS.compareAndSet(ram, e, old, (old & ~mask) | bits));
    }

    // A narrow aligned store with one hart on the memory: a plain read and write of its
    // doubleword. The shift counts use Java's rule that a long shifts by its count's low 6
    // bits: a << 3 is the byte offset in the doubleword times 8. Each is under 35 bytes of
    // bytecode, so HotSpot inlines it at every call, hot or not, in C1 as in C2 (the
    // interpreter's loop and compiled regions call them).
    static void put8(long[] ram, int a, long v) {
        ram[a >>> 3] ^= (ram[a >>> 3] ^ v << (a << 3)) & 0xffL << (a << 3);
    }

    static void put16(long[] ram, int a, long v) {
        ram[a >>> 3] ^= (ram[a >>> 3] ^ v << (a << 3)) & 0xffffL << (a << 3);
    }

    static void put32(long[] ram, int a, long v) {
        ram[a >>> 3] ^= (ram[a >>> 3] ^ v << (a << 3)) & 0xffffffffL << (a << 3);
    }

    // The same with the doubleword's index masked to ram's length (a power of two: see the
    // constructor), so that C2 proves it in bounds and tests nothing (CompiledAccess.MASKED).
    static void put8(long[] ram, int a, long v, int mask) {
        int e = (a >>> 3) & mask;
        ram[e] ^= (ram[e] ^ v << (a << 3)) & 0xffL << (a << 3);
    }

    static void put16(long[] ram, int a, long v, int mask) {
        int e = (a >>> 3) & mask;
        ram[e] ^= (ram[e] ^ v << (a << 3)) & 0xffffL << (a << 3);
    }

    static void put32(long[] ram, int a, long v, int mask) {
        int e = (a >>> 3) & mask;
        ram[e] ^= (ram[e] ^ v << (a << 3)) & 0xffffffffL << (a << 3);
    }

    /** A narrow aligned store on memory several harts share: a compare-and-set of its doubleword. */
    static void putShared(long[] ram, int a, int size, long v) {
        merge(ram, a >>> 3, a & 7, size, v, true);
    }

    // ---- by physical address, for the kernels ----------------------------------------------

    public byte load8(long pa) { return (byte) read(ram, index(pa, 1), 1); }
    public short load16(long pa) { return (short) read(ram, index(pa, 2), 2); }
    public int load32(long pa) { return (int) read(ram, index(pa, 4), 4); }
    public long load64(long pa) { return read(ram, index(pa, 8), 8); }

    // A kernel may write while other harts run, so its narrow writes are always atomic.
    public void store8(long pa, byte v) { store(pa, 1, v); }
    public void store16(long pa, short v) { store(pa, 2, v); }
    public void store32(long pa, int v) { store(pa, 4, v); }
    public void store64(long pa, long v) { store(pa, 8, v); }

    // Every write below is a store another hart's LR/SC must see (the kernel's copyout, a
    // disk read into RAM): on a page with a reservation it is made under the reservations'
    // lock and breaks those it overlaps; elsewhere it is counted in flight while it writes,
    // so a first LR on its page waits for it (see Reservations).

    /** Makes the kernel's write w of ram[i, i+len) as Reservations requires (above). */
    private void kernelWrite(int i, int len, Runnable w) {
        if (reservations.kernelWriting(i, len)) {
            synchronized (reservations) {
                w.run();
                reservations.stored(i, len);
            }
        } else {
            try {
                w.run();
            } finally {
                reservations.kernelWrote(i, len);
            }
        }
    }

    private void store(long pa, int size, long v) {
        int i = index(pa, size);
        kernelWrite(i, size, () -> write(ram, i, size, v, true));
        invalidateCode(i, size);
    }

    /** Atomic 64-bit compare-and-set at an 8-aligned address (page-table A/D updates, AMOs). */
    public boolean cas64(long pa, long expect, long update) {
        int i = index(pa, 8);
        if ((i & 7) != 0) throw new IllegalArgumentException(String.format("cas64 at unaligned physical address 0x%x", pa));
        boolean ok;
        if (reservations.kernelWriting(i, 8)) {
            synchronized (reservations) {
                ok = LONGS.compareAndSet(ram, i >>> 3, expect, update);
                if (ok) reservations.stored(i, 8);
            }
        } else {
            try {
                ok = LONGS.compareAndSet(ram, i >>> 3, expect, update);
            } finally {
                reservations.kernelWrote(i, 8);
            }
        }
        if (ok) invalidateCode(i, 8);
        return ok;
    }

    /** Volatile 64-bit read at an 8-aligned address. */
    public long loadVolatile64(long pa) {
        int i = index(pa, 8);
        if ((i & 7) != 0) throw new IllegalArgumentException(String.format("loadVolatile64 at unaligned physical address 0x%x", pa));
        return (long) LONGS.getVolatile(ram, i >>> 3);
    }

    public void read(long pa, byte[] dst, int off, int len) {
        int i = index(pa, len);
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int k = 0;
        for (; k < len && ((i + k) & 7) != 0; k++) dst[off + k] = (byte) read(ram, i + k, 1);
        for (; k + 8 <= len; k += 8) BYTES_AS_LONG.set(dst, off + k, ram[(i + k) >>> 3]);
        for (; k < len; k++) dst[off + k] = (byte) read(ram, i + k, 1);
    }

    public void write(long pa, byte[] src, int off, int len) {
        int i = index(pa, len);
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        kernelWrite(i, len, () -> writeBytes(i, src, off, len));
        invalidateCode(i, len);
    }

    private void writeBytes(int i, byte[] src, int off, int len) {
        int k = 0;
        for (; k < len && ((i + k) & 7) != 0; k++) write(ram, i + k, 1, src[off + k], true);
        for (; k + 8 <= len; k += 8) ram[(i + k) >>> 3] = (long) BYTES_AS_LONG.get(src, off + k);
        for (; k < len; k++) write(ram, i + k, 1, src[off + k], true);
    }

    public void fill(long pa, int len, byte value) {
        int i = index(pa, len);
        kernelWrite(i, len, () -> fillBytes(i, len, value));
        invalidateCode(i, len);
    }

    private void fillBytes(int i, int len, byte value) {
        long all = (value & 0xffL) * 0x0101010101010101L;
        int k = 0;
        for (; k < len && ((i + k) & 7) != 0; k++) write(ram, i + k, 1, value, true);
        if (k + 8 <= len) {
            int whole = (len - k) >>> 3;
            java.util.Arrays.fill(ram, (i + k) >>> 3, ((i + k) >>> 3) + whole, all);
            k += whole << 3;
        }
        for (; k < len; k++) write(ram, i + k, 1, value, true);
    }

    /** Copy len bytes between two physical ranges (fork's page copies). */
    public void copy(long dstPa, long srcPa, int len) {
        int s = index(srcPa, len);
        int d = index(dstPa, len);
        kernelWrite(d, len, () -> copyBytes(d, s, len));
        invalidateCode(d, len);
    }

    private void copyBytes(int d, int s, int len) {
        if (((s | d | len) & 7) == 0) {
            System.arraycopy(ram, s >>> 3, ram, d >>> 3, len >>> 3);
        } else if (d <= s || d >= s + len) {
            for (int k = 0; k < len; k++) write(ram, d + k, 1, read(ram, s + k, 1), true);
        } else { // overlapping, destination above: from the end
            for (int k = len - 1; k >= 0; k--) write(ram, d + k, 1, read(ram, s + k, 1), true);
        }
    }
}
