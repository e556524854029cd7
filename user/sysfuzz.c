// sysfuzz: a randomized system-call fuzzer. From the seed on its command line it runs
// several chains of workers side by side, each worker making a few hundred system calls
// chosen at random, with random and boundary arguments: bad pointers, lengths near 2^31,
// negative counts, descriptors that are not open, paths that are too long or run off the
// end of memory, names in a small tree of its own that the workers race on. Workers fork
// children that do the same, and kill them, each other and random pids. A worker may
// well block for good (reading its own empty pipe, say): a watchdog kills each worker
// after a while, and the chain goes on with the next. Calls may fail however they like
// (a few must fail: a bad pointer is never accepted); what must hold is that the system
// survives. Afterwards sysfuzz kills whatever is left of its processes, checks that no
// memory was lost and that it can still create, write, read and remove a file, and
// removes everything it made.
//
// Some calls are whole raids on a resource, run while the others go on: filling the
// disk, taking every free inode, every process slot, or the file table; and exec of a
// copy of /echo cut short or with a header field made hostile (which must fail, or run,
// or die: never hurt anyone else).
//
//   sysfuzz [-n OPS] [-w CHAINS] SEED      OPS calls per chain (default 2000), 4 chains
//
// The same seed makes the same calls; with one hart and virtual time (make qemu DET=1),
// the same run. Ends with "sysfuzz SEED: ... the system works" or says what failed.
#include "user.h"
#include "xorshift.h"
#include "countfree.h"

#define MAXCHAINS 8
#define MAXOPS 1000000      // calls a chain may be asked for
#define WORKEROPS 250       // calls one worker makes
#define PATIENCE 100        // ticks a worker may take before it is killed
#define MAXKIDS 3           // children a worker has at once
#define KIDOPS 40           // calls a worker's child makes
#define DEADLINE 20000      // ticks before everything still there is killed

int main(int argc, char **argv);

// ---- Where failures are reported ------------------------------------------------------

// Workers have no console (a read of it would wait for the user); they report here.
static int reportfd = -1;
// And they count their calls here, for the progress lines (see progress()).
static int progressfd = -1;

static void report(const char *what, long a) {
    char msg[96];
    int n = 0;
    for (const char *s = "sysfuzz: pid "; *s; s++) msg[n++] = *s;
    int pid = getpid();
    char digits[24];
    int d = 0;
    do digits[d++] = '0' + pid % 10; while ((pid /= 10) > 0 && d < 20);
    while (d > 0) msg[n++] = digits[--d];
    msg[n++] = ':';
    msg[n++] = ' ';
    for (; *what && n < 70; what++) msg[n++] = *what;
    msg[n++] = ' ';
    int neg = a < 0;
    uint64 u = neg ? -(uint64)a : (uint64)a;
    if (neg) msg[n++] = '-';
    d = 0;
    do digits[d++] = '0' + u % 10; while ((u /= 10) > 0 && d < 20);
    while (d > 0) msg[n++] = digits[--d];
    msg[n++] = '\n';
    write(reportfd, msg, n);
}

#define expect(cond, what, value) \
    do { \
        if (!(cond)) report(what, (long)(value)); \
    } while (0)

// ---- Arguments ------------------------------------------------------------------------

static char buf[2 * PGSIZE];
// /echo, read once by main: what the ELF cases mangle.
#define ECHOMAX (64 * 1024)
static char echo[ECHOMAX];
static int echolen;
static char longpath[MAXPATH + 40];

// Addresses no call may accept: the kernel's, the top of the address space, beyond it.
static const uint64 badaddrs[] = {
    0x80000000UL, 0x80000000UL + 0x123456, 0x3fffffe000UL, 0x3ffffff000UL, 0x3fffffffffUL,
    MAXVA, MAXVA + PGSIZE, 1UL << 39, 0x7fffffffffffffffUL, 0x8000000000000000UL,
    0xfffffffffffff000UL, 0xffffffffffffffffUL,
};
#define NBAD (int)(sizeof badaddrs / sizeof badaddrs[0])

static char *badaddr(void) { return (char *)badaddrs[pick(NBAD)]; }

// A buffer: good, running off the end of memory, in the text, null, bad, or random.
static char *ptr(void) {
    switch (pick(10)) {
    case 0: return (char *)sbrk(0) - pick(64);
    case 1: return (char *)(uint64)main + pick(64);
    case 2: return 0;
    case 3: return badaddr();
    case 4: return (char *)rnd();
    default: return buf + pick(PGSIZE);
    }
}

