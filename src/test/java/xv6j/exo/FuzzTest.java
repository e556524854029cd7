package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random system calls, valid and invalid, from several environments through
 * the Java-side dispatcher, with every invariant checked after each one: protected control
 * transfers, returns, stops and destroys of each other among them.
 */
class FuzzTest {
    static final int STEPS = 4000;
    /** Environments making the calls, and the quota of memory each has. */
    static final int POPULATION = 4;
    static final long QUOTA = 64;

    @Test
    void randomCallsFromSeveralEnvironmentsKeepEveryInvariant() throws Exception {
        String trace = run(20260611L);
        assertTrue(trace.length() > STEPS, "ran");
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        assertEquals(run(7L), run(7L));
    }

    /**
     * Runs the fuzzer; returns a trace of every call and result. The first environment only
     * keeps a population of environments supplied; they make the random calls. Each has a
     * small quota (so E_NOMEM paths run), registers a PCT entry, and holds CAP_ALL on
     * itself and on two others: calls into each other, returns, grants, stops and destroys
     * of each other interleave at random (the "races" of a single-threaded dispatcher: any
     * order of events). Environments that die or become unreachable are replaced.
     */
    private static String run(long seed) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder trace = new StringBuilder();
        int successes = 0;
        int pctCalls = 0;
        int destroys = 0;
        int ticks = 0;
        try (ExoFixture f = new ExoFixture("line one\nline two\n")) {
            Env keeper = f.boot;
            f.mapPage(keeper, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
            List<long[]> kids = new ArrayList<>(); // {keeper's handle, env id}
            for (int step = 0; step < STEPS; step++) {
                kids.removeIf(h -> f.k.env((int) h[1]) == null || f.k.env((int) h[1]).exited);
                if (kids.size() < POPULATION || step % 500 == 0) supply(f, keeper, kids, rnd);
                List<Env> ready = new ArrayList<>();
                for (Env e : f.k.envs.values()) {
                    if (e != keeper && !e.exited && !e.cur.blocked() && e.waitingOn == null && e.callee == null) ready.add(e);
                }
                if (ready.isEmpty()) {
                    f.k.lock.lock();
                    try {
                        f.machine.clock().advanceTo(f.k.sched.ticks + 1);
                        f.k.sched.clockIntr();
                        f.k.devices.keyTyped((byte) 'x'); // (a key: EV_CONSOLE and EV_KEY)
                    } finally {
                        f.k.lock.unlock();
                    }
                    f.check();
                    trace.append("tick\n");
                    if (++ticks % 2 == 0 && !kids.isEmpty()) {
                        // Still nothing can run (all wait for each other or for events that
                        // will not come): the keeper destroys one, whatever it was doing.
                        long[] k = kids.get(rnd.nextInt(kids.size()));
                        f.call(keeper, SYS_env_ctl, k[0], ENV_DESTROY, -1);
                        destroys++;
                    }
                    continue;
                }
                Env e = ready.get(rnd.nextInt(ready.size()));
                // Calls into and control of each other a good part of the time, anything otherwise.
                int pick = rnd.nextInt(20);
                int num = pick < 3 ? SYS_pct_call : pick < 5 ? SYS_env_ctl : pick < 6 ? SYS_pct_return
                        : SYS_FIRST + rnd.nextInt(SYS_LAST - SYS_FIRST + 1);
                long[] args = new long[7];
                for (int i = 0; i < 7; i++) args[i] = arg(rnd);
                if (num == SYS_capalloc) {
                    args[0] = new long[] {CAP_PAGE, CAP_PAGE, CAP_BLOCKS, CAP_ENV, rnd.nextInt(9)}[rnd.nextInt(5)];
                    if (args[0] == CAP_ENV && f.k.envs.size() > 24) args[0] = CAP_PAGE;
                    if (args[0] == CAP_PAGE && rnd.nextBoolean()) args[1] = -1;
                }
                if (num == SYS_exo_disk && rnd.nextBoolean()) {
                    for (Cap c : e.caps.all()) {
                        if (c.type == CAP_BLOCKS) args[0] = c.handle;
                        if (c.type == CAP_PAGE) args[2] = c.handle;
                    }
                    args[1] = rnd.nextInt(70);
                    args[3] = 1024L * rnd.nextInt(5);
                    args[4] = rnd.nextInt(3);
                }
                if ((num == SYS_pct_call || num == SYS_env_ctl) && rnd.nextBoolean()) {
                    // Aim at another environment more often than chance would.
                    List<Cap> envCaps = new ArrayList<>();
                    for (Cap c : e.caps.all()) if (c.type == CAP_ENV && c.target != e) envCaps.add(c);
                    if (!envCaps.isEmpty()) args[0] = envCaps.get(rnd.nextInt(envCaps.size())).handle;
                    if (num == SYS_env_ctl) args[1] = new long[] {ENV_DESTROY, ENV_STOP, ENV_START, ENV_GETREGS, ENV_INFO}[rnd.nextInt(5)];
                }
                if (num == SYS_exo_grantmap && rnd.nextBoolean()) args[0] = someCap(e, CAP_PAGE, rnd, args[0]);
                if (num == SYS_exo_batch && rnd.nextInt(4) != 0) {
                    // A real array of calls a good part of the time: what the single calls do, in one crossing.
                    args[0] = ExoFixture.SCRATCH + 0x800;
                    args[1] = 1 + rnd.nextInt(6);
                    writeBatch(f, e, args[0], (int) args[1], rnd);
                }
                if (num == SYS_env_ctl && args[1] == ENV_SETREGS) args[1] = ENV_GETREGS; // keep pcs sane for the trace
                if (num == SYS_pct_call) pctCalls++;
                if (num == SYS_env_ctl && args[1] == ENV_DESTROY) destroys++;
                long r = f.call(e, num, args); // checks every invariant
                if (r >= 0) successes++;
                trace.append(e.id).append(' ').append(Integer.toHexString(num)).append(' ').append(r).append('\n');
            }
            assertTrue(successes > STEPS / 20, "enough calls succeed to exercise the kernel: " + successes + " (" + ticks + " ticks)");
            assertTrue(f.k.devices.audit.size() > 0, "some disk transfers happened");
            assertTrue(pctCalls > 50 && destroys > 20, "calls and destroys: " + pctCalls + ", " + destroys);
        }
        return trace.toString();
    }

