package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xv6j.machine.Trap;

/** Environments, events, protected control transfer and upcalls, driven from Java. */
class EnvironmentTest {
    ExoFixture f;
    Env boot;

    @BeforeEach
    void setUp() {
        f = new ExoFixture("typed\n");
        boot = f.boot;
        f.mapPage(boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    Env childWithScratch(long[] h) {
        Env e = f.child(boot, h);
        long mem = f.giveMemory(boot, h[0]);
        f.mapPage(e, mem, ExoFixture.SCRATCH);
        return e;
    }

    @Test
    void newEnvironmentIsStoppedAndRunsOnlyWithCpuOnceStarted() {
        long[] h = new long[1];
        Env c = f.child(boot, h);
        assertArrayEquals(new int[] {c.id, boot.id, ENV_STATE_STOPPED, 0}, f.envinfo(boot, h[0]));
        assertEquals(0, f.call(boot, SYS_env_ctl, h[0], ENV_START, 0));
        assertEquals(ENV_STATE_RUNNABLE, f.envinfo(boot, h[0])[2]);
        assertTrue(!f.k.sched.runnable(c), "no CPU yet");
        long cpu = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, h[0], CAP_X, 0, 0);
        assertTrue(f.k.sched.runnable(c));
        assertEquals(1, f.call(boot, SYS_caprevoke, EXO_BOOT_CPU));
        assertTrue(!f.k.sched.runnable(c), "CPU revoked");
        assertNull(c.caps.get(cpu));
    }

    @Test
    void destroyedChildLingersWithItsStatusUntilItsLastCapabilityGoes() {
        long[] h = new long[1];
        Env c = childWithScratch(h);
        int free0 = f.k.freePages();
        int id = c.id;
        assertEquals(0, f.call(boot, SYS_env_ctl, h[0], ENV_DESTROY, 42));
        assertArrayEquals(new int[] {id, boot.id, ENV_STATE_EXITED, 42}, f.envinfo(boot, h[0]));
        assertTrue(f.k.freePages() > free0, "its page and page tables are free");
        assertEquals(EV_CHILD, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_CHILD | EV_CONSOLE, 0) & EV_CHILD);
        assertEquals(E_DEAD, f.call(boot, SYS_env_ctl, h[0], ENV_START, 0));
        assertEquals(0, f.call(boot, SYS_capfree, h[0]));
        assertNull(f.k.env(id), "forgotten");
        long again = f.call(boot, SYS_capalloc, CAP_ENV, 0, 0, 0);
        assertTrue(boot.caps.get(again).target.id > id, "ids are never reused");
    }

    @Test
    void exitOnSelfEndsTheEnvironment() {
        long[] h = new long[1];
        Env c = childWithScratch(h);
        f.call(c, SYS_env_ctl, EXO_SELF, ENV_DESTROY, 7);
        assertTrue(c.exited);
        assertEquals(7, c.status);
    }

    @Test
    void registersRoundTripThroughGetregsAndSetregs() {
        long[] h = new long[1];
        Env c = f.child(boot, h);
        c.cur.regs.x[5] = 0x1234;
        c.cur.regs.pc = 0x4000;
        assertEquals(0, f.call(boot, SYS_env_ctl, h[0], ENV_GETREGS, ExoFixture.SCRATCH));
        assertEquals(0x1234, f.readLong(boot, ExoFixture.SCRATCH + 8 * 5));
        assertEquals(0x4000, f.readLong(boot, ExoFixture.SCRATCH + 512));
        byte[] regs = new byte[REGS_SIZE];
        regs[8 * 7] = 99;              // x7
        regs[0] = 1;                   // x0: ignored
        regs[512] = 0x10;              // pc 0x10
        regs[520] = (byte) 0xff;       // fcsr
        regs[521] = 1;                 // fcsr bit 8 does not exist
        f.write(boot, ExoFixture.SCRATCH, regs);
        assertEquals(0, f.call(boot, SYS_env_ctl, h[0], ENV_SETREGS, ExoFixture.SCRATCH));
        assertEquals(99, c.cur.regs.x[7]);
        assertEquals(0, c.cur.regs.x[0]);
        assertEquals(0x10, c.cur.regs.pc);
        assertEquals(0xff, c.cur.regs.fcsr);
        assertEquals(E_FAULT, f.call(boot, SYS_env_ctl, h[0], ENV_SETREGS, 0x900000));
    }

