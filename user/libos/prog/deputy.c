// deputy: a process that goes around its LibOS to mislead the file server (or its parent's
// LibOS), one attack per argument (LibosDeputyTest, ConsoleWakeTest). Each prints what it
// got, its lines prefixed with the attack's name; a line with "FAIL" is an attack that
// worked.
//
//   deputy pipeforge   lies about a pipe's open ends in the pipe's page
//   deputy forkabort   undoes the fork of a child that already runs
//   deputy exitlive    says it exits, and runs on
//   deputy embryorun   starts the child it builds itself, and has it call the server
//   deputy readrace    reads the console from the window between "again" and the block
//   deputy cowpeek     keeps a page shared copy-on-write after fork, to read its parent's writes
//   deputy forkkeep    keeps every right on the pages it forks with, and uses them after its child execs
//   deputy deafread    claims the console, asks it for a line once, and sleeps on the clock for good
//   deputy pipeinject  writes into a pipe's ring through the read end it holds
//   deputy pipegrip    holds a pipe's lock through the read end it holds, to hold up the writer
//
// (One program, not six: every program carries the whole LibOS, and the image is xv6's
// 2000 blocks.)
#include "libos/libos.h"
#include "libos/lib/pipering.h"
#include "embryo.h"

// pipeforge: lies to the file server through a pipe's shared page. Every holder of a pipe
// end maps the pipe's page writable (the ring is in it), and the page also carries the
// flags that say which ends are still open. If the server believed those flags, a process
// holding the read end could mark it closed, close its write end, and so make the server
// free the pipe while our read descriptor still named it; then
//   1. the pipe's number goes to the next pipe anyone makes (here, another process's),
//      and a fork of ours maps that pipe and reads what it carries;
//   2. once that one is gone too, closing our stale descriptor makes the server write to
//      the page it had unmapped: the server faults, and every process with it.
// It prints what it got; "pipeforge: the server kept its own count" when both failed.
#define SECRET "the victim's secret"

// Another process, with no descriptor of our pipe: makes a pipe of its own and puts a
// secret in it, waits while we try to read it, then closes it.
static void victim(void) {
    sleep(3);
    int p[2];
    if (pipe(p) < 0) {
        printf("pipeforge: FAIL victim: no pipe\n");
        exit(1);
    }
    write(p[1], SECRET, sizeof SECRET);
    sleep(10);
    close(p[1]);
    char buf[64];
    int n = read(p[0], buf, sizeof buf);
    printf("pipeforge: the victim reads back %d bytes%s\n", n, n == sizeof SECRET ? "" : ": FAIL someone took them");
    close(p[0]);
    exit(0);
}

static int pipeforge_main(void) {
    int v = fork();
    if (v == 0) victim();
    int fds[2];
    if (pipe(fds) < 0) {
        printf("pipeforge: FAIL no pipe\n");
        exit(1);
    }
    struct pipewpage *pw = (struct pipewpage *)PIPE_VA(fdget(fds[0])->pipe);
    pw->s.otheropen = 0;        // the lie: "nobody reads this pipe any more"
    close(fds[1]);              // the last writer: would both ends now be closed?
    sleep(6);                   // the victim makes its pipe meanwhile
    int g = fork();             // fork maps every pipe our descriptors name into the child
    if (g == 0) {
        char buf[64];
        int n = read(fds[0], buf, sizeof buf);
        if (n > 0) printf("pipeforge: FAIL read another process's pipe: %s\n", buf);
        else printf("pipeforge: our read end still reads our own pipe: %s\n", n == 0 ? "end of file" : "error");
        exit(0);
    }
    wait(0);
    wait(0);                    // the victim, whose pipe is gone now
    close(fds[0]);              // the stale descriptor, if the server had let the pipe go
    // Only a server that is still alive answers this.
    int fd = open("/deputy", O_RDONLY);
    printf("pipeforge: %s\n", fd >= 0 ? "the server kept its own count" : "FAIL the server is gone");
    exit(0);
}

