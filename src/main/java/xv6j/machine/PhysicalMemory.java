package xv6j.machine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>The bytes are a direct (off-heap) ByteBuffer rather than a byte[]: since JDK 22 a
 * byte[] allows no atomic access through a VarHandle (JDK-8318966), and a RISC-V machine
 * needs 32- and 64-bit compare-and-set and atomic read-modify-write on the very memory
 * that plain loads and stores use (AMOs, SC, and the MMU's A/D updates). A direct buffer
 * allows both, at aligned indices, on every JDK from 21 on.
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

    /** Little-endian views of {@link #ram}; plain get/set at any index, atomics at aligned ones. */
    static final VarHandle I16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The bytes, little-endian; index = physical address - BASE. Harts use it directly on
     * their fast path. Use only absolute get/put (the buffer's position is shared). The
     * buffer is {@link #SLACK} bytes longer than RAM.
     */
    public final ByteBuffer ram;
    /**
     * Bytes the buffer has past the end of RAM, never part of it: a hart reads a narrow
     * load as the 8 bytes at its address, which may run past the last byte of RAM.
     */
    static final int SLACK = 8;
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
    private final long size;

    public PhysicalMemory(long size) {
        if (size < MIN_SIZE || size > MAX_SIZE || size % PAGE_SIZE != 0)
            throw new IllegalArgumentException(String.format(
                    "memory size must be a multiple of 4 KiB between %d MiB and %d MiB, not %d bytes",
                    MIN_SIZE >> 20, MAX_SIZE >> 20, size));
        this.size = size;
        this.ram = ByteBuffer.allocateDirect((int) size + SLACK).order(ByteOrder.LITTLE_ENDIAN);
        this.decoded = new Object[(int) (size >>> PAGE_SHIFT)];
        // Compiled code lives in this package, beside the hart whose fields it uses.
        this.translator = new Translator(MethodHandles.lookup(), ram, decoded);
    }

    public long size() { return size; }
    public int pages() { return decoded.length; }
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

    public byte load8(long pa) { return ram.get(index(pa, 1)); }
    public short load16(long pa) { return (short) I16.get(ram, index(pa, 2)); }
    public int load32(long pa) { return (int) I32.get(ram, index(pa, 4)); }
    public long load64(long pa) { return (long) I64.get(ram, index(pa, 8)); }

    public void store8(long pa, byte v) { int i = index(pa, 1); ram.put(i, v); invalidateCode(i, 1); }
    public void store16(long pa, short v) { int i = index(pa, 2); I16.set(ram, i, v); invalidateCode(i, 2); }
    public void store32(long pa, int v) { int i = index(pa, 4); I32.set(ram, i, v); invalidateCode(i, 4); }
    public void store64(long pa, long v) { int i = index(pa, 8); I64.set(ram, i, v); invalidateCode(i, 8); }

    /** Atomic 64-bit compare-and-set at an 8-aligned address (page-table A/D updates, AMOs). */
    public boolean cas64(long pa, long expect, long update) {
        int i = index(pa, 8);
        boolean ok = I64.compareAndSet(ram, i, expect, update);
        if (ok) invalidateCode(i, 8);
        return ok;
    }

    /** Volatile 64-bit read at an 8-aligned address. */
    public long loadVolatile64(long pa) { return (long) I64.getVolatile(ram, index(pa, 8)); }

    public void read(long pa, byte[] dst, int off, int len) {
        ram.get(index(pa, len), dst, off, len);
    }

    public void write(long pa, byte[] src, int off, int len) {
        int i = index(pa, len);
        ram.put(i, src, off, len);
        invalidateCode(i, len);
    }

    public void fill(long pa, int len, byte value) {
        int i = index(pa, len);
        byte[] chunk = new byte[Math.min(len, PAGE_SIZE)];
        java.util.Arrays.fill(chunk, value);
        for (int done = 0; done < len; done += chunk.length)
            ram.put(i + done, chunk, 0, Math.min(chunk.length, len - done));
        invalidateCode(i, len);
    }

    /** Copy len bytes between two physical ranges (fork's page copies). */
    public void copy(long dstPa, long srcPa, int len) {
        int s = index(srcPa, len);
        int d = index(dstPa, len);
        ram.put(d, ram, s, len);
        invalidateCode(d, len);
    }
}
