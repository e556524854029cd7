package xv6j.exo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static xv6j.exo.ExoAbi.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import xv6j.machine.Clock;
import xv6j.machine.Console;
import xv6j.machine.Disk;
import xv6j.machine.Machine;

/**
 * An exokernel on a small machine (4 MiB, one hart, virtual clock, a 64-block scratch
 * disk, a batch console into a buffer) with its first environment, driven from Java: no
 * user code runs. Every call checks all invariants afterwards.
 */
final class ExoFixture implements AutoCloseable {
    static final int DISK_BLOCKS = 64;
    /** Where scratch pages for struct arguments go in each environment. */
    static final long SCRATCH = 0x10000;

    final Path diskFile;
    final Disk disk;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Machine machine;
    final Exokernel k;
    final Env boot;

    ExoFixture() {
        this("");
    }

    ExoFixture(String input) {
        this(input, 4);
    }

    /** A machine of memMiB MiB. */
    ExoFixture(String input, int memMiB) {
        try {
            diskFile = Files.createTempFile("exo", ".img");
            disk = Disk.create(diskFile, DISK_BLOCKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Console console = Console.batch(new ByteArrayInputStream(input.getBytes()), out);
        machine = Machine.create((long) memMiB << 20, 1, disk, console, new Clock.Virtual());
        k = new Exokernel(machine);
        k.devices.messages = new java.util.ArrayList<>();
        k.startAudit();
        boot = k.createBootEnv();
        k.invoke(boot, SYS_env_ctl, EXO_SELF, ENV_START, 0); // as the boot loader does
        check();
    }

    /** Runs a system call as env e and checks every invariant after it. */
    long call(Env e, int num, long... args) {
        long r = k.invoke(e, num, args);
        check();
        return r;
    }

    void check() {
        List<String> bad = Invariants.check(k);
        if (!bad.isEmpty()) fail("invariants broken:\n" + String.join("\n", bad));
    }

    /** A new child of parent, returned with the parent's handle for it in handle[0]. */
    Env child(Env parent, long[] handle) {
        long h = call(parent, SYS_capalloc, CAP_ENV, 0, 0, 0);
        assertTrue(h >= 0, "capalloc env: " + h);
        handle[0] = h;
        return parent.caps.get(h).target;
    }

    Env child(Env parent) {
        return child(parent, new long[1]);
    }

    /** A fresh page capability of e from its memory handle mem. */
    long page(Env e, long mem) {
        long h = call(e, SYS_capalloc, CAP_PAGE, -1, mem, 0);
        assertTrue(h >= 0, "capalloc page: " + h);
        return h;
    }

    /** Allocates and maps a read-write page at va in e (which holds memory at handle mem); returns its handle. */
    long mapPage(Env e, long mem, long va) {
        long h = page(e, mem);
        assertEquals(0, call(e, SYS_exo_map, EXO_SELF, va, h, MAP_R | MAP_W));
        return h;
    }

    /** Gives child (named by parent's handle envh) a memory capability; returns the child's handle. */
    long giveMemory(Env parent, long envh) {
        long h = call(parent, SYS_capgrant, EXO_BOOT_MEMORY, envh, CAP_ALL, 0, 0);
        assertTrue(h >= 0, "grant memory: " + h);
        return h;
    }

    byte[] read(Env e, long va, int n) {
        k.lock.lock();
        try {
            byte[] b = k.umem.copyIn(e, va, n);
            if (b == null) fail("not readable: 0x" + Long.toHexString(va));
            return b;
        } finally {
            k.lock.unlock();
        }
    }

    void write(Env e, long va, byte[] b) {
        k.lock.lock();
        try {
            if (!k.umem.copyOut(e, va, b)) fail("not writable: 0x" + Long.toHexString(va));
        } finally {
            k.lock.unlock();
        }
    }

    long readLong(Env e, long va) {
        return ByteBuffer.wrap(read(e, va, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    int readInt(Env e, long va) {
        return ByteBuffer.wrap(read(e, va, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** capinfo of handle h in e, via e's scratch page: {type, rights, first, count}, or null on error. */
    long[] capinfo(Env e, long h) {
        long r = call(e, SYS_capinfo, h, SCRATCH);
        if (r != 0) return null;
        ByteBuffer b = ByteBuffer.wrap(read(e, SCRATCH, CAPINFO_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getInt(), b.getInt(), b.getLong(), b.getLong()};
    }

    /** ENV_INFO of env handle h as e: {id, parent, state, status}. */
    int[] envinfo(Env e, long h) {
        assertEquals(0, call(e, SYS_env_ctl, h, ENV_INFO, SCRATCH));
        ByteBuffer b = ByteBuffer.wrap(read(e, SCRATCH, ENVINFO_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {b.getInt(), b.getInt(), b.getInt(), b.getInt()};
    }

    String console() {
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        disk.close();
        Files.deleteIfExists(diskFile);
    }
}
