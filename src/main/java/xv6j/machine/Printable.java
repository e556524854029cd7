package xv6j.machine;

/**
 * Guest text made safe for the user's terminal. A program's name is whatever exec was
 * given, any bytes but NUL; printed raw, a name holding ESC sequences could clear the
 * screen, retitle the window or move the cursor over what the monitor or ^P shows. So
 * every name a person is shown (^P, the monitor's ps and harts, the live view, the xv6
 * kernel's fault, system-call, panic and "nothing can wake" lines, kernel-exo's words
 * about environments) passes through {@link #of}.
 */
public final class Printable {
    private Printable() {}

    /**
     * s with each character outside printable ASCII (0x20-0x7e) as {@code \xHH}: the C0
     * controls, DEL and the bytes from 0x80 (a name's bytes read as ISO-8859-1; 0x9b is
     * CSI to some terminals). A backslash is left alone, so this may be applied twice and
     * changes nothing the second time; a name that spells {@code \x1b} reads the same as
     * one holding ESC, and the id beside it tells them apart.
     */
    public static String of(String s) {
        int i = 0;
        while (i < s.length() && printable(s.charAt(i))) i++;
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (printable(c)) b.append(c);
            else if (c <= 0xff) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c < 0x7f;
    }
}
