package xv6j.elf;

/** Little-endian field reads; callers have checked the bounds. */
final class Bytes {
    private Bytes() {}

    static int u16(byte[] b, int i) { return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8; }

    static long u32(byte[] b, int i) { return (u16(b, i) | (long) u16(b, i + 2) << 16) & 0xffffffffL; }

    static long u64(byte[] b, int i) { return u32(b, i) | u32(b, i + 4) << 32; }
}