// A length or count: boundaries around blocks, pages and the pipe, and around 2^31.
static int len(void) {
    static const int lens[] = {0, 1, 2, 15, 16, 511, 512, 513, 1023, 1024, 1025, 3072, 4095, 4096,
                               0x7fffffff, -1, -2147483647 - 1, 0x40000000};
    if (pick(4) == 0) return pick(PGSIZE);
    return lens[pick(sizeof lens / sizeof lens[0])];
}

// A number for a pid, a major or minor, a flag word.
static int num(void) {
    static const int nums[] = {0, 1, 2, -1, 63, 64, 65, 0x7fff, 0x8000, 0xffff, 0x10000, 0x10001,
                               0x7fffffff, -2147483647 - 1};
    if (pick(3) == 0) return (int)rnd();
    return nums[pick(sizeof nums / sizeof nums[0])];
}

// Descriptors this process opened, and others that are not open or cannot be.
static int fds[NOFILE];
static int nfds;

static int fdarg(void) {
    if (nfds > 0 && pick(3) != 0) return fds[pick(nfds)];
    static const int odd[] = {-1, 0, 1, 2, NOFILE - 1, NOFILE, NOFILE + 1, 1000000, -2147483647 - 1};
    return odd[pick(sizeof odd / sizeof odd[0])];
}

// The pipes this process made: which one each descriptor is an end of (0 for none), if
// it is the read end, and what each pipe holds as far as this process knows (its
// children may use it too). With them a worker mostly avoids waiting for itself: reading
// its own empty pipe, or writing more than its own pipe has room for.
#define NPIPES 64
static int pipeof[NOFILE];
static int readend[NOFILE];
static int inpipe[NPIPES];
static int npipes;

static int pipeend(int fd) { return fd >= 0 && fd < NOFILE ? pipeof[fd] : 0; }

// A descriptor of ours for the other end of fd's pipe, or -1.
static int otherend(int fd) {
    for (int i = 0; i < nfds; i++) {
        int o = fds[i];
        if (o < NOFILE && pipeof[o] == pipeof[fd] && readend[o] != readend[fd]) return o;
    }
    return -1;
}

static void keepfd(int fd) {
    if (fd < 0 || fd >= NOFILE) return;
    pipeof[fd] = 0;
    for (int i = 0; i < nfds; i++) if (fds[i] == fd) return;
    if (nfds < NOFILE) fds[nfds++] = fd;
}

static void dropfd(int fd) {
    if (fd >= 0 && fd < NOFILE) pipeof[fd] = 0;
    for (int i = 0; i < nfds; i++) {
        if (fds[i] == fd) {
            fds[i] = fds[--nfds];
            return;
        }
    }
}

// The names the workers race on, under /fzSEED, deepest first (the order they can be
// removed in). Every path a call is given lands on one of them, or on nothing.
static const char *names[] = {
    "/d/d2/g", "/d/d2", "/d/e", "/d/f", "/q/r", "/d", "/q", "/a", "/b", "/c", "/p",
    "/abcdefghijklmn",
};
#define NNAMES (int)(sizeof names / sizeof names[0])
// Other spellings of the same names: dots, doubled slashes, a name cut to DIRSIZ.
static const char *aliases[] = {"/d/../a", "//d///e", "/abcdefghijklmnopqrs", "/d/.", "/d/d2/../f", "/q/"};
#define NALIASES (int)(sizeof aliases / sizeof aliases[0])

static char base[24];
static char paths[2][64];
static int whichpath;

// A path argument: one of the names, an alias, the base, "", ".", "..", one that is
// too long or has no end, or a bad pointer.
static char *path(void) {
    char *p = paths[whichpath ^= 1];
    const char *tail;
    switch (pick(16)) {
    case 0: return badaddr();
    case 1: return longpath;
    case 2: {
        // A string running to the last byte of memory, with no NUL (the break on a page
        // boundary, or the rest of its page would be zeros).
        if ((uint64)sbrk(0) % PGSIZE != 0) sbrk(PGSIZE - (uint64)sbrk(0) % PGSIZE);
        char *end = (char *)sbrk(0);
        char *s = end - 1 - pick(8);
        for (char *c = s; c < end; c++) *c = 'z';
        return s;
    }
    case 3: return "";
    case 4: return pick(2) ? "." : "..";
    case 5: tail = aliases[pick(NALIASES)]; break;
    case 6: tail = ""; break;
    default: tail = names[pick(NNAMES)]; break;
    }
    strcpy(p, base);
    strcpy(p + strlen(p), tail);
    return p;
}

