// execflood: an exec that makes the file server build as large an image as the ELF checks
// let through, while another process calls the server in a loop and a third takes a page
// and gives it back in a loop, without the server. The server builds an exec in pieces,
// serving other calls between them (user/libos/server/proc.c): the looping process's
// calls must not wait for the whole build (with the build in one call they waited for it
// all). The program is /echo with its last segment's bss grown to the top of what a
// program may use (USERTOP less the guard and stack pages), far more than the machine's
// memory.
//
//   execflood [ROUNDS [BUILDERS]]
//                        ROUNDS rounds (3 if not given) of BUILDERS such execs at once (1 if
//                        not given), then one line: the longest round took and the longest
//                        the looping process's call waited, in ticks, how often the taker
//                        found no page, and how much memory all processes have, in pages,
//                        before and after (the same, or the build leaked: a line with FAIL
//                        says so, and one says so if such an image ran)
//   execflood drop       builders that give up in the middle of a build, by hand (SRV_EXEC's
//                        pieces): one destroys its own environment, one is killed, one
//                        makes another call (its next piece is refused), one blocks for good
//                        while an honest exec waits (which must run), one yields for good
//                        beside a spinner of its own (the same); then one line with
//                        the memory before and after, and FAIL for any that did not hold
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

// The crafted program, written to path (and stop named, for the looping process), from
// /echo: its last segment's bss to the top of what a program may use.
static void craft(char *path, char *stop) {
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
    lo_strlcpy(path, "xf", 16);
    int pid = getpid(), k = 2;
    for (int d = 100000; d > 0; d /= 10) if (pid >= d || d == 1) path[k++] = (char)('0' + pid / d % 10);
    path[k] = 0;
    lo_strlcpy(stop, path, 16);
    lo_strlcpy(path + k, ".elf", 16 - k);
    lo_strlcpy(stop + k, ".end", 16 - k);
    fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, img, n) != n) die("cannot write the crafted program");
    close(fd);
}

// The first piece of an exec of path, by hand: after it the server holds the build area
// for us (SRV_AGAIN, EXEC_GOING). 0, or -1.
static int first_piece(const char *path) {
    lo_strlcpy(IPC->path[0], path, SRV_MAXPATH);
    uchar *d = IPC_DATA;
    *(int *)d = 1;
    lo_strlcpy((char *)d + sizeof(int), path, IPC_DATA_SIZE - sizeof(int));
    exo_u64 out[6];
    long r = srv(SRV_EXEC, 0, 0, 0, out);
    return r == SRV_AGAIN && out[1] == EXEC_GOING ? 0 : -1;
}

static int spinner_pid; // the yielding builder's spinner

// A child that takes the build area for path, gives its build up as how says, and tells
// the parent (a byte) once it has. Returns its pid.
static int dropper(const char *path, const char *how) {
    int p[2];
    if (pipe(p) < 0) die("no pipe");
    int pid = fork();
    if (pid < 0) die("cannot fork");
    if (pid == 0) {
        close(p[0]);
        // (one that yields beside a spinner of its own, forked before its build: the ticks
        // fall in the spinner's turns, so its own time stands still while it runs)
        int spinner = how[0] == 'y' ? fork() : 0;
        if (spinner == 0 && how[0] == 'y') for (;;) {}
        char ok = first_piece(path) == 0 ? 'y' : 'n';
        if (ok == 'y' && how[0] == 'c') { // another call: the build is given up, its next piece refused
            int f = open("/", O_RDONLY);
            close(f);
            ok = srv(SRV_EXEC, 1, 0, 0, 0) == -1 ? 'y' : 'n';
        }
        write(p[1], &ok, 1);
        if (how[0] == 'y') write(p[1], &spinner, sizeof spinner);
        if (how[0] == 'd') env_ctl(EXO_SELF, ENV_DESTROY, (void *)7L); // destroyed mid-build
        if (how[0] == 's') for (;;) {}                                  // spins until killed
        if (how[0] == 'b') for (;;) sleep(100);                         // blocked until killed
        if (how[0] == 'y') for (;;) exosched(EXOSCHED_YIELD, 0, 0);     // runs, never comes back
        exit(0);
    }
    close(p[1]);
    char ok = 'n';
    if (read(p[0], &ok, 1) != 1 || ok != 'y') printf("execflood: FAIL %s: the build did not go as planned\n", how);
    if (how[0] == 'y' && read(p[0], &spinner_pid, sizeof spinner_pid) != sizeof spinner_pid) die("no word of the spinner");
    close(p[0]);
    return pid;
}