// The forgery and the grip, around the LibOS, on the pipe's pages as the server maps them
// to a holder of the read end alone (lib/pipering.h): the ring is in the writers' page;
// the lock it can take is the readers'.
static void pipe_forge(int pipe, const char *text) {
    struct pipewpage *w = (struct pipewpage *)PIPE_VA(pipe);
    for (int i = 0; text[i]; i++) w->data[(w->nwrite + i) % PIPESIZE] = (uchar)text[i];
    w->nwrite += lo_strlen(text);
}

static void pipe_grip(int pipe, int ticks) {
    struct pipeside *lock = (struct pipeside *)(PIPE_VA(pipe) + PG);   // the readers' page
    pipe_lock(lock, UPROC->envid);
    sleep(ticks);
    pipe_unlock(lock);
}

// pipeinject: a process that holds only a pipe's read end writes bytes into the ring
// itself, as if a writer had, for another reader of the pipe to take for the writer's.
// On xv6 a read end only takes bytes out. The child here keeps the read end alone and
// stores into the pipe's page around its LibOS; the parent writes the real message; a
// second child, with the write end alone, moves the reader's index past two of its bytes;
// the parent closes its write end and reads to the end of file.
// It prints what the reader got; "pipeinject: the reader got: real" when the forgery failed.
static int pipeinject_main(void) {
    int fds[2];
    if (pipe(fds) < 0) {
        printf("pipeinject: FAIL no pipe\n");
        exit(1);
    }
    int c = fork();
    if (c == 0) {
        close(fds[1]);          // the read end alone
        pipe_forge(fdget(fds[0])->pipe, "forged ");
        printf("pipeinject: FAIL a read end wrote into the ring\n");
        exit(0);
    }
    wait(0);                    // the forger is done (or was killed for trying)
    write(fds[1], "real", 4);
    c = fork();
    if (c == 0) {
        close(fds[0]);          // the write end alone: nor can it skip bytes the reader has not read
        struct piperpage *r = (struct piperpage *)(PIPE_VA(fdget(fds[1])->pipe) + PG);
        r->nread += 2;
        printf("pipeinject: FAIL a write end moved the reader's index\n");
        exit(0);
    }
    wait(0);
    close(fds[1]);
    char buf[64];
    int n = 0, r;
    while (n < (int)sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
    buf[n] = 0;
    printf("pipeinject: the reader got: %s%s\n", buf, lo_strcmp(buf, "real") == 0 ? "" : " (FAIL forged)");
    exit(0);
}

// pipegrip: a process that holds only a pipe's read end takes the lock a writer needs and
// keeps it. On xv6 no holder of an end can hold up the other end's calls: a writer to a
// pipe with room writes at once. The child holds the lock for 30 ticks; the parent writes
// a few bytes, which fit, and says how many ticks its write took.
// It prints "pipegrip: the write took N ticks" (FAIL when the lock held it up).
static int pipegrip_main(void) {
    int fds[2];
    if (pipe(fds) < 0) {
        printf("pipegrip: FAIL no pipe\n");
        exit(1);
    }
    int c = fork();
    if (c == 0) {
        close(fds[1]);
        pipe_grip(fdget(fds[0])->pipe, 30);
        exit(0);
    }
    sleep(2);                   // the child has the lock by now
    int t0 = uptime();
    int w = write(fds[1], "hello", 5);
    int t = uptime() - t0;
    printf("pipegrip: the write of %d bytes took %s ticks\n", w, t < 10 ? "few" : "FAIL 10 or more");
    wait(0);
    close(fds[1]);
    char buf[8];
    int n = read(fds[0], buf, sizeof buf);
    printf("pipegrip: the reader got %d bytes\n", n);
    exit(0);
}

// forkabort: asks the file server to undo the fork of a child that is already running
// (SRV_FORK_ABORT is for a child its parent could not finish building). Had the server
// done it, the child would have vanished from the process table with no zombie and no
// exit, and the children it had forked would have kept its freed slot as their parent:
// the next process to get that slot (here, a new child of ours) would adopt them, wait
// for them and reap them, though it never forked them.
// It prints what happened; "forkabort: refused" when the server would not.
static int forkabort_main(void) {
    int p[2];
    pipe(p);
    int c = fork();
    if (c == 0) {
        // The child: forks a grandchild that outlives it, says so, and waits a while.
        int g = fork();
        if (g == 0) {
            sleep(20);
            exit(7);
        }
        write(p[1], &g, sizeof g);
        sleep(40);
        exit(3);
    }
    int g;
    read(p[0], &g, sizeof g);
    long r = srv(SRV_FORK_ABORT, c, 0, 0, 0);
    printf("forkabort: undoing the fork of a running child: %s\n", r == 0 ? "FAIL done" : "refused");
    // A new child: does it adopt the grandchild?
    int n = fork();
    if (n == 0) {
        int status = 0;
        int got = wait(&status);
        if (got == g) printf("forkabort: FAIL a new child reaped a process it never forked (pid %d)\n", got);
        exit(0);
    }
    int status = -1;
    int got;
    int reaped_c = 0;
    while ((got = wait(&status)) >= 0) {
        if (got == c && status == 3) reaped_c = 1;
    }
    printf("forkabort: the child %s\n", reaped_c ? "ran to its end and was reaped" : "FAIL vanished");
    exit(0);
}

// exitlive: tells the file server it exits (SRV_EXIT), as exit() does, and then goes on
// running instead of ending its environment. Had the server only taken its word for it,
// the process would have been a zombie that runs: kill cannot reach a zombie, so it would
// run on, holding its memory and its pipes, until its parent waited for it (its LibOS's
// slice upcall, which would notice a kill, it turns off).
// It prints "exitlive: FAIL ..." from the zombie if it ran on, and the status its parent
// reaped.
static int exitlive_main(void) {
    int c = fork();
    if (c == 0) {
        exo_upcall(0, 0, 0);    // no slice upcalls: our LibOS would notice a kill at one
        srv(SRV_EXIT, 7, 0, 0, 0);
        // Only a zombie left running gets here: no descriptors now, so straight to the console.
        static const char msg[] = "exitlive: FAIL a zombie still runs\n";
        long t0 = exo_ticks(UPROC->h_clock);
        for (int said = 0; said < 3;) {
            if (exo_ticks(UPROC->h_clock) - t0 > 2 * said) {
                exo_cons_write(UPROC->h_cons, msg, sizeof msg - 1);
                said++;
            }
        }
        for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)7L);
    }
    sleep(2);
    kill(c);
    sleep(8);
    int status = 0;
    int got = wait(&status);
    printf("exitlive: reaped the child %s, status %d\n", got == c ? "by pid" : "FAIL not", status);
    exit(0);
}