// ---- Raids on resources ---------------------------------------------------------------

// base/iN: the names the inode raid creates (cleanup removes what a killed raid left).
#define RAIDNAMES 220
static void raidname(char *p, int i) {
    strcpy(p, base);
    int n = strlen(p);
    p[n++] = '/';
    p[n++] = 'i';
    if (i >= 100) p[n++] = '0' + i / 100;
    if (i >= 10) p[n++] = '0' + i / 10 % 10;
    p[n++] = '0' + i % 10;
    p[n] = 0;
}

static void raid(void) {
    char p[48];
    switch (pick(4)) {
    case 0: {
        // The disk: grow files until a write fails for want of blocks, then give them
        // back. One file alone stops at MAXFILE blocks (its write fails too, with the
        // file at the limit: not counted), and the disk holds several. The files take
        // the inode raid's last names, so cleanup removes what a killed raid left.
        int n = 0, full = 0;
        for (; n < 10 && !full; n++) {
            raidname(p, RAIDNAMES - 1 - n);
            int fd = open(p, O_CREATE | O_WRONLY | O_TRUNC);
            if (fd < 0) break;
            int w = 0;
            for (int i = 0; i < 200 && (w = write(fd, buf, sizeof buf)) == sizeof buf; i++) {}
            struct stat st;
            full = w != sizeof buf && fstat(fd, &st) == 0 && st.size < MAXFILE * BSIZE;
            close(fd);
        }
        if (full) write(reportfd, "D", 1);
        for (int i = 0; i < n; i++) {
            raidname(p, RAIDNAMES - 1 - i);
            unlink(p);
        }
        break;
    }
    case 1: {
        // The inodes: create files until that fails, then remove them.
        int made = 0;
        if (nfds >= NOFILE - 3) {
            close(fds[0]);
            dropfd(fds[0]);
        }
        for (int i = 0; i < RAIDNAMES; i++) {
            raidname(p, i);
            int fd = open(p, O_CREATE | O_RDWR);
            if (fd < 0) {
                write(reportfd, "I", 1);
                break;
            }
            close(fd);
            made = i + 1;
        }
        for (int i = 0; i < made; i++) {
            raidname(p, i);
            unlink(p);
        }
        break;
    }
    case 2: {
        // The process table: children that wait to be killed, until fork fails.
        int pids[NPROC], n = 0;
        while (n < NPROC) {
            int pid = fork();
            if (pid < 0) {
                write(reportfd, "P", 1);
                break;
            }
            if (pid == 0) {
                sleep(PATIENCE);
                exit(0);
            }
            pids[n++] = pid;
        }
        for (int i = 0; i < n; i++) kill(pids[i]);
        for (int i = 0; i < n; i++) wait(0);
        break;
    }
    default: {
        // The file table: children that each open all they can, until their parent says.
        int go[2];
        if (pipe(go) != 0) break;
        int pids[8], n = 0;
        for (; n < 8; n++) {
            int pid = fork();
            if (pid < 0) break;
            if (pid == 0) {
                close(go[1]);
                while (open(base, O_RDONLY) >= 0) {}
                char c;
                read(go[0], &c, 1);
                exit(0);
            }
            pids[n] = pid;
        }
        close(go[0]);
        sleep(2);
        close(go[1]);
        for (int i = 0; i < n; i++) wait(0);
        break;
    }
    }
}

