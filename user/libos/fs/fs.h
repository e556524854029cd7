// The file system of the standard LibOS: xv6's, on xv6's disk format, written for the
// file server (user/libos/server). Its layers, bottom up, one file each:
//
//   bio.c      the buffer cache: NBUF blocks, each read from the disk at most once
//   log.c      the write-ahead log: transactions, commit, recovery at mount
//   inode.c    inodes: allocation, the in-memory table, block maps, read and write
//   dir.c      directories and path names
//   file.c     open files: an inode or a pipe end, with an offset and a reference count
//   sysfile.c  what a process asks for: open, close, dup, read, write, fstat, link,
//              unlink, mkdir, mknod, chdir, each change in one transaction
//
// The code is single-threaded: the file server serves one protected control transfer at
// a time, so no lock is needed anywhere, and nothing here ever waits for anything but
// the disk. It makes no system call: the disk (disk_rw, disk_flush), a pipe end's closing
// (fs_pipe_closed) and a fatal error (fs_panic) are provided by whoever links it — the
// file server, or a unit test with a RAM disk.
#pragma once

#include "../lib/types.h"

// ---- the on-disk format (docs/architecture.md, decision 5) ----
#define BSIZE 1024
#define FSMAGIC 0x10203040
#define ROOTINO 1
#define NDIRECT 12
#define NINDIRECT (BSIZE / 4)
#define MAXFILE (NDIRECT + NINDIRECT)
#define DIRSIZ 14
#define T_DIR 1
#define T_FILE 2
#define T_DEVICE 3

struct superblock {
    uint magic;
    uint size;          // blocks in the file system
    uint nblocks;       // data blocks
    uint ninodes;
    uint nlog;          // blocks of the log region, its header included
    uint logstart;
    uint inodestart;
    uint bmapstart;
};

struct dinode {
    short type;         // 0: free
    short major;
    short minor;
    short nlink;
    uint size;
    uint addrs[NDIRECT + 1];
};

struct dirent {
    ushort inum;        // 0: a free slot
    char name[DIRSIZ];  // NUL-padded; no NUL when DIRSIZ long
};

// What fstat reports: xv6's struct stat, 24 bytes.
struct stat {
    int dev;
    uint ino;
    short type;
    short nlink;
    uint64 size;
};

#define IPB (BSIZE / sizeof(struct dinode))
#define BPB (BSIZE * 8)
#define IBLOCK(inum, sb) ((inum) / IPB + (sb).inodestart)
#define BBLOCK(b, sb) ((b) / BPB + (sb).bmapstart)

// ---- sizes (xv6's param.h, except the bigger buffer cache) ----
#define MAXOPBLOCKS 10      // blocks one operation may write
#define LOGSIZE (MAXOPBLOCKS * 3)   // blocks the log holds, its header included
#define NBUF 64             // buffer cache: room for a full log and then some
#define NFILE 100           // open files, in all processes
// In-memory inodes: enough for every open file, every process's current directory and the
// program it execs, and the few a call walks through (xv6 has 50: four processes holding
// different files filled the table, and no path could be looked up, by anyone). So the
// table cannot fill before the file table or the process table, whose use the file server
// limits (server/acct.c).
#define NINODE (NFILE + 2 * 64 + 16)
#define NOFILE 16           // descriptors per process
#define NDEV 10             // device majors
#define CONSOLE 1           // the console's major
#define MAXPATH 128
#define ROOTDEV 1

#define O_RDONLY 0x000
#define O_WRONLY 0x001
#define O_RDWR 0x002
#define O_CREATE 0x200
#define O_TRUNC 0x400

// ---- the buffer cache (bio.c) ----
struct buf {
    int valid;          // data holds the block
    int refcnt;         // holders between bread and brelse
    int pinned;         // the log holds it until its transaction is installed
    uint blockno;
    uchar *data;        // BSIZE bytes
    int index;          // which buffer: lets disk_rw find where data lives
    struct buf *prev;   // least-recently-used list, most recent first
    struct buf *next;
};

// mem: NBUF*BSIZE bytes for the buffers' data, buffer i at mem + i*BSIZE.
void binit(uchar *mem);
struct buf *bread(uint blockno);
void bwrite(struct buf *b);
// Writes b's data to another block (the log's copy of it).
void bwrite_at(struct buf *b, uint blockno);
// Returns when every block written so far is on stable storage.
void bflush(void);
void brelse(struct buf *b);
void bpin(struct buf *b);
void bunpin(struct buf *b);

// ---- the log (log.c) ----
// Finds the log in sb and recovers it (fs_mount calls it). 0, or -1 with *why set.
int log_init(const char **why);
void begin_op(void);
void end_op(void);
void log_write(struct buf *b);
// Commits what the finished operations wrote. The server calls it before every reply,
// so a call's changes are on the disk when the caller learns of them.
void log_sync(void);
uint64 log_commits(void);

