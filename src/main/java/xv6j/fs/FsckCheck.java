package xv6j.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import xv6j.fs.FsckReport.Finding;
import xv6j.fs.FsckReport.Severity;
import xv6j.machine.Disk;

/**
 * fsck's checks of one image whose superblock is usable. Each check reports every
 * problem it finds and goes on, so one corruption does not hide another.
 *
 * <h2>Link counts</h2>
 * xv6 counts in nlink every directory entry that names an inode except a directory's own
 * ".": mkdir gives the new directory nlink 1 (its entry in the parent) and adds 1 to the
 * parent for the new directory's "..", and unlink of a directory undoes both; mkfs gives
 * the root nlink 1 (for its ".." naming itself). So a file's nlink is the number of
 * entries naming it, a directory's is 1 + its subdirectories, and the root's is 1 + its
 * subdirectories too. Only directories reachable from the root are counted: an unlinked
 * directory's ".." no longer counts in its old parent.
 *
 * <h2>Orphans</h2>
 * An inode xv6 unlinks while a process holds it open keeps its type and blocks, with
 * nlink 0, until the last close frees it; a crash in between leaves it allocated and in no
 * directory. That is a warning. An allocated inode with nlink &gt; 0 that no path reaches
 * is an error.
 *
 * <h2>Blocks beyond the size</h2>
 * xv6's writei allocates a block before copying the user's bytes into it; when the copy
 * fails (a bad user pointer) the block stays in the inode while the size does not cover
 * it. Such blocks are a warning; a block missing below the size is an error, as xv6
 * never makes holes.
 */
public final class FsckCheck {
    private final FsImage img;
    private final SuperBlock sb;
    private final List<Finding> findings;

    /** Each inode as read; null for inodes of an invalid type (reported once). */
    private final DInode[] inodes;
    /** Owner of each block: inode number + 1, 0 when no inode references it. */
    private final int[] owner;
    /** For each directory: its file blocks' addresses (0 where missing or invalid). */
    private final int[][] dirBlocks;
    /** Directory entries naming each inode, counted as xv6 counts nlink. */
    private final int[] refs;
    private final boolean[] reachable;
    /** The orphans (nlink 0), each with why the xv6 kernel's boot leaves it alone ("" if it frees it). */
    private final java.util.Map<Integer, String> orphanProblem = new java.util.HashMap<>();
    /** Inodes of an invalid type, reported once each after the valid ones have claimed their blocks. */
    private final List<Integer> invalidType = new ArrayList<>();

    private FsckCheck(FsImage img, List<Finding> findings) {
        this.img = img;
        this.sb = img.superBlock();
        this.findings = findings;
        this.inodes = new DInode[sb.ninodes()];
        this.owner = new int[sb.size()];
        this.dirBlocks = new int[sb.ninodes()][];
        this.refs = new int[sb.ninodes()];
        this.reachable = new boolean[sb.ninodes()];
    }

    /**
     * Why a kernel's launcher refuses to boot disk, in one line with what to do: its
     * superblock describes no xv6 file system that fits in it (an image cut short, or no
     * image at all); null if it does. The xv6 kernel would panic on it in its first
     * moment, in words that say what broke but not what to do.
     */
    public static String bootRefusal(Disk disk) {
        try {
            FsImage.open(disk);
            return null;
        } catch (CorruptImageException e) {
            return notAnImage(disk, e);
        }
    }

    /** The one line for an image that is no file system: why, and what to do. */
    public static String notAnImage(Disk disk, CorruptImageException e) {
        return disk.path() + ": not an xv6 file-system image: " + e.getMessage() + "; " + Disk.remake(disk.path());
    }