// exec of /echo cut short, or with a field of its ELF header or of one of its first
// program headers set to a hostile value. It must fail, or run echo (which exits), or
// start something that dies, or spins until the watchdog kills it.
static void badelf(void) {
    struct field { short off, width; };
    static const struct field elf[] = {{4, 1}, {5, 1}, {16, 2}, {18, 2}, {24, 8}, {32, 8}, {54, 2}, {56, 2}};
    static const struct field ph[] = {{0, 4}, {4, 4}, {8, 8}, {16, 8}, {32, 8}, {40, 8}};
    static const uint64 values[] = {0, 1, 0xfff, 0x1000, 0x7fffffff, 0x80000000UL, 0xffffffffUL,
                                    0x3fffffe000UL, 0xfffffffffffff000UL, 0xffffffffffffffffUL};
    enum { HEAD = 64 + 56 * 4 };                    // the headers mangled, near the front
    if (echolen < HEAD) return;
    int n = echolen;
    memmove(buf, echo, HEAD);
    if (pick(2)) {
        n = 1 + pick(echolen - 1);                  // cut short
    } else {
        uint64 phoff = 0;
        for (int i = 0; i < 8; i++) phoff |= (uint64)(uchar)echo[32 + i] << (8 * i);
        struct field f = elf[pick(sizeof elf / sizeof elf[0])];
        if (pick(2) && phoff + 56 * 4 <= HEAD) {
            f = ph[pick(sizeof ph / sizeof ph[0])];
            f.off += (short)(phoff + 56 * pick(4));
        }
        uint64 v = values[pick(sizeof values / sizeof values[0])];
        for (int i = 0; i < f.width; i++) buf[f.off + i] = (char)(v >> (8 * i));
    }
    char *p = path();
    int fd = open(p, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0) return;
    int head = n < HEAD ? n : HEAD;
    write(fd, buf, head);
    if (n > head) write(fd, echo + head, n - head);
    close(fd);
    char *argv[] = {"echo", 0};
    exec(p, argv);
}

// ---- The calls ------------------------------------------------------------------------

// Pids up to this one are sysfuzz's own (itself, its deadline, the chains) or older (the
// shell, init): workers never kill them.
static int protect;
static int kids[MAXKIDS];
static int nkids;
static char *brk0;          // the break when the worker started: sbrk never goes below

static void fuzzcall(int worker);

// A worker's child: a few calls of its own, then an exit with a random status, or an
// exec of echo (which exits), or of something that is not a program. It makes no call
// that could wait for good (a read of an empty pipe, say), so it never outlives its
// calls: a worker killed by its watchdog leaves no children behind waiting forever, to
// fill the process table.
static void kid(void) {
    nkids = 0;
    for (int i = 0; i < KIDOPS; i++) fuzzcall(0);
    if (pick(4) == 0) {
        char *argv[] = {"echo", pick(2) ? "x" : badaddr(), 0};
        close(1);
        exec(pick(2) ? "/echo" : path(), argv);
    }
    exit(num());
}

