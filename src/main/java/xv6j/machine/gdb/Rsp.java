package xv6j.machine.gdb;

import java.nio.charset.StandardCharsets;

/** The Remote Serial Protocol's encodings: hex numbers, hex bytes, little-endian register values. */
final class Rsp {
    private Rsp() {}

    static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A malformed packet: the session answers it with an error, never more. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String what) {
            super(what);
        }
    }

    /**
     * A packet on the wire: {@code $data#cs}, cs the sum of the bytes between mod 256, with
     * '$', '#', '}' and '*' in data escaped ('}' then the byte XOR 0x20).
     */
    static String frame(String data) {
        StringBuilder b = new StringBuilder(data.length() + 4).append('$');
        int sum = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                b.append('}');
                sum += '}';
                c ^= 0x20;
            }
            b.append(c);
            sum += c;
        }
        return b.append('#').append(HEX[(sum >> 4) & 15]).append(HEX[sum & 15]).toString();
    }

    /** The value of a hex digit, or -1. */
    static int hexDigit(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** A number in hex (at most 16 digits, as addresses and lengths are). */
    static long number(String s) throws Malformed {
        if (s.isEmpty() || s.length() > 16) throw new Malformed("not a hex number: " + s);
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) throw new Malformed("not a hex number: " + s);
            v = v << 4 | d;
        }
        return v;
    }

    /** A length or count: a hex number no larger than max. */
    static int count(String s, int max) throws Malformed {
        long n = number(s);
        if (n > max) throw new Malformed("too large: " + s);
        return (int) n;
    }

    static String hex(byte[] b, int len) {
        StringBuilder s = new StringBuilder(2 * len);
        for (int i = 0; i < len; i++) s.append(HEX[(b[i] >> 4) & 15]).append(HEX[b[i] & 15]);
        return s.toString();
    }

    static String hex(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return hex(b, b.length);
    }

    static byte[] bytes(String hex) throws Malformed {
        if ((hex.length() & 1) != 0) throw new Malformed("odd number of hex digits");
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int h = hexDigit(hex.charAt(2 * i)), l = hexDigit(hex.charAt(2 * i + 1));
            if (h < 0 || l < 0) throw new Malformed("not hex: " + hex);
            b[i] = (byte) (h << 4 | l);
        }
        return b;
    }

    /** A register value as the target stores it: size bytes, little-endian, in hex. */
    static String le(long v, int size) {
        StringBuilder s = new StringBuilder(2 * size);
        for (int i = 0; i < size; i++, v >>>= 8) s.append(HEX[(int) (v >> 4) & 15]).append(HEX[(int) v & 15]);
        return s.toString();
    }

    /** The value of a little-endian hex register image. */
    static long le(String hex) throws Malformed {
        byte[] b = bytes(hex);
        if (b.length > 8) throw new Malformed("register value too long");
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) v = v << 8 | (b[i] & 0xff);
        return v;
    }
}
