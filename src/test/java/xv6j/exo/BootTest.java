package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xv6j.exo.ExoAbi.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import xv6j.machine.PageTable;

class BootTest {

    /** A RISC-V ELF with a text segment (R|X, 5000 bytes of 0x13) and a data segment (R|W, 16 bytes, 8192 in memory). */
    static byte[] elf() {
        int textOff = 0x1000, dataOff = 0x3000;
        ByteBuffer b = ByteBuffer.allocate(dataOff + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x464C457F).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
        b.putShort(16, (short) 2).putShort(18, (short) 0xF3).putInt(20, 1).putLong(24, 0x10).putLong(32, 64);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 2);
        long[][] ph = {{5, textOff, 0, 5000, 5000}, {6, dataOff, 0x2000, 16, 8192}}; // flags, off, vaddr, filesz, memsz
        for (int i = 0; i < 2; i++) {
            int o = 64 + 56 * i;
            b.putInt(o, 1).putInt(o + 4, (int) ph[i][0]).putLong(o + 8, ph[i][1]).putLong(o + 16, ph[i][2])
                    .putLong(o + 32, ph[i][3]).putLong(o + 40, ph[i][4]).putLong(o + 48, 4096);
        }
        for (int i = 0; i < 5000; i++) b.put(textOff + i, (byte) 0x13);
        for (int i = 0; i < 16; i++) b.put(dataOff + i, (byte) (i + 1));
        return b.array();
    }

    @Test
    void bootLoaderMapsSegmentsAndStackThroughTheFirstEnvironmentsOwnPages() throws Exception {
        try (ExoFixture f = new ExoFixture()) {
            Exokernel k = new Exokernel(f.machine);
            Env e = k.createBootEnv();
            BootLoader.load(k, e, elf(), new String[] {"init"});
            assertTrue(Invariants.check(k).isEmpty(), Invariants.check(k).toString());
            // text: 2 pages R|X; data: 2 pages R|W; stack: 4 pages R|W below EXO_UTOP.
            long[] vas = {0, 0x1000, 0x2000, 0x3000};
            for (long va : vas) assertTrue(k.umem.translate(e, va, PageTable.PTE_R) >= 0);
            assertEquals(-1, k.umem.translate(e, 0, PageTable.PTE_W), "text is not writable");
            assertTrue(k.umem.translate(e, 0, PageTable.PTE_X) >= 0);
            assertEquals(-1, k.umem.translate(e, 0x2000, PageTable.PTE_X), "data is not executable");
            assertEquals(-1, k.umem.translate(e, 0x4000, 0));
            for (int i = 1; i <= EXO_BOOT_STACK_PAGES; i++) assertTrue(k.umem.translate(e, EXO_UTOP - (long) i * EXO_PGSIZE, PageTable.PTE_W) >= 0);
            assertEquals(-1, k.umem.translate(e, EXO_UTOP - (EXO_BOOT_STACK_PAGES + 1L) * EXO_PGSIZE, 0), "nothing below the stack");
            assertEquals(0x13, k.umem.copyIn(e, 4999, 1)[0]);
            assertEquals(0, k.umem.copyIn(e, 5000, 1)[0], "past filesz is zero");
            assertArrayEquals(new byte[] {1, 2, 3}, k.umem.copyIn(e, 0x2000, 3));
            assertEquals(0, k.umem.copyIn(e, 0x3000, 1)[0], "bss");

            Regs r = e.cur.regs;
            assertEquals(0x10, r.pc);
            assertEquals(1, r.x[A0]);
            assertEquals(r.x[SP], r.x[A2]);
            assertEquals(0, r.x[SP] % 16);
            ByteBuffer argv = ByteBuffer.wrap(k.umem.copyIn(e, r.x[A1], 16)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals("init", new String(k.umem.copyIn(e, argv.getLong(0), 4)));
            assertEquals(0, argv.getLong(8));
            ByteBuffer info = ByteBuffer.wrap(k.umem.copyIn(e, r.x[A2], 8 + 16 * 8)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(8, info.getLong(0));
            long[] expectVa = {0, 0x1000, 0x2000, 0x3000, EXO_UTOP - 0x4000, EXO_UTOP - 0x3000, EXO_UTOP - 0x2000, EXO_UTOP - 0x1000};
            for (int i = 0; i < 8; i++) {
                assertEquals(expectVa[i], info.getLong(8 + 16 * i));
                long h = info.getLong(16 + 16 * i);
                assertEquals(EXO_BOOT_PAGES + i, h, "handles from EXO_BOOT_PAGES in address order");
                Cap c = e.caps.get(h);
                assertEquals(CAP_PAGE, c.type);
                assertEquals(CAP_ALL, c.rights);
                assertEquals(k.umem.translate(e, expectVa[i], 0) >>> 12, c.first);
            }
            assertTrue(k.sched.runnable(e), "started, with the boot CPU");
        }
    }

    @Test
    void badProgramsAreRefusedWithAMessage() throws Exception {
        try (ExoFixture f = new ExoFixture()) {
            Exokernel k = new Exokernel(f.machine);
            Env e = k.createBootEnv();
            byte[] notElf = new byte[100];
            assertThrows(BootLoader.LoadException.class, () -> BootLoader.load(k, e, notElf, new String[] {"init"}));
            byte[] x86 = elf();
            x86[18] = 0x3e;
            var ex = assertThrows(BootLoader.LoadException.class, () -> BootLoader.load(k, e, x86, new String[] {"init"}));
            assertEquals("not a RISC-V executable (machine 62)", ex.getMessage());
        }
    }
}
