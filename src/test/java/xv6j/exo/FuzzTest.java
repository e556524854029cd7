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
 * the Java-side dispatcher, with every invariant checked after each one.
 */
class FuzzTest {
    static final int STEPS = 4000;

    @Test
    void randomCallsFromSeveralEnvironmentsKeepEveryInvariant() throws Exception {
        String trace = run(20260611L);
        assertTrue(trace.length() > STEPS, "ran");
    }

    @Test
    void theSameSeedGivesTheSameRun() throws Exception {
        assertEquals(run(7L), run(7L));
    }

    /** Runs the fuzzer; returns a trace of every call and result. */
    private static String run(long seed) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder trace = new StringBuilder();
        int successes = 0;
        try (ExoFixture f = new ExoFixture("line one\nline two\n")) {
            Env boot = f.boot;
            f.mapPage(boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
            for (int i = 0; i < 3; i++) {
                long[] h = new long[1];
                Env c = f.child(boot, h);
                long mem = f.giveMemory(boot, h[0]);
                f.mapPage(c, mem, ExoFixture.SCRATCH);
                f.call(boot, SYS_capgrant, EXO_BOOT_DISK, h[0], CAP_ALL, 8 * i, 16);
                f.call(boot, SYS_capgrant, EXO_BOOT_CONSOLE, h[0], CAP_ALL, 0, 0);
                f.call(boot, SYS_capgrant, h[0], h[0], CAP_ALL, 0, 0);
                f.call(c, SYS_pct_register, 0x3000, 0x8000, i % 2);
            }
            for (int step = 0; step < STEPS; step++) {
                if (step % 500 == 0 && !boot.exited && !boot.cur.blocked() && boot.waitingOn == null && boot.callee == null) {
                    // Keep the population supplied: fresh disk ranges for whoever is alive.
                    for (Cap c : boot.caps.all()) {
                        if (c.type == CAP_ENV && !c.target.exited && c.target != boot && boot.caps.get(EXO_BOOT_DISK) != null)
                            f.call(boot, SYS_capgrant, EXO_BOOT_DISK, c.handle, CAP_ALL, 0, 0);
                    }
                }
                List<Env> ready = new ArrayList<>();
                for (Env e : f.k.envs.values()) {
                    if (!e.exited && !e.cur.blocked() && e.waitingOn == null && e.callee == null) ready.add(e);
                }
                if (ready.isEmpty()) {
                    f.k.lock.lock();
                    try {
                        f.machine.clock().advanceTo(f.k.sched.ticks + 1);
                        f.k.sched.clockIntr();
                        f.k.devices.consoleInput(new byte[] {'x'});
                    } finally {
                        f.k.lock.unlock();
                    }
                    f.check();
                    trace.append("tick\n");
                    continue;
                }
                Env e = ready.get(rnd.nextInt(ready.size()));
                int num = SYS_FIRST + rnd.nextInt(SYS_LAST - SYS_FIRST + 1);
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
                if (num == SYS_env_ctl && args[1] == ENV_SETREGS) args[1] = ENV_GETREGS; // keep pcs sane for the trace
                long r = f.call(e, num, args); // checks every invariant
                if (r >= 0) successes++;
                trace.append(e.id).append(' ').append(Integer.toHexString(num)).append(' ').append(r).append('\n');
            }
            assertTrue(successes > STEPS / 10, "enough calls succeed to exercise the kernel: " + successes);
            assertTrue(f.k.devices.audit.size() > 0, "some disk transfers happened");
        }
        return trace.toString();
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
