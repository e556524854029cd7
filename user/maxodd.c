// maxodd: a file at MAXFILE blocks reached at odd offsets, with reads for the lseek xv6
// lacks (red team 12), on either kernel: a file 3 bytes short of the limit, reopened and
// read to its end, takes 3 bytes of a 10-byte write (-1: not all of it) and nothing more;
// a write from an odd offset inside the last block, reached by reading, overwrites up to
// the limit and no further; a second descriptor's offset left behind by the first's
// growth still writes inside the file; writes of 0 bytes at the limit are 0, of a
// negative count -1; and every byte reads back as written. Prints "maxodd OK" when all holds.
#include "user.h"

#define MAX (MAXFILE * BSIZE)

static int failures;
static char buf[BSIZE * 3];

static void check(int ok, const char *what) {
    if (!ok) {
        printf("maxodd: FAIL %s\n", what);
        failures++;
    }
}

static int size(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (int)st.size : -1;
}

// Reads n bytes from fd (moving its offset, as lseek would); returns how many it read.
static int skip(int fd, int n) {
    int got = 0;
    while (got < n) {
        int m = n - got < (int)sizeof buf ? n - got : (int)sizeof buf;
        int r = read(fd, buf, m);
        if (r <= 0) break;
        got += r;
    }
    return got;
}

// The byte at offset off as this program writes it first.
static char at(int off) {
    return (char)(off * 13 + off / BSIZE);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        fprintf(2, "usage: maxodd   (no arguments)\n");
        exit(1);
    }
    unlink("maxodd1");
    int fd = open("maxodd1", O_CREATE | O_RDWR);
    check(fd >= 0, "create");
    for (int off = 0; off < MAX - 3;) {
        int n = MAX - 3 - off < (int)sizeof buf ? MAX - 3 - off : (int)sizeof buf;
        for (int i = 0; i < n; i++) buf[i] = at(off + i);
        if (write(fd, buf, n) != n) {
            check(0, "filling the file");
            break;
        }
        off += n;
    }
    close(fd);
    check((fd = open("maxodd1", O_RDWR)) >= 0, "reopen");
    check(skip(fd, MAX) == MAX - 3, "read to the end");
    for (int i = 0; i < 10; i++) buf[i] = at(MAX - 3 + i);
    check(write(fd, buf, 10) == -1, "a 10-byte write 3 bytes short of the limit is -1");
    check(size(fd) == MAX, "and leaves the file at the limit");
    check(write(fd, buf, 1) == -1, "a byte past the limit is -1");
    check(write(fd, buf, 0) == 0, "0 bytes at the limit is 0");
    check(write(fd, buf, -1) == -1, "a negative count is -1");
    check(size(fd) == MAX, "still at the limit");
    close(fd);

    // From an odd offset of the last block, reached by reading, up to the limit and past.
    int b = fd = open("maxodd1", O_RDWR);
    int a = open("maxodd1", O_RDONLY);
    check(skip(fd, MAX - BSIZE + 7) == MAX - BSIZE + 7, "read to an odd offset of the last block");
    for (int i = 0; i < BSIZE + 20; i++) buf[i] = at(MAX - BSIZE + 7 + i) ^ 0x5a;
    check(write(fd, buf, BSIZE + 20) == -1, "a write from there across the limit is -1");
    check(size(fd) == MAX, "the file is at the limit");
    // Another descriptor, read as far as the byte before the last, writes inside the file.
    close(b);
    b = open("maxodd1", O_WRONLY);
    int c = open("maxodd1", O_RDONLY);
    check(skip(c, MAX - 1) == MAX - 1, "reading to the last byte");
    close(c);
    for (int i = 0; i < 7; i++) buf[i] = 'X';
    check(write(b, buf, 3) == 3, "a write at the start of the file");
    close(b);

    // Every byte reads back as written.
    int bad = 0;
    for (int off = 0; off < MAX;) {
        int n = read(a, buf, sizeof buf);
        if (n <= 0) break;
        for (int i = 0; i < n; i++, off++) {
            char want = off < 3 ? 'X' : off < MAX - BSIZE + 7 ? at(off) : at(off) ^ 0x5a;
            if (buf[i] != want && bad++ == 0) printf("maxodd: byte %d is %d, not %d\n", off, buf[i], want);
        }
        if (off == MAX) check(read(a, buf, 1) == 0, "nothing past the limit");
    }
    check(bad == 0, "the bytes read back");
    check(size(a) == MAX, "size at the end");
    close(a);
    unlink("maxodd1");
    if (failures == 0) printf("maxodd OK\n");
    exit(failures != 0);
}
