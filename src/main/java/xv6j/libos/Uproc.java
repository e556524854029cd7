package xv6j.libos;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import xv6j.machine.Printable;

/**
 * What the standard LibOS says of a process it made: its pid and program name, read from
 * the LibOS's hand-off, struct uproc (user/libos/uproc.h), at {@link #VA} in the
 * environment's own memory, as a debugger would read them. The console's monitor and the
 * live view use this to say "sh" where the kernel knows only "env 7". An environment no
 * standard LibOS made (or one that has exited) has none.
 *
 * <p>This is the LibOS's layout, not the kernel's: nothing kernel-exo decides depends on
 * it, and any other LibOS runs the same, unnamed. It is read only for what is printed for
 * a person: the monitor (whose {@code View} sits in xv6j.exo to take the kernel's lock),
 * the view, and kernel-exo's own words about environments (its events, the report of a
 * script nothing can wake: {@code Environments.label}). The bytes are whatever the
 * environment wrote there: a name is what the program claims.
 *
 * @param pid  the LibOS's process id (what the shell's kill takes)
 * @param name the program's name, as exec gave it, its control bytes escaped ({@link Printable})
 */
public record Uproc(int pid, String name) {
    /**
     * struct uproc's place (layout.h UPROC_VA), its magic (UPROC_MAGIC), and the offsets
     * read (uproc.h asserts them). UprocLayoutTest reads them from the C headers.
     */
    public static final long VA = 0x3F00000000L;
    static final long MAGIC = 0x534f42494cL;
    static final int PID = 8, NAME = 1232, NAMELEN = 16;
    /** How much of an environment's memory from {@link #VA} to read for this. */
    public static final int LEN = NAME + NAMELEN;

    /** The hand-off in bytes read from {@link #VA} (one environment's), or null if there is none. */
    public static Uproc of(byte[] uproc) {
        if (uproc == null || uproc.length < LEN) return null;
        ByteBuffer b = ByteBuffer.wrap(uproc).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != MAGIC) return null;
        int n = 0;
        while (n < NAMELEN && uproc[NAME + n] != 0) n++;
        return new Uproc(b.getInt(PID), Printable.of(new String(uproc, NAME, n, StandardCharsets.ISO_8859_1)));
    }

    /**
     * Every environment's hand-off, by environment id, from the bytes each environment
     * holds at [VA, VA+LEN) (a kernel-exo Snapshot's peeks, taken with that range).
     * Environments with none are left out.
     */
    public static Map<Integer, Uproc> of(Map<Integer, byte[]> peeks) {
        Map<Integer, Uproc> m = new HashMap<>();
        peeks.forEach((env, bytes) -> {
            Uproc u = of(bytes);
            if (u != null) m.put(env, u);
        });
        return m;
    }

    /** {@link #label(int, Uproc)} of env, its hand-off looked up in uprocs. */
    public static String label(int env, Map<Integer, Uproc> uprocs) {
        return label(env, uprocs.get(env));
    }

    /**
     * env as the monitor's ps names it: "env 7 (sh, pid 3)"; "env 2 (fsserver)" for one the
     * LibOS made that is no process (pid 0); "env 7" without a hand-off (u null). The id
     * stays first: it is the one name the kernel knows.
     */
    public static String label(int env, Uproc u) {
        if (u == null) return "env " + env;
        return "env " + env + " (" + u.name() + (u.pid() > 0 ? ", pid " + u.pid() : "") + ")";
    }
}
