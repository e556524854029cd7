// Directories (files of struct dirent) and path names.
#include "fs.h"

// Names compare on their first DIRSIZ bytes: a longer name means its first DIRSIZ.
int namecmp(const char *a, const char *b) {
    for (int i = 0; i < DIRSIZ; i++) {
        if (a[i] != b[i]) return (uchar)a[i] - (uchar)b[i];
        if (a[i] == 0) return 0;
    }
    return 0;
}

// What a scan of a directory looks for.
enum dirwant { DIR_NAMED, DIR_FREE, DIR_USED };

// The offset of the first entry of directory dp (locked) at or after off that is what
// want asks: the one named name, a free one, a used one; with its inode number in *inum.
// dp->size if there is none. It reads the entries in place, a block at a time: reading
// them one by one (readi of 16 bytes, a bread, a copy and a brelse each) was most of an
// exec's path lookup, about 9,000 instructions in a root directory of 60 entries.
static uint dirscan(struct inode *dp, uint off, enum dirwant want, const char *name, uint *inum) {
    if (dp->type != T_DIR) fs_panic("dirscan: not a directory");
    while (off < dp->size) {
        struct buf *bp = iblock(dp, off);
        if (bp == 0) fs_panic("dirscan: short read");
        uint end = (off / BSIZE + 1) * BSIZE;
        if (end > dp->size) end = dp->size;
        for (; off < end; off += sizeof(struct dirent)) {
            if (off + sizeof(struct dirent) > end) fs_panic("dirscan: short read");
            const struct dirent *de = (const struct dirent *)(bp->data + off % BSIZE);
            int hit = want == DIR_FREE ? de->inum == 0
                                       : de->inum != 0 && (want == DIR_USED || namecmp(name, de->name) == 0);
            if (hit) {
                *inum = de->inum;
                brelse(bp);
                return off;
            }
        }
        brelse(bp);
    }
    return dp->size;
}

// The inode number name has in directory dp (locked), and the entry's offset in *poff if
// poff is not 0; or 0 if there is no such entry.
static uint dirfind(struct inode *dp, const char *name, uint *poff) {
    uint inum = 0;
    uint off = dirscan(dp, 0, DIR_NAMED, name, &inum);
    if (off < dp->size && poff) *poff = off;
    return off < dp->size ? inum : 0;
}

// Looks name up in directory dp (locked). Returns its inode, referenced and unlocked,
// and the entry's offset in *poff if poff is not 0; or 0 if there is no such entry, or
// no free in-memory inode to hold it.
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff) {
    uint inum = dirfind(dp, name, poff);
    return inum ? iget(inum) : 0;
}

// Adds the entry (name, inum) to directory dp (locked), in the first free slot or at the
// end. Returns 0, or -1 if the name is there already or the directory cannot grow.
int dirlink(struct inode *dp, const char *name, uint inum) {
    // dirfind, not dirlookup: whether the name exists must not depend on room in the
    // inode table, or a full table would let a name in twice.
    if (dirfind(dp, name, 0) != 0) return -1;
    struct dirent de;
    uint unused;
    uint off = dirscan(dp, 0, DIR_FREE, 0, &unused);
    int i = 0;
    for (; i < DIRSIZ && name[i]; i++) de.name[i] = name[i];
    for (; i < DIRSIZ; i++) de.name[i] = 0;
    de.inum = (ushort)inum;
    if (writei(dp, (uchar *)&de, off, sizeof de) != sizeof de) return -1;
    return 0;
}

// Is directory dp (locked) empty but for "." and ".."?
int isdirempty(struct inode *dp) {
    uint inum;
    return dirscan(dp, 2 * sizeof(struct dirent), DIR_USED, 0, &inum) >= dp->size;
}

// Copies the next element of path into name (at most DIRSIZ bytes, NUL-terminated when
// shorter) and returns what follows it, leading slashes skipped; 0 if there is no element.
//   skipelem("a/bb/c", name) = "bb/c", name "a";  skipelem("///a//bb", name) = "bb";
//   skipelem("a", name) = "";  skipelem("", name) = skipelem("////", name) = 0.
static const char *skipelem(const char *path, char *name) {
    while (*path == '/') path++;
    if (*path == 0) return 0;
    const char *s = path;
    while (*path != '/' && *path != 0) path++;
    long len = path - s;
    if (len > DIRSIZ) len = DIRSIZ;
    for (long i = 0; i < len; i++) name[i] = s[i];
    if (len < DIRSIZ) name[len] = 0;
    while (*path == '/') path++;
    return path;
}

// Walks path from the root (if it starts with '/') or from cwd. With parent, stops one
// element early and leaves the last element in name (DIRSIZ+1 bytes).
static struct inode *namex(struct inode *cwd, const char *path, int parent, char *name) {
    struct inode *ip = *path == '/' ? iget(ROOTINO) : idup(cwd);
    if (ip == 0) return 0;      // the inode table is full
    char elem[DIRSIZ + 1];
    if (name == 0) name = elem;
    while ((path = skipelem(path, name)) != 0) {
        name[DIRSIZ] = 0;
        ilock(ip);
        // A removed directory (a process's cwd can be one) has no entries any more: its
        // ".." may name an inode since freed or reused, and a name added to it would be
        // lost with it, its inode leaked.
        if (ip->type != T_DIR || ip->nlink == 0) {
            iunlockput(ip);
            return 0;
        }
        if (parent && *path == 0) {
            iunlock(ip);    // stop one level early
            return ip;
        }
        struct inode *next = dirlookup(ip, name, 0);
        iunlockput(ip);
        if (next == 0) return 0;
        ip = next;
    }
    if (parent) {
        iput(ip);
        return 0;
    }
    return ip;
}

struct inode *namei(struct inode *cwd, const char *path) {
    return namex(cwd, path, 0, 0);
}

struct inode *nameiparent(struct inode *cwd, const char *path, char *name) {
    return namex(cwd, path, 1, name);
}