    /**
     * What a kernel's launcher tells the user before it boots an image fsck finds errors
     * in: one line, the first error and how many there are, and fsckCommand (what the user
     * types to list them all); null for a clean image, and for one that is no file system
     * at all, which the boot itself refuses. (The kernel boots it anyway, as xv6 would;
     * what goes wrong then is the image's doing.)
     */
    public static String bootWarning(Disk disk, String fsckCommand) {
        FsckReport r;
        try {
            r = check(FsImage.open(disk));
        } catch (CorruptImageException e) {
            return null; // not a file system at all: the kernel's own boot says why, in its words
        }
        List<Finding> errors = r.errors();
        if (errors.isEmpty()) return null;
        return "warning: " + disk.path() + " is corrupt: " + errors.get(0).message()
                + (errors.size() == 2 ? " (and 1 more error)" : errors.size() > 2 ? " (and " + (errors.size() - 1) + " more errors)" : "")
                + "; " + fsckCommand + " lists them";
    }

    /** Checks an image as stored; a committed log is checked as replayed. */
    public static FsckReport check(FsImage stored) {
        List<Finding> findings = new ArrayList<>();
        checkRegions(stored, findings);
        FsImage view = stored;
        boolean pending = false;
        try {
            LogHeader lh = stored.logHeader();
            if (lh.n() > 0) {
                view = stored.replayed();
                pending = true;
                findings.add(new Finding(Severity.NOTE, "the log holds a committed transaction of " + lh.n()
                        + (lh.n() == 1 ? " block (home block " : " blocks (home blocks ") + blockList(lh.blocks()) + "); checked the file system as it"
                        + " will be after recovery installs it (fsck --replay does so now)"));
            }
        } catch (CorruptImageException e) {
            for (String p : e.problems())
                findings.add(new Finding(Severity.ERROR, p + " (a kernel cannot recover this log; checked the"
                        + " image without it)"));
        }
        new FsckCheck(view, findings).run();
        return new FsckReport(findings, pending);
    }

    /** Unused space between the regions, and an image larger than its file system. */
    private static void checkRegions(FsImage img, List<Finding> findings) {
        SuperBlock sb = img.superBlock();
        gap(findings, "the log", sb.logstart() + sb.nlog(), "the inodes", sb.inodestart());
        // A region may be as large as xv6's mkfs makes it, a block more than it needs.
        gap(findings, "the inodes", sb.inodestart() + Math.max(sb.inodeBlocksNeeded(),
                SuperBlock.inodeBlocksMade(sb.ninodes())), "the bitmap", sb.bmapstart());
        gap(findings, "the bitmap", sb.bmapstart() + Math.max(sb.bitmapBlocksNeeded(),
                SuperBlock.bitmapBlocksMade(sb.size())), "the data", sb.datastart());
        if (img.imageBlocks() > sb.size())
            findings.add(new Finding(Severity.NOTE, "the image has " + img.imageBlocks() + " blocks; the file system"
                    + " uses the first " + sb.size()));
    }

    private static void gap(List<Finding> findings, String before, int from, String after, int to) {
        if (to > from)
            findings.add(new Finding(Severity.WARNING, "superblock: blocks " + range(from, to - 1) + " between "
                    + before + " and " + after + " belong to no region"));
    }

    private void run() {
        for (Orphans.Orphan o : Orphans.find(sb, img::block)) orphanProblem.put(o.inum(), o.reclaimable() ? "" : o.problem());
        for (int inum = 0; inum < sb.ninodes(); inum++) checkInode(inum);
        for (int inum : invalidType) reportInvalidType(inum);
        if (walkTree()) checkLinks();
        checkBitmap();
    }

    private void error(String message) {
        findings.add(new Finding(Severity.ERROR, message));
    }

    private void warning(String message) {
        findings.add(new Finding(Severity.WARNING, message));
    }

    // ---- inodes and their blocks ---------------------------------------------------------

