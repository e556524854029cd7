// Open files: what a descriptor refers to. One struct file may be shared by several
// descriptors (dup) and several processes (fork), and with it its offset. The server
// moves the bytes of pipes and the console without this layer: here they are only
// reference-counted ends.
#include "fs.h"

static struct file ftable[NFILE];

struct file *filealloc(int acct) {
    for (int i = 0; i < NFILE; i++) {
        struct file *f = &ftable[i];
        if (f->ref == 0) {
            if (fs_file_charge(acct) < 0) return 0;
            f->acct = acct;
            f->ref = 1;
            f->type = F_NONE;
            f->readable = f->writable = 0;
            f->ip = 0;
            f->off = 0;
            f->major = 0;
            f->pipe = -1;
            return f;
        }
    }
    return 0;
}

struct file *filedup(struct file *f) {
    if (f->ref < 1) fs_panic("filedup: file not open");
    f->ref++;
    return f;
}

// Drops a reference; the last one releases the inode or closes the pipe end.
void fileclose(struct file *f) {
    if (f->ref < 1) fs_panic("fileclose: file not open");
    if (--f->ref > 0) return;
    struct file ff = *f;
    f->type = F_NONE;
    f->ip = 0;
    fs_file_uncharge(ff.acct);
    if (ff.type == F_PIPE) {
        fs_pipe_closed(ff.pipe, ff.writable);
    } else if (ff.type == F_INODE || ff.type == F_DEVICE) {
        begin_op();
        iput(ff.ip);
        end_op();
    }
}

int filestat(struct file *f, struct stat *st) {
    if (f->type != F_INODE && f->type != F_DEVICE) return -1;
    ilock(f->ip);
    stati(f->ip, st);
    iunlock(f->ip);
    return 0;
}

// Reads from a file's inode at its offset (pipes and devices are read elsewhere).
int fileread(struct file *f, uchar *dst, int n) {
    if (!f->readable || f->type != F_INODE || n < 0) return -1;
    ilock(f->ip);
    int r = readi(f->ip, dst, f->off, n);
    if (r > 0) f->off += r;
    iunlock(f->ip);
    return r;
}

// Writes to a file's inode at its offset, in pieces small enough for one operation each
// (a piece writes at most the inode, an indirect block, two bitmap blocks and its data
// blocks, xv6's arithmetic), so a long write cannot overflow the log. Returns n, or -1
// if not all of it could be written.
int filewrite(struct file *f, const uchar *src, int n) {
    if (!f->writable || f->type != F_INODE || n < 0) return -1;
    const int max = ((MAXOPBLOCKS - 1 - 1 - 2) / 2) * BSIZE;
    int i = 0;
    while (i < n) {
        int n1 = n - i < max ? n - i : max;
        begin_op();
        ilock(f->ip);
        int r = writei(f->ip, src + i, f->off, n1);
        if (r > 0) f->off += r;
        iunlock(f->ip);
        end_op();
        if (r != n1) break;     // the disk is full, or the file at its largest
        i += r;
    }
    return i == n ? n : -1;
}

int filecount(void) {
    int n = 0;
    for (int i = 0; i < NFILE; i++) n += ftable[i].ref > 0;
    return n;
}