// One random call. A worker may fork and may wait for good; a worker's child does neither.
static void fuzzcall(int worker) {
    int r;
    switch (pick(30)) {
    case 0:
    case 1: {
        static const int flags[] = {O_RDONLY, O_WRONLY, O_RDWR, O_CREATE | O_RDWR, O_CREATE | O_WRONLY | O_TRUNC,
                                    O_TRUNC | O_RDONLY, O_CREATE};
        int fl = pick(5) == 0 ? num() : flags[pick(sizeof flags / sizeof flags[0])];
        keepfd(open(path(), fl));
        break;
    }
    case 2: {
        int fd = fdarg();
        r = close(fd);
        if (r == 0) dropfd(fd);
        if (fd < 0 || fd >= NOFILE) expect(r == -1, "close of a bad descriptor returned", r);
        break;
    }
    case 3:
    case 4: {
        int fd = fdarg(), pi = pipeend(fd);
        if (pi && !worker) break;
        if (pi && readend[fd] && inpipe[pi] == 0 && pick(8) != 0) {
            int w = otherend(fd);
            if (w >= 0 && write(w, "x", 1) == 1) inpipe[pi]++;
        }
        r = read(fd, ptr(), len());
        if (fd < 0 || fd >= NOFILE) expect(r == -1, "read of a bad descriptor returned", r);
        if (pi && readend[fd] && r > 0) inpipe[pi] = r > inpipe[pi] ? 0 : inpipe[pi] - r;
        break;
    }
    case 5:
    case 6: {
        int fd = fdarg(), n = len(), pi = pipeend(fd);
        if (pi && !worker) break;
        if (pi && !readend[fd] && pick(8) != 0 && otherend(fd) >= 0) {
            int room = 512 - inpipe[pi];
            if (n < 0 || n > room) n = room > 0 ? room : 0;
        }
        r = write(fd, ptr(), n);
        if (fd < 0 || fd >= NOFILE) expect(r == -1, "write to a bad descriptor returned", r);
        if (pi && !readend[fd] && r > 0) inpipe[pi] += r;
        break;
    }
    case 7: {
        char *a = badaddr();
        int fd = fdarg();
        if (pipeend(fd) && !worker) break;
        r = write(fd, a, 1 + pick(8192));
        expect(r <= 0, "write from a bad address returned", r);
        fd = fdarg();
        if (pipeend(fd) && !worker) break;
        r = read(fd, a, 1 + pick(8192));
        expect(r <= 0, "read into a bad address returned", r);
        break;
    }
    case 8: {
        int fd = fdarg(), nfd = dup(fd);
        keepfd(nfd);
        if (nfd >= 0 && nfd < NOFILE && pipeend(fd)) {
            pipeof[nfd] = pipeof[fd];
            readend[nfd] = readend[fd];
        }
        break;
    }
    case 9: {
        int p[2];
        if (pick(3) == 0) {
            r = pipe((int *)badaddr());
            expect(r == -1, "pipe into a bad address returned", r);
        } else if (pipe(p) == 0) {
            keepfd(p[0]);
            keepfd(p[1]);
            if (p[0] < NOFILE && p[1] < NOFILE) {
                int pi = 1 + npipes++ % (NPIPES - 1);
                pipeof[p[0]] = pipeof[p[1]] = pi;
                readend[p[0]] = 1;
                readend[p[1]] = 0;
                inpipe[pi] = 0;
            }
        }
        break;
    }
    case 10: {
        struct stat st;
        if (pick(2)) {
            r = fstat(fdarg(), (struct stat *)badaddr());
            expect(r == -1, "fstat into a bad address returned", r);
        } else {
            fstat(fdarg(), pick(4) ? &st : (struct stat *)ptr());
        }
        break;
    }
    case 11: link(path(), path()); break;
    case 12:
    case 13: unlink(path()); break;
    case 14: mkdir(path()); break;
    case 15: {
        short major = (short)num();
        if (major == CONSOLE) major = 2;    // a console node could be read: see report()
        short minor = (short)num();
        r = mknod(path(), major, minor);
        if (major < 1 || major >= 10 || minor < 0) expect(r == -1, "mknod of no device returned", r);
        break;
    }
    case 16: chdir(path()); break;
    case 17: {
        static const int amounts[] = {1, 17, PGSIZE, 3 * PGSIZE, -1, -PGSIZE, 0x7fffffff, -2147483647 - 1,
                                      0x10000000, 0};
        int n = amounts[pick(sizeof amounts / sizeof amounts[0])];
        char *old = sbrk(0);
        if (n < 0 && old + n < brk0) n = -(int)(old - brk0);
        char *r = sbrk(n);
        if (n == 0x7fffffff) expect(r == (char *)-1 && sbrk(0) == old, "sbrk(0x7fffffff) returned", (long)r);
        if (r != (char *)-1 && n > 0 && n <= 3 * PGSIZE) r[n - 1] = 1;
        // Give back big grants at once, so others can have the memory.
        if (r != (char *)-1 && n >= 0x10000000) sbrk(-n);
        break;
    }
    case 18:
        if (worker && nkids < MAXKIDS) {
            int pid = fork();
            if (pid == 0) kid();
            if (pid > 0) kids[nkids++] = pid;
        }
        break;
    case 19: {
        // Someone to kill: a child, a neighbour (another chain's worker or child, or a
        // watchdog), init (which cannot be), or a random pid.
        int pid;
        switch (pick(6)) {
        case 0:
        case 1: pid = nkids ? kids[pick(nkids)] : num(); break;
        case 2: pid = getpid() + pick(9) - 4; break;
        case 3: pid = 1; break;
        default: pid = num(); break;
        }
        if (pid == getpid() || (pid > 1 && pid <= protect)) break;
        r = kill(pid);
        if (pid == 1) expect(r == -1, "kill(1) returned", r);
        if (pid <= 0) expect(r == -1, "kill of pid <= 0 returned", r);
        break;
    }
    case 20:
        if (nkids > 0) {
            // Kill one first, mostly, so that wait has something to find soon.
            if (pick(4) != 0) kill(kids[pick(nkids)]);
            int st;
            int pid = wait(pick(3) ? &st : (int *)ptr());
            for (int i = 0; i < nkids; i++) {
                if (kids[i] == pid) kids[i] = kids[--nkids];
            }
        } else {
            r = wait((int *)ptr());
            expect(r == -1, "wait with no children returned", r);
        }
        break;
    case 21: {
        // exec of what is not a program, or with bad arguments: it must return -1.
        char *argv[MAXARG + 2];
        for (int i = 0; i < MAXARG + 1; i++) argv[i] = pick(8) ? "a" : badaddr();
        argv[1 + pick(MAXARG + 1)] = 0;
        char **av = pick(4) ? argv : (char **)ptr();
        char *p = path();
        r = exec(p, av);
        expect(r == -1, "exec of a non-program returned", r);
        break;
    }
    case 22: {
        static const int ticks[] = {0, 0, 1, -1, -2147483647 - 1};
        sleep(worker && pick(200) == 0 ? 1000000 : ticks[pick(sizeof ticks / sizeof ticks[0])]);
        break;
    }
    case 23: expect(uptime() >= 0, "uptime returned", uptime()); break;
    case 24: expect(getpid() > 0, "getpid returned", getpid()); break;
    case 25: {
        // Paths off the end of memory or too long are refused by every call.
        char *p = pick(2) ? longpath : badaddr();
        expect(open(p, O_CREATE | O_RDWR) == -1, "open of a bad path succeeded", 0);
        expect(mkdir(p) == -1, "mkdir of a bad path succeeded", 0);
        expect(unlink(p) == -1, "unlink of a bad path succeeded", 0);
        expect(chdir(p) == -1, "chdir to a bad path succeeded", 0);
        expect(link(p, path()) == -1, "link from a bad path succeeded", 0);
        break;
    }
    case 27:
        // A directory is never open for writing.
        expect(open(base, pick(2) ? O_RDWR : O_WRONLY) == -1, "a directory opened for writing", 0);
        expect(open("/", O_CREATE | O_RDWR) == -1, "/ opened for writing", 0);
        break;
    case 28:
        if (worker && pick(3) == 0) raid();
        break;
    case 29:
        // In a child of the worker's, killed with its others: a mangled echo may spin.
        if (worker && nkids < MAXKIDS) {
            int pid = fork();
            if (pid == 0) {
                badelf();
                exit(0);
            }
            if (pid > 0) kids[nkids++] = pid;
        }
        break;
    case 26: {
        // Descriptors running out: open until it fails, then close a few.
        int fd;
        while (nfds < NOFILE && (fd = open(base, O_RDONLY)) >= 0) keepfd(fd);
        for (int i = 0; i < 3 && nfds > 0; i++) {
            fd = fds[pick(nfds)];
            close(fd);
            dropfd(fd);
        }
        break;
    }
    }
}

