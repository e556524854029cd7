// The RAM disk and fsck of the file-system tests, linked into every LibOS unit test.
#include "test/runtime/harness.h"
#include "ramdisk.h"
#include "libos/lib/lib.h"

// Blocks are word-aligned, as a disk's DMA buffers would be: copies of them then move a
// word at a time (lo_memmove), whatever else the program's data holds before them.
uchar ramdisk[RAMBLOCKS][BSIZE] __attribute__((aligned(16)));
long ram_writes;
long crash_after = -1;
int crash_keeps = KEEP_NONE;

static uchar cachemem[NBUF * BSIZE] __attribute__((aligned(16)));

// The disk's write cache: the writes since the last flush, each with what the block held
// before it, so that a crash can lose any of them. (The data itself is in ramdisk at once:
// reads see cached writes, as on a real disk.)
#define MAXUNFLUSHED (4 * LOGSIZE)
static struct {
    uchar old[BSIZE] __attribute__((aligned(16)));
    uint blockno;
} unflushed[MAXUNFLUSHED];
static int nunflushed;

void disk_rw(uint blockno, struct buf *b, int write) {
    if (blockno >= RAMBLOCKS) fs_panic("ramdisk: block out of range");
    if (write) {
        ram_writes++;
        if (crash_after == 0) return;   // the power is off: the write is lost
        if (crash_after > 0) crash_after--;
        // More writes than a commit makes between two flushes: the log forgot one.
        if (nunflushed == MAXUNFLUSHED) fs_panic("ramdisk: too many writes without a flush");
        unflushed[nunflushed].blockno = blockno;
        lo_memmove(unflushed[nunflushed].old, ramdisk[blockno], BSIZE);
        nunflushed++;
        lo_memmove(ramdisk[blockno], b->data, BSIZE);
    } else {
        lo_memmove(b->data, ramdisk[blockno], BSIZE);
    }
}

void disk_flush(void) {
    if (crash_after == 0) return;       // no power, no flush
    nunflushed = 0;
}

// Which of the unflushed writes a crash keeps (i: 0 the oldest, of n).
static int kept(int i, int n) {
    switch (crash_keeps) {
    case KEEP_ALL: return 1;
    case KEEP_NEWEST: return i == n - 1;
    case KEEP_ALL_BUT_OLDEST: return i != 0;
    case KEEP_ODD: return i % 2 == 1;
    default: return 0;
    }
}

void ram_crash(void) {
    // Undo the lost writes, newest first, so each block ends as the newest kept write
    // (or the flushed contents) left it.
    static uchar decided[RAMBLOCKS];
    lo_memset(decided, 0, sizeof decided);
    for (int i = nunflushed - 1; i >= 0; i--) {
        uint b = unflushed[i].blockno;
        if (kept(i, nunflushed)) decided[b] = 1;
        else if (!decided[b]) lo_memmove(ramdisk[b], unflushed[i].old, BSIZE);
    }
    nunflushed = 0;
    crash_after = -1;
}

void fs_panic(const char *msg) {
    puts("fs_panic: ");
    puts(msg);
    puts("\n");
    exit(99);
}

static void put32(uchar *p, uint v) {
    for (int i = 0; i < 4; i++) p[i] = (uchar)(v >> (8 * i));
}

void ram_mkfs(uint nblocks, uint ninodes) {
    lo_memset(ramdisk, 0, sizeof ramdisk);
    uint nlog = LOGSIZE;
    uint ninodeblocks = ninodes / IPB + 1;
    uint nbitmap = nblocks / BPB + 1;
    uint logstart = 2, inodestart = logstart + nlog, bmapstart = inodestart + ninodeblocks;
    uint datastart = bmapstart + nbitmap;
    struct superblock s = {FSMAGIC, nblocks, nblocks - datastart, ninodes, nlog, logstart, inodestart, bmapstart};
    lo_memmove(ramdisk[1], &s, sizeof s);

    // The root: inode 1, a directory of one block holding "." and "..".
    uint rootblock = datastart;
    struct dinode *root = (struct dinode *)ramdisk[inodestart] + ROOTINO;
    root->type = T_DIR;
    root->nlink = 1;
    root->size = 2 * sizeof(struct dirent);
    root->addrs[0] = rootblock;
    struct dirent *de = (struct dirent *)ramdisk[rootblock];
    de[0].inum = ROOTINO;
    de[0].name[0] = '.';
    de[1].inum = ROOTINO;
    de[1].name[0] = de[1].name[1] = '.';
    // Every block up to and including the root's is in use.
    for (uint b = 0; b <= rootblock; b++) ramdisk[bmapstart + b / BPB][b % BPB / 8] |= 1 << (b % 8);
    put32(ramdisk[logstart], 0);
}