    private void checkInode(int inum) {
        DInode d = img.inode(inum);
        switch (d.type()) {
            case Fs.T_FREE -> {
                boolean hasBlocks = Arrays.stream(d.addrs()).anyMatch(a -> a != 0);
                if (d.nlink() != 0 || d.size() != 0 || hasBlocks)
                    error("inode " + inum + " is free (type 0) but has nlink " + d.nlink() + ", size "
                            + Integer.toUnsignedLong(d.size()) + (hasBlocks ? " and block addresses" : "")
                            + "; xv6 clears all three before freeing an inode");
                return;
            }
            case Fs.T_DIR, Fs.T_FILE, Fs.T_DEVICE -> inodes[inum] = d;
            default -> {
                invalidType.add(inum);
                return;
            }
        }
        if (inum == 0) error("inode 0 is allocated (type " + d.type() + "); xv6 never uses inode 0");

        long size = Integer.toUnsignedLong(d.size());
        long max = (long) Fs.MAXFILE * Fs.BSIZE;
        if (size > max) error("inode " + inum + ": size " + size + " exceeds MAXFILE*BSIZE (" + max + ")");
        int needed = (int) ((Math.min(size, max) + Fs.BSIZE - 1) / Fs.BSIZE);

        // File block i -> its address as stored (0: absent); fileBlocks keeps the valid ones.
        int[] addr = new int[Fs.MAXFILE];
        int[] fileBlocks = new int[Fs.MAXFILE];
        int beyond = 0;
        for (int i = 0; i < Fs.NDIRECT; i++) addr[i] = d.addr(i);
        int ind = d.addr(Fs.NDIRECT);
        boolean indirectReadable = ind != 0 && claim(inum, ind, "indirect block");
        if (indirectReadable) {
            ByteBuffer b = ByteBuffer.wrap(img.block(ind)).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < Fs.NINDIRECT; j++) addr[Fs.NDIRECT + j] = b.getInt(4 * j);
            // xv6's bmap can allocate the indirect block and then find no block for the data.
            if (needed <= Fs.NDIRECT && Arrays.stream(addr, Fs.NDIRECT, Fs.MAXFILE).allMatch(a -> a == 0)) beyond++;
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < Fs.MAXFILE; i++) {
            boolean direct = i < Fs.NDIRECT;
            if (addr[i] == 0) {
                // Below the size, a block is missing unless its indirect block was already reported.
                if (i < needed && (direct || ind == 0 || indirectReadable)) missing.add(i);
                continue;
            }
            if (i >= needed) beyond++;
            String where = direct ? "addrs[" + i + "]" : "indirect block " + ind + " entry " + (i - Fs.NDIRECT);
            if (claim(inum, addr[i], where)) fileBlocks[i] = addr[i];
        }
        if (!missing.isEmpty())
            error("inode " + inum + ": file block" + s(missing) + ranges(missing) + " missing below its size " + size
                    + " (xv6 never leaves holes)");
        if (beyond > 0)
            warning("inode " + inum + ": " + beyond + " block" + (beyond == 1 ? " lies" : "s lie") + " beyond its size "
                    + size + " (xv6's writei leaves such a block when a copy from user memory fails)");