static void worker(int ops) {
    // No console: what this worker has to say goes to reportfd.
    close(0);
    close(1);
    close(2);
    nfds = 0;
    for (int i = 0; i < NOFILE; i++) pipeof[i] = 0;
    brk0 = sbrk(0);
    for (int i = 1; i <= ops; i++) {
        fuzzcall(1);
        if (i % 100 == 0) {                             // progress: 100 calls made
            write(reportfd, ".", 1);
            write(progressfd, ".", 1);
        }
    }
    for (int i = 0; i < nkids; i++) kill(kids[i]);
    while (wait(0) >= 0) {}
    exit(0);
}

// A child that kills pid after ticks.
static int watchdog(int pid, int ticks) {
    int dog = fork();
    if (dog == 0) {
        sleep(ticks);
        kill(pid);
        exit(0);
    }
    return dog;
}

// Runs fn in a child, killing it after ticks; returns when it has ended. Workers kill at
// random, so a watchdog that ends before its worker (killed, or having killed it) is
// replaced until the worker has ended too.
static void bounded(void (*fn)(int), int arg, int ticks) {
    int pid = fork();
    if (pid < 0) return;
    if (pid == 0) fn(arg);
    int dog = watchdog(pid, ticks);
    for (int tries = 0; dog < 0 && tries < 100; tries++) {
        sleep(1);
        dog = watchdog(pid, ticks);
    }
    int w;
    while ((w = wait(0)) >= 0) {
        if (w == pid) {
            pid = -1;
            if (dog > 0) kill(dog);
        } else if (w == dog) {
            dog = pid > 0 ? watchdog(pid, ticks) : -1;
        }
        // A raid may have taken every process slot: a worker must not go unwatched.
        for (int tries = 0; pid > 0 && dog < 0 && tries < 100; tries++) {
            sleep(1);
            dog = watchdog(pid, ticks);
        }
    }
}

static uint64 chainseed;

