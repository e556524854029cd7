package xv6j.libos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Uproc's copy of the standard LibOS's hand-off layout is the C headers' own: its place
 * (layout.h), magic and name length (uproc.h), and the offsets of pid and name that
 * uproc.h's _Static_assert holds the compiler to. Move any of them in C and this fails.
 */
class UprocLayoutTest {
    private static final Path LIBOS = Path.of("user/libos");

    @Test
    void uprocReadsWhereTheLibosHeadersPutTheHandOff() throws IOException {
        String layout = Files.readString(LIBOS.resolve("layout.h"));
        String uproc = Files.readString(LIBOS.resolve("uproc.h"));
        assertEquals("(LIBOS_BASE)", define(layout, "UPROC_VA"), "UPROC_VA is LIBOS_BASE");
        assertEquals(Uproc.VA, number(define(layout, "LIBOS_BASE")));
        assertEquals(Uproc.MAGIC, number(define(uproc, "UPROC_MAGIC")));
        assertEquals(Uproc.NAMELEN, number(define(uproc, "LIBOS_NAMELEN")));
        assertEquals(Uproc.PID, number(offset(uproc, "pid")));
        assertEquals(Uproc.NAME, number(offset(uproc, "name")));
        assertEquals(Uproc.NAME + Uproc.NAMELEN, Uproc.LEN);
    }

    @Test
    void aHandOffIsReadOnlyWithTheMagicAndItsNameEndsAtItsNul() {
        byte[] b = new byte[Uproc.LEN];
        for (int i = 0; i < 8; i++) b[i] = (byte) (Uproc.MAGIC >>> 8 * i);
        b[Uproc.PID] = 3;
        byte[] sh = "sh\0junk".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(sh, 0, b, Uproc.NAME, sh.length);
        assertEquals(new Uproc(3, "sh"), Uproc.of(b));
        b[0] ^= 1;
        assertNull(Uproc.of(b), "no magic, no hand-off");
        assertNull(Uproc.of(new byte[Uproc.LEN - 1]), "too short");
        b[0] ^= 1;
        assertEquals(Map.of(7, new Uproc(3, "sh")), Uproc.of(Map.of(7, b, 8, new byte[Uproc.LEN])),
                "by environment, those without a hand-off left out");
    }

    /** The value of "#define NAME value" in a header, its comment dropped. */
    private static String define(String header, String name) {
        Matcher m = Pattern.compile("(?m)^#define " + name + "\\s+(\\S+)").matcher(header);
        if (!m.find()) throw new AssertionError("no #define " + name);
        return m.group(1);
    }

    /** The offset uproc.h's _Static_assert holds struct uproc's field to. */
    private static String offset(String header, String field) {
        Matcher m = Pattern.compile("__builtin_offsetof\\(struct uproc, " + field + "\\) == (\\d+)").matcher(header);
        if (!m.find()) throw new AssertionError("uproc.h asserts no offset for " + field);
        return m.group(1);
    }

    private static long number(String c) {
        String s = c.replaceAll("[uUlL]+$", "");
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }
}
