// usertests: checks the kernel through its system calls, as a user program sees it.
//
//   usertests            every test
//   usertests -q         the quick ones (skips those marked slow)
//   usertests NAME ...   just the named tests (slow or not)
//
// Each test runs in a child process, so a test that crashes, hangs a child or changes
// its working directory harms no other. A test passes when its child exits 0; it prints
// nothing unless it fails. Before and after the run usertests counts the free memory, and
// reports lost pages as a failure. The run ends with ALL TESTS PASSED or SOME TESTS
// FAILED.
//
// The tests assume xv6's layout: programs (echo) in the root directory, the console at
// major 1, and the ABI of docs/architecture.md (decision 4).
#include "user.h"
#include "countfree.h"

// ---- Framework ---------------------------------------------------------------------

static const char *testname;

// The children this process made with xfork. A test that fails kills them: one that
// fails half-way (say, out of memory after forking two spinners of three) would
// otherwise leave them running, holding their memory, into the tests after it.
static int kids[NPROC];
static int nkids;

// Says why the test failed and ends it (the test's child process).
static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    printf("%s: ", testname);
    vfprintf(1, fmt, ap);
    printf("\n");
    va_end(ap);
    for (int i = 0; i < nkids; i++) kill(kids[i]);   // those already gone: -1, harmless
    exit(1);
}

#define check(cond, ...) \
    do { \
        if (!(cond)) fail(__VA_ARGS__); \
    } while (0)

// A scratch buffer big enough for a write longer than the log.
#define BUFSZ (64 * BSIZE)
static char buf[BUFSZ];

static int xfork(void) {
    int pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) nkids = 0;                        // a child's own children, not its siblings
    else if (nkids < NPROC) kids[nkids++] = pid;
    return pid;
}

// Waits for the child pid and returns its exit status.
static int waitpid(int pid) {
    int status = 12345;
    int w = wait(&status);
    check(w == pid, "wait returned %d, expected child %d", w, pid);
    return status;
}

static void waitok(int pid) {
    int status = waitpid(pid);
    check(status == 0, "child %d exited with %d", pid, status);
}

// Waits for n children, in whatever order they end; each must exit 0.
static void waitallok(int n) {
    for (int i = 0; i < n; i++) {
        int status = 12345;
        int pid = wait(&status);
        check(pid > 0, "wait returned %d with %d of %d children left", pid, n - i, n);
        check(status == 0, "child %d exited with %d", pid, status);
    }
}

static int xopen(const char *path, int flags) {
    int fd = open(path, flags);
    check(fd >= 0, "cannot open %s (flags 0x%x)", path, flags);
    return fd;
}

static void xwrite(int fd, const void *p, int n) {
    int r = write(fd, p, n);
    check(r == n, "write of %d bytes returned %d", n, r);
}

static void xclose(int fd) { check(close(fd) == 0, "close(%d) failed", fd); }

static void xunlink(const char *path) { check(unlink(path) == 0, "unlink %s failed", path); }

static void xmkdir(const char *path) { check(mkdir(path) == 0, "mkdir %s failed", path); }

static void xchdir(const char *path) { check(chdir(path) == 0, "chdir %s failed", path); }

// Creates (or truncates) path holding the n bytes at p.
static void mkfile(const char *path, const void *p, int n) {
    int fd = xopen(path, O_CREATE | O_WRONLY | O_TRUNC);
    xwrite(fd, p, n);
    xclose(fd);
}

// Reads path into out (at most max bytes); returns how many bytes it held.
static int slurp(const char *path, char *out, int max) {
    int fd = xopen(path, O_RDONLY);
    int n = 0, r;
    while (n < max && (r = read(fd, out + n, max - n)) > 0) n += r;
    xclose(fd);
    return n;
}

static int exists(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) close(fd);
    return fd >= 0;
}

static struct stat xstat(const char *path) {
    struct stat st;
    check(stat(path, &st) == 0, "stat %s failed", path);
    return st;
}

// Runs fn(arg) in a child and returns the child's exit status (fn returning means 0).
static int inchild(void (*fn)(uint64), uint64 arg) {
    int pid = xfork();
    if (pid == 0) {
        fn(arg);
        exit(0);
    }
    return waitpid(pid);
}

// Does fn(arg) kill the process that runs it (exit status -1)?
static void mustdie(void (*fn)(uint64), uint64 arg, const char *what) {
    int status = inchild(fn, arg);
    check(status == -1, "%s at %p: child exited with %d, not -1", what, (void *)arg, status);
}

// Does exec(path, argv) fail and return -1 to its caller? Tried in a child, so that an
// exec that wrongly succeeds shows up as the wrong exit status rather than as a pass.
static int execfails(const char *path, char **argv) {
    int pid = xfork();
    if (pid == 0) {
        close(1);   // if it does run, let it say nothing
        exit(exec(path, argv) == -1 ? 77 : 78);
    }
    return waitpid(pid) == 77;
}

// A simple generator for tests that want varied sizes.
static uint64 rndstate = 1;
static uint rnd(void) {
    rndstate = rndstate * 6364136223846793005UL + 1442695040888963407UL;
    return (uint)(rndstate >> 33);
}

// Addresses that are never a user program's memory: the kernel's (xv6 maps RAM at
// 0x80000000, inside the user range but without the user bit), the top pages below
// MAXVA where xv6 keeps the trampoline and trap frame, MAXVA itself and beyond.
static const uint64 kernel_addrs[] = {
    0x80000000UL, 0x80000000UL + 0x123456, 0x3fffffe000UL, 0x3ffffff000UL,
    0x3fffffffffUL, MAXVA, MAXVA + PGSIZE, 1UL << 39, 0x7fffffffffffffffUL,
    0x8000000000000000UL, 0xfffffffffffff000UL, 0xffffffffffffffffUL,
};
#define NKERNEL_ADDRS (int)(sizeof kernel_addrs / sizeof kernel_addrs[0])

// The first address past the end of this process's memory, which is unmapped.
static uint64 heap_end(void) { return (uint64)sbrk(0); }

// Moves the break up to a page boundary, so that the end of memory is the end of what
// sbrk gives (exec leaves it there; this makes sure).
static void pagealign(void) {
    uint64 end = heap_end();
    if (end % PGSIZE != 0) check(sbrk(PGSIZE - end % PGSIZE) != (char *)-1, "sbrk failed");
}

// The guard page below the stack: the stack is one page, so the page below the one
// holding a local variable of main's callees is the guard.
static uint64 guard_page(void) {
    volatile char here;
    return (((uint64)&here) & ~(uint64)(PGSIZE - 1)) - PGSIZE;
}

// ---- Bad pointers in system calls ------------------------------------------------------

// Every address a call must refuse as a buffer: the kernel's, the unmapped page above
// the heap, the stack's guard page.
static int bad_addrs(uint64 *out) {
    int n = 0;
    for (int i = 0; i < NKERNEL_ADDRS; i++) out[n++] = kernel_addrs[i];
    out[n++] = heap_end();
    out[n++] = heap_end() + 10 * PGSIZE;
    out[n++] = guard_page();
    out[n++] = guard_page() + PGSIZE - 8;   // a buffer that starts in the guard page
    return n;
}

static void copyin(char *s) {
    pagealign();
    uint64 addrs[NKERNEL_ADDRS + 4];
    int n = bad_addrs(addrs);
    for (int i = 0; i < n; i++) {
        void *a = (void *)addrs[i];
        int fd = xopen("copyin1", O_CREATE | O_WRONLY);
        int r = write(fd, a, 8192);
        check(r == -1, "write(file, %p, 8192) returned %d, not -1", a, r);
        xclose(fd);

        int p[2];
        check(pipe(p) == 0, "pipe failed");
        r = write(p[1], a, 8192);
        check(r == -1 || r == 0, "write(pipe, %p, 8192) returned %d, not -1 or 0", a, r);
        close(p[0]);
        close(p[1]);
    }
    // A buffer that starts in memory and runs off its end.
    int fd = xopen("copyin1", O_CREATE | O_WRONLY);
    int r = write(fd, (char *)heap_end() - 100, 200);
    check(r == -1 || (r >= 0 && r <= 100), "write running off the heap returned %d", r);
    xclose(fd);
    xunlink("copyin1");
}

static void copyout(char *s) {
    pagealign();
    uint64 addrs[NKERNEL_ADDRS + 6];
    int n = bad_addrs(addrs);
    // The text is mapped but not writable: reading into it must fail too.
    addrs[n++] = 0;
    addrs[n++] = (uint64)copyout;
    mkfile("copyout1", buf, 8192);
    for (int i = 0; i < n; i++) {
        void *a = (void *)addrs[i];
        int fd = xopen("copyout1", O_RDONLY);
        int r = read(fd, a, 8192);
        check(r <= 0, "read(file, %p, 8192) returned %d, not -1 or 0", a, r);
        xclose(fd);

        int p[2];
        check(pipe(p) == 0, "pipe failed");
        xwrite(p[1], "x", 1);
        r = read(p[0], a, 1);
        check(r <= 0, "read(pipe, %p, 1) returned %d, not -1 or 0", a, r);
        close(p[0]);
        close(p[1]);
    }
    xunlink("copyout1");
}

// Paths the kernel must refuse: bad addresses, strings that run off the end of memory
// without a NUL, strings longer than MAXPATH.
static void copyinstr(char *s) {
    pagealign();
    // A page of 'x' at the very end of memory: a string with no end.
    char *top = sbrk(PGSIZE);
    check(top != (char *)-1, "sbrk failed");
    memset(top, 'x', PGSIZE);

    uint64 addrs[NKERNEL_ADDRS + 6];
    int n = bad_addrs(addrs);
    addrs[n++] = (uint64)top + PGSIZE - 5;
    addrs[n++] = (uint64)top;

    mkfile("copyinstr1", "", 0);
    for (int i = 0; i < n; i++) {
        char *a = (char *)addrs[i];
        check(open(a, O_CREATE | O_RDWR) == -1, "open(%p) did not fail", a);
        check(mkdir(a) == -1, "mkdir(%p) did not fail", a);
        check(chdir(a) == -1, "chdir(%p) did not fail", a);
        check(unlink(a) == -1, "unlink(%p) did not fail", a);
        check(mknod(a, CONSOLE, 0) == -1, "mknod(%p) did not fail", a);
        check(link(a, "copyinstr2") == -1, "link(%p, ...) did not fail", a);
        check(link("copyinstr1", a) == -1, "link(..., %p) did not fail", a);
        char *argv[] = {"echo", 0};
        check(execfails(a, argv), "exec(%p) did not fail", a);
    }

    // Longer than MAXPATH, NUL-terminated: too long to be a path.
    char *longpath = top;
    memset(longpath, 'y', MAXPATH + 40);
    longpath[MAXPATH + 40] = 0;
    check(open(longpath, O_CREATE | O_RDWR) == -1, "open of a %d-byte path did not fail", MAXPATH + 40);
    check(mkdir(longpath) == -1, "mkdir of a %d-byte path did not fail", MAXPATH + 40);
    check(!exists("copyinstr2"), "copyinstr2 was created");
    xunlink("copyinstr1");
}

// The other pointer arguments: pipe's array, fstat's struct, wait's status, exec's argv.
static void ptrargs(char *s) {
    pagealign();
    uint64 addrs[NKERNEL_ADDRS + 6];
    int n = bad_addrs(addrs);
    int nread = n;                      // the addresses that cannot even be read
    check(exists("/echo"), "/echo is missing, so exec cannot be tested");
    addrs[n++] = (uint64)ptrargs;       // text: readable, not writable
    int fd = xopen("ptrargs1", O_CREATE | O_RDWR);
    for (int i = 0; i < n; i++) {
        void *a = (void *)addrs[i];
        check(pipe(a) == -1, "pipe(%p) did not fail", a);
        check(fstat(fd, a) == -1, "fstat(fd, %p) did not fail", a);

        int pid = xfork();
        if (pid == 0) exit(0);
        int w = wait(a);
        check(w == -1, "wait(%p) returned %d, not -1", a, w);
        // xv6 leaves the child for another wait; a kernel may also have freed it.
        w = wait(0);
        check(w == pid || w == -1, "wait after wait(%p) returned %d", a, w);

        if (i < nread) {
            check(execfails("/echo", a), "exec with argv %p did not fail", a);
            char *argv[] = {"echo", a, 0};
            check(execfails("/echo", argv), "exec with argv[1] %p did not fail", a);
        }
    }
    // An argv array at the very end of memory, without its terminating 0.
    char *top = sbrk(PGSIZE);
    check(top != (char *)-1, "sbrk failed");
    char **argv = (char **)(top + PGSIZE - 2 * sizeof(char *));
    argv[0] = "echo";
    argv[1] = "x";
    check(execfails("/echo", argv), "exec with an argv running off memory did not fail");
    xclose(fd);
    xunlink("ptrargs1");
}

// Lengths far beyond the buffer: the kernel copies what is there and stops.
static void hugelen(char *s) {
    pagealign();
    mkfile("hugelen1", buf, 8192);
    char *top = sbrk(PGSIZE);
    check(top != (char *)-1, "sbrk failed");
    char *last = top + PGSIZE - 10;

    int fd = xopen("hugelen1", O_RDONLY);
    int r = read(fd, last, 8192);
    check(r == -1 || (r >= 0 && r <= 10), "read of 8192 into the last 10 bytes of memory returned %d", r);
    xclose(fd);

    fd = xopen("hugelen1", O_RDWR);
    r = write(fd, last, 0x7fffffff);
    check(r == -1 || (r >= 0 && r <= 10), "write of 0x7fffffff bytes from the last 10 bytes of memory returned %d", r);
    xclose(fd);

    // A read with a huge length gets only what the file holds.
    fd = xopen("hugelen1", O_RDONLY);
    char *big = sbrk(3 * PGSIZE);
    check(big != (char *)-1, "sbrk failed");
    r = read(fd, big, 3 * PGSIZE);
    check(r == 8192, "read of a 8192-byte file returned %d", r);
    check(read(fd, big, 0x7fffffff) == 0, "read at end of file did not return 0");
    xclose(fd);

    fd = xopen("hugelen1", O_RDWR);
    check(read(fd, buf, 0) == 0, "read of 0 bytes did not return 0");
    check(write(fd, buf, 0) == 0, "write of 0 bytes did not return 0");
    xclose(fd);
    xunlink("hugelen1");
}

