// jitbait: code built to make the translator fail, run the same under every engine.
// Each case writes RISC-V code into a page the program may write and run (a section
// linked writable and executable), makes it hot, changes it, and checks every result
// against what the instructions must compute. A wrong result is a translator bug; a
// Java error or a hang is one too.
//
//   jitbait            every case
//   jitbait NAME ...   just those cases
//
// Prints one line per failing case and "jitbait: N cases OK" when all pass.
#include "user.h"

// 14 pages, writable and executable (exec gives a segment the rights its flags ask;
// progbits, as lld cannot relax beside an executable nobits section).
asm(".section .jitbuf,\"awx\",@progbits\n"
    ".balign 4096\n"
    ".globl jitbuf\n"
    "jitbuf: .zero 57344\n"
    ".text\n");
extern unsigned int jitbuf[];
#define JITWORDS (57344 / 4)

#define ADDI_A0_1 0x00150513u   // addi a0, a0, 1
#define RET 0x00008067u         // jalr x0, 0(ra)

static void fence_i(void) { asm volatile("fence.i" ::: "memory"); }

typedef long (*fn)(long);
static fn at(unsigned int *p) { return (fn)(void *)p; }

static int failures;
static void fail(const char *c, const char *what, long got, long want) {
    printf("jitbait: %s: %s: got %ld, want %ld\n", c, what, got, want);
    failures++;
}

// addi a0, a0, imm12 / addi a0, x0, imm12
static unsigned int addi_a0(int imm) { return ((unsigned)(imm & 0xfff) << 20) | (10 << 15) | (10 << 7) | 0x13; }
static unsigned int li_a0(int imm) { return ((unsigned)(imm & 0xfff) << 20) | (10 << 7) | 0x13; }

// A page of 1023 increments and a ret, entered at every instruction, each entry hot,
// and at the middle of every instruction (whose upper half, 0x0015, is a c.nop hint).
static void entries(void) {
    const char *c = "entries";
    int n = 1023;
    for (int i = 0; i < n; i++) jitbuf[i] = ADDI_A0_1;
    jitbuf[n] = RET;
    fence_i();
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < n; k++) {
            long got = at(&jitbuf[k])(0);
            if (got != n - k) { fail(c, "entry", got, n - k); return; }
        }
    for (int k = 0; k < n; k += 7) {
        long got = at((unsigned int *)((char *)&jitbuf[k] + 2))(0);
        if (got != n - k - 1) { fail(c, "mid-instruction entry", got, n - k - 1); return; }
    }
}

// A page of 512 distinct branches: each beq jumps forward to its own increment, so
// every path through the page is a different hot region.
static void branches(void) {
    const char *c = "branches";
    unsigned int *p = jitbuf + 1024;
    int n = 340;   // 3 words each: bne a1, x0, +8; addi a0, a0, i; (fallthrough or skip)
    for (int i = 0; i < n; i++) {
        // bne a1, zero, +8 : imm=8 -> imm[4:1]=0100 in bits 11:8, funct3=001
        p[3 * i] = (0u << 25) | (0 << 20) | (11 << 15) | (1 << 12) | (8 << 7) | 0x63;
        p[3 * i + 1] = addi_a0(i & 0x3ff);
        p[3 * i + 2] = 0x00158593u;   // addi a1, a1, 1 ... then a1 != 0 for the rest
    }
    p[3 * n] = RET;
    fence_i();
    // Entered at each block with a1 = 0: adds i, then a1 = 1 skips every later add
    // (bne skips the addi, then a1 grows).
    for (int round = 0; round < 6; round++)
        for (int k = 0; k < n; k++) {
            long got;
            register long a0 asm("a0") = 0;
            register long a1 asm("a1") = 0;
            register void *t asm("t0") = &p[3 * k];
            asm volatile("jalr ra, 0(t0)" : "+r"(a0), "+r"(a1) : "r"(t) : "ra", "memory");
            got = a0;
            if (got != (k & 0x3ff)) { fail(c, "path", got, k & 0x3ff); return; }
        }
}

