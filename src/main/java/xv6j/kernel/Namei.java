package xv6j.kernel;

import xv6j.fs.Fs;

/** Path names, as xv6's namex: walk a path one element at a time from / or the cwd. */
final class Namei {
    private final Kernel k;

    Namei(Kernel k) {
        this.k = k;
    }

    /** The inode of path (referenced, unlocked), or null. */
    Inode namei(Proc p, String path) {
        return namex(p, path, false, null);
    }

    /** The inode of path's parent directory; the last element goes in name[0]. */
    Inode nameiParent(Proc p, String path, String[] name) {
        return namex(p, path, true, name);
    }

    private Inode namex(Proc p, String path, boolean parent, String[] lastName) {
        Inode ip = path.startsWith("/") ? k.itable.iget(Param.ROOTDEV, Fs.ROOTINO) : k.itable.idup(p.cwd);
        if (ip == null) return null; // the inode table is full
        int i = 0;
        int n = path.length();
        for (;;) {
            // skipelem: the next element, with leading and trailing slashes skipped
            while (i < n && path.charAt(i) == '/') i++;
            if (i == n) break;
            int s = i;
            while (i < n && path.charAt(i) != '/') i++;
            String name = Dir.truncate(path.substring(s, i));
            while (i < n && path.charAt(i) == '/') i++;

            k.itable.ilock(p, ip);
            // A removed directory (a process's cwd can be one) has no entries any more: its
            // ".." may name an inode since freed or reused, and a name added to it would be
            // lost with it, its inode leaked.
            if (ip.type != Fs.T_DIR || ip.nlink == 0) {
                k.itable.iunlockput(p, ip);
                return null;
            }
            if (parent && i == n) {
                // stop one level early
                k.itable.iunlock(p, ip);
                lastName[0] = name;
                return ip;
            }
            Dir.Found next = k.dir.dirLookup(p, ip, name);
            if (next == null || next.ip() == null) {
                k.itable.iunlockput(p, ip);
                return null;
            }
            k.itable.iunlockput(p, ip);
            ip = next.ip();
        }
        if (parent) {
            k.itable.iput(p, ip);
            return null;
        }
        return ip;
    }
}