// One chain: workers one after another, WORKEROPS calls each, until ops are made. It
// starts when main has made every chain and says which pids to spare.
static void chain(int ops, int go) {
    if (read(go, &protect, sizeof protect) != sizeof protect) exit(1);
    close(go);
    for (int k = 0; k * WORKEROPS < ops; k++) {
        seed = chainseed + (uint64)k * 0x2545f4914f6cdd1dUL;
        rnd();
        int n = ops - k * WORKEROPS < WORKEROPS ? ops - k * WORKEROPS : WORKEROPS;
        bounded(worker, n, PATIENCE);
    }
    exit(0);
}

// Kills every process made since pid first (pids go up), but the caller.
static void killsince(int first) {
    int probe = fork();
    if (probe == 0) exit(0);
    if (probe < 0) return;
    wait(0);
    for (int pid = first + 1; pid < probe; pid++) {
        if (pid != getpid()) kill(pid);
    }
}

static int mainpid;

// The deadline: whatever of the run is still there by then is killed.
static void deadline(int ticks) {
    sleep(ticks);
    killsince(mainpid + 1);
    exit(0);
}

// Prints a line each time another tenth of the calls has been made, so that a long run
// (minutes on kernel-exo) shows it is going; killed by main when the workers are done.
static void progress(int fd, int seed, int total) {
    char dots[64];
    int n, made = 0, shown = 0;
    while ((n = read(fd, dots, sizeof dots)) > 0) {
        made += 100 * n;
        if (made * 10 / total > shown) {
            shown = made * 10 / total;
            printf("sysfuzz %d: %d of %d calls made\n", seed, made, total);
        }
    }
    exit(0);
}

// ---- Checking the system after ---------------------------------------------------------

static int failures;

static void fail(const char *what) {
    printf("sysfuzz: %s\n", what);
    failures++;
}

// The file system still does what it should.
static void fswork(void) {
    char name[40];
    strcpy(name, base);
    strcpy(name + strlen(name), "/final");
    unlink(name);
    int fd = open(name, O_CREATE | O_RDWR);
    if (fd < 0) {
        fail("cannot create a file after the run");
        return;
    }
    for (int i = 0; i < 3 * BSIZE; i++) buf[i] = (char)(i * 7 + i / 1000);
    if (write(fd, buf, 3 * BSIZE) != 3 * BSIZE) fail("cannot write a file after the run");
    close(fd);
    memset(buf + 4 * BSIZE, 0, 3 * BSIZE);
    fd = open(name, O_RDONLY);
    if (fd < 0 || read(fd, buf + 4 * BSIZE, 4 * BSIZE) != 3 * BSIZE || memcmp(buf, buf + 4 * BSIZE, 3 * BSIZE) != 0)
        fail("a file written after the run does not read back");
    close(fd);
    if (unlink(name) != 0) fail("cannot remove a file after the run");
    if ((fd = open(name, O_RDONLY)) >= 0) {
        fail("a removed file still opens");
        close(fd);
    }
}

// Removes every name the workers could have made, deepest first.
// (Before fswork: raids cut short by the deadline may have left the disk full, or no inode free.)
static void cleanup(void) {
    char p[64];
    for (int i = 0; i < RAIDNAMES; i++) {
        raidname(p, i);
        unlink(p);
    }
    for (int i = 0; i < NNAMES; i++) {
        strcpy(p, base);
        strcpy(p + strlen(p), names[i]);
        unlink(p);
    }
}

static void usage(void) {
    printf("usage: sysfuzz [-n OPS] [-w CHAINS] SEED   (OPS up to %d, CHAINS 1 to %d, SEED up to 9 digits)\n", MAXOPS,
           MAXCHAINS);
    exit(1);
}