// Code rewritten every iteration: the same slot returns i, for 6000 values of i; at
// the same time, two children do the same on their own pages (other harts).
static void smc_one(unsigned int *p, int iters, const char *c) {
    for (int i = 0; i < iters; i++) {
        p[0] = li_a0(i & 0x7ff);
        p[1] = addi_a0((i >> 11) & 0x3f);
        p[2] = RET;
        fence_i();
        long got = at(p)(0);
        long want = (i & 0x7ff) + ((i >> 11) & 0x3f);
        if (got != want) { fail(c, "rewritten code", got, want); return; }
    }
}

static void smc(void) {
    int pids[2];
    for (int j = 0; j < 2; j++) {
        pids[j] = fork();
        if (pids[j] == 0) {
            failures = 0;
            smc_one(jitbuf + 2048 + 1024 * j, 6000, "smc (child)");
            exit(failures ? 1 : 0);
        }
    }
    smc_one(jitbuf + 4096, 6000, "smc");
    for (int j = 0; j < 2; j++) {
        int st = -1;
        if (wait(&st) < 0 || st != 0) fail("smc", "child", st, 0);
    }
}

// 8 pages of straight-line increments, called hot: regions end at page boundaries.
static void straight(void) {
    const char *c = "straight";
    unsigned int *p = jitbuf + 5120;
    int n = 8 * 1024 - 1;
    for (int i = 0; i < n; i++) p[i] = ADDI_A0_1;
    p[n] = RET;
    fence_i();
    for (int r = 0; r < 2500; r++) {
        long got = at(p)(r);
        if (got != r + n) { fail(c, "sum", got, r + n); return; }
    }
}

// Hot code changed by the kernel (read() from a pipe and from a file into it), then
// run again: the new instructions must run, not the compiled old ones.
static void kernelwrite(void) {
    const char *c = "kernelwrite";
    unsigned int *p = jitbuf + 3072;
    unsigned int code[3] = {li_a0(7), RET, 0};
    for (int i = 0; i < 3; i++) p[i] = code[i];
    fence_i();
    for (int r = 0; r < 5000; r++) if (at(p)(0) != 7) { fail(c, "before", at(p)(0), 7); return; }
    int fds[2];
    if (pipe(fds) < 0) { fail(c, "pipe", -1, 0); return; }
    code[0] = li_a0(99);
    write(fds[1], code, 8);
    if (read(fds[0], p, 8) != 8) { fail(c, "pipe read", -1, 8); return; }
    close(fds[0]);
    close(fds[1]);
    fence_i();
    long got = at(p)(0);
    if (got != 99) fail(c, "after a pipe's read", got, 99);
    for (int r = 0; r < 5000; r++) if (at(p)(0) != 99) { fail(c, "hot again", at(p)(0), 99); return; }
    int fd = open("jitbait.tmp", O_CREATE | O_RDWR);
    code[0] = li_a0(-5);
    write(fd, code, 8);
    close(fd);
    fd = open("jitbait.tmp", O_RDONLY);
    read(fd, p, 8);
    close(fd);
    unlink("jitbait.tmp");
    fence_i();
    got = at(p)(0);
    if (got != -5) fail(c, "after a file's read", got, -5);
}

// Recursion a million frames deep, on a stack of 16 MiB from sbrk.
static long down(long n) {
    if (n == 0) return 0;
    volatile long keep = n;
    return 1 + down(n - 1) + (keep - n);
}
static long on_stack(long (*f)(long), long arg, char *top) {
    register long a0 asm("a0") = arg;
    register void *t asm("t1") = (void *)f;
    register char *s asm("t2") = top;
    asm volatile("mv s1, sp\n mv sp, t2\n jalr ra, 0(t1)\n mv sp, s1"
                 : "+r"(a0) : "r"(t), "r"(s)
                 : "ra", "s1", "t0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t3", "t4", "t5", "t6", "memory");
    return a0;
}
static void recursion(void) {
    const char *c = "recursion";
    int size = 48 << 20;
    char *stack = sbrk(size);
    if (stack == (char *)-1) { fail(c, "sbrk", -1, 0); return; }
    long n = 1000000;
    long got = on_stack(down, n, stack + size);
    if (got != n) fail(c, "depth", got, n);
    sbrk(-size);
}