// Writes from bad addresses must not leak the log's reservations: after many of them,
// the file system still works.
static void badwrite(char *s) {
    for (int i = 0; i < 100; i++) {
        int fd = xopen("badwrite1", O_CREATE | O_WRONLY);
        write(fd, (char *)0xffffffffffUL, 1);
        xclose(fd);
        xunlink("badwrite1");
    }
    mkfile("badwrite1", "ok", 2);
    check(slurp("badwrite1", buf, 10) == 2 && memcmp(buf, "ok", 2) == 0, "file system broken after bad writes");
    xunlink("badwrite1");
}

// A write whose buffer runs off the end of memory changes the file only as far as it
// says it wrote: the bytes before the bad address must not reach the file (nor its
// cached blocks) when the write reports that it did not write them.
static void partialwrite(char *s) {
    pagealign();
    memset(buf, 'A', 2 * BSIZE);
    mkfile("partialwrite1", buf, 2 * BSIZE);
    char *top = sbrk(PGSIZE);
    check(top != (char *)-1, "sbrk failed");
    memset(top, 'B', PGSIZE);
    int fd = xopen("partialwrite1", O_RDWR);
    int r = write(fd, top + PGSIZE - 100, 200);
    check(r == -1 || (r >= 0 && r <= 100), "write running off the heap returned %d", r);
    xclose(fd);
    int wrote = r < 0 ? 0 : r;
    check(slurp("partialwrite1", buf, BUFSZ) == 2 * BSIZE, "the file's size changed");
    for (int i = 0; i < 2 * BSIZE; i++) {
        char want = i < wrote ? 'B' : 'A';
        check(buf[i] == want, "byte %d is '%c', not '%c', after a write that returned %d", i, buf[i], want, r);
    }
    xunlink("partialwrite1");
}

// ---- Memory ----------------------------------------------------------------------------

static void sbrkbasic(char *s) {
    // Small steps: each returns the old break and gives writable, zeroed memory.
    char *start = sbrk(0);
    for (int i = 0; i < 5000; i++) {
        char *p = sbrk(1);
        check(p == start + i, "sbrk(1) #%d returned %p, expected %p", i, p, start + i);
        check(*p == 0, "new memory at %p is not zero", p);
        *p = (char)i;
    }
    for (int i = 0; i < 5000; i++) check(start[i] == (char)i, "sbrk'd byte %d lost its value", i);

    // A big step, written at both ends.
    char *old = sbrk(0);
    char *p = sbrk(1 << 20);
    check(p == old, "sbrk(1MB) returned %p, not the old break %p", p, old);
    check(sbrk(0) == old + (1 << 20), "break did not move by 1MB");
    check(p[0] == 0 && p[(1 << 20) - 1] == 0, "new memory is not zero");
    p[0] = 'a';
    p[(1 << 20) - 1] = 'b';

    // A child gets a copy of it all; its writes are its own.
    int pid = xfork();
    if (pid == 0) {
        check(p[0] == 'a' && p[(1 << 20) - 1] == 'b' && start[4999] == (char)4999, "child's copy differs");
        p[0] = 'c';
        check(sbrk(PGSIZE) != (char *)-1, "child's sbrk failed");
        exit(0);
    }
    waitok(pid);
    check(p[0] == 'a', "child's write reached the parent");
    check(sbrk(0) == old + (1 << 20), "child's sbrk moved the parent's break");
}

static void readbyte(uint64 a) {
    volatile char *p = (char *)a;
    printf("%s: read %d at %p\n", testname, *p, (void *)a);
}

static void writebyte(uint64 a) {
    volatile char *p = (char *)a;
    *p = 1;
    printf("%s: wrote to %p\n", testname, (void *)a);
}

static void sbrkshrink(char *s) {
    pagealign();
    char *a = sbrk(3 * PGSIZE);
    check(a != (char *)-1, "sbrk failed");
    memset(a, 'a', 3 * PGSIZE);
    // Shrinking returns the old break too.
    char *r = sbrk(-2 * PGSIZE);
    check(r == a + 3 * PGSIZE, "sbrk(-2 pages) returned %p, not %p", r, a + 3 * PGSIZE);
    check(sbrk(0) == a + PGSIZE, "break is not where it shrank to");
    check(a[PGSIZE - 1] == 'a', "the page below the new break lost its contents");

    // The released pages are gone: touching them faults.
    mustdie(readbyte, (uint64)a + PGSIZE, "read of a released page");
    mustdie(writebyte, (uint64)a + 2 * PGSIZE + 100, "write to a released page");

    // ... and system calls refuse them.
    int fd = xopen("sbrkshrink1", O_CREATE | O_RDWR);
    check(write(fd, a + PGSIZE, 1024) == -1, "write from a released page did not fail");
    xclose(fd);
    mkfile("sbrkshrink1", buf, 100);
    fd = xopen("sbrkshrink1", O_RDONLY);
    check(read(fd, a + PGSIZE, 10) <= 0, "read into a released page did not fail");
    xclose(fd);
    xunlink("sbrkshrink1");

    // Growing again brings fresh zeroed pages.
    check(sbrk(2 * PGSIZE) == a + PGSIZE, "sbrk after shrink returned the wrong address");
    for (int i = PGSIZE; i < 3 * PGSIZE; i++) check(a[i] == 0, "re-grown memory at +%d is not zero", i);
}

// sbrk passes over huge requests and leaves the process as it was.
static void sbrkhuge(char *s) {
    char *old = sbrk(0);
    check(sbrk(0x7fffffff) == (char *)-1, "sbrk(0x7fffffff) succeeded");
    check(sbrk(0) == old, "failed sbrk moved the break");
    for (int i = 0; i < 3; i++) {
        // Each of these is more than the machine's memory.
        if (sbrk(0x40000000) != (char *)-1) fail("sbrk(1GB) #%d succeeded", i);
    }
    check(sbrk(0) == old, "failed sbrks moved the break");
    char *p = sbrk(PGSIZE);
    check(p == old, "sbrk after failures returned %p, not %p", p, old);
    p[PGSIZE - 1] = 1;
}

// A process that releases all its memory, its code included, dies on its next step.
static void releaseall(uint64 unused) {
    uint64 sz = (uint64)sbrk(0);
    sbrk(-(int)sz);
    // Not reached: the return from sbrk has no code to return to. If it were, this
    // reads address 0, which is no longer mapped.
    readbyte(0);
}

static void sbrkall(char *s) {
    mustdie(releaseall, 0, "running after sbrk released everything");
}

// Shrinking by more than the whole process leaves it as it is and succeeds, returning
// the break (as xv6: its usertests' lazy_copy counts on this).
static void sbrkunder(char *s) {
    char *old = sbrk(0);
    char *r = sbrk(-(int)((uint64)old + 1));
    check(r == old, "sbrk(-(break + 1)) returned %p, not the break %p", r, old);
    check(sbrk(0) == old, "sbrk(-(break + 1)) moved the break to %p", sbrk(0));
    old[-1] = 1;    // still this process's memory
}

static void touchlazy(uint64 a) {
    *(volatile char *)a = 1;
}

// A lazy region of 1 GiB (more than the test machines' memory), or as near to it as the
// address space allows: the LibOS's ends at 1 GiB, so there it is 1 GiB less the program.
// Sets *region to its size; returns its start.
static char *lazyregion(int *region) {
    for (int n = 1 << 30; n >= (1 << 29); n -= 1 << 20) {
        char *a = sbrklazy(n);
        if (a != (char *)-1) {
            *region = n;
            return a;
        }
    }
    return (char *)-1;
}

// sbrklazy (xv6-riscv's sbrk(n, SBRK_LAZY)) moves the break at once and gives each page
// memory when it is first touched, by the program or by a system call.
static void sbrklazy1(char *s) {
    int region;
    pagealign();
    char *a = lazyregion(&region);
    check(a != (char *)-1, "sbrklazy of half a GiB or more failed");
    check(sbrk(0) == a + region, "sbrklazy did not move the break");
    // Every 64th page, written then read: 4096 pages of memory, not 262144.
    for (char *p = a; p < a + region; p += 64 * PGSIZE) *(char **)p = p;
    for (char *p = a; p < a + region; p += 64 * PGSIZE)
        check(*(char **)p == p, "lazy page at %p lost what was written", p);
    check(a[PGSIZE + 5] == 0, "an untouched lazy page does not read as zero");

    // System calls take untouched lazy pages as buffers, both ways, and as paths.
    char *w = a + 3 * PGSIZE, *r = a + 5 * PGSIZE;
    memset(w, 'z', 100);
    strcpy(a + 7 * PGSIZE, "sbrklazy1");
    int fd = xopen(a + 7 * PGSIZE, O_CREATE | O_RDWR);
    check(write(fd, w, 2 * PGSIZE) == 2 * PGSIZE, "write from lazy pages failed");
    xclose(fd);
    fd = xopen("sbrklazy1", O_RDONLY);
    check(read(fd, r, 2 * PGSIZE) == 2 * PGSIZE, "read into lazy pages failed");
    check(r[99] == 'z' && r[100] == 0, "read into lazy pages got the wrong bytes");
    xclose(fd);
    xunlink("sbrklazy1");
    int fds[2];
    check(pipe((int *)(a + 9 * PGSIZE)) == 0, "pipe into a lazy page failed");
    memcpy(fds, a + 9 * PGSIZE, sizeof fds);
    xclose(fds[0]);
    xclose(fds[1]);
    // The console too (on kernel-exo the kernel reads it, not the LibOS): one NUL byte,
    // which a terminal does not show.
    check(write(1, a + 13 * PGSIZE, 1) == 1, "console write from a lazy page failed");

    // A child has the parent's touched pages, copy-on-write, and lazy ones of its own.
    int pid = xfork();
    if (pid == 0) {
        check(*(char **)a == a, "child lost a touched lazy page");
        *(char **)a = 0;
        a[11 * PGSIZE] = 7;
        exit(0);
    }
    waitok(pid);
    check(*(char **)a == a, "a child's write reached the parent's touched lazy page");
    check(a[11 * PGSIZE] == 0, "a child's touch reached the parent's lazy page");

    // Shrunk away, the pages are gone; past the break they still fault.
    check(sbrk(-region) == a + region, "shrinking the lazy region failed");
    mustdie(touchlazy, (uint64)a, "write to a released lazy page");
    mustdie(touchlazy, (uint64)a + region, "write above the break");
}

// Touching lazy pages with no memory left kills the process, and its pages come back.
static void lazyhog(uint64 unused) {
    int region;
    char *a = lazyregion(&region);
    if (a == (char *)-1) exit(0);   // (mustdie: not the death it waits for)
    for (char *p = a; ; p += PGSIZE) *p = 1;
}

static void sbrklazyoom(char *s) {
    mustdie(lazyhog, 0, "touching lazy pages past the machine's memory");
    char *p = sbrk(10 * PGSIZE);
    check(p != (char *)-1, "no memory after a lazy hog died");
    sbrk(-10 * PGSIZE);
}

// Lazy and eager pages mixed: eager growth above a lazy region, a child with both, an
// exec argument that runs from a touched lazy page into an untouched one (whose NUL
// exec must find there), and a shrink past both. (The xv6 kernel checks the pages it
// mapped eagerly and lets lazy ones be holes: it must tell them apart here.)
static int runecho(char **argv, const char *path);

static void sbrklazymix(char *s) {
    pagealign();
    char *a = sbrklazy(16 * PGSIZE);
    check(a != (char *)-1, "sbrklazy failed");
    char *b = sbrk(2 * PGSIZE);
    check(b == a + 16 * PGSIZE, "eager sbrk above a lazy region began at %p, not the break %p", b, a + 16 * PGSIZE);
    b[0] = 'e';
    b[2 * PGSIZE - 1] = 'f';
    char *arg = a + 2 * PGSIZE - 4;   // its last four bytes; the page after it untouched
    memcpy(arg, "lazy", 4);
    char **argv = (char **)(a + 5 * PGSIZE);
    argv[0] = "echo";
    argv[1] = arg;
    argv[2] = 0;
    int pid = xfork();
    if (pid == 0) {
        check(b[0] == 'e' && b[2 * PGSIZE - 1] == 'f', "a child lost the eager pages above the lazy ones");
        check(a[10 * PGSIZE] == 0, "a child's untouched lazy page is not zero");
        exit(0);
    }
    waitok(pid);
    check(runecho(argv, "sbrklazymix1") == 0, "echo with an argument in lazy pages failed");
    char got[16];
    int n = slurp("sbrklazymix1", got, sizeof got);
    check(n == 5 && memcmp(got, "lazy\n", 5) == 0, "echo of an argument in lazy pages wrote %d bytes", n);
    xunlink("sbrklazymix1");
    check(sbrk(-18 * PGSIZE) == b + 2 * PGSIZE, "shrinking past eager and lazy pages failed");
    mustdie(touchlazy, (uint64)b, "write to a released eager page");
}