// embryorun: a parent holds its child's environment (R|W) while it builds it after
// SRV_FORK, until SRV_FORK_START, where the server takes that hold back and starts the
// child. This parent starts the child itself instead, on a few instructions of its own,
// and never asks for FORK_START: the child runs as a process the parent still controls.
// Had the server served it, a process would be acting under its own pid while another
// process held its environment (it could stop it, change its registers, fill its table),
// which the LibOS promises never happens. The child calls SRV_DUP and reports what came
// back; "embryorun: refused" when the server would not serve a child not yet started.
// The child's program, RV64 machine code: pct_call(LH_SRV, {SRV_DUP, 0}) with a0..a2 set
// by the parent, then the transfer's status and the server's result into the mailbox
// (t1), and a flag; then it spins.
static const uint code[] = {
    (SYS_pct_call << 20) | (17 << 7) | 0x13,            // addi a7, x0, SYS_pct_call
    0x00000073,                                         // ecall
    (10 << 20) | (6 << 15) | (3 << 12) | 0x23,          // sd a0, 0(t1)
    (11 << 20) | (6 << 15) | (3 << 12) | (8 << 7) | 0x23,   // sd a1, 8(t1)
    (1 << 20) | (7 << 7) | 0x13,                        // addi t2, x0, 1
    (7 << 20) | (6 << 15) | (3 << 12) | (16 << 7) | 0x23,   // sd t2, 16(t1)
    0x0000006f,                                         // j .
};