// Not a case (`jitbait storm`): how much two harts rewriting hot code (each version a
// loop of 2000 instructions, so each is compiled) slow a third hart's CPU-bound loop,
// against two harts running the same loop unchanged, or only with a fence.i before each
// call. Prints the loop's time alone and beside each, in timer ticks.
static unsigned long rdtime(void) { unsigned long t; asm volatile("rdtime %0" : "=r"(t)); return t; }
static unsigned long victim(void) {
    unsigned long t0 = rdtime();
    volatile unsigned long x = 1;
    for (int i = 0; i < 20000000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
    return rdtime() - t0;
}
// Two children on other harts: each calls a loop of 2000 instructions on its own page,
// written once if rewrite is 0, rewritten the same before every call if 1, rewritten
// before every call so that no two versions are alike if 2; not written again, but a
// fence.i before every call, if 3.
static void busy(int rewrite, int pids[2]) {
    for (int j = 0; j < 2; j++) {
        if ((pids[j] = fork()) == 0) {
            unsigned int *p = jitbuf + 2048 + 1024 * j;
            for (int i = 0;; i++) {
                int v = rewrite == 2 ? i : 0;
                if (i > 0 && (rewrite == 0 || rewrite == 3)) {
                    if (rewrite == 3) fence_i();
                    at(p)(0);
                    continue;
                }
                p[0] = li_a0(1000);                                       // a0 = 1000
                p[1] = addi_a0(-1);                                       // loop: a0 -= 1
                p[2] = 0xfe051ee3u;                                       // bnez a0, loop
                p[3] = addi_a0(v & 0x7ff);                                // a0 += v
                p[4] = 0x00000013u | ((unsigned)((v >> 11) & 0x7ff) << 20);   // addi x0, x0, v>>11
                p[5] = RET;
                fence_i();
                at(p)(0);
            }
        }
    }
}
static void storm(void) {
    int pids[2];
    unsigned long alone = victim();
    busy(0, pids);
    unsigned long plain = victim();
    for (int j = 0; j < 2; j++) kill(pids[j]);
    for (int j = 0; j < 2; j++) wait(0);
    busy(1, pids);
    unsigned long same = victim();
    for (int j = 0; j < 2; j++) kill(pids[j]);
    for (int j = 0; j < 2; j++) wait(0);
    busy(3, pids);
    unsigned long fenced = victim();
    for (int j = 0; j < 2; j++) kill(pids[j]);
    for (int j = 0; j < 2; j++) wait(0);
    busy(2, pids);
    unsigned long rewriting = victim();
    for (int j = 0; j < 2; j++) kill(pids[j]);
    for (int j = 0; j < 2; j++) wait(0);
    printf("jitbait storm: victim alone %lu; beside two harts looping %lu, with fence.i %lu, "
           "rewriting the same %lu, rewriting anew %lu\n", alone, plain, fenced, same, rewriting);
}

static struct { const char *name; void (*run)(void); } cases[] = {
    {"entries", entries}, {"branches", branches}, {"smc", smc},
    {"straight", straight}, {"kernelwrite", kernelwrite}, {"recursion", recursion},
};
#define NCASES (int)(sizeof cases / sizeof cases[0])

int main(int argc, char **argv) {
    int ran = 0;
    if (argc == 2 && strcmp(argv[1], "storm") == 0) { storm(); exit(0); }
    // A name that is no case says so (it ran nothing and printed "0 cases OK").
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < NCASES; i++) known |= strcmp(argv[a], cases[i].name) == 0;
        if (known) continue;
        fprintf(2, "jitbait: no case %s; the cases:", argv[a]);
        for (int i = 0; i < NCASES; i++) fprintf(2, " %s", cases[i].name);
        fprintf(2, " (or storm, alone)\n");
        exit(1);
    }
    for (int i = 0; i < NCASES; i++) {
        int chosen = argc < 2;
        for (int a = 1; a < argc; a++) if (strcmp(argv[a], cases[i].name) == 0) chosen = 1;
        if (!chosen) continue;
        cases[i].run();
        ran++;
    }
    if (failures == 0) printf("jitbait: %d cases OK\n", ran);
    exit(failures ? 1 : 0);
}
