// fsrace: three processes (one a hart, on three harts) race on the same few names in
// one directory: create, write, link, unlink, mkdir, chdir into and out of, and remove
// each other's files and directories; meanwhile pipes are closed under readers and
// writers blocked in them, and processes are killed while they do all this. Afterwards
// the directory must empty, and no memory may be lost.
//
//   fsrace [ROUNDS [MASK]]    (default 300 rounds, every action; bit i of MASK runs action i)
//
// Prints "fsrace: OK" when the directory emptied and memory came back.
#include "user.h"
#include "countfree.h"
#include "xorshift.h"

#define NAMES 4
static char *names[NAMES] = {"a", "b", "c", "d"};

static int mask = 0x1ff;   // which of the nine actions run (argv[2], for narrowing a failure)

static void racer(int id, int rounds) {
    seed = 0x9e3779b97f4a7c15ULL * (id + 1);
    char buf[64];
    for (int i = 0; i < rounds; i++) {
        char *n = names[rnd() % NAMES];
        char *m = names[rnd() % NAMES];
        int what = rnd() % 9;
        if (!(mask & (1 << what))) continue;
        switch (what) {
        case 0: {
            int fd = open(n, O_CREATE | O_RDWR);
            if (fd >= 0) {
                write(fd, buf, sizeof buf);
                close(fd);
            }
            break;
        }
        case 1: link(n, m); break;
        case 2: unlink(n); break;
        case 3: mkdir(n); break;
        case 4:
            if (chdir(n) == 0) {
                int fd = open("x", O_CREATE | O_RDWR);
                if (fd >= 0) close(fd);
                unlink("x");
                chdir("..");
            }
            break;
        case 5: {
            int fd = open(n, O_RDONLY);
            if (fd >= 0) {
                read(fd, buf, sizeof buf);
                close(fd);
            }
            break;
        }
        case 6: {
            // A pipe whose other end a child closes while this one blocks in it.
            int p[2];
            if (pipe(p) < 0) break;
            int pid = fork();
            if (pid == 0) {
                close(p[0]);
                write(p[1], buf, 8);
                close(p[1]);
                exit(0);
            }
            close(p[1]);
            while (read(p[0], buf, sizeof buf) > 0) {}
            close(p[0]);
            if (pid > 0) wait(0);
            break;
        }
        case 7: {
            // A writer killed while it blocks on a full pipe nobody reads.
            int p[2];
            if (pipe(p) < 0) break;
            int pid = fork();
            if (pid == 0) {
                close(p[0]);
                for (;;) write(p[1], buf, sizeof buf);
            }
            close(p[1]);
            read(p[0], buf, 1);
            if (pid > 0) {
                kill(pid);
                wait(0);
            }
            close(p[0]);
            break;
        }
        case 8: {
            // A child killed in the middle of its own file-system calls.
            int pid = fork();
            if (pid == 0) {
                for (;;) {
                    int fd = open(m, O_CREATE | O_RDWR);
                    if (fd >= 0) close(fd);
                    unlink(m);
                    mkdir(m);
                    unlink(m);
                }
            }
            if (pid > 0) {
                sleep(1);
                kill(pid);
                wait(0);
            }
            break;
        }
        }
    }
}

// Removes name, whether a file or a directory (emptied first), ignoring failures.
static void clear(char *name) {
    if (chdir(name) == 0) {
        unlink("x");
        chdir("..");
    }
    unlink(name);
}

int main(int argc, char **argv) {
    if (argc > 3 || (argc > 1 && !isnum(argv[1])) || (argc > 2 && (!isnum(argv[2]) || atoi(argv[2]) > 0x1ff))) {
        fprintf(2, "usage: fsrace [ROUNDS [MASK]]   (bit i of MASK, up to 511, runs action i)\n");
        exit(1);
    }
    int rounds = argc > 1 ? atoi(argv[1]) : 300;
    if (argc > 2) mask = atoi(argv[2]);
    mkdir("fsrace.d");
    if (chdir("fsrace.d") < 0) {
        printf("fsrace: cannot make fsrace.d\n");
        exit(1);
    }
    uint64 before = countfree();
    for (int id = 0; id < 3; id++) {
        if (fork() == 0) {
            racer(id, rounds);
            exit(0);
        }
    }
    for (int id = 0; id < 3; id++) wait(0);
    for (int i = 0; i < NAMES; i++) clear(names[i]);
    for (int i = 0; i < NAMES; i++) clear(names[i]);
    int fails = 0;
    int fd = open(".", O_RDONLY);
    struct dirent de;
    while (fd >= 0 && read(fd, &de, sizeof de) == sizeof de) {
        if (de.inum == 0 || strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0) continue;
        printf("fsrace: %s left in the directory\n", de.name);
        fails++;
    }
    close(fd);
    chdir("..");
    if (unlink("fsrace.d") < 0) {
        printf("fsrace: cannot remove fsrace.d\n");
        fails++;
    }
    uint64 after = countfree();
    if (after < before) {
        printf("fsrace: %lu bytes of memory lost\n", before - after);
        fails++;
    }
    if (fails == 0) printf("fsrace: OK\n");
    exit(fails ? 1 : 0);
}
