package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DiskTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenBlockIsInTheFileAfterForce() throws IOException {
        Path img = dir.resolve("d.img");
        byte[] b = new byte[Disk.BLOCK_SIZE];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        try (Disk d = Disk.create(img, 8)) {
            d.write(3, b);
            d.force();
        }
        byte[] file = Files.readAllBytes(img);
        assertEquals(8 * Disk.BLOCK_SIZE, file.length);
        assertArrayEquals(b, java.util.Arrays.copyOfRange(file, 3 * Disk.BLOCK_SIZE, 4 * Disk.BLOCK_SIZE));
        try (Disk d = Disk.open(img, true)) {
            byte[] r = new byte[Disk.BLOCK_SIZE];
            d.read(3, r);
            assertArrayEquals(b, r);
            assertEquals(1, d.reads());
        }
    }

    @Test
    void blocksOutsideTheDiskAreRefused() throws IOException {
        try (Disk d = Disk.create(dir.resolve("d.img"), 4)) {
            byte[] b = new byte[Disk.BLOCK_SIZE];
            assertThrows(IllegalArgumentException.class, () -> d.read(4, b));
            assertThrows(IllegalArgumentException.class, () -> d.write(-1, b));
        }
    }

    @Test
    void aMissingImageAndAPartialBlockAreClearErrors() throws IOException {
        assertThrows(NoSuchFileException.class, () -> Disk.open(dir.resolve("none.img"), false));
        Path odd = dir.resolve("odd.img");
        Files.write(odd, new byte[1500]);
        IOException e = assertThrows(IOException.class, () -> Disk.open(odd, false));
        assertTrue(e.getMessage().contains("not a whole number of 1024-byte blocks"), e.getMessage());
    }

    @Test
    void aReadOnlyDiskRefusesWrites() throws IOException {
        Path img = dir.resolve("d.img");
        Disk.create(img, 2).close();
        try (Disk d = Disk.open(img, true)) {
            assertThrows(IllegalStateException.class, () -> d.write(0, new byte[Disk.BLOCK_SIZE]));
        }
    }
    /**
     * An observer sees writes and forces in the order they happened, even when another
     * thread writes while one forces (kernel-exo forces outside its lock): a write that
     * begins while a force is reported must be seen after it, never as covered by it. The
     * report of the force lasts until the write has either been seen (the order broken) or
     * is blocked on a lock the forcing thread holds: an event, however slow the host.
     */
    @Test
    @Timeout(60) // a bound for a disk that loses the write, not a guess at the host's speed
    void aWriteDuringAForceIsSeenAfterIt() throws Exception {
        try (Disk d = Disk.create(dir.resolve("d.img"), 4)) {
            // Lock-free, so that a writer blocked on it is never taken for one blocked by the force.
            Queue<String> seen = new ConcurrentLinkedQueue<>();
            CountDownLatch forcing = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try {
                    forcing.await();
                } catch (InterruptedException e) {
                    return;
                }
                writing.set(true);
                d.write(2, new byte[Disk.BLOCK_SIZE]);
            });
            Thread forcer = new Thread(d::force);
            d.observe(new Disk.Observer() {
                @Override
                public void wrote(int blockno, byte[] data) {
                    seen.add("wrote " + blockno);
                }

                @Override
                public void forced() {
                    forcing.countDown();
                    while (!seen.contains("wrote 2") && !(writing.get() && blockedBy(writer, forcer))) Thread.onSpinWait();
                    seen.add("forced");
                }
            });
            writer.start();
            forcer.start();
            forcer.join();
            writer.join();
            assertEquals(List.of("forced", "wrote 2"), List.copyOf(seen));
        }
    }

    /** Whether t waits for a lock that owner holds. */
    private static boolean blockedBy(Thread t, Thread owner) {
        ThreadInfo i = ManagementFactory.getThreadMXBean().getThreadInfo(t.threadId());
        return i != null && i.getLockOwnerId() == owner.threadId();
    }
}