static int embryorun_main(void) {
    exo_u64 out[6];
    long pid = srv(SRV_FORK, 0, 0, 0, out);
    if (pid < 0) {
        printf("embryorun: FAIL no fork\n");
        exit(1);
    }
    int env = (int)out[1];
    static struct exo_regs r;
    r.x[10] = LH_SRV;
    r.x[11] = SRV_DUP;
    r.x[12] = 0;
    volatile long *mbox = embryo_fill(env, code, sizeof code, &r);
    if (mbox == 0 || env_ctl(env, ENV_START, 0) < 0) {
        printf("embryorun: FAIL cannot start the child\n");
        exit(1);
    }
    for (int t = 0; t < 20 && mbox[2] == 0; t++) sleep(1);
    if (mbox[2] == 0) printf("embryorun: FAIL the child never called\n");
    else if (mbox[0] != 0) printf("embryorun: FAIL the call did not go through (error %ld)\n", mbox[0]);
    else if (mbox[1] >= 0) printf("embryorun: FAIL the server served the child we hold: dup gave fd %ld\n", mbox[1]);
    else printf("embryorun: a child we started ourselves: refused\n");
    printf("embryorun: abort %s\n", srv(SRV_FORK_ABORT, pid, 0, 0, 0) == 0 ? "ok" : "FAIL refused");
    exit(0);
}

// readrace: a console reader caught between the file server's "no line yet" and its block
// on EV_CONSOLE — as the LibOS's console_read is when it is preempted there — while its
// parent, a shell on the console's stack, waits for it: the parent's wait takes the keys
// typed meanwhile into the server's line buffer, and EV_CONSOLE, pending only while keys
// wait in kernel-exo's buffer, is gone. The reader must still get its line. It says
// "readrace: ready" when it is in the window (type a line then), and "readrace: read ..."
// with what it read.
static int readrace_main(void) {
    if (interactive() < 0) {
        printf("readrace: FAIL not the interactive shell\n");
        exit(1);
    }
    int c = fork();
    if (c == 0) {
        if (srv(SRV_CONSREAD, 0, 64, 0, 0) != SRV_AGAIN) {
            printf("readrace: FAIL a line was waiting\n");
            exit(1);
        }
        printf("readrace: ready\n");
        // The window, held open for a second: the parent's waits take the keys in.
        long t0 = exo_ticks(UPROC->h_clock);
        while (exo_ticks(UPROC->h_clock) - t0 < 10) {
        }
        exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_NOTICE, 0);    // as console_read, then its retry
        char buf[64];
        int n = read(0, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        printf("readrace: read %s", buf);
        exit(0);
    }
    wait(0);
    printf("readrace: done\n");
    exit(0);
}

// cowpeek: a child that keeps its hold on a page it shares copy-on-write with its parent.
// After fork both map the page read-only, each through its own capability (the child's
// derived from the parent's), and the first to write copies it; but when nobody else
// mapped it any more (exo_pagerefs 1: the child wrote, exited or exec'd) the parent took
// it back without copying. Mappings are not holds: the child unmaps the page and keeps its
// capability, the parent writes a secret, and the child maps the page again and read it,
// as if memory were shared after fork. (Now neither side keeps CAP_W: the parent copies.)
#define COWSECRET "written after the fork"

static char cowarea[2 * PG];

static int cowpeek_main(void) {
    char *page = (char *)PGROUNDUP((uint64)cowarea);
    lo_strlcpy(page, "as it was at the fork", PG);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0) {
        printf("cowpeek: FAIL no pipe\n");
        exit(1);
    }
    int pid = fork();
    if (pid == 0) {
        char c = 0;
        int h = VP_HANDLE(vpt_get((uint64)page));
        // (Our LibOS still thinks it is mapped: touch nothing on it until it is again.)
        exo_unmap(EXO_SELF, (uint64)page);
        write(up[1], "u", 1);
        read(down[0], &c, 1);
        long r = exo_map(EXO_SELF, (uint64)page, h, MAP_R);
        if (r < 0) printf("cowpeek: the child's hold on the page was taken back\n");
        else if (lo_strcmp(page, COWSECRET) == 0) printf("cowpeek: FAIL the child reads what its parent wrote after the fork\n");
        else printf("cowpeek: the child reads \"%s\"\n", page);
        exit(0);
    }
    char c = 0;
    read(up[0], &c, 1);
    lo_strlcpy(page, COWSECRET, PG); // copy-on-write: a copy, or the page taken back
    write(down[1], "w", 1);
    wait(0);
    printf("cowpeek: the parent reads \"%s\"\n", page);
    return 0;
}

