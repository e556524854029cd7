package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import xv6j.machine.Trap;

/**
 * What the kernel did lately, for the live view: protected control transfers (calls and
 * returns), upcalls, revocations and what they removed, directed yields, environments made
 * and ended. Off until {@link Exokernel#traceEvents}: then each event costs a few stores
 * into a ring, under the kernel's lock, and nothing is formatted until someone reads.
 *
 * <p>Each kind keeps its own last {@link #PER_KIND}, so a burst of calls (the LibOS makes
 * thousands a second) does not push a revocation out before anyone looked.
 */
public final class Trace {
    static final int PER_KIND = 32;
    /** Events a snapshot shows at most, the latest of all kinds. */
    static final int SHOWN = 64;

    static final int PCT_CALL = 0, PCT_RETURN = 1, UPCALL = 2, REVOKE = 3, YIELD = 4, CREATE = 5, EXIT = 6;
    private static final String[] KINDS = {"pct-call", "pct-return", "upcall", "revoke", "yield", "create", "exit"};

    /**
     * An event: its number (in the order they happened), the tick, its kind ("pct-call",
     * "pct-return", "upcall", "revoke", "yield", "create", "exit"), the environment that
     * acted and the other one (0: none), and what happened, in words (environments named as
     * {@link Environments#label} names them; a revocation's list of what it took, by id).
     */
    public record Event(long seq, long tick, String kind, int env, int other, String text) {}

    private final Exokernel k;
    private boolean on;
    private long seq;
    private final long[][] seqs = new long[KINDS.length][PER_KIND];
    private final long[][] ticks = new long[KINDS.length][PER_KIND];
    private final int[][] envs = new int[KINDS.length][PER_KIND];
    private final int[][] others = new int[KINDS.length][PER_KIND];
    private final long[][] as = new long[KINDS.length][PER_KIND];
    private final long[][] bs = new long[KINDS.length][PER_KIND];
    private final long[][] cs = new long[KINDS.length][PER_KIND];
    private final Object[][] details = new Object[KINDS.length][PER_KIND];
    private final long[] counts = new long[KINDS.length];

    Trace(Exokernel k) {
        this.k = k;
    }

    void start() {
        on = true;
    }

    boolean on() {
        return on;
    }

    private void record(int kind, int env, int other, long a, long b, Object detail) {
        record(kind, env, other, a, b, 0, detail);
    }

    private void record(int kind, int env, int other, long a, long b, long c, Object detail) {
        int i = (int) (counts[kind]++ % PER_KIND);
        seqs[kind][i] = ++seq;
        ticks[kind][i] = k.sched.ticks;
        envs[kind][i] = env;
        others[kind][i] = other;
        as[kind][i] = a;
        bs[kind][i] = b;
        cs[kind][i] = c;
        details[kind][i] = detail;
    }

    void pctCall(Env caller, Env callee) {
        if (on) record(PCT_CALL, caller.id, callee.id, 0, 0, null);
    }

    /** callee's call returns to caller (null: the caller is gone; the call survived it). */
    void pctReturn(Env callee, Env caller) {
        if (on) record(PCT_RETURN, callee.id, caller == null ? 0 : caller.id, 0, 0, null);
    }

    void upcall(Env e, int kind, long cause, long tval) {
        if (on) record(UPCALL, e.id, 0, kind, tval, cause, null);
    }

    /** e revokes c: doomed is what goes, and with it its mappings. */
    void revoke(Env e, Cap c, List<Cap> doomed) {
        if (!on) return;
        int mappings = 0;
        StringBuilder gone = new StringBuilder();
        for (Cap d : doomed) {
            if (!d.live) continue; // a placeholder: freed already
            mappings += d.mappingCount();
            if (gone.length() < 200) gone.append(gone.isEmpty() ? "" : ", ").append("env ").append(d.owner.id).append(" h").append(d.handle);
            else if (!gone.toString().endsWith("...")) gone.append(", ...");
        }
        record(REVOKE, e.id, 0, c.handle, doomed.stream().filter(d -> d.live).count(), new Object[] {mappings, gone.toString(), c.type});
    }

    void yieldTo(Env e, Env target) {
        if (on) record(YIELD, e.id, target.id, 0, 0, null);
    }

    void create(int parentId, Env e) {
        if (on) record(CREATE, parentId, e.id, 0, 0, null);
    }

    /** e ended with status; why is the console line that said why it was destroyed, or null. */
    void exit(Env e, int status, String why) {
        if (on) record(EXIT, e.id, 0, status, 0, why);
    }

    /**
     * The last events, oldest first: at most {@link #SHOWN}. Their words name environments
     * as they are now ({@link Environments#label}: an environment exec'd since is named by
     * its new program, one gone by its id alone); each is read once per call. Lock held.
     */
    List<Event> events() {
        List<Event> out = new ArrayList<>();
        Map<Integer, String> labels = new HashMap<>();
        IntFunction<String> who = id -> labels.computeIfAbsent(id, k.envs::label);
        for (int kind = 0; kind < KINDS.length; kind++) {
            long n = Math.min(counts[kind], PER_KIND);
            for (int j = 0; j < n; j++) {
                out.add(new Event(seqs[kind][j], ticks[kind][j], KINDS[kind], envs[kind][j], others[kind][j],
                        text(kind, j, who)));
            }
        }
        out.sort(Comparator.comparingLong(Event::seq));
        return List.copyOf(out.subList(Math.max(0, out.size() - SHOWN), out.size()));
    }

    /** Event j of kind in words, environments named by who. */
    private String text(int kind, int j, IntFunction<String> who) {
        int env = envs[kind][j], other = others[kind][j];
        long a = as[kind][j], b = bs[kind][j];
        Object d = details[kind][j];
        return switch (kind) {
            case PCT_CALL -> who.apply(env) + " calls " + who.apply(other);
            case PCT_RETURN -> other == 0 ? who.apply(env) + " returns from a call whose caller is gone" : who.apply(env) + " returns to " + who.apply(other);
            case UPCALL -> "upcall to " + who.apply(env) + ": " + switch ((int) a) {
                case UPCALL_FAULT -> String.format("fault (%s) at 0x%x", cause(cs[kind][j]), b);
                case UPCALL_SLICE -> "its time slice ended";
                default -> "revocation notice for handle " + b;
            };
            case REVOKE -> {
                Object[] r = (Object[]) d;
                yield String.format("%s revokes handle %d (%s): %d capabilities removed (%s), and %d mappings",
                        who.apply(env), a, typeName((Integer) r[2]), b, b == 0 ? "none" : r[1], (Integer) r[0]);
            }
            case YIELD -> who.apply(env) + " yields to " + who.apply(other);
            case CREATE -> who.apply(env) + " creates " + who.apply(other);
            default -> d != null ? (String) d : who.apply(env) + " exits, status " + a;
        };
    }

    private static String cause(long code) {
        for (Trap.Cause c : Trap.Cause.values()) if (c.code == code) return c.describe();
        return "cause " + code;
    }

    /** CAP_* as a word: "page", "memory", ... */
    public static String typeName(int type) {
        return switch (type) {
            case CAP_PAGE -> "page";
            case CAP_MEMORY -> "memory";
            case CAP_BLOCKS -> "blocks";
            case CAP_ENV -> "env";
            case CAP_CPU -> "cpu";
            case CAP_CONSOLE -> "console";
            case CAP_CLOCK -> "clock";
            default -> "type " + type;
        };
    }
}
