// sysbench: what the kernel's services cost, timed from user space.
//
//   sysbench [-i] [-n N] [NAME ...]
//
// Runs each benchmark (all of them, or those named) and prints one line per figure:
//
//   sysbench NAME ITERATIONS UNIT VALUE        e.g.  sysbench getpid 200000 ns/op 812
//
// -i counts instead the user-mode instructions the hart retires per operation (the
// instret CSR: every process's, so a child's and, on kernel-exo, the file server's too;
// on xv6 the kernel's work is Java and not counted): `sysbench -i getpid` prints
// `sysbench getpid 200000 instr/op 6`.
//
// which make bench reads back. -n N runs every benchmark N times instead of its own
// count (tests use a tiny N). Before each timed loop an untimed tenth of it runs, so the
// first iterations do not pay for cold caches. A failed call prints "sysbench: ..." and
// exits 1.
//
// Time is the `time` CSR (rdtime, 10 MHz). Nothing here but user.h's API, so the same
// source measures the xv6 kernel and, linked with the LibOS, kernel-exo.
#include "user.h"

#define TIME_HZ 10000000UL
#define FILE_BYTES 4096
#define FILE_NAME "sysbench.tmp"

static char *self;              // argv[0]: fork_exec_wait execs this program
static char data[FILE_BYTES];   // static: a 4 KiB array would fill the one-page stack
static char back[FILE_BYTES];

static int count_instructions;  // -i: instret, not time

static uint64 rdtime(void) {
    uint64 t;
    if (count_instructions)
        asm volatile("rdinstret %0" : "=r"(t));
    else
        asm volatile("rdtime %0" : "=r"(t));
    return t;
}

static void fail(const char *what) {
    fprintf(2, "sysbench: %s failed\n", what);
    exit(1);
}

// Prints one figure: the average cost of an iteration, in nanoseconds (or instructions).
static void report(const char *name, int n, uint64 ticks) {
    if (count_instructions) {
        printf("sysbench %s %d instr/op %lu\n", name, n, (ticks + n / 2) / n);
        return;
    }
    uint64 ns = (ticks * (1000000000UL / TIME_HZ) + n / 2) / n;
    printf("sysbench %s %d ns/op %lu\n", name, n, ns);
}

// ---- the benchmarks: each runs n iterations and reports what it measured ----------

static void getpid_loop(int n) {
    for (int i = 0; i < n; i++) getpid();
}

static void fork_exit_wait(int n) {
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0) fail("fork");
        if (pid == 0) exit(0);
        if (wait(0) != pid) fail("wait");
    }
}

// The child execs this program with "-e", which exits at once.
static void fork_exec_wait(int n) {
    char *argv[] = {self, "-e", 0};
    for (int i = 0; i < n; i++) {
        int pid = fork();
        if (pid < 0) fail("fork");
        if (pid == 0) {
            exec(self, argv);
            fprintf(2, "sysbench: exec %s failed\n", self);
            exit(1);
        }
        int status;
        if (wait(&status) != pid || status != 0) fail("exec's child");
    }
}

// A byte to a child and a byte back, through two pipes: two context switches a trip.
static void pipe_roundtrip(int n) {
    int to[2], from[2];
    if (pipe(to) < 0 || pipe(from) < 0) fail("pipe");
    int pid = fork();
    if (pid < 0) fail("fork");
    char c = 'x';
    if (pid == 0) {
        close(to[1]);
        close(from[0]);
        while (read(to[0], &c, 1) == 1)
            if (write(from[1], &c, 1) != 1) fail("child's pipe write");
        exit(0);
    }
    close(to[0]);
    close(from[1]);
    for (int i = 0; i < n; i++) {
        if (write(to[1], &c, 1) != 1) fail("pipe write");
        if (read(from[0], &c, 1) != 1) fail("pipe read");
    }
    close(to[1]); // the child reads end-of-file and exits
    close(from[0]);
    if (wait(0) != pid) fail("wait");
}