// sbrk'd memory is as good as any other as a system call's buffer.
static void sbrkarg(char *s) {
    char *a = sbrk(PGSIZE);
    check(a != (char *)-1, "sbrk failed");
    memset(a, 'q', PGSIZE);
    int fd = xopen("sbrkarg1", O_CREATE | O_RDWR);
    xwrite(fd, a, PGSIZE);
    xclose(fd);
    char *b = sbrk(PGSIZE);
    check(b != (char *)-1, "sbrk failed");
    check(slurp("sbrkarg1", b, PGSIZE) == PGSIZE && memcmp(a, b, PGSIZE) == 0, "read back into sbrk'd memory differs");
    xunlink("sbrkarg1");

    int *fds = (int *)sbrk(PGSIZE);
    check((char *)fds != (char *)-1, "sbrk failed");
    check(pipe(fds) == 0, "pipe() into sbrk'd memory failed");
    close(fds[0]);
    close(fds[1]);
}

static void memgrab(uint64 fd) {
    for (int step = 1 << 26; step >= PGSIZE; step /= 2) {
        while (sbrk(step) != (char *)-1) {}
    }
    write(fd, "x", 1);
    for (;;) sleep(100);
}

// With all memory taken by another process, sbrk and fork fail cleanly; once that
// process is gone, its memory is back.
static void memexhaust(char *s) {
    uint64 before = countfree();
    check(before > 100 * PGSIZE, "only %ld bytes free", before);
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    int pid = xfork();
    if (pid == 0) memgrab(p[1]);
    char c;
    check(read(p[0], &c, 1) == 1, "the memory hog did not report");

    // Judge only after the hog is gone: a failed check must not leave it holding
    // every page for the tests that follow.
    char *grew = sbrk(10 * PGSIZE);
    int child = fork();
    if (child == 0) exit(0);
    if (child > 0) wait(0);   // fork may succeed if the hog left enough
    kill(pid);
    check(waitpid(pid) == -1, "the killed hog did not exit with -1");
    check(grew == (char *)-1, "sbrk succeeded with no free memory");

    char *a = sbrk(10 * PGSIZE);
    check(a != (char *)-1, "sbrk still fails after the hog exited");
    a[0] = 1;
    sbrk(-10 * PGSIZE);
    // This process may keep a page-table page from its own sbrk; the hog's memory,
    // some 100 pages and more, must all be back.
    uint64 after = countfree();
    check(after + 4 * PGSIZE >= before, "lost %ld bytes: %ld free before, %ld after", before - after, before, after);
}

// malloc until there is no more, then free it all: the memory comes back.
static void mallocall(char *s) {
    void *list = 0;
    int n = 0;
    for (;;) {
        void **m = malloc(10001);
        if (m == 0) break;
        *m = list;
        list = m;
        n++;
    }
    check(n > 10, "only %d mallocs of 10001 bytes succeeded", n);
    while (list) {
        void *next = *(void **)list;
        free(list);
        list = next;
    }
    char *big = malloc(1024 * 20);
    check(big != 0, "malloc failed after freeing everything");
    big[1024 * 20 - 1] = 1;
    // A second round gets as much: freed blocks merge again.
    int again = 0;
    for (;; again++) {
        void **m = malloc(10001);
        if (m == 0) break;
        *m = list;
        list = m;
    }
    check(again + 3 >= n, "only %d of %d blocks came back", again, n);
}

// The stack is one page with a guard page below it.
static void stackguard(char *s) {
    mustdie(readbyte, guard_page() + PGSIZE - 1, "read of the guard page");
    mustdie(writebyte, guard_page() + 8, "write to the guard page");
}

// Recursion the compiler cannot turn into a loop: each frame's address goes to the
// callee, which writes into it, so every level keeps its 512 bytes while it recurses.
static int deep(int n, volatile char *parent) {
    volatile char frame[512];
    frame[0] = n;
    frame[1] = 0;
    if (parent) parent[1] = 1;
    if (n == 0) return 0;
    int r = deep(n - 1, frame);
    return r + frame[0] + frame[1];
}

static void recurse(uint64 n) {
    int r = deep((int)n, 0);
    printf("%s: %ld-deep recursion returned %d\n", testname, n, r);
}

static void stackoverflow(char *s) {
    // Shallow recursion is fine; recursing through 50 KB of frames reaches the guard.
    check(deep(2, 0) == 5, "deep(2) returned the wrong value");
    mustdie(recurse, 100, "deep recursion");
}

// Text and read-only data are not writable, the heap is not executable.
static void textwrite(char *s) {
    mustdie(writebyte, 0, "write to address 0 (text)");
    mustdie(writebyte, (uint64)textwrite, "write to the text");
    mustdie(writebyte, (uint64)"a string literal", "write to read-only data");
}

static void callheap(uint64 a) {
    void (*fn)(void) = (void (*)(void))a;
    fn();
    printf("%s: ran code in the heap\n", testname);
}

static void noexec(char *s) {
    ushort *code = (ushort *)sbrk(PGSIZE);
    check((char *)code != (char *)-1, "sbrk failed");
    code[0] = 0x8082;   // c.ret
    mustdie(callheap, (uint64)code, "a jump to the heap");
}

// User loads and stores to kernel addresses and beyond MAXVA fault.
static void kernmem(char *s) {
    for (int i = 0; i < NKERNEL_ADDRS; i++) {
        mustdie(readbyte, kernel_addrs[i], "read of a kernel address");
        mustdie(writebyte, kernel_addrs[i], "write to a kernel address");
    }
}

static void maxva(char *s) {
    static const uint64 addrs[] = {MAXVA, MAXVA - 1, MAXVA + 1, 1UL << 40, 1UL << 63};
    for (int i = 0; i < (int)(sizeof addrs / sizeof addrs[0]); i++) {
        mustdie(readbyte, addrs[i], "read beyond MAXVA");
        mustdie(writebyte, addrs[i], "write beyond MAXVA");
    }
}

static void bssdata(char *s) {
    static int zeroes[1000];
    static int initialized[3] = {7, 8, 9};
    for (int i = 0; i < 1000; i++) check(zeroes[i] == 0, "bss[%d] is %d", i, zeroes[i]);
    check(initialized[0] == 7 && initialized[1] == 8 && initialized[2] == 9, "initialized data is wrong");
    initialized[1] = 5;
    zeroes[999] = 1;
    check(initialized[1] == 5 && zeroes[999] == 1, "data is not writable");
}

// Hands the CPU to the parent and back rounds times, through two pipes: fds >> 32 is
// the read end of the parent's, fds & 0xffffffff the write end of ours.
static void pingpong(uint64 fds, int rounds) {
    char c = 'x';
    for (int i = 0; i < rounds; i++) {
        if (write(fds & 0xffffffff, &c, 1) != 1 || read(fds >> 32, &c, 1) != 1) exit(3);
    }
}

static uint64 shrinkfds;

// Uses a page, moves about, gives the page back, moves about, reads the page: dies.
static void shrinkread(uint64 unused) {
    pagealign();
    volatile char *a = sbrk(PGSIZE);
    if (a == (char *)-1) exit(4);
    a[0] = 1;
    pingpong(shrinkfds, 3);
    sbrk(-PGSIZE);
    pingpong(shrinkfds, 3);
    printf("%s: read %d from a page given back\n", testname, a[0]);
}

// Memory a process gave back is gone wherever it runs next. With several harts a
// process moves from hart to hart, and a hart that ran it before it gave the page back
// must not still hold the page's translation when it runs it again.
static void sbrkmigrate(char *s) {
    int down[2], up[2];
    check(pipe(down) == 0 && pipe(up) == 0, "pipe failed");
    shrinkfds = (uint64)down[0] << 32 | up[1];
    for (int i = 0; i < 10; i++) {
        int pid = xfork();
        if (pid == 0) {
            shrinkread(0);
            exit(0);
        }
        char c;
        for (int r = 0; r < 6; r++) {
            check(read(up[0], &c, 1) == 1, "the child stopped answering");
            xwrite(down[1], "y", 1);
        }
        int status = waitpid(pid);
        check(status == -1, "a child that read a page it gave back exited with %d, not -1", status);
    }
    close(down[0]);
    close(down[1]);
    close(up[0]);
    close(up[1]);
}

// ---- Processes ----------------------------------------------------------------------------

static void exitstatus(char *s) {
    static const int codes[] = {0, 1, 42, -1, 255, -255, 1000000, -2147483647 - 1};
    for (int i = 0; i < (int)(sizeof codes / sizeof codes[0]); i++) {
        int pid = xfork();
        if (pid == 0) exit(codes[i]);
        int status = waitpid(pid);
        check(status == codes[i], "exit(%d) was seen as %d", codes[i], status);
    }
    // A status pointer of 0 means the status is not wanted.
    int pid = xfork();
    if (pid == 0) exit(3);
    check(wait(0) == pid, "wait(0) did not return the child");
    check(wait(0) == -1, "wait with no children did not return -1");
}

// Many children, each waited for with its own status.
static void exitwait(char *s) {
    for (int i = 0; i < 50; i++) {
        int pid = xfork();
        if (pid == 0) exit(i);
        check(waitpid(pid) == i, "child %d's status is wrong", i);
    }
    // Several at once: wait returns each exactly once.
    int pids[10];
    for (int i = 0; i < 10; i++) {
        pids[i] = xfork();
        if (pids[i] == 0) exit(100 + i);
    }
    for (int n = 0; n < 10; n++) {
        int status;
        int pid = wait(&status);
        int i = 0;
        while (i < 10 && pids[i] != pid) i++;
        check(i < 10, "wait returned %d, not one of the children", pid);
        check(status == 100 + i, "child %d exited with %d, not %d", pid, status, 100 + i);
        pids[i] = -2;
    }
    check(wait(0) == -1, "wait found an eleventh child");
    check(getpid() > 0, "getpid <= 0");
    // The child's getpid is what fork told the parent.
    int pid = xfork();
    if (pid == 0) exit(getpid());
    check(waitpid(pid) == pid, "child's getpid differs from fork's answer %d", pid);
}

static void spin(uint64 unused) {
    for (;;) {
        getpid();
    }
}

static void spinhard(uint64 unused) {
    volatile int x = 0;
    for (;;) x++;
}

// A killed process exits with -1, whatever it was doing.
static void killstatus(char *s) {
    for (int i = 0; i < 10; i++) {
        int pid = xfork();
        if (pid == 0) spin(0);
        sleep(1);
        check(kill(pid) == 0, "kill of a child failed");
        check(waitpid(pid) == -1, "a killed child's status is not -1");
    }
    // Killed before it ever ran.
    int pid = xfork();
    if (pid == 0) spinhard(0);
    check(kill(pid) == 0, "kill failed");
    check(waitpid(pid) == -1, "a child killed at once did not exit with -1");
}

static void blockread(uint64 fd) {
    char c;
    read(fd, &c, 1);
    printf("%s: read returned in a killed process\n", testname);
    exit(2);
}

static void blockwrite(uint64 fd) {
    for (;;) write(fd, buf, sizeof buf);
}

// Waits for a child that waits to read the pipe whose read end is fds >> 32 and
// write end fds & 0xffffffff, until the test closes it.
static void blockwait(uint64 fds) {
    int pid = fork();
    if (pid == 0) {
        char c;
        close(fds & 0xffffffff);
        read(fds >> 32, &c, 1);
        exit(0);
    }
    wait(0);
    printf("%s: wait returned in a killed process\n", testname);
    exit(2);
}

static void blocksleep(uint64 unused) {
    sleep(1000000);
    printf("%s: sleep returned in a killed process\n", testname);
    exit(2);
}

// kill wakes a process that is waiting for something that will not come.
static void killblocked(char *s) {
    int p[2], q[2];
    check(pipe(p) == 0 && pipe(q) == 0, "pipe failed");
    void (*fns[])(uint64) = {blockread, blockwrite, blockwait, blocksleep};
    uint64 args[] = {p[0], p[1], (uint64)q[0] << 32 | q[1], 0};
    int t0 = uptime();
    for (int i = 0; i < 4; i++) {
        int pid = xfork();
        if (pid == 0) fns[i](args[i]);
        sleep(2);   // let it block
        check(kill(pid) == 0, "kill failed");
        int status = waitpid(pid);
        check(status == -1, "blocked child %d exited with %d, not -1", i, status);
    }
    check(uptime() - t0 < 100, "killing blocked children took %d ticks", uptime() - t0);
    // Let blockwait's orphaned child finish.
    close(q[1]);
    close(q[0]);
    close(p[0]);
    close(p[1]);
    check(kill(1000000000) == -1, "kill of a process that does not exist succeeded");
    check(kill(-1) == -1, "kill(-1) succeeded");
}

// Forks children that wait on a pipe until the process table is full; returns how
// many there were, after letting them all go and waiting for them.
static int forkcount(void) {
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    int n = 0;
    for (; n < 1000; n++) {
        int pid = fork();
        if (pid < 0) break;
        if (pid == 0) {
            char c;
            close(p[1]);
            read(p[0], &c, 1);
            exit(0);
        }
    }
    close(p[0]);
    close(p[1]);
    for (int i = 0; i < n; i++) check(wait(0) >= 0, "wait stopped after %d of %d children", i, n);
    check(wait(0) == -1, "wait found more children than were forked");
    return n;
}

// fork fails before the NPROC slots are gone, and the slots come back.
static void forkfail(char *s) {
    int n = forkcount();
    check(n > 0, "no fork succeeded");
    check(n < NPROC, "%d forks succeeded with only %d process slots", n, NPROC);
    int again = forkcount();
    check(again >= n, "%d forks succeeded the first time, only %d the second", n, again);
}

