package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The orphans of an image: inodes allocated with no links (a file unlinked while a
 * process had it open when the machine stopped), which the kernel frees at boot (xv6's
 * ireclaim). Their type, size and block list come from the disk, so before freeing one
 * the kernel asks here whether that is safe: a valid type, a size a file can have, and
 * every block it names (its indirect block included) a data block, marked in use, and
 * named by no other inode, nor twice by this one. Freeing a corrupt orphan would free a
 * log, inode or bitmap block, or a live file's block (which balloc would then hand out
 * again), or panic at bfree; such an orphan is left for fsck, which says what is wrong.
 * fsck asks the same question, so both say the same of an orphan.
 */
public final class Orphans {
    private Orphans() {}

    /** An orphaned inode, and why it must not be freed (null if it may). */
    public record Orphan(int inum, String problem) {
        public boolean reclaimable() { return problem == null; }
    }

    /**
     * Finds the orphans of the file system sb describes, reading its blocks through
     * block (a copy of block b, as the kernel's buffer cache or fsck's image holds it).
     * Reads the inode blocks, and only if there is an orphan, the bitmap and the other
     * inodes' indirect blocks too.
     */
    public static List<Orphan> find(SuperBlock sb, IntFunction<byte[]> block) {
        DInode[] inodes = new DInode[sb.ninodes()];
        List<Integer> orphans = new ArrayList<>();
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            byte[] b = block.apply(Fs.iblock(inum, sb));
            DInode d = DInode.decode(b, (inum % Fs.IPB) * Fs.DINODE_SIZE);
            if (d.type() == Fs.T_FREE) continue;
            inodes[inum] = d;
            if (d.nlink() == 0) orphans.add(inum);
        }
        if (orphans.isEmpty()) return List.of();

        // How many times each data block is named, by all inodes (the orphans' included).
        int[] refs = new int[sb.size()];
        for (DInode d : inodes) {
            if (d == null) continue;
            for (long a : blocks(d, sb, block)) if (isData(sb, a)) refs[(int) a]++;
        }
        List<Orphan> found = new ArrayList<>();
        for (int inum : orphans) found.add(new Orphan(inum, problem(inodes[inum], sb, block, refs)));
        return found;
    }

    /** Why the kernel must not free orphan d's blocks, or null. */
    private static String problem(DInode d, SuperBlock sb, IntFunction<byte[]> block, int[] refs) {
        if (d.type() != Fs.T_FILE && d.type() != Fs.T_DIR && d.type() != Fs.T_DEVICE)
            return "invalid type " + d.type();
        long size = Integer.toUnsignedLong(d.size());
        long max = (long) Fs.MAXFILE * Fs.BSIZE;
        if (size > max) return "size " + size + " is beyond the largest file (" + max + ")";
        for (long a : blocks(d, sb, block)) {
            if (!isData(sb, a))
                return "block " + a + " lies outside the data blocks " + sb.datastart() + ".." + (sb.size() - 1);
            if (!marked(sb, block, (int) a)) return "block " + a + " is marked free in the bitmap";
            if (refs[(int) a] > 1) return "block " + a + " is named by another inode too, or twice";
        }
        return null;
    }

    /**
     * The block addresses d names: its direct blocks, its indirect block and, if that is a
     * data block, the addresses in it. Unsigned, so a corrupt negative address is large.
     */
    private static List<Long> blocks(DInode d, SuperBlock sb, IntFunction<byte[]> block) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i <= Fs.NDIRECT; i++) if (d.addr(i) != 0) out.add(Integer.toUnsignedLong(d.addr(i)));
        long ind = Integer.toUnsignedLong(d.addr(Fs.NDIRECT));
        if (ind != 0 && isData(sb, ind)) {
            ByteBuffer b = ByteBuffer.wrap(block.apply((int) ind)).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < Fs.NINDIRECT; j++) {
                int a = b.getInt(4 * j);
                if (a != 0) out.add(Integer.toUnsignedLong(a));
            }
        }
        return out;
    }

    private static boolean isData(SuperBlock sb, long a) {
        return a >= sb.datastart() && a < sb.size();
    }

    private static boolean marked(SuperBlock sb, IntFunction<byte[]> block, int b) {
        byte[] bm = block.apply(Fs.bblock(b, sb));
        int bi = b % Fs.BPB;
        return (bm[bi / 8] & (1 << (bi % 8))) != 0;
    }
}