static void reap(int pid) {
    int status;
    while (wait(&status) != pid) {}
}

static void drop(void) {
    char path[16], stop[16];
    craft(path, stop);
    long before = free_pages();
    reap(dropper(path, "destroyed"));
    int pid = dropper(path, "spinning, then killed");
    kill(pid);
    reap(pid);
    reap(dropper(path, "call"));
    // A builder that blocks for good loses the area to an honest exec beside it.
    pid = dropper(path, "blocked");
    int e = fork();
    if (e == 0) {
        char *args[] = {"echo", "execflood: an exec beside a blocked builder ran", 0};
        exec("/echo", args);
        printf("execflood: FAIL the exec beside a blocked builder was refused\n");
        exit(1);
    }
    reap(e);
    kill(pid);
    reap(pid);
    // One that yields for good beside a spinner of its own: the same.
    pid = dropper(path, "yielding");
    e = fork();
    if (e == 0) {
        char *args[] = {"echo", "execflood: an exec beside a yielding builder ran", 0};
        exec("/echo", args);
        printf("execflood: FAIL the exec beside a yielding builder was refused\n");
        exit(1);
    }
    int t;
    for (t = 0; t < 60; t++) {
        exo_u64 out[6];
        long r = srv(SRV_WAIT, 0, 0, 0, out);
        if (r == e) break;
        sleep(1);
    }
    if (t == 60) printf("execflood: FAIL the exec beside a yielding builder still waits, 60 ticks on\n");
    else printf("execflood: the exec beside a yielding builder ended %d ticks on\n", t);
    kill(pid);
    kill(spinner_pid);
    reap(pid);
    int status;
    while (wait(&status) >= 0) {} // (the honest exec, if it still waited; the spinner, orphaned to init, is killed below)
    unlink(path);
    long after = free_pages();
    for (int i = 0; i < 30 && after != before; i++, after = free_pages()) sleep(1); // (a killed spinner ends after the kill's grace)
    printf("execflood: drop: memory free %ld pages before, %ld after\n", before, after);
    if (after != before) printf("execflood: FAIL the dropped builds kept %ld pages\n", before - after);
    exit(0);
}

int main(int argc, char **argv) {
    if (argc > 1 && lo_strcmp(argv[1], "drop") == 0) drop();
    int rounds = argc > 1 ? atoi(argv[1]) : 3;
    int builders = argc > 2 ? atoi(argv[2]) : 1;
    if (rounds < 1 || builders < 1 || builders > 8)
        die("usage: execflood [ROUNDS [BUILDERS]], ROUNDS at least 1, BUILDERS 1-8");
    char path[16], stop[16];
    craft(path, stop);

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
        int c[8];
        for (int b = 0; b < builders; b++) {
            c[b] = fork();
            if (c[b] == 0) {
                char *args[] = {path, 0};
                exec(path, args);
                exit(77);
            }
            if (c[b] < 0) die("cannot fork");
        }
        for (int left = builders; left > 0;) {
            int status = 0, w = wait(&status); // (the taker may end first)
            if (w < 0) die("cannot run the crafted program");
            for (int b = 0; b < builders; b++) {
                if (w != c[b]) continue;
                left--;
                refused += status == 77;
            }
        }
        int d = uptime() - t0;
        if (d > slowest) slowest = d;
    }
    int fd = open(stop, O_CREATE | O_WRONLY);
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
           refused, rounds * builders, slowest, longest, calls, starved, before, after);
    if (refused != rounds * builders) printf("execflood: FAIL an image larger than the memory ran\n");
    if (after != before) printf("execflood: FAIL the refused builds kept %ld pages\n", before - after);
    exit(0);
}