// When a parent exits, its children become init's: they keep running, and init reaps
// them, so their process slots come back.
static void reparent(char *s) {
    int before = forkcount();
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    for (int i = 0; i < 20; i++) {
        int pid = xfork();
        if (pid == 0) {
            int grandchild = fork();
            if (grandchild == 0) {
                // Outlive the parent, then report.
                sleep(1);
                write(p[1], "g", 1);
                exit(0);
            }
            exit(grandchild < 0);
        }
        waitok(pid);
        check(wait(0) == -1, "the parent could wait for its grandchild");
    }
    close(p[1]);
    // Every orphan wrote after its parent had gone.
    int got = 0;
    char c;
    while (read(p[0], &c, 1) == 1) got++;
    close(p[0]);
    check(got == 20, "%d of 20 orphans reported", got);
    // init reaps them; give it a moment.
    int after = 0;
    for (int tries = 0; tries < 20; tries++) {
        if ((after = forkcount()) >= before) break;
        sleep(1);
    }
    check(after >= before, "%d process slots before the orphans, %d after", before, after);
}

// A process that spins does not keep the others from running.
static void preempt(char *s) {
    int spinners[2];
    for (int i = 0; i < 2; i++) {
        spinners[i] = xfork();
        if (spinners[i] == 0) spinhard(0);
    }
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    int talker = xfork();
    if (talker == 0) {
        close(p[0]);
        xwrite(p[1], "x", 1);
        close(p[1]);
        spinhard(0);
    }
    close(p[1]);
    char c;
    int talked = read(p[0], &c, 1) == 1 && c == 'x';
    close(p[0]);
    int t0 = uptime();
    sleep(2);
    int slept = uptime() - t0;
    // Stop the spinners before judging, so a failure does not leave them running.
    for (int i = 0; i < 2; i++) kill(spinners[i]);
    kill(talker);
    for (int i = 0; i < 3; i++) {
        int status;
        check(wait(&status) > 0 && status == -1, "a killed spinner exited with %d", status);
    }
    check(talked, "the third child never ran");
    check(slept >= 2, "sleep(2) returned after %d ticks while others spin", slept);
}

// Forks from several processes at once, until some fail, over and over.
static void forkstorm(char *s) {
    for (int round = 0; round < 20; round++) {
        int pids[4];
        for (int i = 0; i < 4; i++) {
            pids[i] = xfork();
            if (pids[i] == 0) {
                for (int j = 0; j < 30; j++) {
                    int pid = fork();
                    if (pid == 0) exit(0);
                    if (pid < 0) break;
                }
                while (wait(0) >= 0) {}
                exit(0);
            }
        }
        waitallok(4);
    }
}

// A tree of processes forking as fast as they can until told to stop.
static void forkforkfork(char *s) {
    unlink("stopforking");
    int pid = xfork();
    if (pid == 0) {
        for (;;) {
            if (exists("stopforking")) exit(0);
            if (fork() < 0) {
                if (exists("stopforking")) exit(0);
                sleep(1);
            }
        }
    }
    sleep(20);
    mkfile("stopforking", "", 0);
    waitok(pid);
    sleep(5);
    // The orphans see the file and exit; init reaps them.
    int n = 0;
    for (int tries = 0; tries < 50 && (n = forkcount()) < NPROC / 2; tries++) sleep(2);
    xunlink("stopforking");
    check(n >= NPROC / 2, "only %d forks possible after the storm", n);
}

// Many orphans at once; init must keep up.
static void reparent2(char *s) {
    for (int i = 0; i < 200; i++) {
        int pid = fork();
        if (pid < 0) {
            sleep(1);
            continue;
        }
        if (pid == 0) {
            fork();
            fork();
            exit(0);
        }
        waitok(pid);
    }
}

// init cannot be killed: it is the parent of every orphan, and the system cannot do
// without it.
static void killinit(char *s) {
    check(kill(1) == -1, "kill(1) succeeded");
    sleep(1);
    // Orphans still get reaped: the system goes on.
    int pid = xfork();
    if (pid == 0) {
        if (fork() == 0) exit(0);
        exit(0);
    }
    waitok(pid);
    check(kill(1) == -1, "kill(1) succeeded the second time");
}

// ---- Pipes -----------------------------------------------------------------------------

// The byte at offset i of a long pipe transfer.
static char seqbyte(uint i) { return (char)(i * 13 + (i >> 8)); }

// 200 KB through a pipe in writes and reads of varied sizes arrives intact, then EOF.
static void pipebig(char *s) {
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    const uint total = 200 * 1024;
    int pid = xfork();
    if (pid == 0) {
        close(p[0]);
        rndstate = 7;
        for (uint sent = 0; sent < total;) {
            uint n = 1 + rnd() % 3000;
            if (n > total - sent) n = total - sent;
            for (uint i = 0; i < n; i++) buf[i] = seqbyte(sent + i);
            xwrite(p[1], buf, n);
            sent += n;
        }
        exit(0);
    }
    close(p[1]);
    rndstate = 11;
    uint got = 0;
    int r;
    while ((r = read(p[0], buf, 1 + rnd() % 5000)) > 0) {
        for (int i = 0; i < r; i++) check(buf[i] == seqbyte(got + i), "byte %d of the transfer is wrong", got + i);
        got += r;
    }
    check(r == 0, "read at the end returned %d, not 0", r);
    check(got == total, "%d bytes arrived, not %d", got, total);
    close(p[0]);
    waitok(pid);
}

// A reader sees end of file only when every write end (dups and children's) is closed.
static void pipeeof(char *s) {
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    int extra = dup(p[1]);
    check(extra >= 0, "dup failed");
    int pids[2];
    for (int i = 0; i < 2; i++) {
        pids[i] = xfork();
        if (pids[i] == 0) {
            close(p[0]);
            sleep(1 + i);
            xwrite(p[1], "ab", 2);
            exit(0);
        }
    }
    close(p[1]);
    xwrite(extra, "c", 1);
    close(extra);
    char got[8];
    int n = 0, r;
    while ((r = read(p[0], got + n, sizeof got - n)) > 0) n += r;
    check(r == 0, "read did not end with 0");
    check(n == 5, "%d bytes read, not 5", n);
    close(p[0]);
    waitallok(2);
}

// Writing to a pipe nobody can read fails (or kills the writer), even a writer that
// was already waiting for room.
static void pipereaderclosed(char *s) {
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    close(p[0]);
    check(write(p[1], "x", 1) == -1, "write to a pipe with no reader did not fail");
    close(p[1]);

    check(pipe(p) == 0, "pipe failed");
    int pid = xfork();
    if (pid == 0) {
        close(p[0]);
        for (;;) {
            if (write(p[1], buf, 1000) < 0) exit(7);
        }
    }
    close(p[1]);
    int n = 0, r;
    while (n < 20000 && (r = read(p[0], buf, 1000)) > 0) n += r;
    sleep(1);   // the writer fills the pipe and waits
    close(p[0]);
    int status = waitpid(pid);
    check(status == 7 || status == -1, "the writer exited with %d", status);
}

// How many more files this process can open.
static int freefds(void) {
    int fds[NOFILE + 1];
    int n = 0;
    while (n <= NOFILE && (fds[n] = open("/", O_RDONLY)) >= 0) n++;
    for (int i = 0; i < n; i++) close(fds[i]);
    return n;
}

// pipe gives two free descriptors, each usable only its own way.
static void pipefds(char *s) {
    int p[2];
    check(pipe(p) == 0, "pipe failed");
    check(p[0] >= 0 && p[1] >= 0 && p[0] != p[1], "pipe returned fds %d and %d", p[0], p[1]);
    char c;
    check(write(p[0], "x", 1) == -1, "write to a pipe's read end succeeded");
    xwrite(p[1], "y", 1);
    check(read(p[1], &c, 1) == -1, "read from a pipe's write end succeeded");
    check(read(p[0], &c, 1) == 1 && c == 'y', "pipe lost a byte");
    close(p[0]);
    close(p[1]);

    // Pipes until the descriptors run out: the failing pipe leaves nothing open.
    int before = freefds();
    check(before <= NOFILE, "more than NOFILE descriptors");
    int fds[NOFILE];
    int n = 0;
    while (n + 2 <= NOFILE && pipe(fds + n) == 0) n += 2;
    int left = freefds();
    check(left < 2, "pipe failed with %d descriptors free", left);
    check(n + left == before, "%d free descriptors before, %d after the pipes and their failure", before, n + left);
    for (int i = 0; i < n; i++) close(fds[i]);
    check(freefds() == before, "closing the pipes did not free their descriptors");
}

// ---- Files ----------------------------------------------------------------------------

static void fillpattern(char *p, int n, int seed) {
    for (int i = 0; i < n; i++) p[i] = (char)(seed + i * 3 + (i >> 10));
}

static void fileio(char *s) {
    check(open("fileio1", O_RDONLY) == -1, "opened fileio1 before it existed");
    int fd = xopen("fileio1", O_CREATE | O_RDWR);
    for (int i = 0; i < 10; i++) {
        memset(buf, 'a' + i, 100);
        xwrite(fd, buf, 100);
    }
    xclose(fd);
    struct stat st = xstat("fileio1");
    check(st.type == T_FILE && st.size == 1000, "fstat says type %d size %ld", st.type, st.size);

    fd = xopen("fileio1", O_RDONLY);
    for (int i = 0; i < 10; i++) {
        check(read(fd, buf, 100) == 100, "short read");
        for (int j = 0; j < 100; j++) check(buf[j] == 'a' + i, "byte %d is wrong", i * 100 + j);
    }
    check(read(fd, buf, 100) == 0, "read past the end did not return 0");
    xclose(fd);

    // Writing at offset 0 without O_TRUNC overwrites, and keeps the size.
    fd = xopen("fileio1", O_RDWR);
    xwrite(fd, "0123456789", 10);
    xclose(fd);
    check(xstat("fileio1").size == 1000, "overwrite changed the size");
    check(slurp("fileio1", buf, BUFSZ) == 1000 && memcmp(buf, "0123456789", 10) == 0 && buf[10] == 'a',
          "overwrite went wrong");

    // Reads and writes in odd sizes across block boundaries.
    fillpattern(buf, 5 * BSIZE + 77, 1);
    fd = xopen("fileio1", O_CREATE | O_RDWR | O_TRUNC);
    for (int off = 0; off < 5 * BSIZE + 77; off += 333) {
        int n = 5 * BSIZE + 77 - off < 333 ? 5 * BSIZE + 77 - off : 333;
        xwrite(fd, buf + off, n);
    }
    xclose(fd);
    static char back[6 * BSIZE];
    fd = xopen("fileio1", O_RDONLY);
    int got = 0, r;
    while ((r = read(fd, back + got, 777)) > 0) got += r;
    xclose(fd);
    check(got == 5 * BSIZE + 77 && memcmp(buf, back, got) == 0, "odd-sized transfers differ");

    xunlink("fileio1");
    check(open("fileio1", O_RDONLY) == -1, "fileio1 still opens after unlink");
    check(unlink("fileio1") == -1, "second unlink succeeded");
}

// An unlinked file lives on while it is open.
static void unlinkopen(char *s) {
    mkfile("unlinkopen1", "hello", 5);
    int fd = xopen("unlinkopen1", O_RDWR);
    xunlink("unlinkopen1");
    // A new file of the same name is a different file.
    mkfile("unlinkopen1", "yyyyyyyyy", 9);
    char b[16];
    check(read(fd, b, sizeof b) == 5 && memcmp(b, "hello", 5) == 0, "the unlinked file's contents changed");
    xwrite(fd, "!", 1);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.nlink == 0 && st.size == 6, "unlinked open file: nlink %d size %ld",
          st.nlink, st.size);
    xclose(fd);
    check(slurp("unlinkopen1", b, sizeof b) == 9 && b[0] == 'y', "the new file was changed");
    xunlink("unlinkopen1");
}

static void links(char *s) {
    mkfile("links1", "hello", 5);
    check(link("links1", "links2") == 0, "link failed");
    struct stat a = xstat("links1"), b = xstat("links2");
    check(a.ino == b.ino, "the two names have inodes %d and %d", a.ino, b.ino);
    check(a.nlink == 2, "nlink is %d, not 2", a.nlink);
    xunlink("links1");
    check(!exists("links1"), "links1 still exists");
    char c[8];
    check(slurp("links2", c, sizeof c) == 5 && memcmp(c, "hello", 5) == 0, "links2 lost the data");
    check(xstat("links2").nlink == 1, "nlink did not drop to 1");

    check(link("links1", "links3") == -1, "link of a missing file succeeded");
    mkfile("links1", "", 0);
    check(link("links1", "links2") == -1, "link onto an existing name succeeded");
    check(link("links1", "links1") == -1, "link onto itself succeeded");
    check(link("links1", "nosuchdir/links") == -1, "link into a missing directory succeeded");
    xmkdir("linksd");
    check(link("linksd", "linksd2") == -1, "link of a directory succeeded");
    check(link(".", "linksd3") == -1, "link of . succeeded");
    check(link("links1", "linksd/l") == 0, "link into a subdirectory failed");
    check(xstat("linksd/l").ino == xstat("links1").ino, "linksd/l is another file");
    xunlink("linksd/l");
    xunlink("linksd");
    xunlink("links1");
    xunlink("links2");
}

