// badexec: ELF files crafted to hurt exec. Each case starts from a copy of /echo (so it
// is a program of whichever kernel this runs on), changes its headers or contents, writes
// it to a scratch file (bx<pid>.elf, its own for each run of badexec, so that several can
// run at once) and execs it in a child with the argument "hi". Depending on the
// case, exec must refuse it (return -1), run it (echo prints "hi"), or start it only for
// it to die; some cases may go either way, but none may hurt the kernel, another process
// or the file system, and no memory may be lost. A program that hangs is killed.
//
//   badexec            every case
//   badexec NAME ...   just those cases
//
// Prints one line per failing case and "badexec: N cases OK" when all pass.
#include "user.h"
#include "countfree.h"

// ---- The ELF64 fields the cases change ----------------------------------------------

#define E_CLASS 4
#define E_ENTRY 24
#define E_PHOFF 32
#define E_PHENTSIZE 54
#define E_PHNUM 56
#define PHSZ 56
#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_FILESZ 32
#define P_MEMSZ 40
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define MAXBYTES (MAXFILE * BSIZE)

static uchar echo[MAXBYTES];
static int echolen;
static uchar img[MAXBYTES];
static int imglen;

static uint64 get(const uchar *p, int n) {
    uint64 v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void put(uchar *p, int n, uint64 v) {
    for (int i = 0; i < n; i++) p[i] = (uchar)(v >> (8 * i));
}

static uint64 phoff(void) { return get(img + E_PHOFF, 8); }
static int phnum(void) { return (int)get(img + E_PHNUM, 2); }
static uchar *ph(int i) { return img + phoff() + (uint64)i * PHSZ; }

// The i'th PT_LOAD program header (0: the text).
static uchar *load(int i) {
    for (int k = 0; k < phnum(); k++) {
        if (get(ph(k) + P_TYPE, 4) == PT_LOAD && i-- == 0) return ph(k);
    }
    printf("badexec: echo has fewer than %d loadable segments\n", i + 1);
    exit(1);
}

// The end of the highest PT_LOAD segment, rounded up to a page.
static uint64 imageend(void) {
    uint64 end = 0;
    for (int k = 0; k < phnum(); k++) {
        uchar *h = ph(k);
        if (get(h + P_TYPE, 4) != PT_LOAD) continue;
        uint64 e = get(h + P_VADDR, 8) + get(h + P_MEMSZ, 8);
        if (e > end) end = e;
    }
    return (end + PGSIZE - 1) & ~(uint64)(PGSIZE - 1);
}

// Moves the program headers to the end of the file with room for n more, which are
// returned zeroed (the caller fills them in). Returns the first new one.
static uchar *morephdrs(int n) {
    int old = phnum();
    uint64 at = ((uint64)imglen + 7) & ~7UL;
    if (at + (uint64)(old + n) * PHSZ > MAXBYTES) {
        printf("badexec: no room for %d program headers\n", old + n);
        exit(1);
    }
    memmove(img + at, ph(0), old * PHSZ);
    memset(img + at + old * PHSZ, 0, n * PHSZ);
    put(img + E_PHOFF, 8, at);
    put(img + E_PHNUM, 2, old + n);
    imglen = (int)(at + (uint64)(old + n) * PHSZ);
    return ph(old);
}

static void setload(uchar *h, int flags, uint64 off, uint64 vaddr, uint64 filesz, uint64 memsz) {
    put(h + P_TYPE, 4, PT_LOAD);
    put(h + P_FLAGS, 4, flags);
    put(h + P_OFFSET, 8, off);
    put(h + P_VADDR, 8, vaddr);
    put(h + P_FILESZ, 8, filesz);
    put(h + P_MEMSZ, 8, memsz);
}

// ---- Random numbers, for the cases that fuzz -----------------------------------------

static uint64 seed = 1;
static uint64 rnd(void) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

// ---- The cases ----------------------------------------------------------------------

enum expect {
    RUNS,       // exec succeeds and echo prints "hi"
    REFUSED,    // exec returns -1
    DIES,       // exec succeeds and the program is killed (status -1)
    REFUSED_OR_RUNS,
    ANY,        // refused, runs, dies, or prints anything: only the kernel must survive
};

static void unchanged(void) {}
static void phoffpastend(void) { put(img + E_PHOFF, 8, imglen + 4096); }
static void phoffhuge(void) { put(img + E_PHOFF, 8, 0xffffffffffff0000UL); }
static void phoffwraps(void) { put(img + E_PHOFF, 8, -(uint64)PHSZ); }
static void phnummax(void) { put(img + E_PHNUM, 2, 0xffff); }
static void phnumzero(void) { put(img + E_PHNUM, 2, 0); }
static void fileszovermemsz(void) { put(load(0) + P_FILESZ, 8, get(load(0) + P_MEMSZ, 8) + 1); }
static void memszwraps(void) { put(load(1) + P_MEMSZ, 8, -get(load(1) + P_VADDR, 8)); }
static void memszmax(void) { put(load(0) + P_MEMSZ, 8, ~0UL); }
// vaddr + memsz is 2^63: no unsigned overflow, but negative as a signed number, so a
// check "vaddr + memsz > MAXVA" in signed arithmetic passes it. The segment starts on a
// page no earlier segment allocated, with bytes from the file to load there.
static void memszsigned(void) {
    uint64 va = 0x100000;
    put(load(1) + P_OFFSET, 8, 0);
    put(load(1) + P_FILESZ, 8, 64);
    put(load(1) + P_VADDR, 8, va);
    put(load(1) + P_MEMSZ, 8, (1UL << 63) - va);
}
static void vaddrmisaligned(void) { put(load(1) + P_VADDR, 8, get(load(1) + P_VADDR, 8) + 8); }
static void vaddrhuge(void) { put(load(1) + P_VADDR, 8, 0xfffffffffffff000UL); }
static void offsetpastend(void) { put(load(0) + P_OFFSET, 8, imglen + 100); }
static void offsetwraps(void) { put(load(0) + P_OFFSET, 8, -(uint64)16); }
static void truncated(void) { imglen = (int)(get(load(0) + P_OFFSET, 8) + get(load(0) + P_FILESZ, 8) / 2); }
static void entryoutside(void) { put(img + E_ENTRY, 8, 0x3000000000UL); }
static void entryodd(void) { put(img + E_ENTRY, 8, get(img + E_ENTRY, 8) + 1); }
static void entryinbss(void) { put(img + E_ENTRY, 8, get(load(1) + P_VADDR, 8)); }
static void class32(void) { img[E_CLASS] = 1; }
static void phentsizezero(void) { put(img + E_PHENTSIZE, 2, 0); }

// A segment ending at the top of the user address space, or crossing it.
static void segatmaxva(void) {
    setload(morephdrs(1), PF_R | PF_W, 0, MAXVA - PGSIZE, 0, PGSIZE);
}
static void segpastmaxva(void) {
    setload(morephdrs(1), PF_R | PF_W, 0, MAXVA - PGSIZE, 0, 2 * PGSIZE);
}

// A bss bigger than the machine's memory.
static void bssgigabyte(void) { put(load(1) + P_MEMSZ, 8, get(load(1) + P_MEMSZ, 8) + (1UL << 30)); }

// Segments that do nothing: a note, an empty load segment above the image.
static void notesegment(void) {
    uchar *h = morephdrs(1);
    put(h + P_TYPE, 4, PT_NOTE);
    put(h + P_OFFSET, 8, 0);
    put(h + P_FILESZ, 8, 64);
}
static void emptysegment(void) { setload(morephdrs(1), PF_R, 0, imageend() + 4 * PGSIZE, 0, 0); }

// The text again, mapped over the data, below what is already there.
static void overlapping(void) {
    uchar *t = load(0);
    uint64 off = get(t + P_OFFSET, 8), sz = get(t + P_FILESZ, 8);
    setload(morephdrs(1), PF_R | PF_X, off, 0, sz, sz);
}

// Many small segments above the image, one page each.
#define MANY 2000
static void manysegments(void) {
    uint64 base = imageend();
    uchar *h = morephdrs(MANY);
    for (int i = 0; i < MANY; i++) setload(h + i * PHSZ, PF_R | PF_W, 0, base + (uint64)i * PGSIZE, 16, PGSIZE);
}

// As many segments as the largest file holds, each loading the whole file at address 0:
// if exec loaded them all it would copy about a gigabyte, holding the CPU and the log.
static void manyoverlapping(void) {
    int n = (MAXBYTES - imglen - 64) / PHSZ - phnum();
    uchar *h = morephdrs(n);
    for (int i = 0; i < n; i++) setload(h + i * PHSZ, PF_R | PF_X, 0, 0, MAXBYTES - PGSIZE, MAXBYTES - PGSIZE);
    imglen = MAXBYTES;
}

// The text replaced by random bytes: whatever those instructions do, only this
// program may suffer.
static void garbagetext(void) {
    uchar *t = load(0);
    uint64 off = get(t + P_OFFSET, 8), sz = get(t + P_FILESZ, 8);
    for (uint64 i = 0; i < sz; i++) img[off + i] = (uchar)rnd();
}

// Random bytes written over the ELF and program headers.
static void garbageheaders(void) {
    int n = 1 + rnd() % 8;
    uint64 limit = phoff() + (uint64)phnum() * PHSZ;
    for (int i = 0; i < n; i++) img[rnd() % limit] = (uchar)rnd();
}

struct test {
    const char *name;
    void (*make)(void);
    enum expect expect;
    int seeds;      // for the random cases: how many variants
};

static struct test tests[] = {
    {"unchanged", unchanged, RUNS, 0},
    {"phoffpastend", phoffpastend, REFUSED, 0},
    {"phoffhuge", phoffhuge, REFUSED, 0},
    {"phoffwraps", phoffwraps, REFUSED, 0},
    {"phnummax", phnummax, REFUSED, 0},
    {"phnumzero", phnumzero, ANY, 0},
    {"fileszovermemsz", fileszovermemsz, REFUSED, 0},
    {"memszwraps", memszwraps, REFUSED, 0},
    {"memszmax", memszmax, REFUSED, 0},
    {"memszsigned", memszsigned, REFUSED, 0},
    {"vaddrmisaligned", vaddrmisaligned, REFUSED, 0},
    {"vaddrhuge", vaddrhuge, REFUSED, 0},
    {"offsetpastend", offsetpastend, REFUSED, 0},
    {"offsetwraps", offsetwraps, REFUSED, 0},
    {"truncated", truncated, REFUSED, 0},
    {"segatmaxva", segatmaxva, REFUSED, 0},
    {"segpastmaxva", segpastmaxva, REFUSED, 0},
    {"bssgigabyte", bssgigabyte, REFUSED_OR_RUNS, 0},
    {"entryoutside", entryoutside, DIES, 0},
    {"entryodd", entryodd, DIES, 0},
    {"entryinbss", entryinbss, DIES, 0},
    {"class32", class32, REFUSED_OR_RUNS, 0},
    {"phentsizezero", phentsizezero, REFUSED_OR_RUNS, 0},
    {"notesegment", notesegment, RUNS, 0},
    {"emptysegment", emptysegment, RUNS, 0},
    {"overlapping", overlapping, REFUSED, 0},
    {"manysegments", manysegments, RUNS, 0},
    {"manyoverlapping", manyoverlapping, REFUSED, 0},
    {"garbagetext", garbagetext, ANY, 10},
    {"garbageheaders", garbageheaders, ANY, 40},
};
#define NTESTS (int)(sizeof tests / sizeof tests[0])

// ---- Running a case --------------------------------------------------------------------

// Ticks a garbage case's program (ANY) may run before it is killed: random code may loop
// for ever, and being killed is one of the outcomes it may have. Every other case ends by
// itself on a kernel that works (refused, echo's line, or a fault), so badexec waits for
// that and nothing else: a tick is a tenth of a second of the host's time (outside DET),
// and under load an echo that was to run once took longer than this and was killed ("did
// not run (status -1)").
#define PATIENCE 10

static int failures;

static void fail(const char *name, int variant, const char *fmt, int a) {
    printf("badexec: %s", name);
    if (variant >= 0) printf(" #%d", variant);
    printf(": ");
    printf(fmt, a);
    printf("\n");
    failures++;
}

static void writefile(const char *path, const uchar *p, int n) {
    int fd = open(path, O_CREATE | O_WRONLY | O_TRUNC);
    if (fd < 0 || write(fd, p, n) != n) {
        printf("badexec: cannot write %s\n", path);
        exit(1);
    }
    close(fd);
}

// This run's scratch files: the crafted program and what it printed (bx<pid>.elf, .out;
// a file name has at most 14 bytes).
static char elfpath[16], outpath[16];

static void scratchnames(void) {
    char digits[12];
    int n = 0;
    for (int pid = getpid(); pid > 0 || n == 0; pid /= 10) digits[n++] = '0' + pid % 10;
    char *e = elfpath, *o = outpath;
    *e++ = *o++ = 'b';
    *e++ = *o++ = 'x';
    while (n > 0) *e++ = *o++ = digits[--n];
    strcpy(e, ".elf");
    strcpy(o, ".out");
}

// Execs the crafted program in a child, its output into the .out file, killing it after PATIENCE
// ticks if it may run for ever. Returns its exit status: 77 if exec returned -1.
static int runelf(int mayloop) {
    int pid = fork();
    if (pid < 0) {
        printf("badexec: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        close(1);
        if (open(outpath, O_CREATE | O_WRONLY | O_TRUNC) != 1) exit(76);
        char *argv[] = {elfpath, "hi", 0};
        exec(elfpath, argv);
        exit(77);
    }
    int watchdog = mayloop ? fork() : -1;
    if (watchdog == 0) {
        sleep(PATIENCE);
        kill(pid);
        exit(0);
    }
    int status = -2, st, w;
    while ((w = wait(&st)) >= 0) {
        if (w == pid) {
            status = st;
            if (watchdog > 0) kill(watchdog);
        }
    }
    return status;
}

static int output(char *out, int max) {
    int fd = open(outpath, O_RDONLY);
    if (fd < 0) return -1;
    int n = read(fd, out, max);
    close(fd);
    return n;
}

static void runcase(struct test *t, int variant) {
    memmove(img, echo, echolen);
    imglen = echolen;
    t->make();
    writefile(elfpath, img, imglen);
    int status = runelf(t->expect == ANY);
    char out[16];
    int n = output(out, sizeof out);
    int ran = status == 0 && n == 3 && memcmp(out, "hi\n", 3) == 0;
    switch (t->expect) {
    case RUNS:
        if (!ran) fail(t->name, variant, "did not run (status %d)", status);
        break;
    case REFUSED:
        if (status != 77) fail(t->name, variant, "exec did not return -1 (status %d)", status);
        break;
    case DIES:
        if (status != -1) fail(t->name, variant, "the program was not killed (status %d)", status);
        break;
    case REFUSED_OR_RUNS:
        if (status != 77 && !ran) fail(t->name, variant, "neither refused nor ran (status %d)", status);
        break;
    case ANY:
        if (status == 76 || status == -2) fail(t->name, variant, "the child went wrong (status %d)", status);
        break;
    }
}

int main(int argc, char **argv) {
    // A name that is no case says so (it ran nothing and printed "0 cases OK").
    for (int a = 1; a < argc; a++) {
        int known = 0;
        for (int i = 0; i < NTESTS; i++) known |= strcmp(argv[a], tests[i].name) == 0;
        if (known) continue;
        fprintf(2, "badexec: no case %s; the cases:", argv[a]);
        for (int i = 0; i < NTESTS; i++) fprintf(2, " %s", tests[i].name);
        fprintf(2, "\n");
        exit(1);
    }
    int fd = open("/echo", O_RDONLY);
    if (fd < 0) {
        printf("badexec: no /echo to start from\n");
        exit(1);
    }
    int r;
    while ((r = read(fd, echo + echolen, MAXBYTES - echolen)) > 0) echolen += r;
    close(fd);
    if (echolen < 64 || get(echo, 4) != 0x464c457f) {
        printf("badexec: /echo is not an ELF file\n");
        exit(1);
    }

    scratchnames();
    uint64 free0 = countfree();
    int ran = 0;
    for (int i = 0; i < NTESTS; i++) {
        struct test *t = &tests[i];
        int wanted = argc == 1;
        for (int a = 1; a < argc; a++) wanted |= strcmp(argv[a], t->name) == 0;
        if (!wanted) continue;
        if (t->seeds == 0) {
            runcase(t, -1);
            ran++;
        }
        for (int v = 0; v < t->seeds; v++) {
            seed = 0x9e3779b97f4a7c15UL * (v + 1) + i;
            runcase(t, v);
            ran++;
        }
    }
    unlink(elfpath);
    unlink(outpath);

    // Orphans of the garbage may still be exiting; give init a moment.
    uint64 free1 = countfree();
    for (int tries = 0; tries < 10 && free1 < free0; tries++) {
        sleep(1);
        free1 = countfree();
    }
    if (free1 < free0) {
        printf("badexec: %d pages lost\n", (int)((free0 - free1) / PGSIZE));
        failures++;
    }
    if (failures) {
        printf("badexec: %d of %d cases FAILED\n", failures, ran);
        exit(1);
    }
    printf("badexec: %d cases OK\n", ran);
    exit(0);
}
