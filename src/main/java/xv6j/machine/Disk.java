package xv6j.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A block disk backed by an image file: 1024-byte blocks, numbered from 0.
 *
 * <p>{@link #write} hands the block to the host's file system; {@link #force} returns only
 * when every write before it is on stable storage. A kernel calls force before it reports
 * a write durable (xv6's log does so at each commit point), so a crash of the host or of
 * the JVM loses nothing that was acknowledged.
 *
 * <p>A disk open for writing holds the image's {@link ImageLock} until it is closed: a
 * second machine or tool cannot write the same image meanwhile.
 *
 * <p>Thread-safe: positional reads and writes on one channel.
 */
public final class Disk implements AutoCloseable {
    public static final int BLOCK_SIZE = 1024;

    private final Path path;
    private final FileChannel channel;
    private final int blocks;
    private final boolean readOnly;
    private long reads;
    private long writes;
    private volatile Runnable onForce = () -> {};
    private volatile Observer observer;
    /** Held by a write or a force while an observer watches, so it sees them in the order they happened. */
    private final Object observed = new Object();

    /**
     * Sees every write and force, in order: what a crash at any moment could leave on the
     * platter (the writes forced so far, and any of those since) can be rebuilt from it.
     * While one watches, writes and forces take turns (a kernel may force outside its own
     * lock, so another hart's write could otherwise land during a force and be seen before
     * it, as covered by a force that may not have covered it).
     */
    public interface Observer {
        /** Block blockno was written with data (the caller's buffer: copy what is kept). */
        void wrote(int blockno, byte[] data);

        /** Every write before this is durable. */
        void forced();
    }

    /**
     * The host failed a read, write or flush of the image (a full host disk, the image
     * truncated under the machine): the machine's disk failed, not a kernel's invariant,
     * so a kernel reports it as its message alone, with no Java frames.
     */
    public static final class Failure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        Failure(String message, IOException cause) {
            super(message, cause);
        }
    }

    private Disk(Path path, FileChannel channel, int blocks, boolean readOnly) {
        this.path = path;
        this.channel = channel;
        this.blocks = blocks;
        this.readOnly = readOnly;
    }

    /**
     * Opens an existing image. Fails with a one-line message (an IOException) if the file
     * is missing, unreadable, or not a whole number of blocks.
     */
    public static Disk open(Path path, boolean readOnly) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such disk image; " + make(path));
        if (!Files.isRegularFile(path)) throw new IOException(path + ": not a regular file");
        // A writer takes the image's lock: one machine or tool at a time (ImageLock).
        FileChannel ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ) : ImageLock.open(path).channel();
        long size = ch.size();
        if (size == 0 || size % BLOCK_SIZE != 0 || size / BLOCK_SIZE > Integer.MAX_VALUE) {
            ch.close();
            String why = size == 0 ? "is empty"
                    : size % BLOCK_SIZE != 0 ? "size " + size + " is not a whole number of " + BLOCK_SIZE + "-byte blocks"
                    : "size " + size + " is more blocks than a disk can have (" + Integer.MAX_VALUE + ")";
            throw new IOException(path + ": " + why + "; " + remake(path));
        }
        return new Disk(path, ch, (int) (size / BLOCK_SIZE), readOnly);
    }

    /**
     * Creates (or empties) an image of the given number of zeroed blocks. An image another
     * program is writing is refused ({@link ImageLock}), not emptied under it.
     */
    public static Disk create(Path path, int blocks) throws IOException {
        if (blocks <= 0) throw new IOException("a disk needs at least one block, not " + blocks);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ImageLock.tryLock(ch, path);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(new byte[1]), (long) blocks * BLOCK_SIZE - 1);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new Disk(path, ch, blocks, false);
    }

    /**
     * What a user does about an image no kernel can use (cut short, not a file system, no
     * /init): make a new one, as make makes the two it knows, or with mkfs. A clause, to
     * follow the reason after "; ".
     */
    public static String remake(Path image) {
        String make = makeCommand(image);
        if (make != null) return "make a new one: rm " + image + ", then " + make;
        return "make a new one with " + Launcher.toolCommand("mkfs") + " (--help says how)";
    }

    /** What a user does about an image that is not there: as {@link #remake}. */
    public static String make(Path image) {
        String make = makeCommand(image);
        return make != null ? make + " makes it" : Launcher.toolCommand("mkfs") + " makes one (--help says how)";
    }

    /**
     * The make command that makes image and boots it, if image is one of the two make
     * makes (fs.img, fs-exo.img of the repository this code was built in); else null.
     */
    private static String makeCommand(Path image) {
        Path root = Launcher.repository();
        if (root == null) return null;
        Path abs = image.toAbsolutePath().normalize();
        String exo = abs.equals(root.resolve("fs.img")) ? "" : abs.equals(root.resolve("fs-exo.img")) ? "EXO=1 " : null;
        if (exo == null) return null;
        String in = root.equals(Path.of("").toAbsolutePath()) ? "" : "-C " + root + " ";
        return "make " + in + exo + "qemu";
    }

    public Path path() { return path; }
    public int blocks() { return blocks; }
    public boolean readOnly() { return readOnly; }
    public synchronized long reads() { return reads; }
    public synchronized long writes() { return writes; }

    /** Reads block blockno into buf[0..1024). */
    public void read(int blockno, byte[] buf) {
        checkBlock(blockno, buf);
        ByteBuffer b = ByteBuffer.wrap(buf, 0, BLOCK_SIZE);
        long pos = (long) blockno * BLOCK_SIZE;
        try {
            while (b.hasRemaining()) {
                int n = channel.read(b, pos + b.position());
                // The image was cut short while the machine ran (it was whole when opened).
                if (n < 0) throw new IOException("the image ends at block " + channel.size() / BLOCK_SIZE
                        + " (it was truncated while the machine ran); " + remake(path));
            }
        } catch (IOException e) {
            throw new Failure(path + ": read of block " + blockno + " failed: " + e.getMessage(), e);
        }
        synchronized (this) { reads++; }
    }

    /** Writes buf[0..1024) to block blockno. Durable only after {@link #force}. */
    public void write(int blockno, byte[] buf) {
        checkBlock(blockno, buf);
        if (readOnly) throw new IllegalStateException(path + " is open read-only");
        Observer o = observer;
        if (o == null) {
            put(blockno, buf);
            return;
        }
        synchronized (observed) {
            put(blockno, buf);
            o.wrote(blockno, buf);
        }
    }

    private void put(int blockno, byte[] buf) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, BLOCK_SIZE);
        long pos = (long) blockno * BLOCK_SIZE;
        try {
            while (b.hasRemaining()) channel.write(b, pos + b.position());
        } catch (IOException e) {
            throw new Failure(path + ": write of block " + blockno + " failed: " + e.getMessage(), e);
        }
        synchronized (this) { writes++; }
    }

    /** Watches the writes and forces from now on (one observer; null for none). */
    public void observe(Observer o) {
        this.observer = o;
    }

    /** Called after every force: the machine charges a flush's time to its clock. */
    public void onForce(Runnable r) {
        this.onForce = r;
    }

    /** Returns when every earlier write is on stable storage. */
    public void force() {
        if (readOnly) return;
        onForce.run();
        Observer o = observer;
        if (o == null) {
            sync();
            return;
        }
        synchronized (observed) {
            sync();
            o.forced();
        }
    }

    private void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new Failure(path + ": flush failed: " + e.getMessage(), e);
        }
    }

    private void checkBlock(int blockno, byte[] buf) {
        if (blockno < 0 || blockno >= blocks)
            throw new IllegalArgumentException("block " + blockno + " is outside the disk (0.." + (blocks - 1) + ")");
        if (buf.length < BLOCK_SIZE) throw new IllegalArgumentException("buffer smaller than a block");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