// O_TRUNC empties a file under everyone who has it open.
static void truncate(char *s) {
    mkfile("truncate1", "abcd", 4);
    int fd1 = xopen("truncate1", O_RDONLY);
    int fd2 = xopen("truncate1", O_WRONLY | O_TRUNC);
    struct stat st;
    check(fstat(fd1, &st) == 0 && st.size == 0, "size after O_TRUNC is %ld", st.size);
    char b[8];
    check(read(fd1, b, sizeof b) == 0, "read of a truncated file returned data");
    xwrite(fd2, "xy", 2);
    check(read(fd1, b, sizeof b) == 2 && b[0] == 'x' && b[1] == 'y', "read after rewrite is wrong");
    xclose(fd1);
    xclose(fd2);

    // Truncating a multi-block file gives back its blocks: rewrite it many times.
    for (int i = 0; i < 20; i++) {
        fillpattern(buf, 20 * BSIZE, i);
        mkfile("truncate1", buf, 20 * BSIZE);
    }
    check(slurp("truncate1", buf + 20 * BSIZE, 30 * BSIZE) == 20 * BSIZE, "size after rewrites is wrong");
    check(memcmp(buf, buf + 20 * BSIZE, 20 * BSIZE) == 0, "contents after rewrites are wrong");
    xunlink("truncate1");
}

// One truncates and rewrites a file while another reads it: each read sees a
// consistent prefix.
static void truncrace(char *s) {
    mkfile("truncrace1", "", 0);
    int pid = xfork();
    if (pid == 0) {
        for (int i = 0; i < 60; i++) {
            int fd = open("truncrace1", O_WRONLY | O_TRUNC);
            check(fd >= 0, "open O_TRUNC failed");
            xwrite(fd, "1234567890", 10);
            close(fd);
        }
        exit(0);
    }
    for (int i = 0; i < 60; i++) {
        char b[32];
        int fd = xopen("truncrace1", O_RDONLY);
        int n = read(fd, b, sizeof b);
        check(n >= 0 && n <= 10, "read %d bytes from a 10-byte file", n);
        for (int j = 0; j < n; j++) check(b[j] == "1234567890"[j], "torn read");
        xclose(fd);
    }
    waitok(pid);
    xunlink("truncrace1");
}

// A single write of many blocks, more than the log holds, goes in whole.
static void bigwrite(char *s) {
    static const int sizes[] = {1, 499, BSIZE, 3 * BSIZE + 1, MAXOPBLOCKS * BSIZE, 12 * BSIZE + 5,
                                LOGSIZE * BSIZE + 100, 64 * BSIZE};
    for (int i = 0; i < (int)(sizeof sizes / sizeof sizes[0]); i++) {
        int n = sizes[i];
        fillpattern(buf, n, i);
        int fd = xopen("bigwrite1", O_CREATE | O_RDWR | O_TRUNC);
        int r = write(fd, buf, n);
        check(r == n, "write(%d) returned %d", n, r);
        xclose(fd);
        check(xstat("bigwrite1").size == (uint64)n, "size after write(%d) is wrong", n);
        memset(buf, 0, n);
        fd = xopen("bigwrite1", O_RDONLY);
        r = read(fd, buf, BUFSZ);
        check(r == n, "read of %d bytes returned %d", n, r);
        xclose(fd);
        for (int j = 0; j < n; j++) {
            if (buf[j] != (char)(i + j * 3 + (j >> 10))) fail("byte %d of a %d-byte write is wrong", j, n);
        }
    }
    xunlink("bigwrite1");
}

// A file using the indirect block, written and read in pieces.
static void bigfile(char *s) {
    const int blocks = NDIRECT + 40;
    int fd = xopen("bigfile1", O_CREATE | O_RDWR | O_TRUNC);
    for (int b = 0; b < blocks; b++) {
        memset(buf, b, BSIZE);
        xwrite(fd, buf, BSIZE);
    }
    xclose(fd);
    fd = xopen("bigfile1", O_RDONLY);
    for (int b = 0; b < blocks; b++) {
        check(read(fd, buf, BSIZE) == BSIZE, "short read of block %d", b);
        check(buf[0] == (char)b && buf[BSIZE - 1] == (char)b, "block %d is wrong", b);
    }
    check(read(fd, buf, 1) == 0, "file is longer than written");
    xclose(fd);
    xunlink("bigfile1");
}

// Up to MAXFILE blocks a file grows; one byte more is refused. A write that crosses the
// limit writes all of itself that fits and returns -1 (on both kernels, however each
// cuts a long write into pieces: xv6 would refuse the whole 3-block piece that crosses).
static void maxfile(char *s) {
    int fd = xopen("maxfile1", O_CREATE | O_RDWR | O_TRUNC);
    const int last = 6;     // blocks written by the one write that crosses
    for (int b = 0; b < MAXFILE - last + 1; b++) {
        memset(buf, b * 7, BSIZE);
        int r = write(fd, buf, BSIZE);
        check(r == BSIZE, "write of block %d returned %d", b, r);
    }
    for (int b = MAXFILE - last + 1; b < MAXFILE + 1; b++) memset(buf + (b - (MAXFILE - last + 1)) * BSIZE, b * 7, BSIZE);
    int r = write(fd, buf, last * BSIZE);
    check(r == -1, "a write crossing MAXFILE blocks returned %d", r);
    struct stat st;
    check(fstat(fd, &st) == 0 && st.size == (uint64)MAXFILE * BSIZE,
          "a write crossing MAXFILE left the file at %d bytes, not %d", (int)st.size, MAXFILE * BSIZE);
    r = write(fd, "x", 1);
    check(r == -1, "write past MAXFILE blocks returned %d", r);
    xclose(fd);
    check(xstat("maxfile1").size == (uint64)MAXFILE * BSIZE, "size is not MAXFILE blocks");
    fd = xopen("maxfile1", O_RDONLY);
    for (int b = 0; b < MAXFILE; b++) {
        check(read(fd, buf, BSIZE) == BSIZE, "short read of block %d", b);
        check(buf[0] == (char)(b * 7) && buf[BSIZE - 1] == (char)(b * 7), "block %d is wrong", b);
    }
    xclose(fd);
    xunlink("maxfile1");
}

static void openflags(char *s) {
    check(open("openflags1", O_RDONLY) == -1, "open of a missing file succeeded");
    check(open("openflags1", O_RDWR) == -1, "open O_RDWR of a missing file succeeded");
    mkfile("openflags1", "abc", 3);
    char b[4];

    int fd = xopen("openflags1", O_RDONLY);
    check(write(fd, "x", 1) == -1, "write to an O_RDONLY file succeeded");
    check(read(fd, b, 4) == 3, "read of an O_RDONLY file failed");
    xclose(fd);

    fd = xopen("openflags1", O_WRONLY);
    check(read(fd, b, 1) == -1, "read of an O_WRONLY file succeeded");
    xwrite(fd, "X", 1);
    xclose(fd);

    fd = xopen("openflags1", O_RDWR);
    check(read(fd, b, 1) == 1 && b[0] == 'X', "read of an O_RDWR file failed");
    xwrite(fd, "Y", 1);
    xclose(fd);

    // O_CREATE of an existing file opens it as it is.
    fd = xopen("openflags1", O_CREATE | O_RDONLY);
    check(read(fd, b, 4) == 3 && memcmp(b, "XYc", 3) == 0, "O_CREATE changed an existing file");
    xclose(fd);
    xunlink("openflags1");
}

static void fstats(char *s) {
    mkfile("fstats1", buf, 1234);
    int fd = xopen("fstats1", O_RDONLY);
    struct stat st;
    memset(&st, 0x55, sizeof st);
    check(fstat(fd, &st) == 0, "fstat failed");
    check(st.type == T_FILE, "type %d, not T_FILE", st.type);
    check(st.size == 1234, "size %ld, not 1234", st.size);
    check(st.nlink == 1, "nlink %d, not 1", st.nlink);
    check(st.ino > 1, "ino %d", st.ino);
    xclose(fd);
    check(sizeof(struct stat) == 24, "struct stat is %d bytes", (int)sizeof(struct stat));

    xmkdir("fstatsd");
    st = xstat("fstatsd");
    check(st.type == T_DIR, "a directory's type is %d", st.type);
    check(st.size == 2 * sizeof(struct dirent), "a new directory's size is %ld, not two entries", st.size);
    st = xstat("/");
    check(st.type == T_DIR && st.ino == 1, "the root is type %d inode %d", st.type, st.ino);
    xunlink("fstatsd");
    xunlink("fstats1");
    check(fstat(-1, &st) == -1 && fstat(NOFILE, &st) == -1, "fstat of a bad fd succeeded");
}

static void mknods(char *s) {
    check(mknod("mknod1", CONSOLE, 0) == 0, "mknod failed");
    struct stat st = xstat("mknod1");
    check(st.type == T_DEVICE, "the node's type is %d", st.type);
    check(mknod("mknod1", CONSOLE, 0) == -1, "mknod over an existing name succeeded");
    check(mknod("nosuchdir/mknod", CONSOLE, 0) == -1, "mknod in a missing directory succeeded");
    // Majors no device can have (the kernel's devsw has 10 entries, 0 unused) and
    // negative minors make no device: refused, so no image ever holds one.
    static const short badmajors[] = {0, 10, 1000, -1, -32768};
    for (int i = 0; i < (int)(sizeof badmajors / sizeof badmajors[0]); i++)
        check(mknod("mknod3", badmajors[i], 0) == -1, "mknod with major %d succeeded", badmajors[i]);
    check(mknod("mknod3", CONSOLE, -1) == -1, "mknod with minor -1 succeeded");
    check(!exists("mknod3"), "a refused node exists");
    // It is the console: writing to it works (nothing printed: zero bytes).
    int fd = xopen("mknod1", O_WRONLY);
    check(write(fd, "", 0) == 0, "write of nothing to the console failed");
    check(fstat(fd, &st) == 0 && st.type == T_DEVICE, "fstat of the open device");
    xclose(fd);
    check(link("mknod1", "mknod2") == 0, "link to a device failed");
    xunlink("mknod2");
    xunlink("mknod1");
    check(!exists("mknod1"), "the node is still there");
}

// dup shares the offset; so does fork.
static void dups(char *s) {
    int fd = xopen("dups1", O_CREATE | O_RDWR | O_TRUNC);
    int fd2 = dup(fd);
    check(fd2 >= 0 && fd2 != fd, "dup returned %d", fd2);
    xwrite(fd, "ab", 2);
    xwrite(fd2, "cd", 2);
    xclose(fd);
    xwrite(fd2, "e", 1);
    xclose(fd2);
    char b[8];
    check(slurp("dups1", b, sizeof b) == 5 && memcmp(b, "abcde", 5) == 0, "dup'd writes did not share an offset");

    // dup returns the lowest free descriptor.
    fd = xopen("dups1", O_RDONLY);
    fd2 = xopen("dups1", O_RDONLY);
    xclose(fd);
    check(dup(fd2) == fd, "dup did not take the lowest free descriptor %d", fd);
    xclose(fd);
    xclose(fd2);

    // Parent and child share an open file's offset.
    fd = xopen("dups1", O_CREATE | O_RDWR | O_TRUNC);
    int pid = xfork();
    if (pid == 0) {
        xwrite(fd, "child ", 6);
        exit(0);
    }
    waitok(pid);
    xwrite(fd, "parent", 6);
    xclose(fd);
    check(slurp("dups1", buf, 20) == 12 && memcmp(buf, "child parent", 12) == 0, "fork did not share the offset");

    // Bad descriptors.
    check(dup(-1) == -1 && dup(NOFILE) == -1 && dup(100) == -1, "dup of a bad fd succeeded");
    check(close(-1) == -1 && close(NOFILE) == -1, "close of a bad fd succeeded");
    fd = xopen("dups1", O_RDONLY);
    xclose(fd);
    check(close(fd) == -1, "second close succeeded");
    check(read(fd, b, 1) == -1 && write(fd, "x", 1) == -1, "I/O on a closed fd succeeded");
    check(read(-1, b, 1) == -1 && write(NOFILE, "x", 1) == -1 && read(1000000, b, 1) == -1, "I/O on a bad fd succeeded");

    // NOFILE descriptors at most; dup fails like open when they are gone.
    int n = 0, fds[NOFILE + 1];
    while (n <= NOFILE && (fds[n] = open("dups1", O_RDONLY)) >= 0) n++;
    check(n < NOFILE, "opened %d files with NOFILE %d", n, NOFILE);
    check(dup(0) == -1, "dup succeeded with no descriptor free");
    for (int i = 0; i < n; i++) xclose(fds[i]);
    xunlink("dups1");
}

// Two processes append to one open file; nothing is lost or overwritten.
static void sharedfd(char *s) {
    int fd = xopen("sharedfd1", O_CREATE | O_RDWR | O_TRUNC);
    int pid = xfork();
    char c = pid == 0 ? 'c' : 'p';
    memset(buf, c, 10);
    for (int i = 0; i < 100; i++) xwrite(fd, buf, 10);
    if (pid == 0) exit(0);
    waitok(pid);
    xclose(fd);
    int nc = 0, np = 0, n;
    fd = xopen("sharedfd1", O_RDONLY);
    while ((n = read(fd, buf, 1000)) > 0) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == 'c') nc++;
            else if (buf[i] == 'p') np++;
        }
    }
    xclose(fd);
    check(nc == 1000 && np == 1000, "found %d c and %d p, not 1000 each", nc, np);
    xunlink("sharedfd1");
}

// Four processes write four files at once.
static void fourfiles(char *s) {
    char name[] = "fourfiles0";
    int pids[4];
    for (int i = 0; i < 4; i++) {
        pids[i] = xfork();
        if (pids[i] == 0) {
            name[9] = '0' + i;
            int fd = xopen(name, O_CREATE | O_RDWR | O_TRUNC);
            memset(buf, '0' + i, 500);
            for (int j = 0; j < 12; j++) xwrite(fd, buf, 500);
            exit(0);
        }
    }
    waitallok(4);
    for (int i = 0; i < 4; i++) {
        name[9] = '0' + i;
        check(slurp(name, buf, BUFSZ) == 6000, "%s has the wrong size", name);
        for (int j = 0; j < 6000; j++) check(buf[j] == '0' + i, "%s byte %d is wrong", name, j);
        xunlink(name);
    }
}