    /** Makes new environments until there are POPULATION, each supplied and knowing two others. */
    private static void supply(ExoFixture f, Env keeper, List<long[]> kids, Random rnd) {
        while (kids.size() < POPULATION) {
            long[] h = new long[1];
            Env c = f.child(keeper, h);
            long mem = f.call(keeper, SYS_capgrant, EXO_BOOT_MEMORY, h[0], CAP_ALL, 0, 0, QUOTA);
            f.mapPage(c, mem, ExoFixture.SCRATCH);
            f.call(keeper, SYS_capgrant, EXO_BOOT_DISK, h[0], CAP_ALL, 8L * rnd.nextInt(6), 16, 0);
            f.call(keeper, SYS_capgrant, EXO_BOOT_CONSOLE, h[0], CAP_ALL, 0, 0, 0);
            f.call(keeper, SYS_capgrant, EXO_BOOT_CPU, h[0], CAP_ALL, 0, 0, 0);
            f.call(keeper, SYS_capgrant, h[0], h[0], CAP_ALL, 0, 0, 0);
            f.call(c, SYS_pct_register, 0x3000, 0x8000, rnd.nextInt(2));
            kids.add(new long[] {h[0], c.id});
        }
        // Everyone holds CAP_ALL on two others: calls, stops and destroys among them.
        for (long[] k : kids) {
            for (int i = 0; i < 2; i++) {
                long[] other = kids.get(rnd.nextInt(kids.size()));
                if (other != k) f.call(keeper, SYS_capgrant, other[0], k[0], CAP_ALL, 0, 0, 0);
            }
        }
    }

    /** The handle of one of e's capabilities of the type, at random, or dflt if it has none. */
    private static long someCap(Env e, int type, Random rnd, long dflt) {
        List<Cap> of = new ArrayList<>();
        for (Cap c : e.caps.all()) if (c.type == type) of.add(c);
        return of.isEmpty() ? dflt : of.get(rnd.nextInt(of.size())).handle;
    }

    /** Writes n random calls for exo_batch at va in e, if e can still write there (it may have unmapped it). */
    private static void writeBatch(ExoFixture f, Env e, long va, int n, Random rnd) {
        int[] batchable = {SYS_capalloc, SYS_capfree, SYS_capgrant, SYS_exo_map, SYS_exo_unmap, SYS_exo_grantmap};
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * CALL_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int num = rnd.nextInt(8) == 0 ? SYS_FIRST + rnd.nextInt(SYS_LAST - SYS_FIRST + 1) : batchable[rnd.nextInt(batchable.length)];
            b.putLong(num);
            long[] a = new long[6];
            for (int j = 0; j < 6; j++) a[j] = arg(rnd);
            if (num == SYS_capalloc) {
                a[0] = CAP_PAGE;
                a[1] = -1;
            }
            if ((num == SYS_exo_grantmap || num == SYS_exo_map) && rnd.nextBoolean()) {
                int page = num == SYS_exo_map ? 2 : 0;
                a[page] = someCap(e, CAP_PAGE, rnd, a[page]);
            }
            for (long x : a) b.putLong(x);
            b.putLong(0);
        }
        f.k.lock.lock();
        try {
            f.k.umem.copyOut(e, va, b.array());
        } finally {
            f.k.lock.unlock();
        }
    }

    private static long arg(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0, 1, 2, 3 -> rnd.nextInt(10);               // handles, ops, small numbers
            case 4 -> -1;                                     // EXO_SELF, or "any page"
            case 5 -> 0x1000L * (1 + rnd.nextInt(16));         // user addresses
            case 6 -> ExoFixture.SCRATCH + 8L * rnd.nextInt(32); // inside the scratch page
            case 7 -> rnd.nextInt(8);                         // perms, rights
            case 8 -> 1024L * rnd.nextInt(5);                 // block offsets
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE, EXO_UTOP, -4096, 1L << 40, 3}[rnd.nextInt(6)];
        };
    }
}
