// grind: a randomized stress of the system calls, run until killed.
//
// Rounds follow each other forever. In each round several worker processes make
// thousands of system calls chosen at random, on shared files and directories so
// they race with each other, with good and bad arguments alike. A worker checks only
// what must hold whatever the other workers do (a bad pointer is refused, a pipe
// delivers what was written, a faulting child dies with -1); when something does not
// hold, or a worker itself dies, grind says what and exits 1. The point is that
// nothing a process can do brings the kernel down.
#include "user.h"
#include "xorshift.h"

#define WORKERS 3
#define OPS 1500

static void fail(const char *what) {
    printf("grind: pid %d: %s\n", getpid(), what);
    exit(1);
}

// Addresses no system call may accept as a buffer or a path.
static char *badaddr(void) {
    static const uint64 bad[] = {
        0x80000000UL, 0x3fffffffffUL, 1UL << 38, 0xffffffffffffffffUL,
        0x7fffffffffffffffUL, 0x3ffffff000UL,
    };
    return (char *)bad[pick(sizeof bad / sizeof bad[0])];
}

// The shared names workers use, deepest first (the order they can be removed in).
static const char *names[] = {
    "/grindir/dd/e", "/grindir/dd/f", "/grindir/ee/g", "/grindir/none/x", "/grindir/a",
    "/grindir/b", "/grindir/c", "/grindir/dd", "/grindir/ee", "/grindir/out",
    "/grindir/shared", "/grindir/dev", "/grindir",
};
#define NNAMES (int)(sizeof names / sizeof names[0])

// One of the names (but not /grindir/dev), in one of two buffers, so that two
// calls can make both arguments of link.
static char *randpath(void) {
    static char path[2][32];
    static int which;
    which = !which;
    int i = pick(NNAMES);
    strcpy(path[which], names[i == NNAMES - 2 ? 0 : i]);
    return path[which];
}

static char buf[3 * BSIZE];

// The last page of this worker's memory, for calls that run off its end.
static char *scratch;

// The fds this worker has opened and not yet closed (beyond 0, 1 and 2).
static int fds[NOFILE];

static void addfd(int fd) {
    if (fd < 3) return;
    if (fd >= NOFILE) fail("an fd beyond NOFILE");
    if (fds[fd]) fail("open returned an fd already in use");
    fds[fd] = 1;
}

static int anyfd(void) {
    int fd = pick(NOFILE);
    return fds[fd] ? fd : -1;
}

static void dropfd(int fd) {
    if (close(fd) < 0) fail("close of an open fd failed");
    fds[fd] = 0;
}

// Runs fn in a child and returns the child's exit status.
static int inchild(void (*fn)(void)) {
    int pid = fork();
    if (pid < 0) return 0;      // out of processes: a legitimate answer
    if (pid == 0) {
        fn();
        exit(0);
    }
    int status = 12345;
    if (wait(&status) != pid) fail("wait did not return the child");
    return status;
}

static void touch_kernel(void) {
    volatile char *p = badaddr();
    *p = 1;
    fail("a store to a kernel address did not fault");
}

static void grow_and_exit(void) {
    char *p = sbrk(pick(64) * PGSIZE + 1);
    if (p != (char *)-1) p[0] = 1;
}

static void run_echo(void) {
    close(1);
    if (open("/grindir/out", O_CREATE | O_WRONLY | O_TRUNC) != 1) exit(0);
    char *argv[] = {"echo", "grind", 0};
    exec("/echo", argv);
    exit(0);    // no echo on this disk: nothing to check
}

static void sleeper(void) {
    for (;;) sleep(1);
}

