// The LibOS file system (user/libos/fs) on a RAM disk: the calls a process makes, with
// xv6's results, and fsck's invariants after each group of them.
#include "test/runtime/harness.h"
#include "support/ramdisk.h"
#include "libos/lib/lib.h"

static struct fsproc proc;
static uchar buf[40 * BSIZE] __attribute__((aligned(16)));
static uchar back[40 * BSIZE] __attribute__((aligned(16)));

static void pattern(uchar *p, int n, int seed) {
    for (int i = 0; i < n; i++) p[i] = (uchar)(seed + i * 7 + (i >> 9));
}

// What one server call does at its end: commit.
static void done(void) {
    log_sync();
}

static int mkfile(const char *path, const uchar *data, int n) {
    int fd = fs_open(&proc, path, O_CREATE | O_RDWR | O_TRUNC);
    if (fd < 0) return -1;
    int r = fs_write(&proc, fd, data, n);
    fs_close(&proc, fd);
    done();
    return r;
}

static int slurp(const char *path, uchar *out, int max) {
    int fd = fs_open(&proc, path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0, r;
    while (n < max && (r = fs_read(&proc, fd, out + n, max - n > 3000 ? 3000 : max - n)) > 0) n += r;
    fs_close(&proc, fd);
    done();
    return n;
}

static struct stat st;
static int statpath(const char *path) {
    int fd = fs_open(&proc, path, O_RDONLY);
    if (fd < 0) return -1;
    int r = fs_fstat(&proc, fd, &st);
    fs_close(&proc, fd);
    done();
    return r;
}

static void files(void) {
    CHECK(fs_open(&proc, "a", O_RDONLY) == -1);
    pattern(buf, 5000, 1);
    CHECK(mkfile("a", buf, 5000) == 5000);
    CHECK(statpath("a") == 0 && st.type == T_FILE && st.size == 5000 && st.nlink == 1 && st.ino > 1);
    CHECK(slurp("a", back, sizeof back) == 5000 && lo_memcmp(buf, back, 5000) == 0);

    // Overwrite without O_TRUNC keeps the size; O_TRUNC empties the file.
    int fd = fs_open(&proc, "a", O_RDWR);
    CHECK(fs_write(&proc, fd, (uchar *)"xyz", 3) == 3);
    fs_close(&proc, fd);
    CHECK(statpath("a") == 0 && st.size == 5000);
    CHECK(slurp("a", back, 10) == 10 && back[0] == 'x' && back[3] == buf[3]);
    fd = fs_open(&proc, "a", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0 && fs_fstat(&proc, fd, &st) == 0 && st.size == 0);
    CHECK(fs_read(&proc, fd, back, 1) == -1);              // not readable
    fs_close(&proc, fd);
    fd = fs_open(&proc, "a", O_RDONLY);
    CHECK(fs_write(&proc, fd, buf, 1) == -1);              // not writable
    CHECK(fs_read(&proc, fd, back, 10) == 0);
    fs_close(&proc, fd);

    // dup shares the offset.
    fd = fs_open(&proc, "a", O_RDWR);
    int fd2 = fs_dup(&proc, fd);
    CHECK(fd2 == fd + 1);
    fs_write(&proc, fd, (uchar *)"ab", 2);
    fs_write(&proc, fd2, (uchar *)"cd", 2);
    fs_close(&proc, fd);
    fs_close(&proc, fd2);
    CHECK(slurp("a", back, 10) == 4 && lo_memcmp(back, "abcd", 4) == 0);
    CHECK(fs_close(&proc, fd) == -1 && fs_dup(&proc, -1) == -1 && fs_dup(&proc, NOFILE) == -1);

    // A file that needs the indirect block, then truncated: its blocks come back.
    int freeb = ram_freeblocks();
    fd = fs_open(&proc, "big", O_CREATE | O_RDWR);
    for (int b = 0; b < NDIRECT + 30; b++) {
        lo_memset(buf, b, BSIZE);
        CHECK(fs_write(&proc, fd, buf, BSIZE) == BSIZE);
        done();
    }
    fs_close(&proc, fd);
    done();
    CHECK(ram_freeblocks() == freeb - (NDIRECT + 30) - 1);
    fd = fs_open(&proc, "big", O_RDONLY);
    for (int b = 0; b < NDIRECT + 30; b++) {
        CHECK(fs_read(&proc, fd, back, BSIZE) == BSIZE && back[0] == (uchar)b && back[BSIZE - 1] == (uchar)b);
    }
    fs_close(&proc, fd);
    fd = fs_open(&proc, "big", O_RDWR | O_TRUNC);
    fs_close(&proc, fd);
    done();
    CHECK(ram_freeblocks() == freeb);
    CHECK(fs_unlink(&proc, "big") == 0);
    CHECK(fs_unlink(&proc, "a") == 0);
    CHECK(fs_unlink(&proc, "a") == -1);
    done();
    CHECK(filecount() == 0);
}

static void writes_longer_than_the_log(void) {
    // One write of 30 blocks: ten pieces, several commits, all of it there.
    pattern(buf, 30 * BSIZE + 17, 3);
    uint64 c0 = log_commits();
    CHECK(mkfile("long", buf, 30 * BSIZE + 17) == 30 * BSIZE + 17);
    CHECK(log_commits() - c0 >= 2);
    CHECK(slurp("long", back, sizeof back) == 30 * BSIZE + 17 && lo_memcmp(buf, back, 30 * BSIZE + 17) == 0);
    CHECK(fs_unlink(&proc, "long") == 0);
    done();
}

static void directories(void) {
    CHECK(fs_mkdir(&proc, "d") == 0);
    CHECK(fs_mkdir(&proc, "d") == -1);
    CHECK(fs_mkdir(&proc, "nosuch/d") == -1);
    CHECK(fs_mkdir(&proc, "d/sub") == 0);
    CHECK(mkfile("d/sub/f", (uchar *)"abc", 3) == 3);
    CHECK(statpath("d") == 0 && st.type == T_DIR && st.nlink == 2 && st.size == 3 * sizeof(struct dirent));
    CHECK(statpath("d/sub") == 0 && st.size == 3 * sizeof(struct dirent));
    CHECK(statpath("d/sub/..") == 0);
    uint dino = 0;
    CHECK(statpath("d") == 0 && (dino = st.ino) > 0);
    CHECK(statpath("d/sub/..") == 0 && st.ino == dino);
    CHECK(statpath("/..") == 0 && st.ino == ROOTINO);
    CHECK(fs_chdir(&proc, "d/sub") == 0);
    CHECK(slurp("f", back, 10) == 3);
    CHECK(slurp("../sub/./f", back, 10) == 3);
    CHECK(slurp("/d//sub///f", back, 10) == 3);
    CHECK(fs_chdir(&proc, "f") == -1);
    CHECK(fs_chdir(&proc, "../..") == 0);
    CHECK(fs_open(&proc, "d", O_WRONLY) == -1 && fs_open(&proc, "d", O_RDWR) == -1);
    CHECK(fs_open(&proc, "d", O_CREATE) == -1);
    CHECK(fs_unlink(&proc, "d") == -1);                    // not empty
    CHECK(fs_unlink(&proc, "d/sub/.") == -1 && fs_unlink(&proc, "d/sub/..") == -1);
    CHECK(fs_open(&proc, "d/sub/f/x", O_CREATE | O_RDWR) == -1);
    CHECK(fs_unlink(&proc, "d/sub/f") == 0);
    CHECK(fs_unlink(&proc, "d/sub") == 0);
    CHECK(statpath("d") == 0 && st.nlink == 1);
    CHECK(fs_unlink(&proc, "d") == 0);
    CHECK(fs_unlink(&proc, "/") == -1);
    done();

    // Names are cut to DIRSIZ.
    CHECK(fs_mkdir(&proc, "12345678901234") == 0);
    int fd = fs_open(&proc, "123456789012345/abcdefghijklmnopq", O_CREATE | O_RDWR);
    CHECK(fd >= 0);
    fs_close(&proc, fd);
    CHECK(fs_open(&proc, "12345678901234/abcdefghijklmn", O_RDONLY) >= 0);
    fs_close(&proc, 0);
    CHECK(fs_mkdir(&proc, "12345678901234/abcdefghijklmnX") == -1);
    CHECK(fs_unlink(&proc, "12345678901234/abcdefghijklmn") == 0);
    CHECK(fs_unlink(&proc, "12345678901234") == 0);
    done();
}

static void links(void) {
    CHECK(mkfile("l1", (uchar *)"hello", 5) == 5);
    CHECK(fs_link(&proc, "l1", "l2") == 0);
    CHECK(statpath("l2") == 0 && st.nlink == 2);
    CHECK(fs_link(&proc, "l1", "l2") == -1);
    CHECK(fs_link(&proc, "nosuch", "l3") == -1);
    CHECK(fs_link(&proc, ".", "l3") == -1);
    CHECK(fs_link(&proc, "l1", "nosuch/l") == -1);
    CHECK(statpath("l1") == 0 && st.nlink == 2);
    CHECK(fs_unlink(&proc, "l1") == 0);
    CHECK(slurp("l2", back, 10) == 5 && statpath("l2") == 0 && st.nlink == 1);

    // Unlinked while open: readable, writable, freed at the last close.
    int freeb = ram_freeblocks(), freei = ram_freeinodes();
    int fd = fs_open(&proc, "l2", O_RDWR);
    CHECK(fs_unlink(&proc, "l2") == 0);
    done();
    CHECK(ram_freeinodes() == freei);
    CHECK(fs_read(&proc, fd, back, 10) == 5);
    CHECK(fs_write(&proc, fd, buf, 2000) == 2000);
    CHECK(fs_fstat(&proc, fd, &st) == 0 && st.nlink == 0 && st.size == 2005);
    done();
    fs_close(&proc, fd);
    done();
    CHECK(ram_freeinodes() == freei + 1);
    CHECK(ram_freeblocks() == freeb + 1);

    // Devices.
    CHECK(fs_mknod(&proc, "console", CONSOLE, 0) == 0);
    CHECK(fs_mknod(&proc, "console", CONSOLE, 0) == -1);
    fd = fs_open(&proc, "console", O_RDWR);
    CHECK(fd >= 0 && proc.ofile[fd]->type == F_DEVICE && proc.ofile[fd]->major == CONSOLE);
    CHECK(fs_fstat(&proc, fd, &st) == 0 && st.type == T_DEVICE);
    fs_close(&proc, fd);
    // No node for a major no device can have, or a negative minor.
    CHECK(fs_mknod(&proc, "baddev", 42, 0) == -1);
    CHECK(fs_mknod(&proc, "baddev", 0, 0) == -1);
    CHECK(fs_mknod(&proc, "baddev", CONSOLE, -1) == -1);
    CHECK(fs_open(&proc, "baddev", O_RDWR) == -1);
    CHECK(fs_unlink(&proc, "baddev") == -1 && fs_unlink(&proc, "console") == 0);
    done();
}

static void limits(void) {
    // NOFILE descriptors, then -1; closing gives them back.
    int n = 0;
    while (fs_open(&proc, "/", O_RDONLY) >= 0) n++;
    CHECK(n == NOFILE);
    CHECK(fs_dup(&proc, 0) == -1);
    for (int fd = 0; fd < NOFILE; fd++) fs_close(&proc, fd);
    done();

    // Fill the disk (two files: one cannot pass MAXFILE blocks): the write that finds no
    // block says -1; removing the files frees it all.
    int freeb = ram_freeblocks();
    lo_memset(buf, 'f', BSIZE);
    int written = 0, r = 0;
    char full[] = "full0";
    for (int i = 0; i < 2 && r != -1; i++) {
        full[4] = '0' + i;
        int fd = fs_open(&proc, full, O_CREATE | O_WRONLY);
        for (int b = 0; b < MAXFILE && (r = fs_write(&proc, fd, buf, BSIZE)) == BSIZE; b++) {
            written++;
            done();
        }
        fs_close(&proc, fd);
        done();
    }
    CHECK(r == -1);
    CHECK(ram_freeblocks() == 0);
    // Less the indirect blocks (the second file's may have been taken by the failing write).
    CHECK(written >= freeb - 2 && written <= freeb - 1);
    CHECK(fs_mkdir(&proc, "nospace") == -1);               // its first block cannot be had
    done();
    CHECK(fs_unlink(&proc, "full0") == 0 && fs_unlink(&proc, "full1") == 0);
    done();
    CHECK(ram_freeblocks() == freeb);

    // Run out of inodes: creation fails cleanly.
    int freei = ram_freeinodes();
    char name[] = "i00";
    int made = 0;
    for (; made < 100; made++) {
        name[1] = '0' + made / 10;
        name[2] = '0' + made % 10;
        int fd = fs_open(&proc, name, O_CREATE | O_RDWR);
        if (fd < 0) break;
        fs_close(&proc, fd);
        done();
    }
    done();
    CHECK(made == freei);
    CHECK(fs_mkdir(&proc, "d") == -1 && fs_mknod(&proc, "n", CONSOLE, 0) == -1);
    for (int i = 0; i < made; i++) {
        name[1] = '0' + i / 10;
        name[2] = '0' + i % 10;
        CHECK(fs_unlink(&proc, name) == 0);
        done();
    }
    CHECK(ram_freeinodes() == freei);
}

static void maxfile(void) {
    int fd = fs_open(&proc, "max", O_CREATE | O_WRONLY);
    lo_memset(buf, 'm', BSIZE);
    int b = 0;
    for (; b < MAXFILE; b++) {
        if (fs_write(&proc, fd, buf, BSIZE) != BSIZE) break;
        done();
    }
    CHECK(b == MAXFILE);
    CHECK(fs_write(&proc, fd, buf, 1) == -1);
    fs_close(&proc, fd);
    CHECK(fs_unlink(&proc, "max") == 0);
    done();
}

// A crash at every point of an operation, keeping any of several choices of the writes
// still in the disk's cache, leaves a file system that fsck finds clean, and the
// operation either entirely done or not at all.
static uchar before[RAMBLOCKS][BSIZE] __attribute__((aligned(16)));

static void crashes(void) {
    pattern(buf, 7 * BSIZE, 9);
    CHECK(mkfile("keep", buf, 3 * BSIZE) == 3 * BSIZE);
    CHECK(fs_mkdir(&proc, "cd") == 0);
    done();
    lo_memmove(before, ramdisk, sizeof ramdisk);

    // How many writes the operation takes, uninterrupted: two files, two commits, so
    // that a crash can also fall where the second commit reuses the log.
    long w0 = ram_writes;
    CHECK(mkfile("cd/new", buf, 7 * BSIZE) == 7 * BSIZE);
    CHECK(mkfile("cd/two", buf + BSIZE, 2 * BSIZE) == 2 * BSIZE);
    long writes = ram_writes - w0;
    CHECK(writes > 20);

    int done_seen = 0, undone_seen = 0;
    for (int keeps = 0; keeps < KEEP_MODES; keeps++) {
        for (long k = 0; k <= writes; k++) {
            lo_memmove(ramdisk, before, sizeof ramdisk);
            CHECK(ram_boot() == 0);
            fs_procinit(&proc);
            crash_after = k;
            crash_keeps = keeps;
            mkfile("cd/new", buf, 7 * BSIZE);
            mkfile("cd/two", buf + BSIZE, 2 * BSIZE);
            ram_crash();
            // Reboot on what reached the disk.
            CHECK(ram_boot() == 0);
            fs_procinit(&proc);
            CHECK(ram_fsck() == 0);
            int n = slurp("cd/new", back, sizeof back);
            if (n < 0) {
                undone_seen++;
            } else {
                // The file's creation and its whole write are separate transactions
                // (open, then writes of 3 KB): each piece is all or nothing.
                CHECK(n % (3 * BSIZE) == 0 || n == 7 * BSIZE);
                CHECK(lo_memcmp(back, buf, n) == 0);
                if (n == 7 * BSIZE) done_seen++;
            }
            // The second file, if there at all, is whole, and the first with it.
            int two = slurp("cd/two", back, sizeof back);
            if (two >= 0) {
                CHECK(two == 2 * BSIZE && lo_memcmp(back, buf + BSIZE, two) == 0);
                CHECK(n == 7 * BSIZE);
            }
            CHECK(slurp("keep", back, sizeof back) == 3 * BSIZE && lo_memcmp(back, buf, 3 * BSIZE) == 0);
        }
    }
    CHECK(undone_seen > 0 && done_seen > 0);
}

int main(void) {
    ram_mkfs(RAMBLOCKS, 64);
    CHECK(ram_fsck() == 0);
    CHECK(ram_boot() == 0);
    fs_procinit(&proc);
    files();
    CHECK(ram_fsck() == 0);
    writes_longer_than_the_log();
    directories();
    CHECK(ram_fsck() == 0);
    links();
    CHECK(ram_fsck() == 0);
    limits();
    CHECK(ram_fsck() == 0);
    maxfile();
    CHECK(ram_fsck() == 0);
    crashes();

    // A corrupt log header is refused, not replayed.
    uint *lh = (uint *)ramdisk[2];
    lh[0] = 1;
    lh[1] = 1;      // the superblock: never a logged block
    CHECK(ram_boot() == -1);
    CHECK(lo_strcmp(ram_why, "the log header names a block outside the file system") == 0);
    return check_failures();
}
