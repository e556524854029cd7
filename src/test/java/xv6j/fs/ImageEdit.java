package xv6j.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    public ImageEdit(byte[] img) {
        this.img = img;
        this.sb = SuperBlock.decode(blockOf(img, 1));
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

    // ---- raw access ----------------------------------------------------------------------

    public int getInt(int block, int off) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getInt(block * Fs.BSIZE + off);
    }

    public void putInt(int block, int off, int v) {
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(block * Fs.BSIZE + off, v);
    }

    public byte[] block(int b) {
        return blockOf(img, b);
    }

    public void putBlock(int b, byte[] data) {
        System.arraycopy(data, 0, img, b * Fs.BSIZE, Fs.BSIZE);
    }

    public void putSuperBlock(SuperBlock s) {
        byte[] b = block(1);
        s.encode(b);
        putBlock(1, b);
    }

    public DInode inode(int inum) {
        return DInode.decode(img, Fs.iblock(inum, sb) * Fs.BSIZE + inum % Fs.IPB * Fs.DINODE_SIZE);
    }

    public void putInode(int inum, DInode d) {
        d.encode(img, Fs.iblock(inum, sb) * Fs.BSIZE + inum % Fs.IPB * Fs.DINODE_SIZE);
    }

    /** The inode with one field changed. */
    public void setNlink(int inum, int nlink) {
        DInode d = inode(inum);
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), (short) nlink, d.size(), d.addrs()));
    }

    public void setSize(int inum, int size) {
        DInode d = inode(inum);
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), d.nlink(), size, d.addrs()));
    }

    public void setType(int inum, int type) {
        DInode d = inode(inum);
        putInode(inum, new DInode((short) type, d.major(), d.minor(), d.nlink(), d.size(), d.addrs()));
    }

    public void setAddr(int inum, int i, int addr) {
        DInode d = inode(inum);
        int[] a = d.addrs();
        a[i] = addr;
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), d.nlink(), d.size(), a));
    }

    public boolean marked(int b) {
        int at = Fs.bblock(b, sb) * Fs.BSIZE + (b % Fs.BPB) / 8;
        return (img[at] & (1 << (b % 8))) != 0;
    }

    public void mark(int b, boolean used) {
        int at = Fs.bblock(b, sb) * Fs.BSIZE + (b % Fs.BPB) / 8;
        if (used) img[at] |= (byte) (1 << (b % 8));
        else img[at] &= (byte) ~(1 << (b % 8));
    }

    /** Directory entry slot k of directory dir (which must have that slot in its blocks). */
    public void putDirEnt(int dir, int k, DirEnt de) {
        int off = k * Fs.DIRENT_SIZE;
        int b = bmap(dir, off / Fs.BSIZE, false);
        de.encode(img, b * Fs.BSIZE + off % Fs.BSIZE);
    }

    public DirEnt dirEnt(int dir, int k) {
        int off = k * Fs.DIRENT_SIZE;
        return DirEnt.decode(img, bmap(dir, off / Fs.BSIZE, false) * Fs.BSIZE + off % Fs.BSIZE);
    }

    /** The slot of name in directory dir. */
    public int slotOf(int dir, String name) {
        for (int k = 0; k < inode(dir).size() / Fs.DIRENT_SIZE; k++) {
            DirEnt de = dirEnt(dir, k);
            if (de.inum() != 0 && de.name().equals(name)) return k;
        }
        throw new IllegalArgumentException("no " + name + " in directory " + dir);
    }

    // ---- the kernel's operations ------------------------------------------------------------

    /** balloc: the first free block, marked and zeroed. */
    public int balloc() {
        for (int b = 0; b < sb.size(); b++) {
            if (!marked(b)) {
                mark(b, true);
                putBlock(b, new byte[Fs.BSIZE]);
                return b;
            }
        }
        throw new IllegalStateException("out of blocks");
    }

    /** ialloc: the first free inode, zeroed, with the given type. */
    public int ialloc(short type) {
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            if (inode(inum).type() == Fs.T_FREE) {
                putInode(inum, new DInode(type, (short) 0, (short) 0, (short) 0, 0, new int[Fs.NDIRECT + 1]));
                return inum;
            }
        }
        throw new IllegalStateException("out of inodes");
    }

    /** bmap: the disk block of file block bn, allocated (indirect block too) if alloc. */
    public int bmap(int inum, int bn, boolean alloc) {
        DInode d = inode(inum);
        if (bn < Fs.NDIRECT) {
            if (d.addr(bn) == 0 && alloc) setAddr(inum, bn, balloc());
            return inode(inum).addr(bn);
        }
        int ind = d.addr(Fs.NDIRECT);
        if (ind == 0) {
            if (!alloc) return 0;
            ind = balloc();
            setAddr(inum, Fs.NDIRECT, ind);
        }
        int a = getInt(ind, 4 * (bn - Fs.NDIRECT));
        if (a == 0 && alloc) {
            a = balloc();
            putInt(ind, 4 * (bn - Fs.NDIRECT), a);
        }
        return a;
    }

    /** writei at the end of the file. */
    public void append(int inum, byte[] data) {
        int off = inode(inum).size();
        for (int i = 0; i < data.length; i++, off++)
            img[bmap(inum, off / Fs.BSIZE, true) * Fs.BSIZE + off % Fs.BSIZE] = data[i];
        setSize(inum, Math.max(off, inode(inum).size()));
    }

    /** dirlink: the first free slot, or a new one at the end. */
    public void dirLink(int dir, String name, int inum) {
        int n = inode(dir).size() / Fs.DIRENT_SIZE;
        for (int k = 0; k < n; k++) {
            if (dirEnt(dir, k).inum() == 0) {
                putDirEnt(dir, k, new DirEnt(inum, name));
                return;
            }
        }
        byte[] e = new byte[Fs.DIRENT_SIZE];
        new DirEnt(inum, name).encode(e, 0);
        append(dir, e);
    }

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

    private static byte[] blockOf(byte[] img, int b) {
        return Arrays.copyOfRange(img, b * Fs.BSIZE, (b + 1) * Fs.BSIZE);
    }
}