static void step(void) {
    int fd, n, r;
    char *p;
    switch (pick(24)) {
    case 0:
    case 1:     // create or open, write
        if ((fd = open(randpath(), O_CREATE | O_RDWR | (pick(3) == 0 ? O_TRUNC : 0))) < 0) break;
        addfd(fd);
        n = pick(sizeof buf);
        memset(buf, 'a' + pick(26), n);
        r = write(fd, buf, n);
        if (r > n) fail("write wrote more than asked");
        break;
    case 2:     // read
        if ((fd = anyfd()) >= 0 && read(fd, buf, pick(sizeof buf)) > (int)sizeof buf) fail("read too much");
        break;
    case 3:
        if ((fd = anyfd()) >= 0) dropfd(fd);
        break;
    case 4:
        unlink(randpath());
        break;
    case 5:
        mkdir(randpath());
        break;
    case 6:
        link(randpath(), randpath());
        break;
    case 7:     // wander through the directories
        chdir(pick(2) ? "/grindir/dd" : "/grindir");
        if ((fd = open(".", O_RDONLY)) >= 0) {
            struct dirent de;
            while (read(fd, &de, sizeof de) == sizeof de) {}
            close(fd);
        }
        chdir("/");
        break;
    case 8:     // fstat
        if ((fd = anyfd()) >= 0) {
            struct stat st;
            if (fstat(fd, &st) < 0) fail("fstat of an open fd failed");
            if (st.type != T_FILE && st.type != T_DIR && st.type != T_DEVICE) fail("fstat: bad type");
        }
        break;
    case 9:     // dup
        if ((fd = anyfd()) >= 0 && (r = dup(fd)) >= 0) addfd(r);
        break;
    case 10:    // bad pointers
        if ((fd = anyfd()) >= 0) {
            if (write(fd, badaddr(), 1 + pick(100)) > 0) fail("write from a bad address succeeded");
            if (read(fd, badaddr(), 1 + pick(100)) > 0) fail("read into a bad address succeeded");
        }
        if (open(badaddr(), O_RDONLY) >= 0) fail("open of a bad address succeeded");
        if (fstat(0, (struct stat *)badaddr()) == 0) fail("fstat to a bad address succeeded");
        break;
    case 11:    // a pipe between parent and child
    {
        int pfd[2];
        if (pipe(pfd) < 0) break;
        n = 1 + pick(sizeof buf - 1);
        int pid = fork();
        if (pid == 0) {
            close(pfd[0]);
            for (int i = 0; i < n; i++) buf[i] = i * 7;
            write(pfd[1], buf, n);
            exit(0);
        }
        close(pfd[1]);
        int got = 0;
        if (pid > 0) {
            while ((r = read(pfd[0], buf + got, n - got)) > 0) got += r;
            for (int i = 0; i < got; i++) {
                if (buf[i] != (char)(i * 7)) fail("pipe delivered the wrong bytes");
            }
            if (wait(0) != pid) fail("wait after pipe");
            if (got != n) fail("pipe lost bytes");
        }
        close(pfd[0]);
        break;
    }
    case 12:    // a child faults (0: there was no child to fork)
        r = inchild(touch_kernel);
        if (r != -1 && r != 0) fail("a faulting child did not exit with -1");
        break;
    case 13:
        inchild(grow_and_exit);
        break;
    case 14:    // grow, touch, shrink
        n = pick(16) * PGSIZE;
        p = sbrk(n);
        if (p == (char *)-1) break;
        for (int i = 0; i < n; i += PGSIZE) p[i] = 1;
        sbrk(-n);
        break;
    case 15:    // exec echo into a file
        inchild(run_echo);
        break;
    case 16:    // exec things that are not programs
        if (exec(randpath(), 0) >= 0 || exec("/echo", (char **)badaddr()) >= 0) fail("bad exec returned");
        break;
    case 17:    // kill a sleeping child
    {
        int pid = fork();
        if (pid == 0) sleeper();
        if (pid < 0) break;
        if (kill(pid) < 0) fail("kill of a child failed");
        int status;
        if (wait(&status) != pid || status != -1) fail("killed child did not exit with -1");
        break;
    }
    case 18:
        sleep(pick(2));
        if (uptime() < 0) fail("uptime < 0");
        break;
    case 19:    // append to a shared file
        if ((fd = open("/grindir/shared", O_CREATE | O_WRONLY)) >= 0) {
            write(fd, "grind\n", 6);
            close(fd);
        }
        break;
    case 20:    // two-level fork, orphaning a grandchild
    {
        int pid = fork();
        if (pid == 0) {
            if (fork() == 0) {
                sleep(pick(3));
                exit(0);
            }
            exit(0);
        }
        if (pid > 0 && wait(0) != pid) fail("wait for the orphan's parent");
        break;
    }
    case 21:    // a device node (the console: never read, it would wait for input)
        if (pick(2)) {
            mknod("/grindir/dev", CONSOLE, 0);
            if ((fd = open("/grindir/dev", O_WRONLY)) >= 0) close(fd);
        } else {
            unlink("/grindir/dev");
        }
        break;
    case 22:    // huge lengths, from and into the last bytes of memory
        if ((fd = anyfd()) >= 0) {
            read(fd, scratch + PGSIZE - 64, 0x7fffffff);
            write(fd, scratch + PGSIZE - 64, 0x7fffffff);
        }
        break;
    case 23:
        getpid();
        break;
    }
}

static void worker(int id) {
    seed = 0x9e3779b97f4a7c15UL ^ ((uint64)getpid() << 20) ^ (uint64)uptime() ^ id;
    scratch = sbrk(PGSIZE);
    if (scratch == (char *)-1) fail("no memory for a worker");
    for (int i = 0; i < OPS; i++) step();
    exit(0);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        fprintf(2, "usage: grind   (no arguments; it runs until ^C)\n");
        exit(1);
    }
    for (int round = 0;; round++) {
        if (round % 10 == 0) printf("grind: round %d\n", round);
        // Start each round from an almost empty directory, so the disk never fills.
        for (int i = 0; i < NNAMES - 1; i++) unlink(names[i]);
        mkdir("/grindir");
        mkdir("/grindir/dd");
        int pids[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            pids[w] = fork();
            if (pids[w] == 0) worker(round * WORKERS + w);
            if (pids[w] < 0) {
                printf("grind: fork failed\n");
                exit(1);
            }
        }
        for (int w = 0; w < WORKERS; w++) {
            int status;
            int pid = wait(&status);
            if (pid < 0) {
                printf("grind: wait failed\n");
                exit(1);
            }
            if (status != 0) {
                printf("grind: worker %d exited with %d\n", pid, status);
                exit(1);
            }
        }
    }
}