// cowwrite: a parent that goes around its LibOS after fork. Both sides map a shared page
// read-only, but the parent's capability for it kept CAP_W (so that it could take the page
// back without copying once nobody else mapped it; and a read-only page of its image, text
// or constants, it had always held so): mapping it writable again, the parent wrote into
// what its child reads or runs, as if memory were shared after fork, though no process
// may control another once it runs (the server takes the parent's hold on the child's
// environment back when it starts).
static char cowwarea[2 * PG];
static const char cowro[PG] __attribute__((aligned(PG))) = "as it was linked";

// The parent maps its page at va writable again and writes s there.
static void cowwrite_try(const char *what, const char *page, const char *s) {
    int h = VP_HANDLE(vpt_get((uint64)page));
    long r = exo_map(EXO_SELF, (uint64)page, h, MAP_R | MAP_W);
    if (r < 0) printf("cowwrite: the parent cannot map the shared %s page writable (%ld)\n", what, r);
    else lo_strlcpy((char *)page, s, PG); // (a fault here would copy: a kill is not expected)
}

static int cowwrite_main(void) {
    char *page = (char *)PGROUNDUP((uint64)cowwarea);
    lo_strlcpy(page, "as it was at the fork", PG);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0) {
        printf("cowwrite: FAIL no pipe\n");
        exit(1);
    }
    int pid = fork();
    if (pid == 0) {
        char c = 0;
        write(up[1], "u", 1);
        read(down[0], &c, 1);
        if (lo_strcmp(page, COWSECRET) == 0 || lo_strcmp(cowro, COWSECRET) == 0)
            printf("cowwrite: FAIL the child reads what its parent wrote after the fork\n");
        printf("cowwrite: the child reads \"%s\" and \"%s\"\n", page, cowro);
        exit(0);
    }
    char c = 0;
    read(up[0], &c, 1);
    cowwrite_try("writable", page, COWSECRET);
    cowwrite_try("read-only", cowro, COWSECRET);
    write(down[1], "w", 1);
    wait(0);
    return 0;
}

// forkkeep: a parent hostile from the start keeps, before it forks, a capability with
// every right (CAP_W, CAP_REVOKE) for each page it has, so the standard fork's letting go
// of CAP_W leaves it what it kept. Until its child execs, the child runs in memory the
// parent holds so, and the parent writes into what the child reads: that is inherent
// (docs/exo.md, "A child until it execs"), and shown here, not failed. After the child
// execs (deputy execvictim), the program runs in memory its process's own quota paid for,
// built by the LibOS's exec: the parent writes through every capability it kept, revokes
// them, then revokes its own memory capability. The exec'd program must read only what it
// wrote, and run on.
#define KEEPSECRET "the parent was here"
#define KEEP_VA 0x2000000000UL  // where the parent maps what it kept (no LibOS area)
#define KEEPMAX 256

static char keeparea[2 * PG];
static long kept[KEEPMAX];
static uint64 keptva[KEEPMAX];

