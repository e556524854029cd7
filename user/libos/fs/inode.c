// Inodes: the superblock and the block allocator, the table of in-memory inodes, and
// file contents (block maps, read, write, truncate).
//
// An in-memory inode is a cache entry, referenced (ref) by open files, current
// directories and path walks in progress; iget finds or makes one without reading the
// disk, ilock reads the dinode in. When the last reference goes and the inode has no
// links left, iput frees it and its blocks on the disk — which is why unlinked files
// stay readable while open. Changes reach the disk through the log, so every caller that
// may change an inode (iput included) runs inside an operation.
#include "fs.h"
#include "../lib/lib.h"

struct superblock sb;

static struct inode itable[NINODE];

// ---- mounting ----

int fs_mount(uint disk_blocks, const char **why) {
    struct buf *b = bread(1);
    struct superblock *s = (struct superblock *)b->data;
    sb = *s;
    brelse(b);
    if (sb.magic != FSMAGIC) {
        *why = "bad superblock magic (not an xv6 file system)";
        return -1;
    }
    if (sb.size == 0 || sb.size > disk_blocks) {
        *why = "the file system is bigger than the disk";
        return -1;
    }
    if (sb.logstart != 2 || sb.nlog < 2 || sb.inodestart != sb.logstart + sb.nlog || sb.ninodes < 2
        || sb.bmapstart < sb.inodestart + (sb.ninodes + IPB - 1) / IPB
        || sb.size - sb.nblocks < sb.bmapstart + (sb.size + BPB - 1) / BPB || sb.nblocks == 0
        || sb.nblocks >= sb.size) {
        *why = "the superblock's regions are inconsistent";
        return -1;
    }
    for (int i = 0; i < NINODE; i++) itable[i].ref = 0;
    return log_init(why);
}

// ---- blocks ----

static void bzero(uint bno) {
    struct buf *b = bread(bno);
    for (int i = 0; i < BSIZE; i++) b->data[i] = 0;
    log_write(b);
    brelse(b);
}

// Allocates a zeroed data block; 0 if the disk is full.
uint balloc(void) {
    for (uint base = 0; base < sb.size; base += BPB) {
        struct buf *bp = bread(BBLOCK(base, sb));
        for (uint bi = 0; bi < BPB && base + bi < sb.size; bi++) {
            uchar m = 1 << (bi % 8);
            if ((bp->data[bi / 8] & m) == 0) {
                bp->data[bi / 8] |= m;
                log_write(bp);
                brelse(bp);
                bzero(base + bi);
                return base + bi;
            }
        }
        brelse(bp);
    }
    return 0;
}

void bfree(uint b) {
    if (b < sb.size - sb.nblocks || b >= sb.size) fs_panic("bfree: not a data block");
    struct buf *bp = bread(BBLOCK(b, sb));
    uint bi = b % BPB;
    uchar m = 1 << (bi % 8);
    if ((bp->data[bi / 8] & m) == 0) fs_panic("bfree: freeing a free block");
    bp->data[bi / 8] &= ~m;
    log_write(bp);
    brelse(bp);
}

// ---- the inode table ----

static struct dinode *dinode_of(struct buf *bp, uint inum) {
    return (struct dinode *)bp->data + inum % IPB;
}

// Allocates a free on-disk inode of the given type; returns it unlocked, or 0 if none is
// free or the in-memory table is full.
struct inode *ialloc(short type) {
    for (uint inum = 1; inum < sb.ninodes; inum++) {
        struct buf *bp = bread(IBLOCK(inum, sb));
        struct dinode *dip = dinode_of(bp, inum);
        if (dip->type == 0) {
            // A table entry first: with none free, the dinode must stay free too, or it
            // would be allocated on the disk with nothing naming it.
            struct inode *ip = iget(inum);
            if (ip == 0) {
                brelse(bp);
                return 0;
            }
            char *p = (char *)dip;
            for (uint i = 0; i < sizeof *dip; i++) p[i] = 0;
            dip->type = type;
            log_write(bp);      // marks it allocated on the disk
            brelse(bp);
            return ip;
        }
        brelse(bp);
    }
    return 0;
}

// Copies a changed in-memory inode to its dinode. Caller holds it locked, in an operation.
void iupdate(struct inode *ip) {
    struct buf *bp = bread(IBLOCK(ip->inum, sb));
    struct dinode *dip = dinode_of(bp, ip->inum);
    dip->type = ip->type;
    dip->major = ip->major;
    dip->minor = ip->minor;
    dip->nlink = ip->nlink;
    dip->size = ip->size;
    for (int i = 0; i <= NDIRECT; i++) dip->addrs[i] = ip->addrs[i];
    log_write(bp);
    brelse(bp);
}

// The table entry for inum, without reading the disk; 0 if every entry is in use (open
// files and current directories hold entries as long as they like, so a full table fails
// the call that needed one more).
struct inode *iget(uint inum) {
    struct inode *empty = 0;
    for (int i = 0; i < NINODE; i++) {
        struct inode *ip = &itable[i];
        if (ip->ref > 0 && ip->inum == inum) {
            ip->ref++;
            return ip;
        }
        if (empty == 0 && ip->ref == 0) empty = ip;
    }
    if (empty == 0) return 0;
    empty->inum = inum;
    empty->ref = 1;
    empty->valid = 0;
    empty->locked = 0;
    return empty;
}

struct inode *idup(struct inode *ip) {
    ip->ref++;
    return ip;
}

