package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An environment that tries everything it should not be able to do against a victim. Every
 * attempt fails with the documented error and nothing of the victim changes.
 */
class HostileTest {
    ExoFixture f;
    Env boot;
    Env victim;
    Env hostile;
    long victimH;
    long hostileH;
    long victimPage;
    long hostileMem;

    @BeforeEach
    void setUp() {
        f = new ExoFixture();
        boot = f.boot;
        f.mapPage(boot, EXO_BOOT_MEMORY, ExoFixture.SCRATCH);
        long[] h = new long[1];
        victim = f.child(boot, h);
        victimH = h[0];
        long vm = f.giveMemory(boot, victimH);
        victimPage = f.mapPage(victim, vm, 0x5000);
        f.write(victim, 0x5000, "precious".getBytes());
        hostile = f.child(boot, h);
        hostileH = h[0];
        hostileMem = f.giveMemory(boot, hostileH);
        f.mapPage(hostile, hostileMem, ExoFixture.SCRATCH);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    /** What must not change in the victim: its table, mappings, registers, state and memory. */
    String victimState() {
        StringBuilder sb = new StringBuilder();
        for (Cap c : victim.caps.all()) sb.append(c).append(c.live).append(c.mappingCount()).append(';');
        sb.append(victim.mappings.keySet()).append(victim.state()).append(victim.events).append(victim.notices);
        sb.append(Arrays.toString(victim.cur.regs.x)).append(victim.cur.regs.pc).append(victim.upcallMask).append(victim.pctEntry);
        sb.append(new String(f.read(victim, 0x5000, 8)));
        return sb.toString();
    }

    @Test
    void readOnlyPageCannotBeMappedWritableNorBeyondItsRights() {
        long p = f.page(boot, EXO_BOOT_MEMORY);
        long ro = f.call(boot, SYS_capgrant, p, hostileH, CAP_R, 0, 0);
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, MAP_R | MAP_W));
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, MAP_X));
        assertEquals(E_INVAL, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, MAP_W), "W needs R");
        assertEquals(E_INVAL, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, 0));
        assertEquals(E_INVAL, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, 8));
        assertEquals(0, f.call(hostile, SYS_exo_map, EXO_SELF, 0x7000, ro, MAP_R));
        assertEquals(-1, f.k.umem.translate(hostile, 0x7000, xv6j.machine.PageTable.PTE_W));
    }

    @Test
    void nothingCanBeMappedAtOrAboveUtopOrMisaligned() {
        long p = f.page(hostile, hostile.caps.all()[0].handle);
        for (long va : new long[] {EXO_UTOP, EXO_UTOP + EXO_PGSIZE, EXO_MAXVA, EXO_MAXVA - EXO_PGSIZE, 1L << 39,
                -EXO_PGSIZE, Long.MIN_VALUE, 0x1001, 0x7ff})
            assertEquals(E_INVAL, f.call(hostile, SYS_exo_map, EXO_SELF, va, p, MAP_R), String.format("va 0x%x", va));
        assertEquals(0, f.call(hostile, SYS_exo_map, EXO_SELF, EXO_UTOP - EXO_PGSIZE, p, MAP_R));
    }

    @Test
    void diskIoOutsideTheBlockRangeOrWithoutTheRightFails() {
        long blocks = f.call(boot, SYS_capgrant, EXO_BOOT_DISK, hostileH, CAP_R, 10, 4);
        long page = f.page(hostile, hostile.caps.all()[0].handle);
        for (long b : new long[] {9, 14, 0, -1, ExoFixture.DISK_BLOCKS, Long.MAX_VALUE, Long.MIN_VALUE})
            assertEquals(E_RANGE, f.call(hostile, SYS_exo_disk, blocks, b, page, 0, 0), "block " + b);
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_disk, blocks, 10, page, 0, 1), "no CAP_W");
        for (long off : new long[] {1, 512, -1024, 4096, 1L << 40})
            assertEquals(E_INVAL, f.call(hostile, SYS_exo_disk, blocks, 10, page, off, 0), "off " + off);
        assertEquals(E_INVAL, f.call(hostile, SYS_exo_disk, blocks, 10, page, 0, 4));
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_disk, blocks, 10, page, 0, EXO_DISK_WRITE_CACHED), "no CAP_W");
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_disk, blocks, 0, 0, 0, EXO_DISK_FLUSH), "a flush needs CAP_W");
        assertEquals(0, f.call(hostile, SYS_exo_disk, blocks, 13, page, 3072, 0));
        long ro = f.call(hostile, SYS_capgrant, page, EXO_SELF, CAP_R, 0, 0);
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_disk, blocks, 13, ro, 0, 0), "reading into a page needs CAP_W");
    }

    @Test
    void protectedControlTransferIntoAnEnvironmentThatRefusesFails() {
        long toVictimX = f.call(boot, SYS_capgrant, victimH, hostileH, CAP_X, 0, 0);
        long toVictimR = f.call(boot, SYS_capgrant, victimH, hostileH, CAP_R, 0, 0);
        String before = victimState();
        assertEquals(E_REFUSED, f.call(hostile, SYS_pct_call, toVictimX, 1, 2, 3, 4, 5, 6), "no entry registered");
        assertEquals(E_RIGHTS, f.call(hostile, SYS_pct_call, toVictimR, 1, 2, 3, 4, 5, 6), "no CAP_X");
        victim.pctEntry = 0x1000; // as if the victim had called pct_register(0x1000, 0x6000, PCT_KNOWN)
        victim.pctStack = 0x6000;
        victim.pctPolicy = PCT_KNOWN;
        before = victimState();
        assertEquals(E_REFUSED, f.call(hostile, SYS_pct_call, toVictimX, 1, 2, 3, 4, 5, 6), "victim holds no capability for it");
        assertEquals(before, victimState());
        assertTrue(victim.caller == null);
    }

    @Test
    void everyCallWithAbsurdArgumentsFailsAndLeavesTheVictimAlone() {
        String before = victimState();
        long[] absurd = {-1, -2, -4096, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, 0x7ffffff, EXO_UTOP, EXO_MAXVA, 3, 4097,
                victimH, victimPage, 65535, 65536};
        java.util.Random rnd = new java.util.Random(4);
        for (int num = SYS_FIRST; num <= SYS_LAST; num++) {
            for (int trial = 0; trial < 200; trial++) {
                long[] args = new long[7];
                for (int i = 0; i < 7; i++) args[i] = absurd[rnd.nextInt(absurd.length)];
                if (hostile.exited) fail("hostile died");
                hostile.stopped = false;
                f.k.sched.changed(hostile);
                long r = f.call(hostile, num, args);
                String what = String.format("call 0x%x%s -> %d", num, Arrays.toString(args), r);
                // Some absurd numbers are also real handles or addresses of the hostile's own; those
                // calls may succeed on its own things. Everything else is one of exo.h's errors.
                assertTrue(r >= E_AGAIN, what);
                assertEquals(before, victimState(), what + " changed the victim");
            }
        }
        assertFalse(victim.exited);
    }

    @Test
    void batchesOfAbsurdCallsFailAsTheSingleCallsDoAndLeaveTheVictimAlone() {
        String before = victimState();
        long[] absurd = {-1, -2, -4096, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, 0x7ffffff, EXO_UTOP, EXO_MAXVA, 3, 4097,
                victimH, victimPage, 65535, 65536, 0x5000, ExoFixture.SCRATCH};
        long array = ExoFixture.SCRATCH + 0x400;
        java.util.Random rnd = new java.util.Random(5);
        int someRan = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + rnd.nextInt(EXO_BATCH_MAX);
            if (array + (long) n * CALL_SIZE > ExoFixture.SCRATCH + EXO_PGSIZE) n = (int) ((ExoFixture.SCRATCH + EXO_PGSIZE - array) / CALL_SIZE);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(n * CALL_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                // Among the absurd calls, some that succeed on the hostile's own things, so
                // batches run on past their first elements.
                long[] own = switch (rnd.nextInt(6)) {
                    case 0 -> new long[] {SYS_exo_unmap, EXO_SELF, 0x20000};
                    case 1 -> new long[] {SYS_capgrant, hostileMem, EXO_SELF, CAP_R, 0, 0, 0};
                    default -> null;
                };
                b.putLong(own != null ? own[0] : rnd.nextInt(4) == 0 ? absurd[rnd.nextInt(absurd.length)]
                        : SYS_FIRST + rnd.nextInt(SYS_LAST - SYS_FIRST + 1));
                for (int j = 0; j < 6; j++) b.putLong(own != null ? (j + 1 < own.length ? own[j + 1] : 0) : absurd[rnd.nextInt(absurd.length)]);
                b.putLong(0);
            }
            if (hostile.exited) fail("hostile died");
            if (hostile.mappings.get(ExoFixture.SCRATCH) == null) f.mapPage(hostile, hostileMem, ExoFixture.SCRATCH); // it unmapped it
            f.write(hostile, array, b.array());
            Mapping held = hostile.mappings.get(ExoFixture.SCRATCH);
            long r = f.call(hostile, SYS_exo_batch, array, n);
            if (r > 0) someRan++;
            String what = "batch " + trial + " of " + n + " -> " + r;
            assertTrue(r >= E_AGAIN && r <= n, what);
            assertEquals(before, victimState(), what + " changed the victim");
            // The kernel's results: every ret up to the one that failed is written, each an
            // error or a success (unless a call took the array away: then the batch ended).
            if (hostile.mappings.get(ExoFixture.SCRATCH) != held || r < 0) continue;
            for (int i = 0; i < Math.min(r + 1, n); i++) {
                long ret = f.readLong(hostile, array + (long) i * CALL_SIZE + CALL_SIZE - 8);
                assertTrue(i < r ? ret >= 0 : ret < 0 && ret >= E_AGAIN, what + ": ret " + i + " = " + ret);
            }
        }
        assertTrue(someRan > 10, "batches whose first calls succeeded (on the hostile's own things): " + someRan);
        assertFalse(victim.exited);
    }

    private static void fail(String s) {
        org.junit.jupiter.api.Assertions.fail(s);
    }

    @Test
    void controlOfAnotherEnvironmentNeedsItsCapabilityWithW() {
        long toVictimR = f.call(boot, SYS_capgrant, victimH, hostileH, CAP_R | CAP_X, 0, 0);
        String before = victimState();
        for (int op : new int[] {ENV_START, ENV_STOP, ENV_DESTROY, ENV_GETREGS, ENV_SETREGS})
            assertEquals(E_RIGHTS, f.call(hostile, SYS_env_ctl, toVictimR, op, ExoFixture.SCRATCH), "op " + op);
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_map, toVictimR, 0x9000, 0, MAP_R));
        assertEquals(E_RIGHTS, f.call(hostile, SYS_exo_unmap, toVictimR, 0x5000));
        assertEquals(0, f.call(hostile, SYS_env_ctl, toVictimR, ENV_INFO, ExoFixture.SCRATCH), "CAP_R reads its state");
        assertEquals(before, victimState());
    }

    /**
     * ENV_INFO writes its whole record or nothing (48 bytes since it says the hart, cpu): a
     * buffer of the 44 bytes its fields fill, at the end of the last page mapped, is
     * E_FAULT and keeps what it held; a whole one gets the victim's state and cpu -1 (on no
     * hart), and the victim does not change; a name without CAP_R reads nothing.
     */
    @Test
    void envInfoWritesItsWholeRecordOrNothingAndNeedsR() {
        long toVictimR = f.call(boot, SYS_capgrant, victimH, hostileH, CAP_R, 0, 0);
        long toVictimX = f.call(boot, SYS_capgrant, victimH, hostileH, CAP_X, 0, 0);
        String before = victimState();
        long end = ExoFixture.SCRATCH + EXO_PGSIZE;
        byte[] marks = new byte[ENVINFO_SIZE];
        Arrays.fill(marks, (byte) 0x5a);
        f.write(hostile, end - ENVINFO_SIZE, marks);
        assertEquals(E_FAULT, f.call(hostile, SYS_env_ctl, toVictimR, ENV_INFO, end - 44));
        assertEquals(Arrays.toString(marks), Arrays.toString(f.read(hostile, end - ENVINFO_SIZE, ENVINFO_SIZE)));
        assertEquals(E_RIGHTS, f.call(hostile, SYS_env_ctl, toVictimX, ENV_INFO, end - ENVINFO_SIZE));
        assertEquals(Arrays.toString(marks), Arrays.toString(f.read(hostile, end - ENVINFO_SIZE, ENVINFO_SIZE)));
        assertEquals(0, f.call(hostile, SYS_env_ctl, toVictimR, ENV_INFO, end - ENVINFO_SIZE));
        java.nio.ByteBuffer info = java.nio.ByteBuffer.wrap(f.read(hostile, end - ENVINFO_SIZE, ENVINFO_SIZE))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(victim.id, info.getInt(0));
        assertEquals(-1, info.getInt(40), "cpu: on no hart");
        assertEquals(0, info.getInt(44), "the padding after cpu");
        assertEquals(before, victimState());
    }

    @Test
    void anXv6BinaryDiesWithAMessageSayingSo() {
        f.call(hostile, 16, 1, 0, 5); // xv6's write(1, 0, 5)
        assertTrue(hostile.exited);
        assertEquals(-1, hostile.status);
        assertTrue(f.console().contains("env " + hostile.id) && f.console().contains("built for the xv6 kernel"), f.console());
    }

    @Test
    void anUnknownCallKillsOnlyTheCaller() {
        f.call(hostile, 0x1ff);
        assertTrue(hostile.exited);
        assertTrue(f.console().contains("unknown system call 0x1ff"), f.console());
        assertFalse(victim.exited);
    }
}