static int forkkeep_main(void) {
    char *page = (char *)PGROUNDUP((uint64)keeparea);
    lo_strlcpy(page, "as it was at the fork", PG);
    int up[2], down[2];
    if (pipe(up) < 0 || pipe(down) < 0 || up[1] != 4 || down[0] != 5) {
        printf("forkkeep: FAIL no pipes at fds 3..6\n");
        exit(1);
    }
    int n = 0;
    for (uint64 va = 0; va < UPROC->sz && n < KEEPMAX; va += PG) {
        vpte_t e = vpt_get(va);
        if (e == 0 || !(VP_FLAGS(e) & VP_CAPW)) continue;
        long h = capgrant(VP_HANDLE(e), EXO_SELF, CAP_ALL, 0, 0, 0);
        if (h >= 0) {
            kept[n] = h;
            keptva[n++] = va;
        }
    }
    int pid = fork();
    if (pid == 0) {
        char c = 0;
        write(up[1], "u", 1);
        read(down[0], &c, 1);
        printf("forkkeep: before exec, the child reads \"%s\"%s\n", page,
               lo_strcmp(page, KEEPSECRET) == 0 ? " (its parent's write: a parent is trusted until exec)" : "");
        char *argv[] = {"deputy", "execvictim", 0};
        exec("deputy", argv);
        printf("forkkeep: FAIL exec\n");
        exit(1);
    }
    char c = 0;
    read(up[0], &c, 1);
    // Before exec: write through what we kept of the page the child reads.
    for (int i = 0; i < n; i++) {
        if (keptva[i] != (uint64)page) continue;
        if (exo_map(EXO_SELF, KEEP_VA, (int)kept[i], MAP_R | MAP_W) < 0) continue;
        lo_strlcpy((char *)KEEP_VA, KEEPSECRET, PG);
        exo_unmap(EXO_SELF, KEEP_VA);
    }
    write(down[1], "w", 1);
    read(up[0], &c, 1); // the exec'd program has written its memory and waits
    // Every page we kept that we still share copy-on-write (all our writable ones: our
    // stack page is the one fork copied for the child, and our text and constants we run)
    // we copy for ourselves first, by writing it, so that what we write through what we
    // kept lands only where the child, or what it became, might be.
    int wrote = 0;
    for (int i = 0; i < n; i++) {
        if (!(VP_FLAGS(vpt_get(keptva[i])) & VP_COW)) continue;
        volatile char *own = (volatile char *)keptva[i];
        *own = *own;
        if (exo_map(EXO_SELF, KEEP_VA, (int)kept[i], MAP_R | MAP_W) < 0) continue;
        lo_memset((void *)KEEP_VA, 0x5a, PG);
        exo_unmap(EXO_SELF, KEEP_VA);
        wrote++;
    }
    for (int i = 0; i < n; i++) caprevoke((int)kept[i]);
    printf("forkkeep: after exec, the parent wrote through the %d pages it kept that it shared, and revoked all %d\n", wrote, n);
    // And the memory capability our pages since our own exec came from (what we just
    // copied among them): everything derived from it goes, whoever holds it.
    long r = caprevoke(UPROC->h_mem);
    write(down[1], "w", 1);
    exit(r < 0 ? 1 : 0);
}

// The program forkkeep's child execs: writes its own memory, tells the parent, and once the
// parent has done its worst, checks it.
static char victimarea[2 * PG];
static const char victimro[] = "the victim's constants";

static int execvictim_main(void) {
    char *page = (char *)PGROUNDUP((uint64)victimarea);
    lo_strlcpy(page, "the exec'd program's own", PG);
    char *heap = sbrk(PG);
    lo_strlcpy(heap, "its own heap", PG);
    char c = 0;
    write(4, "e", 1);
    read(5, &c, 1);
    sleep(3); // (on another hart the parent is revoking its memory meanwhile)
    int ok = lo_strcmp(page, "the exec'd program's own") == 0 && lo_strcmp(heap, "its own heap") == 0 &&
             lo_strcmp(victimro, "the victim's constants") == 0;
    printf("forkkeep: after exec, %s\n", ok ? "the program reads only what it wrote" : "FAIL its parent reached its memory");
    exit(0);
}

// deafread: a program that claims the console as a shell would, asks it for a line once
// (none: "again", which leaves it a reader in the server's eyes), and goes to sleep for
// good on the clock, not on the console. The server took any process left a reader and
// blocked for one waiting for its line, whatever it blocked on, so ^C never found it deaf:
// it killed nothing, and the shell below waited for ever (ConsoleDeafReaderTest).
static int deafread_main(void) {
    if (interactive() != 0) {
        printf("deafread: FAIL the console refused our claim\n");
        exit(1);
    }
    long r = srv(SRV_CONSREAD, 0, 64, 0, 0);
    printf("deafread: the console is ours; asleep%s\n", r == SRV_AGAIN ? "" : ": FAIL a line was waiting");
    for (;;) exosched(EXOSCHED_BLOCK, EV_TICK, 0);
}

// capfull: a process that fills its own capability table (grants of one of its pages to
// itself) before it asks the server for what the server must grant into that table: a
// pipe's page, a child's environment. Each must fail cleanly, with nothing half-made
// left in the server; with the table emptied again (one revocation), the same calls work,
// and as many times as before.
static void pipes_and_forks(int *pipes, int *forks) {
    int fds[2];
    *pipes = *forks = 0;
    for (int i = 0; i < 20; i++) {
        if (pipe(fds) == 0) {
            (*pipes)++;
            close(fds[0]);
            close(fds[1]);
        }
        int pid = fork();
        if (pid == 0) exit(0);
        if (pid > 0) {
            (*forks)++;
            wait(0);
        }
    }
}

