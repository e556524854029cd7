package xv6j.view;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xv6j.fs.CorruptImageException;
import xv6j.fs.DInode;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.FsImage;
import xv6j.fs.SuperBlock;
import xv6j.machine.Disk;

/**
 * The disk as the page draws it: each block's role in xv6's layout (boot, super, log,
 * inodes, bitmap, data in use, free; blocks past the file system, where kernel-exo keeps
 * kv's store), and for each data block the file it belongs to.
 *
 * <p>It reads the image file through a read-only handle of its own, as fsck would, never
 * through the machine's disk: the machine's counters and the exokernel's audit of block
 * transfers see nothing of it. What it shows is the disk itself, with committed log
 * transactions applied, not what a kernel holds in its buffer cache: a file appears here
 * once its transaction commits. A write in progress can make the image momentarily
 * inconsistent; what cannot be read is left out and said so, never guessed.
 */
final class DiskMap implements AutoCloseable {
    /** Roles, in the order the JSON's "roles" lists them. */
    static final String[] ROLES = {"boot", "super", "log", "inodes", "bitmap", "data", "free", "beyond"};
    static final int BOOT = 0, SUPER = 1, LOG = 2, INODES = 3, BITMAP = 4, DATA = 5, FREE = 6, BEYOND = 7;

    private final Disk machineDisk;
    private final Disk image;
    /** The JSON of the last map, and the machine disk's write count it was made at. */
    private String last;
    private long lastWrites = -1;

    /** A map of the image machineDisk runs on, read through a handle of its own. */
    DiskMap(Disk machineDisk) throws IOException {
        this.machineDisk = machineDisk;
        this.image = Disk.open(machineDisk.path(), true);
    }

    /** The map as a JSON object; made again only when the machine has written since the last one. */
    synchronized String json() {
        long writes = machineDisk.writes();
        if (last == null || writes != lastWrites) {
            last = build(writes);
            lastWrites = writes;
        }
        return last;
    }

    private String build(long writes) {
        int n = image.blocks();
        int[] role = new int[n];
        int[] owner = new int[n];
        Json j = new Json().beginObject();
        j.field("blocks", n).field("blockSize", Disk.BLOCK_SIZE).field("reads", machineDisk.reads()).field("writes", writes);
        j.name("roles").beginArray();
        for (String r : ROLES) j.value(r);
        j.endArray();
        List<FileInfo> files = new ArrayList<>();
        String error = null;
        SuperBlock sb = null;
        int logPending = 0;
        try {
            FsImage disk = FsImage.open(image);
            sb = disk.superBlock();
            logPending = disk.logHeader().n();
            FsImage fs = disk.replayed();
            layout(sb, fs, role);
            error = files(fs, sb, owner, files);
        } catch (CorruptImageException | RuntimeException e) {
            // No file system, or one caught half written: say what, draw what is known.
            error = e.getMessage();
            if (sb == null) Arrays.fill(role, BEYOND);
        }
        if (sb != null) {
            j.name("layout").beginObject().field("size", sb.size()).field("nblocks", sb.nblocks())
                    .field("ninodes", sb.ninodes()).field("nlog", sb.nlog()).field("logstart", sb.logstart())
                    .field("inodestart", sb.inodestart()).field("bmapstart", sb.bmapstart())
                    .field("datastart", sb.datastart()).endObject();
        }
        j.field("logPending", logPending);
        j.name("map");
        j.runs(role);
        j.name("owners");
        j.runs(owner);
        j.name("files").beginArray();
        for (FileInfo f : files) {
            j.beginObject().field("inum", f.inum).field("type", f.type).field("path", f.path)
                    .field("size", f.size).field("nlink", f.nlink).field("blocks", f.blocks).endObject();
        }
        j.endArray();
        j.field("error", error);
        return j.endObject().toString();
    }

    /** Fills in each block's role from the superblock and the bitmap. */
    private static void layout(SuperBlock sb, FsImage fs, int[] role) {
        for (int b = 0; b < role.length; b++) {
            if (b == 0) role[b] = BOOT;
            else if (b == 1) role[b] = SUPER;
            else if (b >= sb.size()) role[b] = BEYOND;
            else if (b >= sb.logstart() && b < sb.logstart() + sb.nlog()) role[b] = LOG;
            else if (b >= sb.inodestart() && b < sb.bmapstart()) role[b] = INODES;
            else if (b >= sb.bmapstart() && b < sb.datastart()) role[b] = BITMAP;
            else if (b >= sb.datastart()) role[b] = DATA;
            else role[b] = BITMAP; // between the layout's regions: none in mkfs's images
        }
        // The bitmap, one bitmap block at a time.
        byte[] bm = null;
        int loaded = -1;
        for (int b = sb.datastart(); b < sb.size(); b++) {
            int blk = Fs.bblock(b, sb);
            if (blk != loaded) {
                bm = fs.block(blk);
                loaded = blk;
            }
            int bi = b % Fs.BPB;
            if ((bm[bi / 8] & (1 << (bi % 8))) == 0) role[b] = FREE;
        }
    }

    private record FileInfo(int inum, String type, String path, long size, int nlink, int blocks) {}

    /**
     * Records which inode each data block belongs to (its indirect block included), and
     * every allocated inode with a path found from the root. Returns what could not be
     * read, or null.
     */
    private static String files(FsImage fs, SuperBlock sb, int[] owner, List<FileInfo> out) {
        Map<Integer, String> paths = paths(fs);
        String error = null;
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            DInode ip = fs.inode(inum);
            String type = switch (ip.type()) {
                case Fs.T_DIR -> "dir";
                case Fs.T_FILE -> "file";
                case Fs.T_DEVICE -> "device";
                default -> null;
            };
            if (type == null) continue;
            int nblocks = 0;
            try {
                for (int b : fs.blockMap(inum)) {
                    if (b < owner.length) owner[b] = inum;
                    nblocks++;
                }
                long size = Integer.toUnsignedLong(ip.size());
                int ind = ip.addr(Fs.NDIRECT);
                if (size > (long) Fs.NDIRECT * Fs.BSIZE && ind > 0 && ind < owner.length) {
                    owner[ind] = inum;
                    nblocks++;
                }
            } catch (CorruptImageException | RuntimeException e) {
                if (error == null) error = e.getMessage();
            }
            out.add(new FileInfo(inum, type, paths.getOrDefault(inum, ""), Integer.toUnsignedLong(ip.size()), ip.nlink(),
                    nblocks));
        }
        return error;
    }

    /** A path for each inode reachable from the root (the first found, breadth first). */
    private static Map<Integer, String> paths(FsImage fs) {
        Map<Integer, String> paths = new HashMap<>();
        paths.put(Fs.ROOTINO, "/");
        ArrayDeque<Integer> dirs = new ArrayDeque<>();
        dirs.add(Fs.ROOTINO);
        while (!dirs.isEmpty()) {
            int d = dirs.poll();
            List<DirEnt> entries;
            try {
                if (fs.inode(d).type() != Fs.T_DIR) continue;
                entries = fs.listDir(d);
            } catch (CorruptImageException | RuntimeException e) {
                continue; // a directory caught half written: its files show without a path
            }
            String base = paths.get(d).equals("/") ? "/" : paths.get(d) + "/";
            for (DirEnt de : entries) {
                if (de.name().equals(".") || de.name().equals("..") || paths.containsKey(de.inum())) continue;
                paths.put(de.inum(), base + de.name());
                dirs.add(de.inum());
            }
        }
        return paths;
    }

    @Override
    public void close() throws IOException {
        image.close();
    }
}
