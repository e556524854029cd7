// execflood: an exec that makes the file server build as large an image as the ELF checks
// let through, while another process calls the server in a loop and a third takes a page
// and gives it back in a loop, without the server. SRV_EXEC builds the whole program in
// one server call, from the caller's memory, and the server serves one call at a time:
// every other process's call waits for the build. The program is /echo with its last
// segment's bss grown to the top of what a program may use (USERTOP less the guard and
// stack pages), far more than the machine's memory.
//
//   execflood [ROUNDS]   ROUNDS such execs (3 if not given), then one line: the longest
//                        an exec took and the longest the looping process's call waited,
//                        in ticks, how often the taker found no page, and how much memory
//                        all processes have, in pages, before and after (the same, or the
//                        build leaked: a line with FAIL says so, and one says so if such
//                        an image ran)
#include "libos/libos.h"

#define MAXBYTES (32 * 1024)
#define PHSZ 56
#define PT_LOAD 1

static uchar img[MAXBYTES];

static uint64 get(const uchar *p, int n) {
    uint64 v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put(uchar *p, int n, uint64 v) {
    for (int i = 0; i < n; i++, v >>= 8) p[i] = (uchar)v;
}

static void die(const char *why) {
    printf("execflood: FAIL %s\n", why);
    exit(1);
}

// The memory every process may still take, in pages (what this one's quota has left).
static long free_pages(void) {
    struct exo_capinfo ci;
    if (capinfo(UPROC->h_mem, &ci) < 0) return -1;
    return (long)(ci.quota - ci.used);
}

// Calls the server (an open of stop, absent until the execs are over) in a loop, and
// then writes the longest call, in ticks, and their number to fd.
static void caller(int fd, const char *stop) {
    int longest = 0, calls = 0;
    for (;;) {
        int t0 = uptime();
        int f = open(stop, O_RDONLY);
        int d = uptime() - t0;
        if (d > longest) longest = d;
        calls++;
        if (f >= 0) break;
    }
    write(fd, &longest, sizeof longest);
    write(fd, &calls, sizeof calls);
    exit(0);
}

// Takes a page of memory and gives it back, without a call to the server, for ticks
// ticks, and writes how often there was none to fd.
static void taker(int fd, int ticks) {
    int nomem = 0, end = uptime() + ticks;
    while (uptime() < end) {
        char *m = sbrk(PG);
        if (m == (char *)-1) nomem++;
        else {
            m[0] = 1;
            sbrk(-(int)PG);
        }
    }
    write(fd, &nomem, sizeof nomem);
    exit(0);
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    if (rounds < 1) die("usage: execflood [ROUNDS], ROUNDS at least 1");
    int fd = open("/echo", O_RDONLY);
    int n = fd < 0 ? -1 : read(fd, img, sizeof img);
    close(fd);
    if (n <= 0 || n == sizeof img) die("cannot read /echo");
    uint64 phoff = get(img + 32, 8);
    int phnum = (int)get(img + 56, 2);
    uchar *last = 0;
    for (int i = 0; i < phnum; i++) {
        uchar *h = img + phoff + (uint64)i * PHSZ;
        if (get(h, 4) == PT_LOAD) last = h;
    }
    if (last == 0) die("no load segment in /echo");
    put(last + 40, 8, USERTOP - 2 * PG - get(last + 16, 8));
    char path[16] = "xf", stop[16] = "xf";
    int pid = getpid(), k = 2;
    for (int d = 100000; d > 0; d /= 10) if (pid >= d || d == 1) path[k++] = (char)('0' + pid / d % 10);
    lo_strlcpy(stop, path, sizeof stop);
    lo_strlcpy(path + k, ".elf", sizeof path - k);
    lo_strlcpy(stop + k, ".end", sizeof stop - k);
    fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, img, n) != n) die("cannot write the crafted program");
    close(fd);

    long before = free_pages();
    int p[2];
    if (pipe(p) < 0) die("no pipe");
    int looper = fork();
    if (looper == 0) {
        close(p[0]);
        caller(p[1], stop);
    }
    int q[2];
    if (pipe(q) < 0) die("no pipe");
    int takerpid = fork();
    if (takerpid == 0) {
        close(q[0]);
        taker(q[1], 40 * rounds);
    }
    close(q[1]);
    close(p[1]);
    sleep(2); // (the looper calling)
    int slowest = 0, refused = 0;
    for (int r = 0; r < rounds; r++) {
        int t0 = uptime();
        int c = fork();
        if (c == 0) {
            char *args[] = {path, 0};
            exec(path, args);
            exit(77);
        }
        int status = 0;
        if (c < 0) die("cannot fork");
        int w;
        while ((w = wait(&status)) != c) { // (the taker may end first)
            if (w < 0) die("cannot run the crafted program");
        }
        int d = uptime() - t0;
        if (d > slowest) slowest = d;
        refused += status == 77;
    }
    fd = open(stop, O_CREATE | O_WRONLY);
    close(fd);
    int status, longest = -1, calls = -1;
    if (read(p[0], &longest, sizeof longest) != sizeof longest || read(p[0], &calls, sizeof calls) != sizeof calls)
        die("no word from the looping process");
    close(p[0]);
    int starved = -1;
    if (read(q[0], &starved, sizeof starved) != sizeof starved) die("no word from the taker");
    close(q[0]);
    while (wait(&status) >= 0) {}
    unlink(path);
    unlink(stop);
    long after = free_pages();
    printf("execflood: %d of %d execs refused, the longest %d ticks; the looping process's longest call %d ticks (%d calls), a process taking a page at a time refused %d times; memory free %ld pages before, %ld after\n",
           refused, rounds, slowest, longest, calls, starved, before, after);
    if (refused != rounds) printf("execflood: FAIL an image larger than the memory ran\n");
    if (after != before) printf("execflood: FAIL the refused builds kept %ld pages\n", before - after);
    exit(0);
}