static int capfull_main(void) {
    char *page = (char *)PGROUNDUP((uint64)cowarea);
    page[0] = 1; // (ours, writable: our own capability, with CAP_GRANT and CAP_REVOKE)
    int h = VP_HANDLE(vpt_get((uint64)page));
    long n = 0, r;
    while ((r = capgrant(h, EXO_SELF, CAP_R, 0, 0, 0)) >= 0) n++;
    printf("capfull: %ld grants to ourselves, then %s\n", n, r == E_FULL ? "E_FULL" : r == E_NOMEM ? "E_NOMEM" : "another error");
    int pipes, forks;
    pipes_and_forks(&pipes, &forks);
    printf("capfull: full, %d of 20 pipes and %d of 20 forks\n", pipes, forks);
    long gone = caprevoke(h);
    pipes_and_forks(&pipes, &forks);
    printf("capfull: %s; then %d of 20 pipes and %d of 20 forks\n", gone == n ? "all revoked" : "FAIL not all revoked", pipes, forks);
    return 0;
}

// srvfuzz: a client that goes around its LibOS and calls the server with what it likes:
// every operation that leaves the caller a process (not EXIT, EXEC, EXEC_COMMIT),
// KILL and the console's aside, with absurd arguments and garbage in its IPC page (paths
// without their NUL, random data). Every call must come back; then the server must still
// serve everyone (the shell's next command) and the file system be clean (fsck).
static unsigned long fuzz_state = 0x9e3779b97f4a7c15UL;

static unsigned long fuzz_next(void) {
    fuzz_state ^= fuzz_state << 13;
    fuzz_state ^= fuzz_state >> 7;
    fuzz_state ^= fuzz_state << 17;
    return fuzz_state;
}

static long fuzz_arg(void) {
    static const long absurd[] = {-1, 0, 1, 2, 3, 15, 16, 63, 64, 1024, 4096, 4097, 0x7fffffff, -0x80000000L,
                                  0x7fffffffffffffffL, (long)0x8000000000000000UL};
    unsigned long r = fuzz_next();
    return r & 1 ? absurd[(r >> 1) % (sizeof absurd / sizeof absurd[0])] : (long)(r >> 1) % 40;
}

static int srvfuzz_main(void) {
    static const int ops[] = {SRV_FORK_START, SRV_FORK_ABORT, SRV_EXEC_OPEN, SRV_EXEC_READ, SRV_EXEC_ENV,
                              SRV_EXEC_ABORT, SRV_WAIT, SRV_OPEN, SRV_CLOSE, SRV_DUP, SRV_READ, SRV_WRITE,
                              SRV_FSTAT, SRV_PIPE, SRV_LINK, SRV_UNLINK, SRV_MKDIR, SRV_MKNOD, SRV_CHDIR,
                              0, -1, SRV_NOPS, 1000};
    int n = 0;
    for (int i = 0; i < 3000; i++) {
        unsigned long r = fuzz_next();
        volatile char *path = IPC->path[0];
        for (int j = 0; j < 2 * SRV_MAXPATH; j++) {
            unsigned long b = fuzz_next();
            path[j] = b % 5 == 0 ? '/' : b % 7 == 0 ? 0 : 'a' + (char)(b % 3); // short names, often absent
        }
        if (r % 4 == 0) path[2 * SRV_MAXPATH - 1] = 'x'; // and no NUL at all
        for (int j = 0; j < 64; j++) IPC_DATA[j] = (uchar)fuzz_next();
        int op = ops[(r >> 8) % (sizeof ops / sizeof ops[0])];
        exo_u64 out[6];
        srv(op, fuzz_arg(), fuzz_arg(), fuzz_arg(), out);
        n++;
    }
    for (int fd = 3; fd < LIBOS_NOFILE; fd++) close(fd);
    chdir("/");
    printf("srvfuzz: %d calls, each came back\n", n);
    return 0;
}