const char *ram_why;

int ram_boot(void) {
    binit(cachemem);
    ram_why = 0;
    return fs_mount(RAMBLOCKS, &ram_why);
}

// ---- fsck, on the disk image directly ----

static struct superblock *rsb(void) {
    return (struct superblock *)ramdisk[1];
}

static struct dinode *rinode(uint inum) {
    return (struct dinode *)ramdisk[IBLOCK(inum, *rsb())] + inum % IPB;
}

static int bitset(uint b) {
    return (ramdisk[BBLOCK(b, *rsb())][b % BPB / 8] >> (b % 8)) & 1;
}

static int problems;

static void problem(const char *what, long n) {
    puts("fsck: ");
    puts(what);
    puts(" ");
    putdec(n);
    puts("\n");
    problems++;
}

static uchar used[RAMBLOCKS];
static short links[1024];

static void use(uint b) {
    if (b < rsb()->size - rsb()->nblocks || b >= rsb()->size) {
        problem("inode uses a block outside the data region:", b);
        return;
    }
    if (used[b]++) problem("block used twice:", b);
    if (!bitset(b)) problem("block in use but free in the bitmap:", b);
}

int ram_fsck(void) {
    struct superblock *s = rsb();
    problems = 0;
    lo_memset(used, 0, sizeof used);
    lo_memset(links, 0, sizeof links);
    if (s->ninodes > 1024) {
        problem("too many inodes for this checker:", s->ninodes);
        return problems;
    }
    // Blocks of every allocated inode; directory entries name inodes.
    for (uint inum = 1; inum < s->ninodes; inum++) {
        struct dinode *d = rinode(inum);
        if (d->type == 0) continue;
        if (d->type > T_DEVICE) problem("bad inode type, inode", inum);
        uint nb = (d->size + BSIZE - 1) / BSIZE;
        for (uint i = 0; i < NDIRECT; i++) {
            if (d->addrs[i]) use(d->addrs[i]);
            else if (i < nb) problem("hole in a file, inode", inum);
        }
        if (d->addrs[NDIRECT]) {
            use(d->addrs[NDIRECT]);
            uint *a = (uint *)ramdisk[d->addrs[NDIRECT]];
            for (uint i = 0; i < NINDIRECT; i++) {
                if (a[i]) use(a[i]);
                else if (NDIRECT + i < nb) problem("hole in a file, inode", inum);
            }
        }
        if (d->type == T_DIR) {
            for (uint off = 0; off < d->size; off += sizeof(struct dirent)) {
                uint bn = off / BSIZE;
                uint addr = bn < NDIRECT ? d->addrs[bn] : ((uint *)ramdisk[d->addrs[NDIRECT]])[bn - NDIRECT];
                struct dirent *de = (struct dirent *)(ramdisk[addr] + off % BSIZE);
                if (de->inum == 0) continue;
                if (de->inum >= s->ninodes || rinode(de->inum)->type == 0) {
                    problem("directory entry names a free inode, in directory", inum);
                    continue;
                }
                if (!(de->name[0] == '.' && de->name[1] == 0)) links[de->inum]++;
            }
        }
    }
    for (uint inum = 1; inum < s->ninodes; inum++) {
        struct dinode *d = rinode(inum);
        if (d->type == 0) continue;
        if (d->nlink != links[inum]) {
            problem("link count differs from the entries naming it, inode", inum);
            puts("  nlink ");
            putdec(d->nlink);
            puts(" entries ");
            putdec(links[inum]);
            puts("\n");
        }
    }
    for (uint b = s->size - s->nblocks; b < s->size; b++) {
        if (bitset(b) && !used[b]) problem("block marked in use but used by no inode:", b);
    }
    for (uint b = 0; b < s->size - s->nblocks; b++) {
        if (!bitset(b)) problem("metadata block free in the bitmap:", b);
    }
    uint lh = *(uint *)ramdisk[s->logstart];
    if (lh != 0) problem("the log is not empty: n =", lh);
    return problems;
}

int ram_freeblocks(void) {
    struct superblock *s = rsb();
    int n = 0;
    for (uint b = s->size - s->nblocks; b < s->size; b++) n += !bitset(b);
    return n;
}

int ram_freeinodes(void) {
    struct superblock *s = rsb();
    int n = 0;
    for (uint inum = 1; inum < s->ninodes; inum++) n += rinode(inum)->type == 0;
    return n;
}

// No accounts in these tests: every process may open all the files there are.
int fs_file_charge(int acct) {
    return 0;
}

void fs_file_uncharge(int acct) {}

// No pipes in these tests: a pipe end closing would be a bug.
void fs_pipe_closed(int pipe, int writable) {
    fs_panic("fs_pipe_closed called in a file-system test");
}
