package xv6j.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import xv6j.tools.Mkfs;

/**
 * Edits an image held in memory, for tests: raw pokes to inject corruption, and the
 * file-system operations of xv6's kernel (create, mkdir, link, unlink) done as the kernel
 * does them, with its nlink accounting, to make images a correct kernel could have left.
 */
public final class ImageEdit {
    public final byte[] img;
    public final SuperBlock sb;

    private final MutableImage m;

    public ImageEdit(byte[] img) {
        this.m = new MutableImage(img);
        this.img = img;
        this.sb = m.sb;
    }

    /** A fresh image from Mkfs with the given files (name -> contents), built in dir. */
    public static ImageEdit fresh(Path dir, Map<String, byte[]> files) {
        try {
            List<Path> paths = new ArrayList<>();
            Path in = Files.createDirectories(dir.resolve("in"));
            for (var e : files.entrySet()) paths.add(Files.write(in.resolve(e.getKey()), e.getValue()));
            Path out = dir.resolve("fresh.img");
            Mkfs.build(out, paths);
            return new ImageEdit(Files.readAllBytes(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ImageEdit copy() {
        return new ImageEdit(img.clone());
    }

    // ---- raw access and the kernel's operations: MutableImage's ----------------------------

    public int getInt(int block, int off) { return m.getInt(block, off); }

    public void putInt(int block, int off, int v) { m.putInt(block, off, v); }

    public byte[] block(int b) { return m.block(b); }

    public void putBlock(int b, byte[] data) { m.putBlock(b, data); }

    public void putSuperBlock(SuperBlock s) {
        byte[] b = block(1);
        s.encode(b);
        putBlock(1, b);
    }

    public DInode inode(int inum) { return m.inode(inum); }

    public void putInode(int inum, DInode d) { m.putInode(inum, d); }

    public void setNlink(int inum, int nlink) { m.setNlink(inum, nlink); }

    public void setSize(int inum, int size) { m.setSize(inum, size); }

    public void setType(int inum, int type) {
        DInode d = inode(inum);
        putInode(inum, new DInode((short) type, d.major(), d.minor(), d.nlink(), d.size(), d.addrs()));
    }

    public void setAddr(int inum, int i, int addr) { m.setAddr(inum, i, addr); }

    public boolean marked(int b) { return m.marked(b); }

    public void mark(int b, boolean used) { m.mark(b, used); }

    public void putDirEnt(int dir, int k, DirEnt de) { m.putDirEnt(dir, k, de); }

    public DirEnt dirEnt(int dir, int k) { return m.dirEnt(dir, k); }

    /** The slot of name in directory dir. */
    public int slotOf(int dir, String name) {
        for (int k = 0; k < inode(dir).size() / Fs.DIRENT_SIZE; k++) {
            DirEnt de = dirEnt(dir, k);
            if (de.inum() != 0 && de.name().equals(name)) return k;
        }
        throw new IllegalArgumentException("no " + name + " in directory " + dir);
    }

    public int balloc() { return m.balloc(); }

    public int ialloc(short type) { return m.ialloc(type); }

    public int bmap(int inum, int bn, boolean alloc) { return m.bmap(inum, bn, alloc); }

    public void append(int inum, byte[] data) { m.append(inum, data); }

    public void dirLink(int dir, String name, int inum) { m.dirLink(dir, name, inum); }

    /** create(T_FILE) then write: nlink 1. */
    public int create(int dir, String name, byte[] data) {
        int inum = ialloc(Fs.T_FILE);
        setNlink(inum, 1);
        append(inum, data);
        dirLink(dir, name, inum);
        return inum;
    }

    /** mknod: a device inode with nlink 1. */
    public int mknod(int dir, String name, int major, int minor) {
        int inum = ialloc(Fs.T_DEVICE);
        putInode(inum, new DInode(Fs.T_DEVICE, (short) major, (short) minor, (short) 1, 0, new int[Fs.NDIRECT + 1]));
        dirLink(dir, name, inum);
        return inum;
    }

    /** mkdir as xv6's create does it: nlink 1, "." and "..", and the parent's nlink + 1. */
    public int mkdir(int parent, String name) {
        int inum = ialloc(Fs.T_DIR);
        setNlink(inum, 1);
        dirLink(inum, ".", inum);
        dirLink(inum, "..", parent);
        dirLink(parent, name, inum);
        setNlink(parent, inode(parent).nlink() + 1);
        return inum;
    }

    /** link: a second name for a file. */
    public void link(int dir, String name, int inum) {
        dirLink(dir, name, inum);
        setNlink(inum, inode(inum).nlink() + 1);
    }

    /**
     * A file in the root with {@code links} names, as that many calls of link would leave
     * it: {@code name}, and x0000, x0001 ... in new directories l00, l01 ... of the root,
     * perDir names each. Returns the file's inode number.
     */
    public int createWithLinks(String name, byte[] data, int links, int perDir) {
        int f = create(Fs.ROOTINO, name, data);
        int more = links - 1;
        for (int d = 0; d * perDir < more; d++) {
            int sub = mkdir(Fs.ROOTINO, String.format("l%02d", d));
            int n = Math.min(perDir, more - d * perDir);
            byte[] entries = new byte[n * Fs.DIRENT_SIZE];
            for (int i = 0; i < n; i++) new DirEnt(f, String.format("x%04d", i)).encode(entries, i * Fs.DIRENT_SIZE);
            append(sub, entries);
        }
        setNlink(f, links);
        return f;
    }

    /**
     * unlink as xv6 does it while the file is still open: the entry cleared, nlink
     * decremented (and the parent's for a directory), the inode and its blocks kept.
     */
    public int unlinkKeepOpen(int dir, String name) {
        int k = slotOf(dir, name);
        int inum = dirEnt(dir, k).inum();
        putDirEnt(dir, k, new DirEnt(0, ""));
        if (inode(inum).type() == Fs.T_DIR) setNlink(dir, inode(dir).nlink() - 1);
        setNlink(inum, inode(inum).nlink() - 1);
        return inum;
    }

    /** Block numbers whose contents differ from another image of the same size. */
    public List<Integer> changedBlocks(ImageEdit other) {
        List<Integer> changed = new ArrayList<>();
        for (int b = 0; b < img.length / Fs.BSIZE; b++)
            if (!Arrays.equals(block(b), other.block(b))) changed.add(b);
        return changed;
    }

    /**
     * Writes into this image's log the transaction that turns it into {@code after}: every
     * changed block into the log, then the header (the commit point), as xv6's commit
     * does. The home blocks themselves are left as they were.
     */
    public void commitLog(ImageEdit after) {
        List<Integer> changed = changedBlocks(after);
        int[] homes = changed.stream().mapToInt(Integer::intValue).toArray();
        if (homes.length > Math.min(Fs.LOGSIZE, sb.nlog() - 1)) throw new IllegalArgumentException("transaction too big");
        for (int i = 0; i < homes.length; i++) putBlock(sb.logstart() + 1 + i, after.block(homes[i]));
        byte[] h = block(sb.logstart());
        new LogHeader(homes).encode(h);
        putBlock(sb.logstart(), h);
    }
}