// execfuzz: SRV_EXEC (the server builds the program from the arguments the caller packed
// into its data page: argc, then the strings) with what a client likes there: counts
// negative, 0, at and past LIBOS_MAXARG, huge; strings without a NUL up to the page's end;
// long ones that fill the page. Each try in a child of its own, of /echo, its output into
// a scratch file. An argv that is whole (argc in 0..31, each string ended in the page) and
// small must run; one that is not must be refused (the child goes on: status 77); none may
// end otherwise. Then the server serves the shell's next command; fsck is clean.
#define EXECFUZZ_TRIES 60

static int execfuzz_main(void) {
    int ran = 0, refused = 0, odd = 0;
    for (int i = 0; i < EXECFUZZ_TRIES; i++) {
        unsigned long r = fuzz_next();
        static const int counts[] = {-1, 0, 1, 2, 3, LIBOS_MAXARG - 1, LIBOS_MAXARG, LIBOS_MAXARG + 1, 0x7fffffff,
                                     (int)0x80000000};
        int argc = counts[r % (sizeof counts / sizeof counts[0])];
        int shape = (int)((r >> 8) % 4); // 0: short strings; 1: no NUL to the end; 2: one long; 3: random bytes
        // Whole: the count is one a client could send, and every string ends in the page.
        int whole = argc >= 0 && argc < LIBOS_MAXARG && (shape == 0 || (shape == 1 && argc == 0));
        int pid = fork();
        if (pid < 0) {
            printf("execfuzz: FAIL fork\n");
            return 1;
        }
        if (pid == 0) {
            close(1);
            if (open("xfz.out", O_CREATE | O_WRONLY | O_TRUNC) != 1) exit(76);
            lo_strlcpy(IPC->path[0], "/echo", SRV_MAXPATH);
            volatile uchar *d = IPC_DATA;
            for (int j = 4; j < IPC_DATA_SIZE; j++) {
                unsigned long b = fuzz_next();
                d[j] = shape == 0 ? (b % 4 == 0 ? 0 : 'a' + (uchar)(b % 26))
                     : shape == 1 ? 'x'
                     : shape == 2 ? (j == IPC_DATA_SIZE - 1 ? 0 : 'y')
                     : (uchar)b;
            }
            *(volatile int *)d = argc;
            UPROC->exiting = 1;
            srv(SRV_EXEC, 0, 0, 0, 0);
            UPROC->exiting = 0;
            exit(77);
        }
        int status = -2;
        if (wait(&status) != pid) {
            printf("execfuzz: FAIL wait\n");
            return 1;
        }
        if (status == 0) ran++;
        else if (status == 77) refused++;
        else odd++;
        if (whole && status != 0) printf("execfuzz: FAIL try %d (argc %d, shape %d) not run: status %d\n", i, argc, shape, status);
        if (!whole && shape != 2 && shape != 3 && status == 0)
            printf("execfuzz: FAIL try %d (argc %d, shape %d) ran\n", i, argc, shape);
        if (status != 0 && status != 77) printf("execfuzz: FAIL try %d (argc %d, shape %d) ended with status %d\n", i, argc, shape, status);
    }
    unlink("xfz.out");
    printf("execfuzz: %d tries, %d ran, %d refused, %d ended otherwise\n", EXECFUZZ_TRIES, ran, refused, odd);
    return 0;
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*run)(void);
    } attacks[] = {
        {"pipeforge", pipeforge_main}, {"forkabort", forkabort_main}, {"exitlive", exitlive_main},
        {"embryorun", embryorun_main}, {"readrace", readrace_main}, {"cowpeek", cowpeek_main},
        {"cowwrite", cowwrite_main}, {"srvfuzz", srvfuzz_main},
        {"capfull", capfull_main}, {"forkkeep", forkkeep_main}, {"execvictim", execvictim_main},
        {"deafread", deafread_main}, {"pipeinject", pipeinject_main}, {"pipegrip", pipegrip_main},
        {"execfuzz", execfuzz_main},
    };
    for (unsigned i = 0; argc == 2 && i < sizeof attacks / sizeof attacks[0]; i++) {
        if (lo_strcmp(argv[1], attacks[i].name) == 0) return attacks[i].run();
    }
    printf("usage: deputy pipeforge|forkabort|exitlive|embryorun|readrace|cowpeek|cowwrite|srvfuzz|capfull|forkkeep|deafread|pipeinject|pipegrip|execfuzz\n");
    exit(1);
}
