package xv6j.exo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import xv6j.fs.DInode;
import xv6j.fs.DirEnt;
import xv6j.fs.Fs;
import xv6j.fs.SuperBlock;
import xv6j.machine.Disk;

/**
 * The boot loader's file reader: just enough of the xv6 image format to read one file by
 * a path of the root directory (/init). Read-only, and the log is not replayed (the library
 * OS recovers it once running). Every number read from the image is range-checked, so a
 * corrupt image gives a one-line IOException.
 *
 * <p>Stands in until xv6j.fs.FsImage (the shared read-only reader) is on main; then this
 * class becomes {@code FsImage.open(disk).replayed()} plus lookup and readFile.
 */
final class BootFs {
    private BootFs() {}

    /** The bytes of the file at path (a name in the root directory, e.g. "/init"). */
    static byte[] readFile(Disk disk, String path) throws IOException {
        byte[] buf = new byte[Fs.BSIZE];
        if (disk.blocks() < 2) throw new IOException("image too small for a superblock");
        disk.read(1, buf);
        SuperBlock sb = SuperBlock.decode(buf);
        if (sb.magic() != Fs.FSMAGIC) throw new IOException(String.format("bad superblock magic 0x%x", sb.magic()));
        if (sb.size() > disk.blocks() || sb.inodestart() <= 1 || sb.inodestart() >= sb.size() || sb.ninodes() <= Fs.ROOTINO)
            throw new IOException("superblock does not fit the image: " + sb);
        String name = path.startsWith("/") ? path.substring(1) : path;
        if (name.isEmpty() || name.contains("/")) throw new IOException("boot path must name a file of the root directory: " + path);
        byte[] root = read(disk, sb, Fs.ROOTINO);
        for (int off = 0; off + Fs.DIRENT_SIZE <= root.length; off += Fs.DIRENT_SIZE) {
            DirEnt de = DirEnt.decode(root, off);
            if (de.inum() != 0 && de.name().equals(name)) return read(disk, sb, de.inum());
        }
        throw new IOException(path + ": no such file in the image");
    }

    private static byte[] read(Disk disk, SuperBlock sb, int inum) throws IOException {
        if (inum <= 0 || inum >= sb.ninodes()) throw new IOException("inode " + inum + " out of range");
        byte[] buf = new byte[Fs.BSIZE];
        disk.read(block(sb, Fs.iblock(inum, sb)), buf);
        DInode ip = DInode.decode(buf, (inum % Fs.IPB) * Fs.DINODE_SIZE);
        if (ip.type() == Fs.T_FREE) throw new IOException("inode " + inum + " is free");
        long size = Integer.toUnsignedLong(ip.size());
        if (size > (long) Fs.MAXFILE * Fs.BSIZE) throw new IOException("inode " + inum + ": size " + size + " too large");
        byte[] data = new byte[(int) size];
        int[] indirect = null;
        for (int i = 0; (long) i * Fs.BSIZE < size; i++) {
            int addr;
            if (i < Fs.NDIRECT) {
                addr = ip.addr(i);
            } else {
                if (indirect == null) {
                    byte[] ib = new byte[Fs.BSIZE];
                    disk.read(block(sb, ip.addr(Fs.NDIRECT)), ib);
                    indirect = new int[Fs.NINDIRECT];
                    ByteBuffer.wrap(ib).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(indirect);
                }
                addr = indirect[i - Fs.NDIRECT];
            }
            disk.read(block(sb, addr), buf);
            int n = (int) Math.min(Fs.BSIZE, size - (long) i * Fs.BSIZE);
            System.arraycopy(buf, 0, data, i * Fs.BSIZE, n);
        }
        return data;
    }

    private static int block(SuperBlock sb, int b) throws IOException {
        if (b <= 1 || b >= sb.size()) throw new IOException("block " + Integer.toUnsignedLong(b) + " outside the file system");
        return b;
    }
}