int main(int argc, char **argv) {
    int ops = 2000, nworkers = 4;
    uint64 s = 0;
    int haveseed = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) ops = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) nworkers = atoi(argv[++i]);
        else if (argv[i][0] >= '0' && argv[i][0] <= '9' && strlen(argv[i]) <= 9 && !haveseed) {
            s = atoi(argv[i]);
            haveseed = 1;
        } else usage();
    }
    // (Bounds that keep the counts in an int: ops * chains * 10 is computed.)
    if (!haveseed || ops < 0 || ops > MAXOPS || nworkers < 1 || nworkers > MAXCHAINS) usage();

    // /fzSEED, its own directory, so that several runs never meet.
    strcpy(base, "/fz");
    char digits[12];
    int d = 0;
    uint64 t = s % 1000000000;
    do digits[d++] = '0' + t % 10; while ((t /= 10) > 0);
    int n = 3;
    while (d > 0) base[n++] = digits[--d];
    base[n] = 0;
    memset(longpath, 'y', sizeof longpath - 1);
    if (mkdir(base) != 0) {
        printf("sysfuzz: cannot make %s (left from an earlier run?)\n", base);
        exit(1);
    }

    int efd = open("/echo", O_RDONLY);
    if (efd >= 0) {
        int m;
        while (echolen < ECHOMAX && (m = read(efd, echo + echolen, ECHOMAX - echolen)) > 0) echolen += m;
        close(efd);
    }

    int reports[2];
    if (pipe(reports) != 0) {
        printf("sysfuzz: pipe failed\n");
        exit(1);
    }
    uint64 free0 = countfree();
    mainpid = getpid();
    int t0 = uptime();

    // The deadline and the chains first, so that their pids follow ours: the chains wait
    // until they are all made, then learn the highest, up to which workers kill nothing.
    int last = fork();
    if (last == 0) deadline(DEADLINE);
    int prog[2], progressor = -1;
    if (ops >= 1000 && pipe(prog) == 0) {
        progressor = fork();
        if (progressor == 0) {
            close(prog[1]);
            progress(prog[0], (int)s, ops * nworkers);
        }
        close(prog[0]);
        progressfd = prog[1];
    }
    int go[2];
    if (pipe(go) != 0) {
        printf("sysfuzz: pipe failed\n");
        exit(1);
    }
    reportfd = reports[1];
    protect = last;
    for (int c = 0; c < nworkers; c++) {
        chainseed = s * 0x9e3779b97f4a7c15UL + c + 1;
        int pid = fork();
        if (pid < 0) {
            printf("sysfuzz: fork failed\n");
            exit(1);
        }
        if (pid == 0) {
            close(reports[0]);
            close(go[1]);
            chain(ops, go[0]);
        }
        if (pid > protect) protect = pid;
    }
    close(reports[1]);
    if (progressfd >= 0) close(progressfd);
    close(go[0]);
    for (int c = 0; c < nworkers; c++) write(go[1], &protect, sizeof protect);
    close(go[1]);

    int left = nworkers;
    while (left > 0) {
        int w = wait(0);
        if (w < 0) break;
        if (w != last && w != progressor) left--;
    }
    kill(last);
    if (progressor > 0) kill(progressor);
    while (wait(0) >= 0) {}

    // Kill what is left of the workers and their children (orphans now, init's), which
    // may hold the report pipe. A worker whose chain died may fork as it is killed, so
    // sweep again until all are gone.
    for (int i = 0; i < 3; i++) {
        killsince(mainpid);
        sleep(1);
    }

    // What the workers reported: a dot for every hundred calls made, and complaints.
    char msg[128];
    int m, made = 0, complaints = 0, diskfull = 0, noinode = 0, noproc = 0;
    while ((m = read(reports[0], msg, sizeof msg - 1)) > 0) {
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (msg[i] == '.') made += 100;
            else if (msg[i] == 'D') diskfull++;
            else if (msg[i] == 'I') noinode++;
            else if (msg[i] == 'P') noproc++;
            else msg[k++] = msg[i];
        }
        msg[k] = 0;
        if (k > 0) {
            printf("%s", msg);
            complaints = 1;
        }
    }
    close(reports[0]);
    failures += complaints;

    // Back to where it started: memory (once init has reaped the orphans), files.
    uint64 free1 = countfree();
    for (int tries = 0; tries < 20 && free1 < free0; tries++) {
        sleep(1);
        free1 = countfree();
    }
    if (free1 < free0) {
        printf("sysfuzz: %d pages lost\n", (int)((free0 - free1) / PGSIZE));
        failures++;
    }
    chdir("/");
    cleanup();
    fswork();
    if (unlink(base) != 0) fail("cannot remove its directory at the end");

    if (failures) {
        printf("sysfuzz %d: FAILED\n", (int)s);
        exit(1);
    }
    // (made counts whole hundreds of a worker's calls: what workers killed part way made
    // is partly left out.)
    printf("sysfuzz %d: %d of %d calls made, in %d chains of workers, in %d ticks (the disk filled %d times, "
           "creation refused %d, fork %d); the system works\n",
           (int)s, made, ops * nworkers, nworkers, uptime() - t0, diskfull, noinode, noproc);
    exit(0);
}