// ---- Directories and paths --------------------------------------------------------------

static void dirs(char *s) {
    xmkdir("dirs1");
    check(mkdir("dirs1") == -1, "mkdir of an existing directory succeeded");
    check(mkdir("nosuchdir/dirs2") == -1, "mkdir in a missing directory succeeded");
    xmkdir("dirs1/sub");
    mkfile("dirs1/sub/f", "abc", 3);

    // . and .. are the directory and its parent.
    check(xstat("dirs1/.").ino == xstat("dirs1").ino, "dirs1/. is not dirs1");
    check(xstat("dirs1/sub/..").ino == xstat("dirs1").ino, "dirs1/sub/.. is not dirs1");
    check(xstat("dirs1/..").ino == xstat(".").ino, "dirs1/.. is not the current directory");
    check(xstat("/..").ino == 1 && xstat("/.").ino == 1, "the root's . and .. are not the root");

    // Relative paths follow the current directory.
    xchdir("dirs1");
    char b[4];
    check(slurp("sub/f", b, 4) == 3, "relative path after chdir failed");
    xchdir("sub");
    check(slurp("f", b, 4) == 3, "relative path after second chdir failed");
    check(slurp("../sub/./f", b, 4) == 3, "path through .. and . failed");
    xchdir("../..");
    check(slurp("dirs1//sub///f", b, 4) == 3, "path with repeated slashes failed");
    check(slurp("./dirs1/sub/../sub/f", b, 4) == 3, "path with . and .. failed");
    check(chdir("nosuchdir") == -1, "chdir to a missing directory succeeded");

    // A directory with entries cannot be removed; an empty one can.
    check(unlink("dirs1") == -1, "unlink of a non-empty directory succeeded");
    check(unlink("dirs1/sub") == -1, "unlink of a non-empty subdirectory succeeded");
    xunlink("dirs1/sub/f");
    xunlink("dirs1/sub");
    check(!exists("dirs1/sub"), "removed directory still opens");
    xunlink("dirs1");

    // A directory cannot be opened for writing, nor created over.
    xmkdir("dirs3");
    check(open("dirs3", O_WRONLY) == -1, "open of a directory O_WRONLY succeeded");
    check(open("dirs3", O_RDWR) == -1, "open of a directory O_RDWR succeeded");
    check(open("dirs3", O_CREATE | O_RDWR) == -1, "open O_CREATE of a directory succeeded");
    check(open("dirs3", O_CREATE) == -1, "open O_CREATE|O_RDONLY of a directory succeeded");
    int fd = xopen("dirs3", O_RDONLY);
    check(write(fd, "x", 1) == -1, "write to a directory succeeded");
    xclose(fd);
    xunlink("dirs3");
}

// Reading a directory gives its entries: . and .. first, then what was made in it,
// with freed entries reused.
static void dirread(char *s) {
    xmkdir("dirread1");
    xchdir("dirread1");
    char name[] = "f00";
    for (int i = 0; i < 10; i++) {
        name[1] = '0' + i / 10;
        name[2] = '0' + i % 10;
        mkfile(name, "", 0);
    }
    int fd = xopen(".", O_RDONLY);
    struct dirent de;
    int seen = 0, n = 0;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0) continue;
        if (n == 0) check(strcmp(de.name, ".") == 0, "first entry is %s, not .", de.name);
        if (n == 1) check(strcmp(de.name, "..") == 0, "second entry is %s, not ..", de.name);
        if (de.name[0] == 'f') seen |= 1 << ((de.name[1] - '0') * 10 + de.name[2] - '0');
        n++;
    }
    xclose(fd);
    check(n == 12, "%d entries, not 12", n);
    check(seen == (1 << 10) - 1, "not every file was listed");

    uint64 size = xstat(".").size;
    for (int i = 0; i < 5; i++) {
        name[2] = '0' + i;
        xunlink(name);
    }
    name[0] = 'g';
    for (int i = 0; i < 5; i++) {
        name[2] = '0' + i;
        mkfile(name, "", 0);
    }
    check(xstat(".").size == size, "the directory grew instead of reusing free entries");
    for (int i = 0; i < 10; i++) {
        name[0] = i < 5 ? 'g' : 'f';
        name[2] = '0' + i;
        xunlink(name);
    }
    xchdir("..");
    xunlink("dirread1");
}

// Names are at most DIRSIZ characters; longer ones are cut to DIRSIZ, as xv6 does.
static void dirsiz(char *s) {
    xmkdir("12345678901234");
    xmkdir("12345678901234/123456789012345");
    int fd = xopen("123456789012345/123456789012345/123456789012345", O_CREATE);
    xclose(fd);
    fd = xopen("12345678901234/12345678901234/12345678901234", O_RDONLY);
    xclose(fd);
    check(mkdir("12345678901234/12345678901234") == -1, "mkdir of an existing 14-character name succeeded");
    check(mkdir("12345678901234/123456789012345") == -1, "mkdir of a name that truncates to an existing one succeeded");

    // A full-length name in the directory has no NUL.
    fd = xopen("12345678901234", O_RDONLY);
    struct dirent de;
    int found = 0;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum != 0 && memcmp(de.name, "12345678901234", DIRSIZ) == 0) found = 1;
    }
    xclose(fd);
    check(found, "the 14-character entry was not found");

    xunlink("12345678901234/12345678901234/12345678901234");
    xunlink("12345678901234/12345678901234");
    xunlink("12345678901234");
}

// . and .. cannot be removed, from anywhere.
static void rmdot(char *s) {
    xmkdir("rmdot1");
    xchdir("rmdot1");
    check(unlink(".") == -1, "unlink . succeeded");
    check(unlink("..") == -1, "unlink .. succeeded");
    xchdir("..");
    check(unlink("rmdot1/.") == -1, "unlink rmdot1/. succeeded");
    check(unlink("rmdot1/..") == -1, "unlink rmdot1/.. succeeded");
    xunlink("rmdot1");

    check(unlink("/.") == -1 && unlink("/..") == -1, "unlink of the root's . or .. succeeded");
    check(unlink("/") == -1, "unlink of the root succeeded");
    xchdir("/");
    xchdir("..");
    check(xstat(".").ino == 1, "chdir .. from the root left the root");
}

// A file where a directory should be.
static void notdir(char *s) {
    mkfile("notdir1", "", 0);
    check(open("notdir1/x", O_CREATE | O_RDWR) == -1, "create under a file succeeded");
    check(open("notdir1/x", O_RDONLY) == -1, "open under a file succeeded");
    check(mkdir("notdir1/x") == -1, "mkdir under a file succeeded");
    check(mknod("notdir1/x", CONSOLE, 0) == -1, "mknod under a file succeeded");
    check(chdir("notdir1") == -1, "chdir into a file succeeded");
    check(unlink("notdir1/x") == -1, "unlink under a file succeeded");
    check(link("notdir1", "notdir1/x") == -1, "link under a file succeeded");
    check(link("notdir1/x", "notdir2") == -1, "link from under a file succeeded");
    check(unlink("notdir1/.") == -1, "unlink notdir1/. succeeded");
    xunlink("notdir1");
}

// A process whose current directory has been removed can still exit cleanly.
static void cwdremoved(char *s) {
    xmkdir("cwdremoved1");
    int pid = xfork();
    if (pid == 0) {
        xchdir("cwdremoved1");
        check(unlink("../cwdremoved1") == 0, "unlink of the current (empty) directory failed");
        exit(0);
    }
    waitok(pid);
    check(!exists("cwdremoved1"), "the directory survived");

    // Removed by someone else while a child sits in it.
    xmkdir("cwdremoved2");
    int ready[2], done[2];
    check(pipe(ready) == 0 && pipe(done) == 0, "pipe failed");
    pid = xfork();
    if (pid == 0) {
        xchdir("cwdremoved2");
        close(done[1]);
        xwrite(ready[1], "r", 1);
        char c;
        read(done[0], &c, 1);
        exit(0);
    }
    char c;
    check(read(ready[0], &c, 1) == 1, "the child did not get into the directory");
    check(unlink("cwdremoved2") == 0, "unlink of another's current directory failed");
    close(done[1]);
    waitok(pid);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
}

// More directories than the kernel caches inodes, one inside the next, then removed
// from the bottom up.
static void irefs(char *s) {
    const int depth = 60;
    for (int i = 0; i < depth; i++) {
        xmkdir("irefd");
        xchdir("irefd");
        mkfile("f", "x", 1);
        xunlink("f");
    }
    for (int i = 0; i < depth; i++) {
        xchdir("..");
        xunlink("irefd");
    }
    check(!exists("irefd"), "irefd was left behind");
}

// A directory removed while a process sits in it, and then its parent too: the process
// finds nothing there. Not "..", whose inode may be gone or be some other file by now;
// not room for new names, which would be lost with the directory (their inodes leaked).
static void deadcwd(char *s) {
    xmkdir("deadcwd1");
    xmkdir("deadcwd1/d");
    mkfile("deadcwd2", "", 0);
    int ready[2], done[2];
    check(pipe(ready) == 0 && pipe(done) == 0, "pipe failed");
    int pid = xfork();
    if (pid == 0) {
        xchdir("deadcwd1/d");
        close(done[1]);
        xwrite(ready[1], "r", 1);
        char c;
        check(read(done[0], &c, 1) == 1, "the parent did not say go");
        check(chdir("..") == -1, "chdir .. from a removed directory succeeded");
        check(open("..", O_RDONLY) == -1, "open .. in a removed directory succeeded");
        check(open("f", O_CREATE | O_RDWR) == -1, "create in a removed directory succeeded");
        check(mkdir("sub") == -1, "mkdir in a removed directory succeeded");
        check(mknod("dev", CONSOLE, 0) == -1, "mknod in a removed directory succeeded");
        check(link("/deadcwd2", "l") == -1, "link into a removed directory succeeded");
        check(open("f", O_RDONLY) == -1, "a name appeared in a removed directory");
        exit(0);
    }
    char c;
    check(read(ready[0], &c, 1) == 1, "the child did not get into the directory");
    xunlink("deadcwd1/d");
    xunlink("deadcwd1");
    xwrite(done[1], "g", 1);
    waitok(pid);
    close(ready[0]);
    close(ready[1]);
    close(done[0]);
    close(done[1]);
    xunlink("deadcwd2");
}

// One process makes and removes a directory over and over while others create names
// in it, link into it and remove them: a name must never land in a directory that is
// being removed (it would be lost with it, its inode leaked). The image is checked by
// fsck after usertests.
static void dirrace(char *s) {
    mkfile("dirrace0", "", 0);
    int pids[3];
    for (int k = 0; k < 3; k++) {
        pids[k] = xfork();
        if (pids[k] == 0) {
            for (int i = 0; i < 300; i++) {
                if (k == 0) {
                    mkdir("dirraced");
                    unlink("dirraced");
                } else if (k == 1) {
                    int fd = open("dirraced/f", O_CREATE | O_RDWR);
                    if (fd >= 0) close(fd);
                    mkdir("dirraced/d");
                    unlink("dirraced/f");
                    unlink("dirraced/d");
                } else {
                    link("dirrace0", "dirraced/l");
                    unlink("dirraced/l");
                }
            }
            exit(0);
        }
    }
    waitallok(3);
    unlink("dirraced/f");
    unlink("dirraced/d");
    unlink("dirraced/l");
    unlink("dirraced");
    check(!exists("dirraced"), "dirraced is still there");
    check(xstat("dirrace0").nlink == 1, "dirrace0 has %d links, not 1", xstat("dirrace0").nlink);
    xunlink("dirrace0");
}

// ---- Concurrent file-system use ----------------------------------------------------------

// Two processes create, link and unlink the same names in one directory at once; the
// directory never holds a name twice.
static void concreate(char *s) {
    const int N = 30;
    char name[] = "C00";
    xmkdir("concreate1");
    xchdir("concreate1");
    mkfile("C00", "", 0);
    int pid = xfork();
    for (int i = 1; i < N; i++) {
        name[1] = '0' + i / 10;
        name[2] = '0' + i % 10;
        if ((i % 3 == 0 && pid == 0) || (i % 3 == 1 && pid != 0)) {
            link("C00", name);
        } else {
            int fd = open(name, O_CREATE | O_RDWR);
            check(fd >= 0, "create %s failed", name);
            close(fd);
        }
    }
    if (pid == 0) exit(0);
    waitok(pid);

    int count[N];
    memset(count, 0, sizeof count);
    int fd = xopen(".", O_RDONLY);
    struct dirent de;
    while (read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0 || de.name[0] != 'C') continue;
        int i = (de.name[1] - '0') * 10 + de.name[2] - '0';
        check(i >= 0 && i < N && de.name[3] == 0, "odd entry %s", de.name);
        count[i]++;
    }
    xclose(fd);
    for (int i = 0; i < N; i++) check(count[i] == 1, "C%02d appears %d times", i, count[i]);

    // Now both remove them all: each name goes exactly once.
    pid = xfork();
    int removed = 0;
    for (int i = 0; i < N; i++) {
        name[1] = '0' + i / 10;
        name[2] = '0' + i % 10;
        if (unlink(name) == 0) removed++;
    }
    if (pid == 0) exit(removed);
    int other = waitpid(pid);
    check(removed + other == N, "%d + %d unlinks succeeded for %d names", removed, other, N);
    xchdir("..");
    xunlink("concreate1");
}

