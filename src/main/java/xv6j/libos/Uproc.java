package xv6j.libos;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import xv6j.exo.Snapshot;

/**
 * What the standard LibOS says of a process it made: its pid and program name, read from
 * the LibOS's hand-off, struct uproc (user/libos/uproc.h), at {@link #VA} in the
 * environment's own memory, as a debugger would read them. The console's monitor and the
 * live view use this to say "sh" where the kernel knows only "env 7". An environment no
 * standard LibOS made (or one that has exited) has none.
 *
 * <p>This is the LibOS's layout, not the kernel's: kernel-exo's own paths never read it
 * (the monitor's {@code View} sits in xv6j.exo only to take the kernel's lock), nothing
 * the kernel decides depends on it, and any other LibOS runs the same, unnamed. The
 * bytes are whatever the environment wrote there: a name is what the program claims.
 *
 * @param pid  the LibOS's process id (what the shell's kill takes)
 * @param name the program's name, as exec gave it
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

    /** The hand-off in bytes read from {@link #VA} (a Snapshot's peek), or null if there is none. */
    public static Uproc of(byte[] uproc) {
        if (uproc == null || uproc.length < LEN) return null;
        ByteBuffer b = ByteBuffer.wrap(uproc).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != MAGIC) return null;
        int n = 0;
        while (n < NAMELEN && uproc[NAME + n] != 0) n++;
        return new Uproc(b.getInt(PID), new String(uproc, NAME, n, StandardCharsets.ISO_8859_1));
    }

    /** Every environment's hand-off in s (taken with [VA, VA+LEN) read), by environment id. */
    public static Map<Integer, Uproc> of(Snapshot s) {
        Map<Integer, Uproc> m = new HashMap<>();
        for (Snapshot.Environment e : s.envs()) {
            Uproc u = of(e.peek());
            if (u != null) m.put(e.id(), u);
        }
        return m;
    }

    /** "env 7 (sh)", or "env 7" for one without a hand-off. */
    public static String label(int env, Map<Integer, Uproc> uprocs) {
        Uproc u = uprocs.get(env);
        return u == null ? "env " + env : "env " + env + " (" + u.name() + ")";
    }
}