        if (d.type() == Fs.T_DEVICE) {
            if (d.major() < 1 || d.major() >= Fs.NDEV)
                error("inode " + inum + ": device major " + d.major() + " is outside 1.." + (Fs.NDEV - 1));
            if (d.minor() < 0) error("inode " + inum + ": device minor " + d.minor() + " is negative");
            if (size != 0 || Arrays.stream(d.addrs()).anyMatch(a -> a != 0))
                error("inode " + inum + ": device has size " + size + " or blocks; xv6 never writes a device's inode"
                        + " data");
        }
        if (d.type() == Fs.T_DIR) dirBlocks[inum] = Arrays.copyOf(fileBlocks, needed);
    }

    /**
     * One error for an inode of an invalid type, naming the blocks it still holds: data
     * blocks marked in use that no valid inode names. Those are its blocks (a file's type
     * overwritten, most likely) and are said to be here rather than again as leaked; its
     * addresses are otherwise not trusted: none is reported as out of range or shared.
     */
    private void reportInvalidType(int inum) {
        DInode d = img.inode(inum);
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i <= Fs.NDIRECT; i++) hold(inum, d.addr(i), held);
        int ind = d.addr(Fs.NDIRECT);
        if (held.contains(ind)) {
            ByteBuffer b = ByteBuffer.wrap(img.block(ind)).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < Fs.NINDIRECT; j++) hold(inum, b.getInt(4 * j), held);
        }
        held.sort(null);
        error("inode " + inum + " has invalid type " + d.type()
                + (orphanProblem.containsKey(inum) ? " and nlink 0 (an orphan the xv6 kernel's boot leaves alone)" : "")
                + (held.isEmpty() ? "" : "; its addresses hold block" + s(held) + ranges(held)
                        + ", marked in use and named by no other inode (not counted again as leaked)"));
    }

    private void hold(int inum, int a, List<Integer> held) {
        if (img.isDataBlock(Integer.toUnsignedLong(a)) && owner[a] == 0 && marked(a)) {
            owner[a] = inum + 1;
            held.add(a);
        }
    }

    private boolean marked(int b) {
        byte[] bm = img.block(Fs.bblock(b, sb));
        int bi = b % Fs.BPB;
        return (bm[bi / 8] & (1 << (bi % 8))) != 0;
    }

    /**
     * Records that inode inum references block a. Returns whether a lies in the data
     * region (so its contents may be read).
     */
    private boolean claim(int inum, int a, String where) {
        long ua = Integer.toUnsignedLong(a);
        if (!img.isDataBlock(ua)) {
            error("inode " + inum + ": " + where + " = " + ua + " is outside the data region ("
                    + range(sb.datastart(), sb.size() - 1) + ")");
            return false;
        }
        if (owner[a] != 0)
            error("block " + a + " is referenced twice: by inode " + (owner[a] - 1) + " and by inode " + inum
                    + " (" + where + ")");
        else owner[a] = inum + 1;
        return true;
    }

    // ---- directories -------------------------------------------------------------------

    /** A raw directory entry: where it is, the inode it names, its name bytes up to the NUL. */
    private record Entry(int offset, int inum, String name, boolean junkAfterName) {}

    /**
     * Walks the tree from the root, checking every directory's entries and counting
     * references. Returns false when the root is unusable (no tree to check).
     */
    private boolean walkTree() {
        DInode root = inodes[Fs.ROOTINO];
        if (root == null || root.type() != Fs.T_DIR) {
            error("root inode " + Fs.ROOTINO + " is not a directory (type " + img.inode(Fs.ROOTINO).type()
                    + "); directory structure and link counts not checked");
            return false;
        }
        int[] parent = new int[sb.ninodes()];
        Deque<Integer> queue = new ArrayDeque<>();
        reachable[Fs.ROOTINO] = true;
        parent[Fs.ROOTINO] = Fs.ROOTINO;
        queue.add(Fs.ROOTINO);
        while (!queue.isEmpty()) {
            int dir = queue.remove();
            for (int child : checkDir(dir, parent[dir])) {
                if (reachable[child]) {
                    error("directory " + child + " is linked from directory " + dir + " and from directory "
                            + parent[child] + "; xv6 gives a directory one parent");
                    continue;
                }
                reachable[child] = true;
                parent[child] = dir;
                queue.add(child);
            }
        }
        return true;
    }

    /** Checks directory dir, whose parent is parent; returns the directories it names. */
    private List<Integer> checkDir(int dir, int parent) {
        List<Entry> entries = entries(dir);
        List<Integer> subdirs = new ArrayList<>();
        String self = dir == Fs.ROOTINO ? "the root" : "directory " + dir;

        // xv6 puts "." and ".." in the first two slots, and isdirempty skips exactly those.
        Entry dot = entries.size() > 0 ? entries.get(0) : null;
        boolean hasDot = dot != null && dot.inum() != 0 && dot.name().equals(".");
        if (!hasDot) error(self + " has no '.' entry in its first slot");
        else if (dot.inum() != dir) error(self + ": '.' names inode " + dot.inum() + ", not itself");
        Entry dotdot = entries.size() > 1 ? entries.get(1) : null;
        boolean hasDotDot = dotdot != null && dotdot.inum() != 0 && dotdot.name().equals("..");
        if (!hasDotDot) {
            error(self + " has no '..' entry in its second slot");
        } else {
            if (dotdot.inum() != parent)
                error(self + ": '..' names inode " + dotdot.inum() + ", not "
                        + (dir == Fs.ROOTINO ? "the root itself" : "its parent " + parent));
            if (dotdot.inum() < sb.ninodes()) refs[dotdot.inum()]++;
        }

        Set<String> names = new HashSet<>();
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            if (e.inum() == 0 || (k == 0 && hasDot) || (k == 1 && hasDotDot)) continue;
            String at = self + ": entry '" + e.name() + "' at offset " + e.offset();
            if (e.name().isEmpty()) error(self + ": entry at offset " + e.offset() + " has an empty name");
            else if (e.name().equals(".") || e.name().equals("..")) error(at + " is out of place (only slots 0 and 1)");
            else if (e.name().indexOf('/') >= 0) error(at + " has a '/' in its name");
            else if (!names.add(e.name())) error(self + ": name '" + e.name() + "' appears twice");
            if (e.junkAfterName()) warning(at + " has bytes after its name's NUL (xv6 pads with zeros)");
            if (e.inum() >= sb.ninodes()) {
                error(at + " names inode " + e.inum() + ", beyond ninodes " + sb.ninodes());
                continue;
            }
            short type = img.inode(e.inum()).type();
            if (type == Fs.T_FREE) {
                error(at + " names free inode " + e.inum());
                continue;
            }
            if (inodes[e.inum()] == null) continue; // invalid type: reported with the inode
            refs[e.inum()]++;
            if (type == Fs.T_DIR) subdirs.add(e.inum());
            else reachable[e.inum()] = true;
        }
        return subdirs;
    }

    /** The slots of directory dir as stored, free ones included, from the blocks found. */
    private List<Entry> entries(int dir) {
        long size = Math.min(Integer.toUnsignedLong(inodes[dir].size()), (long) Fs.MAXFILE * Fs.BSIZE);
        if (size % Fs.DIRENT_SIZE != 0)
            error("directory " + dir + ": size " + size + " is not a multiple of " + Fs.DIRENT_SIZE);
        List<Entry> entries = new ArrayList<>();
        int[] blocks = dirBlocks[dir];
        byte[] data = null;
        int loaded = -1;
        for (int off = 0; off + Fs.DIRENT_SIZE <= size; off += Fs.DIRENT_SIZE) {
            int bi = off / Fs.BSIZE;
            if (bi != loaded) {
                data = blocks[bi] == 0 ? new byte[Fs.BSIZE] : img.block(blocks[bi]);
                loaded = bi;
            }
            int o = off % Fs.BSIZE;
            int inum = (data[o] & 0xff) | (data[o + 1] & 0xff) << 8;
            int n = 0;
            while (n < Fs.DIRSIZ && data[o + 2 + n] != 0) n++;
            boolean junk = false;
            for (int j = n; j < Fs.DIRSIZ; j++) junk |= data[o + 2 + j] != 0;
            entries.add(new Entry(off, inum, new String(data, o + 2, n, StandardCharsets.ISO_8859_1), junk && inum != 0));
        }
        return entries;
    }

    // ---- link counts and orphans -------------------------------------------------------------

    private void checkLinks() {
        for (int inum = 1; inum < sb.ninodes(); inum++) {
            DInode d = inodes[inum];
            if (d == null) continue;
            String what = "inode " + inum + " (" + typeName(d.type()) + ")";
            if (reachable[inum]) {
                if (d.nlink() != refs[inum])
                    error(what + ": nlink " + d.nlink() + ", but " + refs[inum] + " directory entr"
                            + (refs[inum] == 1 ? "y names" : "ies name") + " it"
                            + (d.type() == Fs.T_DIR ? " (counting subdirectories' '..', not its own '.', as xv6 does)"
                                    : ""));
            } else if (d.nlink() == 0) {
                String problem = orphanProblem.getOrDefault(inum, "");
                warning(what + " is allocated with nlink 0 and in no directory: unlinked while open when the system"
                        + " stopped; " + (problem.isEmpty()
                                ? "the xv6 kernel frees it and its " + Integer.toUnsignedLong(d.size()) + " bytes at boot"
                                        + " (kernel-exo does not)"
                                : "it is corrupt (" + problem + "), so the xv6 kernel's boot leaves it alone"));
            } else {
                error(what + " has nlink " + d.nlink() + " but no path from the root reaches it");
            }
        }
    }

    private static String typeName(short type) {
        return switch (type) {
            case Fs.T_DIR -> "directory";
            case Fs.T_FILE -> "file";
            case Fs.T_DEVICE -> "device";
            default -> "type " + type;
        };
    }

    // ---- bitmap ------------------------------------------------------------------------------

    private void checkBitmap() {
        List<Integer> metaFree = new ArrayList<>();
        List<Integer> usedFree = new ArrayList<>();
        List<Integer> leaked = new ArrayList<>();
        boolean pastEnd = false;
        int nbitmap = sb.bitmapBlocksNeeded();
        for (int blk = 0; blk < nbitmap; blk++) {
            byte[] bm = img.block(sb.bmapstart() + blk);
            for (int bi = 0; bi < Fs.BPB; bi++) {
                long b = (long) blk * Fs.BPB + bi;
                boolean marked = (bm[bi / 8] & (1 << (bi % 8))) != 0;
                if (b >= sb.size()) {
                    pastEnd |= marked;
                } else if (b < sb.datastart()) {
                    if (!marked) metaFree.add((int) b);
                } else if (owner[(int) b] != 0 && !marked) {
                    usedFree.add((int) b);
                } else if (owner[(int) b] == 0 && marked) {
                    leaked.add((int) b);
                }
            }
        }
        if (!metaFree.isEmpty())
            error("bitmap: metadata block" + s(metaFree) + ranges(metaFree) + " not marked in use (balloc would hand"
                    + (metaFree.size() == 1 ? " it" : " them") + " out)");
        if (!usedFree.isEmpty()) {
            String owners = usedFree.size() == 1 ? " (inode " + (owner[usedFree.get(0)] - 1) + ")" : "";
            error("bitmap: block" + s(usedFree) + ranges(usedFree) + owners + " used by a file but marked free");
        }
        if (!leaked.isEmpty())
            error("bitmap: block" + s(leaked) + ranges(leaked) + " marked in use but referenced by no inode (leaked)");
        if (pastEnd) warning("bitmap: marks blocks at or beyond the file system's end (" + sb.size() + ")");
    }

    private static String s(List<Integer> l) {
        return l.size() == 1 ? " " : "s ";
    }

    // ---- formatting ------------------------------------------------------------------------

    private static String range(long from, long to) {
        return from == to ? Long.toString(from) : from + ".." + to;
    }

    /** Sorted numbers as ranges: "3, 7..9, 12". */
    static String ranges(List<Integer> sorted) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(range(sorted.get(i), sorted.get(j)));
            i = j + 1;
        }
        return sb.toString();
    }

    private static String blockList(int[] blocks) {
        StringBuilder sb = new StringBuilder();
        for (int b : blocks) sb.append(sb.isEmpty() ? "" : ", ").append(b);
        return sb.toString();
    }
}