// ---- mounting (inode.c) ----
extern struct superblock sb;
// Reads and checks the superblock of a disk of disk_blocks blocks, then recovers the
// log. Returns 0, or -1 with *why saying what is wrong with the image.
int fs_mount(uint disk_blocks, const char **why);

// ---- inodes (inode.c) ----
struct inode {
    uint inum;
    int ref;
    int valid;          // the fields below have been read from the disk
    int locked;         // between ilock and iunlock (catches a double lock)
    short type;
    short major;
    short minor;
    short nlink;
    uint size;
    uint addrs[NDIRECT + 1];
};

struct inode *ialloc(short type);
struct inode *iget(uint inum);
struct inode *idup(struct inode *ip);
void ilock(struct inode *ip);
void iunlock(struct inode *ip);
void iput(struct inode *ip);
void iunlockput(struct inode *ip);
void iupdate(struct inode *ip);
void itrunc(struct inode *ip);
void stati(struct inode *ip, struct stat *st);
int readi(struct inode *ip, uchar *dst, uint off, uint n);
struct buf *iblock(struct inode *ip, uint off);
int writei(struct inode *ip, const uchar *src, uint off, uint n);
uint balloc(void);
void bfree(uint b);

// ---- directories and paths (dir.c) ----
int namecmp(const char *a, const char *b);
struct inode *dirlookup(struct inode *dp, const char *name, uint *poff);
int dirlink(struct inode *dp, const char *name, uint inum);
int isdirempty(struct inode *dp);
struct inode *namei(struct inode *cwd, const char *path);
struct inode *nameiparent(struct inode *cwd, const char *path, char *name);

// ---- open files (file.c) ----
#define F_NONE 0
#define F_PIPE 1
#define F_INODE 2
#define F_DEVICE 3

struct file {
    int type;
    int ref;
    char readable;
    char writable;
    struct inode *ip;   // F_INODE, F_DEVICE
    uint off;           // F_INODE
    short major;        // F_DEVICE
    int pipe;           // F_PIPE: the pipe's number, the server's business
    int acct;           // the account it is charged to (fs_file_charge), or -1
};

// A free file, charged to account acct (fs_file_charge); 0 if none, or the account is at its limit.
struct file *filealloc(int acct);
struct file *filedup(struct file *f);
void fileclose(struct file *f);
int filestat(struct file *f, struct stat *st);
int fileread(struct file *f, uchar *dst, int n);
int filewrite(struct file *f, const uchar *src, int n);
int filecount(void);    // files in use (tests, leak checks)

// ---- a process's file-system state, and the calls (sysfile.c) ----
struct fsproc {
    struct inode *cwd;
    struct file *ofile[NOFILE];
    int acct;           // the account its new open files are charged to (-1: none)
};

int fdalloc(struct fsproc *p, struct file *f);
struct file *fdfile(struct fsproc *p, int fd);
void fs_procinit(struct fsproc *p);
void fs_procfork(struct fsproc *parent, struct fsproc *child);
void fs_procexit(struct fsproc *p);

// Sealed files: no process may write, truncate or unlink them (the file server seals the
// programs it gives disk storage to, and its table of them: server/storage.c). 0, or -1
// if NSEALED files are sealed already.
#define NSEALED 16
int fs_seal(uint inum);
int fs_sealed(uint inum);

int fs_open(struct fsproc *p, const char *path, int omode);
int fs_close(struct fsproc *p, int fd);
int fs_dup(struct fsproc *p, int fd);
int fs_read(struct fsproc *p, int fd, uchar *dst, int n);
int fs_write(struct fsproc *p, int fd, const uchar *src, int n);
int fs_fstat(struct fsproc *p, int fd, struct stat *st);
int fs_link(struct fsproc *p, const char *old, const char *new);
int fs_unlink(struct fsproc *p, const char *path);
int fs_mkdir(struct fsproc *p, const char *path);
int fs_mknod(struct fsproc *p, const char *path, short major, short minor);
int fs_chdir(struct fsproc *p, const char *path);

// ---- provided by whoever links the file system ----
// Reads (write = 0) disk block blockno into b->data, or writes b->data to it. A write
// may sit in the disk's write cache (later reads see it, but a crash may lose it) until
// disk_flush, which returns when every earlier write is on stable storage; writes between
// two flushes may reach it in any order.
void disk_rw(uint blockno, struct buf *b, int write);
void disk_flush(void);
// The last file of a pipe's end (writable: its write end) has been closed.
void fs_pipe_closed(int pipe, int writable);
// An open file is charged to an account (0, or -1 if it may hold no more); its last close
// uncharges it. The file server limits what each process tree holds so (server/acct.c).
int fs_file_charge(int acct);
void fs_file_uncharge(int acct);
void fs_panic(const char *msg) __attribute__((noreturn));