// Four processes each create and delete their own files in one directory.
static void createdelete(char *s) {
    const int N = 20;
    xmkdir("cd1");
    xchdir("cd1");
    int pids[4];
    for (int p = 0; p < 4; p++) {
        pids[p] = xfork();
        if (pids[p] == 0) {
            char name[] = "p00";
            name[0] = 'p' + p;
            for (int i = 0; i < N; i++) {
                name[1] = '0' + i / 10;
                name[2] = '0' + i % 10;
                mkfile(name, name, 3);
                if (i > 0 && i % 2 == 0) {
                    // Delete the odd one before: even names (and the last) remain.
                    name[1] = '0' + (i - 1) / 10;
                    name[2] = '0' + (i - 1) % 10;
                    xunlink(name);
                }
            }
            exit(0);
        }
    }
    waitallok(4);
    for (int p = 0; p < 4; p++) {
        char name[] = "p00";
        name[0] = 'p' + p;
        for (int i = 0; i < N; i++) {
            name[1] = '0' + i / 10;
            name[2] = '0' + i % 10;
            int deleted = i % 2 == 1 && i < N - 1;
            check(exists(name) == !deleted, "%s %s", name, deleted ? "exists" : "is missing");
            if (!deleted) xunlink(name);
        }
    }
    xchdir("..");
    xunlink("cd1");
}

// Two processes race link, unlink and create on three names.
static void linkunlink(char *s) {
    xmkdir("lu1");
    xchdir("lu1");
    int pid = xfork();
    rndstate = pid == 0 ? 1 : 97;
    for (int i = 0; i < 100; i++) {
        char name[] = "x0";
        name[1] = '0' + rnd() % 3;
        switch (rnd() % 3) {
        case 0: {
            int fd = open(name, O_CREATE | O_RDWR);
            if (fd >= 0) close(fd);
            break;
        }
        case 1: link("x0", name); break;
        case 2: unlink(name); break;
        }
    }
    if (pid == 0) exit(0);
    waitok(pid);
    unlink("x0");
    unlink("x1");
    unlink("x2");
    xchdir("..");
    xunlink("lu1");
}

// ---- exec -------------------------------------------------------------------------------

// Runs /echo with argv and its output in path; returns echo's exit status.
static int runecho(char **argv, const char *path) {
    int pid = xfork();
    if (pid == 0) {
        close(1);
        if (open(path, O_CREATE | O_WRONLY | O_TRUNC) != 1) exit(100);
        exec("/echo", argv);
        exit(101);
    }
    return waitpid(pid);
}

static void exectest(char *s) {
    char *argv[] = {"echo", "OK", "exec", 0};
    int status = runecho(argv, "exectest1");
    check(status == 0, "echo exited with %d (100: no file, 101: exec failed)", status);
    char b[32];
    int n = slurp("exectest1", b, sizeof b);
    check(n == 8 && memcmp(b, "OK exec\n", 8) == 0, "echo wrote %d bytes, not \"OK exec\"", n);

    // MAXARG-1 arguments and the terminating 0 fill the kernel's argv exactly.
    char *many[MAXARG];
    many[0] = "echo";
    for (int i = 1; i < MAXARG - 1; i++) many[i] = "a";
    many[MAXARG - 1] = 0;
    check(runecho(many, "exectest1") == 0, "exec with %d arguments failed", MAXARG - 1);
    n = slurp("exectest1", buf, BUFSZ);
    check(n == 2 * (MAXARG - 2), "echo of %d arguments wrote %d bytes", MAXARG - 2, n);

    // No arguments at all.
    char *none[] = {"echo", 0};
    check(runecho(none, "exectest1") == 0 && slurp("exectest1", b, sizeof b) == 1, "echo with no arguments");
    xunlink("exectest1");
}

// exec that cannot succeed returns -1 and leaves the caller as it was.
static void execbad(char *s) {
    char *argv[] = {"echo", "x", 0};
    check(execfails("execbad-nosuchfile", argv), "exec of a missing file did not fail");
    check(execfails("/", argv), "exec of a directory did not fail");
    mkfile("execbad1", "#!/bin/echo not an ELF file\n", 28);
    check(execfails("execbad1", argv), "exec of a text file did not fail");
    mkfile("execbad1", "", 0);
    check(execfails("execbad1", argv), "exec of an empty file did not fail");
    // A real ELF header followed by nothing.
    static const uchar elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    mkfile("execbad1", elf, sizeof elf);
    check(execfails("execbad1", argv), "exec of a truncated ELF file did not fail");
    xunlink("execbad1");

    char *toomany[MAXARG + 2];
    for (int i = 0; i < MAXARG + 1; i++) toomany[i] = "a";
    toomany[MAXARG + 1] = 0;
    check(execfails("/echo", toomany), "exec with %d arguments did not fail", MAXARG + 1);

    // The caller goes on as it was.
    int canary = 12345;
    check(exec("execbad-nosuchfile", argv) == -1, "exec of a missing file did not return -1");
    check(exec("/echo", toomany) == -1, "exec with too many arguments returned");
    check(canary == 12345, "the caller's stack changed");
}

// Arguments that do not fit the one-page stack make exec fail, not crash.
static void execbigargs(char *s) {
    static char big[MAXARG - 1][200];
    char *argv[MAXARG];
    for (int i = 0; i < MAXARG - 1; i++) {
        memset(big[i], 'b', sizeof big[i] - 1);
        argv[i] = big[i];
    }
    argv[MAXARG - 1] = 0;
    check(execfails("/echo", argv), "exec with %d bytes of arguments did not fail", (MAXARG - 1) * 200);
}

// With memory nearly gone, exec may fail, but only with -1.
static void execout(char *s) {
    for (int avail = 0; avail < 15; avail++) {
        int pid = xfork();
        if (pid == 0) {
            // Take all memory, then give back avail pages.
            for (int step = 1 << 26; step >= PGSIZE; step /= 2) {
                while (sbrk(step) != (char *)-1) {}
            }
            sbrk(-avail * PGSIZE);
            close(1);
            if (open("execout1", O_CREATE | O_WRONLY | O_TRUNC) != 1) exit(1);
            char *argv[] = {"echo", "x", 0};
            exec("/echo", argv);
            exit(0);
        }
        waitok(pid);
    }
    unlink("execout1");
}

// ---- Time ------------------------------------------------------------------------------

static void sleeptime(char *s) {
    int t0 = uptime();
    check(t0 >= 0, "uptime is %d", t0);
    check(sleep(0) == 0, "sleep(0) failed");
    check(sleep(3) == 0, "sleep(3) failed");
    int t1 = uptime();
    check(t1 >= t0 + 3, "sleep(3) took %d ticks", t1 - t0);
    check(t1 < t0 + 3 + 10 * TICKS_PER_SECOND, "sleep(3) took %d ticks", t1 - t0);
    int t2 = uptime();
    check(t2 >= t1, "uptime went backwards");
}

// ---- File-system resources -----------------------------------------------------------------

// How many more inodes the disk has: creates files in a directory of its own until
// that fails, then removes them all. (The directory takes one inode itself.)
static int countinodes(void) {
    xmkdir("countinodes");
    char name[] = "countinodes/i000";
    int n = 0;
    for (; n < 1000; n++) {
        name[13] = '0' + n / 100;
        name[14] = '0' + n / 10 % 10;
        name[15] = '0' + n % 10;
        int fd = open(name, O_CREATE | O_RDWR);
        if (fd < 0) break;
        close(fd);
    }
    for (int i = 0; i < n; i++) {
        name[13] = '0' + i / 100;
        name[14] = '0' + i / 10 % 10;
        name[15] = '0' + i % 10;
        xunlink(name);
    }
    xunlink("countinodes");
    return n;
}

// How many more data blocks the disk has: writes files until a write fails for want of
// space (not of file size), then removes them.
static int countblocks(void) {
    char name[] = "countblocks0";
    int blocks = 0, files = 0;
    memset(buf, 'z', BSIZE);
    for (;;) {
        name[11] = '0' + files;
        int fd = open(name, O_CREATE | O_WRONLY | O_TRUNC);
        if (fd < 0) break;
        files++;
        int inthis = 0;
        while (inthis < MAXFILE && write(fd, buf, BSIZE) == BSIZE) inthis++;
        close(fd);
        blocks += inthis;
        if (inthis < MAXFILE || files == 10) break;
    }
    for (int i = 0; i < files; i++) {
        name[11] = '0' + i;
        xunlink(name);
    }
    return blocks;
}

// A workload of every kind of file-system change, each undone.
static void fsworkload(void) {
    xmkdir("fsleakd");
    mkfile("fsleakd/a", buf, 30 * BSIZE);
    check(link("fsleakd/a", "fsleakd/b") == 0, "link failed");
    xunlink("fsleakd/a");
    mkfile("fsleakd/b", buf, 3 * BSIZE);            // truncation frees blocks
    int fd = xopen("fsleakd/b", O_RDWR);
    xunlink("fsleakd/b");                           // freed at close
    xwrite(fd, buf, NDIRECT * BSIZE + 5 * BSIZE);   // grows into the indirect block
    xclose(fd);
    xmkdir("fsleakd/sub");
    mkfile("fsleakd/sub/c", buf, 5);
    check(mknod("fsleakd/dev", CONSOLE, 0) == 0, "mknod failed");
    xunlink("fsleakd/dev");
    xunlink("fsleakd/sub/c");
    xunlink("fsleakd/sub");
    // A child exits with a file it unlinked still open.
    int pid = xfork();
    if (pid == 0) {
        int fd = xopen("fsleakd/d", O_CREATE | O_RDWR);
        xwrite(fd, buf, 4 * BSIZE);
        xunlink("fsleakd/d");
        exit(0);
    }
    waitok(pid);
    xunlink("fsleakd");
}

// Nothing leaks inodes or blocks: counts both, runs the workload, counts again.
static void fsleak(char *s) {
    int inodes = countinodes(), blocks = countblocks();
    check(inodes > 0 && blocks > 0, "counted %d free inodes, %d free blocks", inodes, blocks);
    for (int i = 0; i < 3; i++) fsworkload();
    int inodes2 = countinodes(), blocks2 = countblocks();
    check(inodes2 == inodes, "%d free inodes before, %d after", inodes, inodes2);
    check(blocks2 == blocks, "%d free blocks before, %d after", blocks, blocks2);
}

// The byte block b of diskfull's file f is filled with.
static char diskbyte(int f, int b) {
    return (char)('A' + (f * 7 + b) % 50);
}

// Fill the disk: writes stop with -1, every byte written before stays, and once files
// are removed everything works. As many files as the disk takes (not a fixed number: a
// larger image takes more), unless the inodes run out first.
static void diskfull(char *s) {
    xmkdir("diskfull1");
    xchdir("diskfull1");
    char name[] = "big000";
    int files = 0, full = 0, noinode = 0, lastblocks = 0;
    for (; files < 1000 && !full; files++) {
        name[3] = '0' + files / 100;
        name[4] = '0' + files / 10 % 10;
        name[5] = '0' + files % 10;
        int fd = open(name, O_CREATE | O_WRONLY);
        if (fd < 0) {
            noinode = 1;
            break;
        }
        int b = 0;
        for (; b < MAXFILE; b++) {
            memset(buf, diskbyte(files, b), BSIZE);
            int r = write(fd, buf, BSIZE);
            if (r != BSIZE) {
                check(r == -1, "write on a full disk returned %d, not -1", r);
                full = 1;
                break;
            }
        }
        lastblocks = b;
        close(fd);
    }
    // Only the inodes can stop it short: 1000 files of MAXFILE blocks are more than the
    // largest disk's inodes and blocks (200 inodes by default) hold.
    check(full || noinode, "the disk never filled, and %d files did not use every inode", files);
    // What was written before the disk filled is all there, and nothing more.
    for (int f = 0; f < files; f++) {
        name[3] = '0' + f / 100;
        name[4] = '0' + f / 10 % 10;
        name[5] = '0' + f % 10;
        int fd = xopen(name, O_RDONLY);
        int blocks = f == files - 1 ? lastblocks : MAXFILE;
        for (int b = 0; b < blocks; b++) {
            check(read(fd, buf, BSIZE) == BSIZE, "%s: short read of block %d", name, b);
            char want = diskbyte(f, b);
            check(buf[0] == want && buf[BSIZE - 1] == want, "%s: block %d is not what was written", name, b);
        }
        check(read(fd, buf, 1) == 0, "%s is longer than its %d blocks written", name, blocks);
        xclose(fd);
    }
    // More small things fail or succeed, but the kernel survives them all.
    char small[] = "small00";
    for (int i = 0; i < 20; i++) {
        small[5] = '0' + i / 10;
        small[6] = '0' + i % 10;
        int fd = open(small, O_CREATE | O_RDWR);
        if (fd < 0) continue;
        write(fd, buf, 10);
        close(fd);
    }
    mkdir("dirfull");
    unlink("dirfull");
    for (int i = 0; i < 20; i++) {
        small[5] = '0' + i / 10;
        small[6] = '0' + i % 10;
        unlink(small);
    }
    for (int i = 0; i < files; i++) {
        name[3] = '0' + i / 100;
        name[4] = '0' + i / 10 % 10;
        name[5] = '0' + i % 10;
        xunlink(name);
    }
    // Space is back.
    fillpattern(buf, 20 * BSIZE, 3);
    mkfile("after", buf, 20 * BSIZE);
    static char back[20 * BSIZE];
    check(slurp("after", back, sizeof back) == 20 * BSIZE && memcmp(buf, back, sizeof back) == 0,
          "the file system is broken after filling up");
    xunlink("after");
    xchdir("..");
    xunlink("diskfull1");
}