    @Test
    void blockReturnsPendingEventsAtOnceAndSleepsOtherwise() {
        long[] h = new long[1];
        Env c = f.child(boot, h);
        assertEquals(E_INVAL, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, 0, 0));
        assertEquals(E_INVAL, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, 0x40, 0));
        f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_CHILD, 0);
        assertEquals(ENV_STATE_BLOCKED, boot.state());
        f.k.lock.lock();
        try {
            f.k.envs.destroy(c, 0, null); // as another environment's call would
        } finally {
            f.k.lock.unlock();
        }
        assertEquals(ENV_STATE_RUNNABLE, boot.state());
        assertEquals(EV_CHILD, boot.cur.regs.x[A0]);
    }

    @Test
    void consoleInputIsRawAndAgainWhenNoneWaits() {
        assertEquals(E_AGAIN, f.call(boot, SYS_exo_cons_read, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, 10));
        f.k.lock.lock();
        try {
            f.k.devices.consoleInput("ab\b\n".getBytes());
        } finally {
            f.k.lock.unlock();
        }
        assertEquals(EV_CONSOLE, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_CONSOLE, 0), "input waits: no sleep");
        assertEquals(2, f.call(boot, SYS_exo_cons_read, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, 2));
        assertEquals(2, f.call(boot, SYS_exo_cons_read, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH + 2, 10));
        assertEquals("ab\b\n", new String(f.read(boot, ExoFixture.SCRATCH, 4)), "no line editing");
        f.write(boot, ExoFixture.SCRATCH, "hello".getBytes());
        assertEquals(5, f.call(boot, SYS_exo_cons_write, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, 5));
        assertTrue(f.console().endsWith("hello"));
        assertEquals(E_FAULT, f.call(boot, SYS_exo_cons_write, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH + 8, EXO_CONS_MAX),
                "a write that reaches past the mapping");
        assertEquals(EXO_CONS_MAX, f.call(boot, SYS_exo_cons_write, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, 8192),
                "at most EXO_CONS_MAX bytes a call");
        assertEquals(E_INVAL, f.call(boot, SYS_exo_cons_write, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, -1));
    }

    /**
     * EV_KEY is a listener's: pending once a key was typed since the environment last
     * consumed it (however many), and never for a batch script's line, which is input
     * nobody typed; EV_CONSOLE, a reader's, is pending for both while input waits.
     */
    @Test
    void evKeyComesWithEachTypedKeyOnceAndNotWithAScriptLine() {
        f.k.lock.lock();
        try {
            f.k.devices.consoleInput("line\n".getBytes());
        } finally {
            f.k.lock.unlock();
        }
        assertEquals(EV_CONSOLE, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_CONSOLE | EV_KEY, 0), "a script's line: input, no key");
        assertEquals(5, f.call(boot, SYS_exo_cons_read, EXO_BOOT_CONSOLE, ExoFixture.SCRATCH, 10));
        f.k.lock.lock();
        try {
            f.k.devices.keyTyped((byte) 'a');
            f.k.devices.keyTyped((byte) 'b');
        } finally {
            f.k.lock.unlock();
        }
        assertEquals(EV_KEY, f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_KEY, 0), "two keys typed: EV_KEY pending");
        f.call(boot, SYS_exosched, EXOSCHED_BLOCK, EV_KEY | EV_CHILD, 0);
        assertEquals(ENV_STATE_BLOCKED, boot.state(), "consumed once for both keys, though they wait unread");
        assertTrue(f.k.events.listedForEvents(boot, boot.cur), "where a key finds it");
        f.k.lock.lock();
        try {
            f.k.devices.keyTyped((byte) 'c');
        } finally {
            f.k.lock.unlock();
        }
        assertEquals(ENV_STATE_RUNNABLE, boot.state(), "the next key wakes it");
        assertEquals(EV_KEY, boot.cur.regs.x[A0]);
        long[] h = new long[1];
        Env c = f.child(boot, h);
        assertEquals(0, f.k.events.pending(c) & EV_KEY, "an environment made after the keys has not missed them");
    }

    @Test
    void waitAndWakeMeetOnTheSamePhysicalWordInDifferentAddressSpaces() {
        long[] h = new long[1];
        Env c = childWithScratch(h);
        long shared = f.page(boot, EXO_BOOT_MEMORY);
        long inChild = f.call(boot, SYS_capgrant, shared, h[0], CAP_R | CAP_W, 0, 0);
        assertEquals(0, f.call(boot, SYS_exo_map, EXO_SELF, 0x30000, shared, MAP_R | MAP_W));
        assertEquals(0, f.call(boot, SYS_exo_map, h[0], 0x70000, inChild, MAP_R | MAP_W), "the parent maps the child's capability");
        assertEquals(0, f.call(c, SYS_exosched, EXOSCHED_WAIT, 0x70008, 5), "value differs: no sleep");
        assertTrue(!c.cur.blocked());
        assertEquals(0, f.call(c, SYS_exosched, EXOSCHED_WAIT, 0x70008, 0));
        assertTrue(c.cur.blocked());
        assertEquals(0, f.call(boot, SYS_exosched, EXOSCHED_WAKE, 0x30004, 0), "another word");
        assertEquals(1, f.call(boot, SYS_exosched, EXOSCHED_WAKE, 0x30008, 0));
        assertTrue(!c.cur.blocked());
        assertEquals(E_INVAL, f.call(boot, SYS_exosched, EXOSCHED_WAIT, 0x30002, 0));
        assertEquals(E_FAULT, f.call(boot, SYS_exosched, EXOSCHED_WAKE, 0x50000000, 0));
    }

    @Test
    void protectedControlTransferPassesSixArgumentsAndResultsInRegisters() {
        long[] hs = new long[1], hc = new long[1];
        Env server = childWithScratch(hs);
        Env client = childWithScratch(hc);
        assertEquals(0, f.call(server, SYS_pct_register, 0x2000, 0x8008, PCT_KNOWN));
        server.cur.regs.pc = 0x777;
        server.cur.regs.x[9] = 0x5e5e;
        long toServer = f.call(boot, SYS_capgrant, hs[0], hc[0], CAP_X, 0, 0);
        assertEquals(E_REFUSED, f.call(client, SYS_pct_call, toServer, 1, 2, 3, 4, 5, 6), "server knows no client");
        f.call(boot, SYS_capgrant, hc[0], hs[0], CAP_R, 0, 0);
        f.call(client, SYS_pct_call, toServer, 11, 12, 13, 14, 15, 16);
        Regs s = server.cur.regs;
        assertEquals(0x2000, s.pc);
        assertEquals(0x8000, s.x[SP], "stack top, 16-byte aligned");
        assertEquals(client.id, s.x[A0]);
        for (int i = 1; i <= 6; i++) assertEquals(10 + i, s.x[A0 + i]);
        assertTrue(client.callee == server && server.caller == client);
        for (int i = 1; i <= 6; i++) s.x[A0 + i] = 100 + i;
        f.call(server, SYS_pct_return);
        Regs c = client.cur.regs;
        assertEquals(0, c.x[A0]);
        for (int i = 1; i <= 6; i++) assertEquals(100 + i, c.x[A0 + i]);
        assertEquals(0x777, server.cur.regs.pc, "the server's own activation is back");
        assertEquals(0x5e5e, server.cur.regs.x[9]);
        assertEquals(EV_PCT, f.call(server, SYS_exosched, EXOSCHED_BLOCK, EV_PCT, 0));
        assertEquals(E_INVAL, f.call(server, SYS_pct_return), "no call to return from");
    }

    /**
     * A chain of calls whose root has no CPU capability runs on the first one down the
     * chain (Env.threadCap), which its root keeps (Env.members, withCpu: the checker
     * proves them against the chain after every call) as CPU capabilities come and go,
     * calls begin and end, and a destruction cuts the chain.
     */
    @Test
    void aChainWhoseRootHasNoCpuRunsOnTheFirstCpuCapabilityDownTheChain() {
        int n = 5;
        Env[] c = new Env[n];
        long[] h = new long[n], hh = new long[1];
        for (int i = 0; i < n; i++) {
            c[i] = f.child(boot, hh);
            h[i] = hh[0];
            assertEquals(0, f.call(c[i], SYS_pct_register, 0x2000, 0x8000, PCT_ANY));
        }
        long share = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, EXO_SELF, CAP_ALL, 0, 0, 0);
        long cpu0 = f.call(boot, SYS_capgrant, share, h[0], CAP_X, 0, 0, 0);
        long cpu2 = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, h[2], CAP_X, 0, 0, 0);
        long cpu4 = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, h[4], CAP_X, 0, 0, 0);
        for (int i = 0; i + 1 < n; i++) {
            long x = f.call(boot, SYS_capgrant, h[i + 1], h[i], CAP_X, 0, 0, 0);
            f.call(c[i], SYS_pct_call, x, 0, 0, 0, 0, 0, 0);
            assertTrue(c[i + 1].caller == c[i]);
        }
        Env root = c[0];
        assertTrue(root.threadCap() == c[0].caps.get(cpu0), "the root's own");
        assertEquals(1, f.call(boot, SYS_caprevoke, share));
        assertTrue(root.threadCap() == c[2].caps.get(cpu2), "the first down the chain");
        long cpu1 = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, h[1], CAP_X, 0, 0, 0);
        assertTrue(root.threadCap() == c[1].caps.get(cpu1), "one given to a member above");
        assertEquals(0, f.call(c[1], SYS_capfree, cpu1));
        assertEquals(0, f.call(c[2], SYS_capfree, cpu2));
        assertTrue(root.threadCap() == c[4].caps.get(cpu4), "the innermost's, the others' gone");
        f.call(c[4], SYS_pct_return);
        assertTrue(c[3].callee == null);
        assertNull(root.threadCap(), "the innermost returned with its CPU");
        long cpu3 = f.call(boot, SYS_capgrant, EXO_BOOT_CPU, h[3], CAP_X, 0, 0, 0);
        assertTrue(root.threadCap() == c[3].caps.get(cpu3));
        f.call(boot, SYS_env_ctl, h[1], ENV_DESTROY, -1); // cuts the chain: c2 -> c3 goes on, a root of its own
        assertTrue(c[2].caller == null && c[2].callee == c[3]);
        assertNull(root.threadCap());
        assertTrue(c[2].threadCap() == c[3].caps.get(cpu3), "the rest of the chain runs on its own member's");
    }

    @Test
    void callersWaitInOrderAndACalleesDeathFailsTheCallWithDead() {
        long[] hs = new long[1], h1 = new long[1], h2 = new long[1];
        Env server = f.child(boot, hs);
        Env c1 = f.child(boot, h1);
        Env c2 = f.child(boot, h2);
        f.call(server, SYS_pct_register, 0x2000, 0x8000, PCT_ANY);
        long x1 = f.call(boot, SYS_capgrant, hs[0], h1[0], CAP_X, 0, 0);
        long x2 = f.call(boot, SYS_capgrant, hs[0], h2[0], CAP_X, 0, 0);
        f.call(boot, SYS_env_ctl, h2[0], ENV_START, 0);
        f.call(c1, SYS_pct_call, x1, 1, 0, 0, 0, 0, 0);
        f.call(c2, SYS_pct_call, x2, 2, 0, 0, 0, 0, 0);
        assertTrue(server.caller == c1 && c2.waitingOn == server);
        assertEquals(ENV_STATE_BLOCKED, c2.state());
        f.call(server, SYS_pct_return);
        assertTrue(server.caller == c2, "the waiting caller's call starts when the first ends");
        assertEquals(2, server.cur.regs.x[A1]);
        f.call(boot, SYS_env_ctl, hs[0], ENV_DESTROY, -1);
        assertEquals(E_DEAD, c2.cur.regs.x[A0]);
        assertNull(c2.callee);
        assertEquals(E_DEAD, f.call(c1, SYS_pct_call, x1, 0, 0, 0, 0, 0, 0));
        f.call(c1, SYS_pct_register, 0x2000, 0x8000, PCT_ANY);
        assertEquals(E_BUSY, f.call(c1, SYS_pct_call, EXO_SELF, 0, 0, 0, 0, 0, 0), "a call into itself would wait forever");
    }

    @Test
    void aFaultWithoutAHandlerDestroysWithAOneLineMessage() {
        long[] h = new long[1];
        Env c = f.child(boot, h);
        f.k.lock.lock();
        try {
            f.k.upcalls.fault(c, new Trap(Trap.Cause.STORE_PAGE_FAULT, 0x1234, 0xdead0));
        } finally {
            f.k.lock.unlock();
        }
        assertTrue(c.exited);
        assertEquals(-1, c.status);
        assertTrue(f.console().contains("exo: env " + c.id + ": store page fault at pc 0x1234, address 0xdead0: destroyed"), f.console());
    }

    @Test
    void aFaultUpcallPushesTheFrameAndResumeRestoresIt() {
        long[] h = new long[1];
        Env c = childWithScratch(h);
        assertEquals(E_FAULT, f.call(c, SYS_exo_upcall, 0x3000, 0x900000, UPCALL_FAULT), "stack not mapped");
        assertEquals(E_INVAL, f.call(c, SYS_exo_upcall, 0x3000, ExoFixture.SCRATCH + 4096, 8));
        assertEquals(0, f.call(c, SYS_exo_upcall, 0x3000, ExoFixture.SCRATCH + 4096, UPCALL_FAULT));
        c.cur.regs.x[8] = 88;
        c.cur.regs.pc = 0x1230;
        f.k.lock.lock();
        try {
            f.k.upcalls.fault(c, new Trap(Trap.Cause.LOAD_PAGE_FAULT, 0x1230, 0xbad000));
        } finally {
            f.k.lock.unlock();
        }
        long frame = ExoFixture.SCRATCH + 4096 - FRAME_SIZE & -16L;
        assertEquals(frame, c.cur.regs.x[A0]);
        assertEquals(0x3000, c.cur.regs.pc);
        assertEquals(88, f.readLong(c, frame + 8 * 8));
        assertEquals(0x1230, f.readLong(c, frame + 512));
        assertEquals(UPCALL_FAULT, f.readLong(c, frame + REGS_SIZE));
        assertEquals(13, f.readLong(c, frame + REGS_SIZE + 8));
        assertEquals(0xbad000, f.readLong(c, frame + REGS_SIZE + 16));
        // A second fault in the handler is fatal.
        f.write(c, frame + 512, new byte[] {0x34, 0x12, 0, 0, 0, 0, 0, 0}); // skip to 0x1234
        f.call(c, SYS_exo_resume, frame);
        assertEquals(0x1234, c.cur.regs.pc);
        assertEquals(88, c.cur.regs.x[8]);
        assertTrue(!c.cur.inHandler);
    }

    @Test
    void anUnwritableUpcallStackDestroysTheEnvironment() {
        long[] h = new long[1];
        Env c = childWithScratch(h);
        assertEquals(0, f.call(c, SYS_exo_upcall, 0x3000, ExoFixture.SCRATCH + 4096, UPCALL_FAULT));
        assertEquals(0, f.call(c, SYS_exo_unmap, EXO_SELF, ExoFixture.SCRATCH));
        f.k.lock.lock();
        try {
            f.k.upcalls.fault(c, new Trap(Trap.Cause.ILLEGAL_INSTRUCTION, 0x40, 0x0));
        } finally {
            f.k.lock.unlock();
        }
        assertTrue(c.exited);
        assertTrue(f.console().contains("upcall stack"), f.console());
        f.check();
    }
    /**
     * Ids stay positive and unique after 2^31 environments (set here by hand): they wrapped
     * to negative, then to 0, whose kernel pages counted as no one's (freeing it threw),
     * then to 1, which replaced /init in the registry.
     */
    @Test
    void idsStayPositiveAndNeverNameTwoKnownEnvironmentsAfterTheyRunOut() {
        Env kept = f.child(boot);
        f.k.envs.nextId = Integer.MAX_VALUE - 1;
        long[] h = new long[1];
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Env c = f.child(boot, h);
            ids.add(c.id);
            if (i == 3) assertEquals(0, f.call(boot, SYS_capfree, h[0]));
        }
        // 1 is /init's, 2 the one kept: the third after the wrap is 3, and then 4.
        assertEquals(java.util.List.of(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, kept.id + 1, kept.id + 2), ids);
        assertEquals(boot, f.k.envs.get(boot.id));
        assertEquals(kept, f.k.envs.get(kept.id));
    }

    /**
     * The monitor's killall after ids wrap: the server's oldest child (its LibOS's init)
     * is the one spared, though a child made after the wrap has a smaller id. Before, the
     * smallest id was taken for the oldest: the shell was spared and init destroyed.
     */
    @Test
    void killallSparesTheServersOldestChildEvenAfterIdsWrap() {
        long[] h = new long[1];
        Env server = f.child(boot, h);
        long mem = f.giveMemory(boot, h[0]);
        f.k.envs.nextId = Integer.MAX_VALUE;
        Env init = server.caps.get(f.call(server, SYS_capalloc, CAP_ENV, 0, mem, 0)).target;
        Env shell = server.caps.get(f.call(server, SYS_capalloc, CAP_ENV, 0, mem, 0)).target;
        assertTrue(shell.id < init.id, "the ids wrapped: " + init.id + ", then " + shell.id);
        f.k.lock.lock();
        try {
            assertEquals("its LibOS's init, which reaps every orphan", f.k.envs.spared(init));
            assertNull(f.k.envs.spared(shell));
        } finally {
            f.k.lock.unlock();
        }
    }
}
