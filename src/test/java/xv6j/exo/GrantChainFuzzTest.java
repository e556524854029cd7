package xv6j.exo;

import static xv6j.exo.ExoAbi.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random capability calls shaped to build what FuzzTest's random arguments seldom do: chains
 * and cycles of grants among five environments (back to their granters, to themselves),
 * frees and revocations in the middle of them, pages, blocks and environments made from
 * derived capabilities, mappings through other environments' tables, disk transfers,
 * stops, destroys and calls, with every invariant checked after each call (red team 11:
 * it found the checker taking a freed name kept for two derived from it for a forgery).
 */
class GrantChainFuzzTest {
    static final int STEPS = 3000;

    @Test
    void grantChainsCyclesFreesAndRevocationsKeepEveryInvariant() throws Exception {
        one(1, STEPS);
    }

    /** Runs steps calls; the first environment keeps five others supplied, each knowing some of the rest. */
    private static void one(long seed, int steps) throws Exception {
        Random rnd = new Random(seed);
        try (ExoFixture f = new ExoFixture("abc\n", 8)) {
            Env keeper = f.boot;
            f.mapPage(keeper, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
            for (int step = 0; step < steps; step++) {
                List<Env> live = new ArrayList<>();
                int alive = 0;
                for (Env e : f.k.envs.values()) {
                    if (e == keeper || e.exited) continue;
                    alive++;
                    if (!e.cur.blocked() && e.waitingOn == null && e.callee == null) live.add(e); // those that could make a call now
                }
                if (live.isEmpty() && alive >= 5) { // all wait for each other or for events: the keeper ends one
                    for (Cap kc : keeper.caps.all()) {
                        if (kc.type == CAP_ENV && !kc.target.exited && kc.target != keeper) {
                            f.call(keeper, SYS_env_ctl, kc.handle, ENV_DESTROY, -1);
                            break;
                        }
                    }
                    continue;
                }
                if (alive < 5) {
                    long[] h = new long[1];
                    Env c = f.child(keeper, h);
                    f.call(keeper, SYS_capgrant, EXO_BOOT_MEMORY, h[0], CAP_ALL, 0, 0, 40 + rnd.nextInt(100));
                    f.call(keeper, SYS_capgrant, EXO_BOOT_DISK, h[0], CAP_ALL, rnd.nextInt(8), 8 + rnd.nextInt(40), 0);
                    f.call(keeper, SYS_capgrant, EXO_BOOT_CPU, h[0], CAP_ALL, 0, 1 + rnd.nextInt(10), 0);
                    f.call(keeper, SYS_capgrant, h[0], h[0], CAP_ALL, 0, 0, 0);
                    for (Env o : live) { // names of each other, both ways
                        if (rnd.nextInt(3) == 0) continue;
                        for (Cap kc : keeper.caps.all()) {
                            if (kc.type == CAP_ENV && kc.target == o) {
                                f.call(keeper, SYS_capgrant, kc.handle, h[0], rnd.nextInt(16), 0, 0, 0);
                                f.call(keeper, SYS_capgrant, h[0], kc.handle, rnd.nextInt(16), 0, 0, 0);
                                break;
                            }
                        }
                    }
                    continue;
                }
                Env e = live.get(rnd.nextInt(live.size()));
                Cap[] mine = e.caps.all();
                if (mine.length == 0) { f.call(keeper, SYS_env_ctl, EXO_SELF, ENV_INFO, ExoFixture.SCRATCH); continue; }
                Cap c = mine[rnd.nextInt(mine.length)];
                List<Cap> envs = new ArrayList<>();
                for (Cap x : mine) if (x.type == CAP_ENV) envs.add(x);
                long envh = envs.isEmpty() || rnd.nextInt(5) == 0 ? EXO_SELF : envs.get(rnd.nextInt(envs.size())).handle;
                int op = rnd.nextInt(100);
                if (op < 35) {
                    long first = c.first + (c.count > 1 ? rnd.nextInt((int) Math.min(c.count, 1000)) : 0) - (rnd.nextInt(20) == 0 ? 1 : 0);
                    long count = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(50) - (rnd.nextInt(30) == 0 ? 5 : 0);
                    long quota = c.type == CAP_MEMORY && rnd.nextBoolean() ? rnd.nextInt(200) : 0;
                    int rights = rnd.nextInt(4) == 0 ? rnd.nextInt(64) : c.rights & rnd.nextInt(64);
                    f.call(e, SYS_capgrant, c.handle, envh, rights, first, count, quota);
                } else if (op < 45) {
                    f.call(e, SYS_caprevoke, c.handle);
                } else if (op < 55) {
                    f.call(e, SYS_capfree, c.handle);
                } else if (op < 70) {
                    int type = new int[] {CAP_PAGE, CAP_PAGE, CAP_BLOCKS, CAP_ENV}[rnd.nextInt(4)];
                    if (type == CAP_ENV && f.k.envs.size() > 40) type = CAP_PAGE;
                    long hint = type == CAP_BLOCKS ? c.first + rnd.nextInt(10) : rnd.nextBoolean() ? -1 : c.first + rnd.nextInt(64);
                    f.call(e, SYS_capalloc, type, hint, c.handle, 1 + rnd.nextInt(4));
                } else if (op < 82) {
                    Env t = envh == EXO_SELF ? e : e.caps.get(envh).target;
                    Cap[] theirs = t.caps.all();
                    long ph = theirs.length == 0 ? 0 : theirs[rnd.nextInt(theirs.length)].handle;
                    long va = 0x1000L * (16 + rnd.nextInt(8));
                    if (rnd.nextInt(3) == 0) f.call(e, SYS_exo_unmap, envh, va);
                    else f.call(e, SYS_exo_map, envh, va, ph, new long[] {1, 3, 5, 7}[rnd.nextInt(4)]);
                } else if (op < 88) {
                    f.call(e, SYS_env_ctl, envh, new long[] {ENV_STOP, ENV_START, ENV_DESTROY, ENV_START}[rnd.nextInt(4)], -1);
                } else if (op < 94) {
                    f.call(e, SYS_exosched, EXOSCHED_SLICE, 1 + rnd.nextInt(12), 0);
                } else if (op < 97) {
                    int w = rnd.nextInt(4);
                    if (w == 0) f.call(e, SYS_pct_register, 0x3000, 0x8000, rnd.nextInt(2));
                    else if (w == 1) f.call(e, SYS_pct_call, envh);
                    else if (w == 2) f.call(e, SYS_pct_return);
                    else f.call(e, SYS_exo_notices, ExoFixture.SCRATCH, rnd.nextInt(100));
                } else {
                    // A disk transfer through whatever it holds.
                    long b = -1, p = -1;
                    for (Cap x : mine) { if (x.type == CAP_BLOCKS) b = x.handle; if (x.type == CAP_PAGE) p = x.handle; }
                    if (b >= 0 && p >= 0) f.call(e, SYS_exo_disk, b, e.caps.get(b).first, p, 512L * rnd.nextInt(8), rnd.nextInt(4));
                }
            }
        }
    }
}