// Use every inode: creation fails cleanly, and once some are freed it works again.
static void outofinodes(char *s) {
    int n = countinodes();
    check(n > 10, "only %d free inodes", n);
    // Again, now also checking that the last one can be used and the first freed reused.
    xmkdir("ooi");
    char name[] = "ooi/i000";
    int made = 0;
    for (; made < n + 10; made++) {
        name[5] = '0' + made / 100;
        name[6] = '0' + made / 10 % 10;
        name[7] = '0' + made % 10;
        int fd = open(name, O_CREATE | O_RDWR);
        if (fd < 0) break;
        close(fd);
    }
    check(made == n, "made %d files, counted %d free inodes", made, n);
    check(mkdir("ooi/d") == -1, "mkdir succeeded with no free inode");
    check(mknod("ooi/dev", CONSOLE, 0) == -1, "mknod succeeded with no free inode");
    xunlink("ooi/i000");
    int fd = xopen("ooi/new", O_CREATE | O_RDWR);
    xclose(fd);
    xunlink("ooi/new");
    for (int i = 1; i < made; i++) {
        name[5] = '0' + i / 100;
        name[6] = '0' + i / 10 % 10;
        name[7] = '0' + i % 10;
        xunlink(name);
    }
    xunlink("ooi");
    check(countinodes() == n, "inodes were lost");
}

// A directory of many entries: every name found, all removed.
static void bigdir(char *s) {
    const int N = 400;
    xmkdir("bigdir1");
    xchdir("bigdir1");
    mkfile("f", "", 0);
    char name[] = "x000";
    for (int i = 0; i < N; i++) {
        name[1] = '0' + i / 100;
        name[2] = '0' + i / 10 % 10;
        name[3] = '0' + i % 10;
        check(link("f", name) == 0, "link %s failed", name);
    }
    check(xstat("f").nlink == N + 1, "nlink is %d, not %d", xstat("f").nlink, N + 1);
    for (int i = 0; i < N; i++) {
        name[1] = '0' + i / 100;
        name[2] = '0' + i / 10 % 10;
        name[3] = '0' + i % 10;
        xunlink(name);
    }
    xunlink("f");
    xchdir("..");
    xunlink("bigdir1");
}

#define ITAB_KIDS 5
#define ITAB_FILES 12

// The files children of inodetable hold open: itabK/fNN.
static void itabname(char *name, int k, int i) {
    strcpy(name, "itab0/f00");
    name[4] = '0' + k;
    name[7] = '0' + i / 10;
    name[8] = '0' + i % 10;
}

// More inodes in use at once, by several processes, than the kernel keeps in memory
// (open files and current directories each hold one): the calls that need one more
// fail, nothing breaks, and every call works again once the holders are gone.
static void inodetable(char *s) {
    char name[16];
    // A run stopped in here (^C, Ctrl-A x) left its files in the image: start without them.
    for (int k = 0; k < ITAB_KIDS; k++) {
        for (int i = 0; i < ITAB_FILES; i++) {
            itabname(name, k, i);
            unlink(name);
        }
        name[5] = 0;
        unlink(name);
    }
    for (int k = 0; k < ITAB_KIDS; k++) {
        itabname(name, k, 0);
        name[5] = 0;
        xmkdir(name);
        for (int i = 0; i < ITAB_FILES; i++) {
            itabname(name, k, i);
            mkfile(name, "i", 1);
        }
    }
    int report[2], go[2];
    check(pipe(report) == 0 && pipe(go) == 0, "pipe failed");
    for (int k = 0; k < ITAB_KIDS; k++) {
        int pid = xfork();
        if (pid == 0) {
            // Keep fds 1 and 2 (messages) and the two pipe ends this child needs.
            close(0);
            close(report[0]);
            close(go[1]);
            itabname(name, k, 0);
            name[5] = 0;
            int held = chdir(name) == 0;
            for (int i = 0; i < ITAB_FILES; i++) {
                itabname(name, k, i);
                held += open(name + 6, O_RDONLY) >= 0;
            }
            char c = held;
            write(report[1], &c, 1);
            read(go[0], &c, 1);     // returns 0 when the parent closes go
            exit(0);
        }
    }
    close(report[1]);
    close(go[0]);
    int held = 0;
    char c;
    for (int k = 0; k < ITAB_KIDS; k++) {
        check(read(report[0], &c, 1) == 1, "a holder did not report");
        held += c;
    }
    // With the table full or nearly, all of these either work or fail cleanly; a
    // create that fails must not leave an inode allocated on the disk.
    int made = 0;
    char fresh[] = "itabnew0";
    for (int i = 0; i < 5; i++) {
        fresh[7] = '0' + i;
        int fd = open(fresh, O_CREATE | O_RDWR);
        if (fd >= 0) {
            made |= 1 << i;
            close(fd);
        }
        mkdir("itabdir");
        unlink("itabdir");
        chdir(".");
    }
    close(go[1]);
    waitallok(ITAB_KIDS);
    close(report[0]);
    check(held > 0, "the holders got no inodes at all");
    for (int i = 0; i < 5; i++) {
        fresh[7] = '0' + i;
        if (made & (1 << i)) xunlink(fresh);
        else check(!exists(fresh), "a failed create left %s behind", fresh);
    }
    // Every name opens again.
    for (int k = 0; k < ITAB_KIDS; k++) {
        for (int i = 0; i < ITAB_FILES; i++) {
            itabname(name, k, i);
            xclose(xopen(name, O_RDONLY));
            xunlink(name);
        }
        name[5] = 0;
        xunlink(name);
    }
}

// More files open at once, in several processes, than the kernel's file table holds:
// open and pipe fail cleanly (a pipe that got one of its two files gives it back, and
// no descriptor), and everything works again once the holders are gone.
static void filetable(char *s) {
    const int kids = 10;
    mkfile("filetable1", "f", 1);
    int report[2], go[2];
    check(pipe(report) == 0 && pipe(go) == 0, "pipe failed");
    for (int k = 0; k < kids; k++) {
        int pid = xfork();
        if (pid == 0) {
            close(0);
            close(report[0]);
            close(go[1]);
            char held = 0;
            while (open("filetable1", O_RDONLY) >= 0) held++;
            write(report[1], &held, 1);
            read(go[0], &held, 1);      // returns 0 when the parent closes go
            exit(0);
        }
    }
    close(report[1]);
    close(go[0]);
    int held = 0;
    char c;
    for (int k = 0; k < kids; k++) {
        check(read(report[0], &c, 1) == 1, "a holder did not report");
        held += c;
    }
    check(held > 0, "the holders opened nothing");
    // With the table full or nearly: pipes and opens work or fail, and a failure leaves
    // no descriptor behind.
    int before = freefds();
    for (int i = 0; i < 5; i++) {
        int p[2];
        if (pipe(p) == 0) {
            close(p[0]);
            close(p[1]);
        }
        int fd = open("filetable1", O_RDONLY);
        if (fd >= 0) close(fd);
    }
    check(freefds() == before, "failed pipes or opens left descriptors in use");
    close(go[1]);
    waitallok(kids);
    close(report[0]);
    int p[2];
    check(pipe(p) == 0, "pipe fails after the holders are gone");
    close(p[0]);
    close(p[1]);
    xclose(xopen("filetable1", O_RDONLY));
    xunlink("filetable1");
}

// Several processes at once make the calls that write the most blocks in one
// transaction: writes crossing into the indirect block at an odd offset (the indirect
// block, four data blocks, the bitmap, the inode), mkdir, unlinks that free big files.
// The log must never overflow nor the buffer cache run dry ("too big a transaction",
// "bget: no buffers").
static void logfill(char *s) {
    const int kids = 6;
    for (int k = 0; k < kids; k++) {
        int pid = xfork();
        if (pid == 0) {
            char name[] = "logfill0", dir[] = "logfilld0";
            name[7] += k;
            dir[8] += k;
            for (int round = 0; round < 4; round++) {
                int fd = xopen(name, O_CREATE | O_RDWR | O_TRUNC);
                xwrite(fd, buf, (NDIRECT - 1) * BSIZE + 1);
                xwrite(fd, buf, 8 * BSIZE);
                xclose(fd);
                xmkdir(dir);
                xunlink(dir);
                xunlink(name);
            }
            exit(0);
        }
    }
    waitallok(kids);
}

// ---- Running the tests ------------------------------------------------------------------

struct test {
    void (*fn)(char *name);
    char *name;
    int slow;       // skipped by -q
};

static struct test tests[] = {
    // bad arguments
    {copyin, "copyin", 0},
    {copyout, "copyout", 0},
    {copyinstr, "copyinstr", 0},
    {ptrargs, "ptrargs", 0},
    {hugelen, "hugelen", 0},
    {badwrite, "badwrite", 0},
    {partialwrite, "partialwrite", 0},
    // memory
    {sbrkbasic, "sbrkbasic", 0},
    {sbrkshrink, "sbrkshrink", 0},
    {sbrkhuge, "sbrkhuge", 0},
    {sbrkall, "sbrkall", 0},
    {sbrkarg, "sbrkarg", 0},
    {sbrkunder, "sbrkunder", 0},
    {sbrklazy1, "sbrklazy", 0},
    {sbrklazyoom, "sbrklazyoom", 0},
    {sbrklazymix, "sbrklazymix", 0},
    {memexhaust, "memexhaust", 0},
    {mallocall, "mallocall", 0},
    {stackguard, "stackguard", 0},
    {stackoverflow, "stackoverflow", 0},
    {textwrite, "textwrite", 0},
    {noexec, "noexec", 0},
    {kernmem, "kernmem", 0},
    {maxva, "maxva", 0},
    {bssdata, "bssdata", 0},
    {sbrkmigrate, "sbrkmigrate", 0},
    // processes
    {exitstatus, "exitstatus", 0},
    {exitwait, "exitwait", 0},
    {killstatus, "killstatus", 0},
    {killblocked, "killblocked", 0},
    {forkfail, "forkfail", 0},
    {reparent, "reparent", 0},
    {preempt, "preempt", 0},
    {killinit, "killinit", 0},
    {forkstorm, "forkstorm", 1},
    {forkforkfork, "forkforkfork", 1},
    {reparent2, "reparent2", 1},
    // pipes
    {pipebig, "pipebig", 0},
    {pipeeof, "pipeeof", 0},
    {pipereaderclosed, "pipereaderclosed", 0},
    {pipefds, "pipefds", 0},
    // files
    {fileio, "fileio", 0},
    {unlinkopen, "unlinkopen", 0},
    {links, "links", 0},
    {truncate, "truncate", 0},
    {truncrace, "truncrace", 0},
    {bigwrite, "bigwrite", 0},
    {bigfile, "bigfile", 0},
    {maxfile, "maxfile", 1},
    {openflags, "openflags", 0},
    {fstats, "fstats", 0},
    {mknods, "mknods", 0},
    {dups, "dups", 0},
    {sharedfd, "sharedfd", 0},
    {fourfiles, "fourfiles", 0},
    // directories and paths
    {dirs, "dirs", 0},
    {dirread, "dirread", 0},
    {dirsiz, "dirsiz", 0},
    {rmdot, "rmdot", 0},
    {notdir, "notdir", 0},
    {cwdremoved, "cwdremoved", 0},
    {irefs, "irefs", 0},
    {deadcwd, "deadcwd", 0},
    {dirrace, "dirrace", 0},
    // concurrent file-system use
    {concreate, "concreate", 0},
    {createdelete, "createdelete", 0},
    {linkunlink, "linkunlink", 0},
    // exec
    {exectest, "exectest", 0},
    {execbad, "execbad", 0},
    {execbigargs, "execbigargs", 0},
    {execout, "execout", 1},
    // time
    {sleeptime, "sleeptime", 0},
    // file-system resources
    {fsleak, "fsleak", 1},
    {diskfull, "diskfull", 1},
    {outofinodes, "outofinodes", 1},
    {bigdir, "bigdir", 1},
    {inodetable, "inodetable", 0},
    {filetable, "filetable", 0},
    {logfill, "logfill", 0},
};
#define NTESTS (int)(sizeof tests / sizeof tests[0])

// Runs one test in a child; returns 1 if it passed.
static int run(struct test *t) {
    printf("test %s: ", t->name);
    int pid = fork();
    if (pid < 0) {
        printf("usertests: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        testname = t->name;
        t->fn(t->name);
        exit(0);
    }
    int status;
    if (wait(&status) != pid) status = -2;
    printf(status == 0 ? "OK\n" : "FAILED\n");
    return status == 0;
}

static struct test *find(const char *name) {
    for (int i = 0; i < NTESTS; i++) {
        if (strcmp(tests[i].name, name) == 0) return &tests[i];
    }
    return 0;
}

static void usage(void) {
    printf("usage: usertests [-q] [test ...]\ntests (* slow):");
    for (int i = 0; i < NTESTS; i++) printf(" %s%s", tests[i].name, tests[i].slow ? "*" : "");
    printf("\n");
    exit(1);
}

int main(int argc, char **argv) {
    int quick = 0, named = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-q") == 0) quick = 1;
        else if (find(argv[i]) == 0) usage();
        else named++;
    }

    printf("usertests starting\n");
    uint64 free0 = countfree();
    int failed = 0;
    if (named) {
        for (int i = 1; i < argc; i++) {
            if (strcmp(argv[i], "-q") != 0) failed += !run(find(argv[i]));
        }
    } else {
        for (int i = 0; i < NTESTS; i++) {
            if (!(quick && tests[i].slow)) failed += !run(&tests[i]);
        }
    }

    // Processes a test orphaned may still be exiting; give init a moment to reap
    // them before judging whether memory was lost.
    uint64 free1 = countfree();
    for (int tries = 0; tries < 10 && free1 < free0; tries++) {
        sleep(1);
        free1 = countfree();
    }
    if (free1 < free0) {
        printf("FAILED -- lost some free pages %ld (out of %ld)\n", (free0 - free1) / PGSIZE, free0 / PGSIZE);
        failed++;
    }
    if (failed) {
        printf("SOME TESTS FAILED\n");
        exit(1);
    }
    printf("ALL TESTS PASSED\n");
    exit(0);
}