static uint64 file_ticks[3]; // create+write, read, unlink

static void file_cycle(int n) {
    for (int i = 0; i < n; i++) {
        uint64 t0 = rdtime();
        int fd = open(FILE_NAME, O_CREATE | O_WRONLY);
        if (fd < 0) fail("open(O_CREATE)");
        if (write(fd, data, FILE_BYTES) != FILE_BYTES) fail("file write");
        close(fd);
        uint64 t1 = rdtime();
        fd = open(FILE_NAME, O_RDONLY);
        if (fd < 0) fail("open");
        if (read(fd, back, FILE_BYTES) != FILE_BYTES) fail("file read");
        close(fd);
        uint64 t2 = rdtime();
        if (unlink(FILE_NAME) < 0) fail("unlink");
        uint64 t3 = rdtime();
        file_ticks[0] += t1 - t0;
        file_ticks[1] += t2 - t1;
        file_ticks[2] += t3 - t2;
    }
    if (memcmp(data, back, FILE_BYTES) != 0) fail("reading back what was written");
}

static void sbrk_page(int n) {
    for (int i = 0; i < n; i++) {
        if (sbrk(PGSIZE) == (char *)-1) fail("sbrk");
        if (sbrk(-PGSIZE) == (char *)-1) fail("sbrk(-)");
    }
}

// Iteration counts: each loop takes well under a few seconds on xv6j (the file cycle is
// slow because every log commit waits for the host's disk).
static const struct bench {
    const char *name;
    void (*run)(int n);
    int count;
} benches[] = {
    {"getpid", getpid_loop, 200000},
    {"fork_exit_wait", fork_exit_wait, 1000},
    {"fork_exec_wait", fork_exec_wait, 500},
    {"pipe_roundtrip", pipe_roundtrip, 20000},
    {"file", file_cycle, 100},
    {"sbrk_page", sbrk_page, 20000},
};
#define NBENCH (int)(sizeof benches / sizeof benches[0])

static void run(const struct bench *b, int n) {
    int warm = n / 10 > 0 ? n / 10 : 1;
    b->run(warm);
    file_ticks[0] = file_ticks[1] = file_ticks[2] = 0;
    uint64 t0 = rdtime();
    b->run(n);
    uint64 ticks = rdtime() - t0;
    if (b->run == file_cycle) {
        // One 4 KiB file: its three phases, timed apart.
        report("file_create_write", n, file_ticks[0]);
        report("file_read", n, file_ticks[1]);
        report("file_unlink", n, file_ticks[2]);
    } else {
        report(b->name, n, ticks);
    }
}

static void usage(void) {
    fprintf(2, "usage: sysbench [-i] [-n N] [NAME ...]\nbenchmarks:");
    for (int i = 0; i < NBENCH; i++) fprintf(2, " %s", benches[i].name);
    fprintf(2, "\n");
    exit(2);
}

int main(int argc, char **argv) {
    self = argv[0];
    if (argc == 2 && strcmp(argv[1], "-e") == 0) exit(0); // fork_exec_wait's child
    int n = 0, first = 1;
    if (argc > first && strcmp(argv[first], "-i") == 0) {
        count_instructions = 1;
        first++;
    }
    if (argc > first + 1 && strcmp(argv[first], "-n") == 0) {
        n = atoi(argv[first + 1]);
        if (n <= 0) usage();
        first += 2;
    }
    for (int i = 0; i < FILE_BYTES; i++) data[i] = (char)(i * 7 + 1);
    if (first == argc) {
        for (int i = 0; i < NBENCH; i++) run(&benches[i], n ? n : benches[i].count);
        exit(0);
    }
    for (int a = first; a < argc; a++) {
        int i = 0;
        while (i < NBENCH && strcmp(argv[a], benches[i].name) != 0) i++;
        if (i == NBENCH) usage();
        run(&benches[i], n ? n : benches[i].count);
    }
    exit(0);
}
