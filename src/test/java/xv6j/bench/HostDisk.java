package xv6j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host's disk charges for durability. Every log commit, on both kernels, forces
 * the image file to stable storage four times (Disk.force), so the file-system figures
 * are mostly this figure: without it they cannot be compared across machines.
 */
final class HostDisk {
    private HostDisk() {}

    /** Median nanoseconds to write one 1 KiB block to a file in dir and force it, over n tries. */
    static double forceNanos(Path dir, int n) throws BenchException {
        Path file = null;
        try {
            file = Files.createTempFile(dir, "fsync", ".bin");
            List<Double> times = new ArrayList<>();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer block = ByteBuffer.allocate(1024);
                for (int i = 0; i < n; i++) {
                    block.clear();
                    block.put(0, (byte) i);
                    long t0 = System.nanoTime();
                    ch.write(block, (i % 16) * 1024L);
                    ch.force(false);
                    times.add((double) (System.nanoTime() - t0));
                }
            }
            return Stats.median(times);
        } catch (IOException e) {
            throw new BenchException("cannot time the host's disk in " + dir + ": " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }
}
