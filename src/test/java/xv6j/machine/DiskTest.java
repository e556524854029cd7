package xv6j.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
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
     * begins while a force is reported must be seen after it, never as covered by it.
     */
    @Test
    void aWriteDuringAForceIsSeenAfterIt() throws Exception {
        try (Disk d = Disk.create(dir.resolve("d.img"), 4)) {
            List<String> seen = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch forcing = new CountDownLatch(1);
            d.observe(new Disk.Observer() {
                @Override
                public void wrote(int blockno, byte[] data) {
                    seen.add("wrote " + blockno);
                }

                @Override
                public void forced() {
                    forcing.countDown();
                    long end = System.nanoTime() + 200_000_000L; // time for a concurrent write to land
                    while (System.nanoTime() < end && !seen.contains("wrote 2")) Thread.onSpinWait();
                    seen.add("forced");
                }
            });
            Thread forcer = new Thread(d::force);
            forcer.start();
            forcing.await();
            d.write(2, new byte[Disk.BLOCK_SIZE]);
            forcer.join();
            assertEquals(List.of("forced", "wrote 2"), seen);
        }
    }
}
