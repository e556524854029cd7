package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An image held in memory, changed the way xv6's kernel changes a file system: balloc and
 * bfree in the bitmap, ialloc, bmap, writing and truncating a file, linking a name into a
 * directory. No log: the caller writes the result out whole (mkfs --update does, to a new
 * file it then renames over the old one). Checks nothing a correct image guarantees; run
 * fsck before and after.
 */
public final class MutableImage {
    /** The image's bytes, changed in place. */
    public final byte[] img;
    public final SuperBlock sb;

    /** The image in img, whose superblock must be usable (FsImage.of checks it). */
    public MutableImage(byte[] img) {
        this.img = img;
        this.sb = SuperBlock.decode(block(1));
    }

    /** A read-only view of the image as it is now, and as it will be after later changes. */
    public FsImage view() throws CorruptImageException {
        return FsImage.of(img);
    }

    // ---- blocks, inodes, the bitmap --------------------------------------------------------

    public byte[] block(int b) {
        return Arrays.copyOfRange(img, b * Fs.BSIZE, (b + 1) * Fs.BSIZE);
    }

    public void putBlock(int b, byte[] data) {
        System.arraycopy(data, 0, img, b * Fs.BSIZE, Fs.BSIZE);
    }

    public int getInt(int block, int off) {
        return ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).getInt(block * Fs.BSIZE + off);
    }

    public void putInt(int block, int off, int v) {
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(block * Fs.BSIZE + off, v);
    }

    public DInode inode(int inum) {
        return DInode.decode(img, Fs.iblock(inum, sb) * Fs.BSIZE + inum % Fs.IPB * Fs.DINODE_SIZE);
    }

    public void putInode(int inum, DInode d) {
        d.encode(img, Fs.iblock(inum, sb) * Fs.BSIZE + inum % Fs.IPB * Fs.DINODE_SIZE);
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

    /** Free data blocks. */
    public int freeBlocks() {
        int n = 0;
        for (int b = sb.datastart(); b < sb.size(); b++) if (!marked(b)) n++;
        return n;
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

    /** ialloc: the first free inode, zeroed, with the given type and no links yet. */
    public int ialloc(short type) {
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            if (inode(inum).type() == Fs.T_FREE) {
                putInode(inum, new DInode(type, (short) 0, (short) 0, (short) 0, 0, new int[Fs.NDIRECT + 1]));
                return inum;
            }
        }
        throw new IllegalStateException("out of inodes");
    }

    /** Whether an inode is free for ialloc. */
    public boolean anyFreeInode() {
        for (int inum = 1; inum < sb.ninodes(); inum++) if (inode(inum).type() == Fs.T_FREE) return true;
        return false;
    }

    /** An inode with a new size (everything else as it was). */
    public void setSize(int inum, int size) {
        DInode d = inode(inum);
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), d.nlink(), size, d.addrs()));
    }

    /** An inode with a new link count. */
    public void setNlink(int inum, int nlink) {
        DInode d = inode(inum);
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), (short) nlink, d.size(), d.addrs()));
    }

    /** An inode with one block address changed. */
    public void setAddr(int inum, int i, int addr) {
        DInode d = inode(inum);
        int[] a = d.addrs();
        a[i] = addr;
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), d.nlink(), d.size(), a));
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

    /** itrunc: every block of the file freed (the indirect block too), size 0. */
    public void truncate(int inum) {
        DInode d = inode(inum);
        int[] a = d.addrs();
        for (int i = 0; i < Fs.NDIRECT; i++) {
            if (a[i] != 0) mark(a[i], false);
            a[i] = 0;
        }
        int ind = a[Fs.NDIRECT];
        if (ind != 0) {
            for (int i = 0; i < Fs.NINDIRECT; i++) {
                int b = getInt(ind, 4 * i);
                if (b != 0) mark(b, false);
            }
            mark(ind, false);
            a[Fs.NDIRECT] = 0;
        }
        putInode(inum, new DInode(d.type(), d.major(), d.minor(), d.nlink(), 0, a));
    }

    /** Directory entry slot k of directory dir (which must have that slot in its blocks). */
    public void putDirEnt(int dir, int k, DirEnt de) {
        int off = k * Fs.DIRENT_SIZE;
        de.encode(img, bmap(dir, off / Fs.BSIZE, false) * Fs.BSIZE + off % Fs.BSIZE);
    }

    public DirEnt dirEnt(int dir, int k) {
        int off = k * Fs.DIRENT_SIZE;
        return DirEnt.decode(img, bmap(dir, off / Fs.BSIZE, false) * Fs.BSIZE + off % Fs.BSIZE);
    }

    /** Whether dirLink can add a name to dir without a new block: it has a free slot. */
    public boolean hasFreeSlot(int dir) {
        int n = inode(dir).size() / Fs.DIRENT_SIZE;
        for (int k = 0; k < n; k++) if (dirEnt(dir, k).inum() == 0) return true;
        return inode(dir).size() % Fs.BSIZE != 0;
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
}
