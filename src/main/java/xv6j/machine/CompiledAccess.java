package xv6j.machine;

import static xv6j.machine.PhysicalMemory.I16;
import static xv6j.machine.PhysicalMemory.I32;
import static xv6j.machine.PhysicalMemory.I64;

import java.nio.ByteBuffer;
import xv6j.machine.jit.Tlb;

/**
 * Loads and stores as compiled code ({@link xv6j.machine.jit.Region}) makes them: the
 * interpreter's fast path (a TLB probe, then the access) with the hart's slow path
 * behind it, one small static method per kind, which HotSpot inlines into each region.
 * A region's method must stay small for HotSpot to compile it at all, so an access
 * costs the region one call's worth of bytecode.
 *
 * <p>A fault (which only the slow path finds) sets the hart's {@code jitFault}: a load
 * then returns 0 and the region, which tests the flag after each load, leaves before the
 * access for the interpreter to run it again and raise the trap. A store returns its
 * outcome: {@link #FAULT}, {@link #OWN_PAGE} (it wrote the page of the region's own
 * code, whose decoded words, and so the region, are then stale: leave after it) or 0.
 * (Throwing the fault to a handler at each access was tried: HotSpot then gave up
 * compiling large regions, "too many stack slots used", and ran them in its bytecode
 * interpreter.)
 */
final class CompiledAccess {
    private CompiledAccess() {}

    /** What a store returns besides 0. */
    static final int FAULT = -1, OWN_PAGE = 1;

    // Tag masks: the page, with the low bits that must be 0 for an aligned access.
    private static final long ANY = ~0xfffL, HALF = ~0xffeL, WORD = ~0xffcL, DOUBLE = ~0xff8L;

    private static long slowLoad(Hart h, long va, int size) {
        long v = h.load(va, size);
        if (h.takeFault()) h.jitFault = true;
        return v;
    }

    static long lb(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, ANY, ctx);
        return i >= 0 ? (byte) (short) I16.get(ram, i) : (byte) slowLoad(h, va, 1);
    }

    static long lbu(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, ANY, ctx);
        return i >= 0 ? (short) I16.get(ram, i) & 0xffL : slowLoad(h, va, 1);
    }

    static long lh(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, HALF, ctx);
        return i >= 0 ? (short) I16.get(ram, i) : (short) slowLoad(h, va, 2);
    }

    static long lhu(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, HALF, ctx);
        return i >= 0 ? (short) I16.get(ram, i) & 0xffffL : slowLoad(h, va, 2);
    }

    static long lw(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, WORD, ctx);
        return i >= 0 ? (int) I32.get(ram, i) : (int) slowLoad(h, va, 4);
    }

    static long lwu(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, WORD, ctx);
        return i >= 0 ? (int) I32.get(ram, i) & 0xffffffffL : slowLoad(h, va, 4);
    }

    static long ld(long[] tlb, ByteBuffer ram, long ctx, Hart h, long va) {
        int i = Tlb.index(tlb, va, DOUBLE, ctx);
        return i >= 0 ? (long) I64.get(ram, i) : slowLoad(h, va, 8);
    }

    /** After a store to ram index a: a page with decoded code loses it; OWN_PAGE if that was the region's own page. */
    private static int wrote(Object[] decoded, int page, int a) {
        if (decoded[a >>> 12] == null) return 0;
        decoded[a >>> 12] = null;
        return a >>> 12 == page ? OWN_PAGE : 0;
    }

    private static int slowStore(Object[] decoded, int page, Hart h, long va, int size, long v) {
        if (!h.store(va, size, v)) {
            h.takeFault();
            return FAULT;
        }
        return decoded[page] == null ? OWN_PAGE : 0;
    }

    static int sb(long[] tlb, ByteBuffer ram, long ctx, Object[] decoded, int page, Hart h, long va, long v) {
        int i = Tlb.index(tlb, va, ANY, ctx);
        if (i < 0) return slowStore(decoded, page, h, va, 1, v);
        ram.put(i, (byte) v);
        return wrote(decoded, page, i);
    }

    static int sh(long[] tlb, ByteBuffer ram, long ctx, Object[] decoded, int page, Hart h, long va, long v) {
        int i = Tlb.index(tlb, va, HALF, ctx);
        if (i < 0) return slowStore(decoded, page, h, va, 2, v);
        I16.set(ram, i, (short) v);
        return wrote(decoded, page, i);
    }

    static int sw(long[] tlb, ByteBuffer ram, long ctx, Object[] decoded, int page, Hart h, long va, long v) {
        int i = Tlb.index(tlb, va, WORD, ctx);
        if (i < 0) return slowStore(decoded, page, h, va, 4, v);
        I32.set(ram, i, (int) v);
        return wrote(decoded, page, i);
    }

    static int sd(long[] tlb, ByteBuffer ram, long ctx, Object[] decoded, int page, Hart h, long va, long v) {
        int i = Tlb.index(tlb, va, DOUBLE, ctx);
        if (i < 0) return slowStore(decoded, page, h, va, 8, v);
        I64.set(ram, i, v);
        return wrote(decoded, page, i);
    }
}