void ilock(struct inode *ip) {
    if (ip == 0 || ip->ref < 1) fs_panic("ilock: no such inode");
    if (ip->locked) fs_panic("ilock: already locked");
    ip->locked = 1;
    if (!ip->valid) {
        struct buf *bp = bread(IBLOCK(ip->inum, sb));
        struct dinode *dip = dinode_of(bp, ip->inum);
        ip->type = dip->type;
        ip->major = dip->major;
        ip->minor = dip->minor;
        ip->nlink = dip->nlink;
        ip->size = dip->size;
        for (int i = 0; i <= NDIRECT; i++) ip->addrs[i] = dip->addrs[i];
        brelse(bp);
        ip->valid = 1;
        if (ip->type == 0) fs_panic("ilock: inode has no type");
    }
}

void iunlock(struct inode *ip) {
    if (ip == 0 || !ip->locked || ip->ref < 1) fs_panic("iunlock: not locked");
    ip->locked = 0;
}

// Drops a reference. The last one to an inode without links frees it on the disk, so
// iput must run inside an operation.
void iput(struct inode *ip) {
    if (ip->ref < 1) fs_panic("iput: no reference");
    if (ip->ref == 1 && ip->valid && ip->nlink == 0) {
        ilock(ip);
        itrunc(ip);
        ip->type = 0;
        iupdate(ip);
        ip->valid = 0;
        iunlock(ip);
    }
    ip->ref--;
}

void iunlockput(struct inode *ip) {
    iunlock(ip);
    iput(ip);
}

// ---- contents ----

// The disk block of ip's bn'th block, allocated if absent; 0 if the disk is full.
static uint bmap(struct inode *ip, uint bn) {
    if (bn < NDIRECT) {
        if (ip->addrs[bn] == 0) ip->addrs[bn] = balloc();
        return ip->addrs[bn];
    }
    bn -= NDIRECT;
    if (bn >= NINDIRECT) fs_panic("bmap: block beyond MAXFILE");
    if (ip->addrs[NDIRECT] == 0) {
        ip->addrs[NDIRECT] = balloc();
        if (ip->addrs[NDIRECT] == 0) return 0;
    }
    struct buf *bp = bread(ip->addrs[NDIRECT]);
    uint *a = (uint *)bp->data;
    uint addr = a[bn];
    if (addr == 0) {
        addr = balloc();
        if (addr != 0) {
            a[bn] = addr;
            log_write(bp);
        }
    }
    brelse(bp);
    return addr;
}

// Frees all of ip's blocks. Caller holds it locked, in an operation.
void itrunc(struct inode *ip) {
    for (int i = 0; i < NDIRECT; i++) {
        if (ip->addrs[i]) {
            bfree(ip->addrs[i]);
            ip->addrs[i] = 0;
        }
    }
    if (ip->addrs[NDIRECT]) {
        struct buf *bp = bread(ip->addrs[NDIRECT]);
        uint *a = (uint *)bp->data;
        for (int j = 0; j < NINDIRECT; j++) {
            if (a[j]) bfree(a[j]);
        }
        brelse(bp);
        bfree(ip->addrs[NDIRECT]);
        ip->addrs[NDIRECT] = 0;
    }
    ip->size = 0;
    iupdate(ip);
}

void stati(struct inode *ip, struct stat *st) {
    st->dev = ROOTDEV;
    st->ino = ip->inum;
    st->type = ip->type;
    st->nlink = ip->nlink;
    st->size = ip->size;
}

// The buffer holding ip's byte off (held: the caller brelses it), for reading in place; 0
// if the disk is full (bmap, as readi). Caller holds ip locked, off below its size.
struct buf *iblock(struct inode *ip, uint off) {
    uint addr = bmap(ip, off / BSIZE);
    return addr == 0 ? 0 : bread(addr);
}

// Reads up to n bytes at off into dst; fewer at the end of the file. Caller holds ip locked.
int readi(struct inode *ip, uchar *dst, uint off, uint n) {
    if (off > ip->size || off + n < off) return 0;
    if (off + n > ip->size) n = ip->size - off;
    uint tot = 0;
    while (tot < n) {
        uint addr = bmap(ip, off / BSIZE);
        if (addr == 0) break;
        struct buf *bp = bread(addr);
        uint m = n - tot;
        if (m > BSIZE - off % BSIZE) m = BSIZE - off % BSIZE;
        lo_memmove(dst + tot, bp->data + off % BSIZE, m);
        brelse(bp);
        tot += m;
        off += m;
    }
    return (int)tot;
}

// Writes n bytes from src at off, growing the file. Returns the count written (less if the
// disk filled or the file reached MAXFILE blocks), or -1 if off is past the end. Caller
// holds ip locked, in an operation. Up to MAXFILE all that fits is written, as the xv6
// kernel's writei does: where a long write stops does not depend on how it was cut.
int writei(struct inode *ip, const uchar *src, uint off, uint n) {
    if (off > ip->size || off + n < off) return -1;
    if (off > MAXFILE * BSIZE) return -1;
    if (n > MAXFILE * BSIZE - off) n = MAXFILE * BSIZE - off;
    uint tot = 0;
    while (tot < n) {
        uint addr = bmap(ip, off / BSIZE);
        if (addr == 0) break;
        struct buf *bp = bread(addr);
        uint m = n - tot;
        if (m > BSIZE - off % BSIZE) m = BSIZE - off % BSIZE;
        lo_memmove(bp->data + off % BSIZE, src + tot, m);
        log_write(bp);
        brelse(bp);
        tot += m;
        off += m;
    }
    if (off > ip->size) ip->size = off;
    // Even if the size did not change: bmap may have added blocks.
    iupdate(ip);
    return (int)tot;
}
