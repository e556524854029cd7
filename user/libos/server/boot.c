// How the file server comes to be, and its own thread of control.
//
// kernel-exo's boot loader starts /init as the first environment, with the boot
// capabilities (all memory, the disk, the console, the clock, the CPU). init's LibOS
// finds itself started that way (a2 is not EXEC_MAGIC, see start.c) and calls libos_boot,
// which this file defines for init alone. The file server must be an environment that
// others can call, i.e. one some environment holds a CAP_ENV for; the first environment
// has none for itself. So libos_boot makes a new environment, paid from its memory, and
// loads /init into it with the ordinary loader (image.c), as pid 0, after granting it the
// boot capabilities at the same handles (0..4) and a CAP_ENV naming itself (handle 5),
// which is what it grants every process so they can call it: loading through the file
// system (mounted here, its log recovered) gives every segment its rights. Then the first
// environment waits for the server's end: it holds the one capability naming the server
// that no process can drop (kernel-exo destroys an environment no other names), and when
// the server ends, so does it, and the machine halts.
//
// The server (libos_server, pid 0) mounts the file system for good, keeps the file
// system's blocks and kv's and gives up the rest of the disk, keeps SRV_RESERVE pages of
// memory for itself and makes the rest the memory all processes share, opens for calls,
// and starts /init once more, as the process with pid 1. Its own thread then only counts
// the deaths of environments it made (EV_CHILD), which calls check for (proc_reap_dead),
// and wakes every process waiting for news: the one whose child died calls again, and that
// call reaps the dead; and it wakes the shells when keys are typed (EV_KEY), for their
// calls to take them in. (The thread may not touch the process table or the console's
// line: a call may be running.)
#include "../libos.h"
#include "server.h"

void proc_wake_waiters(void);   // sproc.h, which this file cannot include (fs.h and user.h clash)
int proc_deaths_unreaped(void);
int proc_deaths_unexplained(void);
void cons_keys_typed(void);
int cons_keys_untaken(void);

int srv_self = -1;
int srv_envid = -1;
int srv_user = -1;
int srv_token = -1;
volatile int srv_child_events;
volatile int srv_kills_pending;
// The server's own thread's doorbell: a copy of the kill token's page that we hold, and
// the capability it derives from. Revoking the copy sends us a notice (EV_NOTICE), pending
// until the thread next blocks.
static int srv_bell = -1;

// From a call: the server's own thread is to look again at what it waits for. It decides
// whether to wait for ticks before it blocks, so what a call changes after that (a kill
// pending) it would not see until some other event came: with every process asleep on a
// word, none would, and the killed process's grace never ran out (docs/exo.md, "Blocking
// in the standard LibOS"). The notice is pending when the thread blocks next, or wakes it
// now if it is blocked.
void srv_ring_thread(void) {
    if (srv_bell < 0) return;
    caprevoke(srv_bell);
    capgrant(srv_bell, EXO_SELF, CAP_R, 0, 0, 0);
}

long srv_page(uint64 va) {
    return page_from(SRV_MEM, va);
}

static void vsay(const char *fmt, lo_va_list ap) {
    char buf[200];
    int n = lo_vsnprintf(buf, sizeof buf, fmt, ap);
    exo_cons_write(SRV_CONS, buf, n);
}

void srv_say(const char *fmt, ...) {
    lo_va_list ap;
    lo_va_start(ap, fmt);
    vsay(fmt, ap);
    lo_va_end(ap);
}

void srv_halt(const char *fmt, ...) {
    lo_va_list ap;
    lo_va_start(ap, fmt);
    vsay(fmt, ap);
    lo_va_end(ap);
    for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)-1L);
}

static struct fdinfo nofd[LIBOS_NOFILE];

// ---- the first environment ----

void libos_boot(int argc, char **argv, struct exo_bootinfo *bi) {
    // Our LibOS region: the loader works in its builder's page.
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (srv_page(UPROC_VA + i * PG) < 0) srv_halt("boot: no memory\n");
    }
    struct uproc *u = UPROC;
    u->magic = UPROC_MAGIC;
    u->h_mem = SRV_MEM;
    u->h_cons = SRV_CONS;
    u->h_clock = SRV_CLOCK;
    u->h_cpu = SRV_CPU;
    lo_strlcpy(u->name, "boot", LIBOS_NAMELEN);

    const char *why = 0;
    if (srv_disk_init(0, &why) < 0) srv_halt("boot: cannot mount the file system: %s\n", why);
    if (srv_file_open("/init") < 0) srv_halt("boot: /init is not in the file system\n");

    long s = capalloc(CAP_ENV, 0, SRV_MEM, 0);
    if (s < 0) srv_halt("boot: cannot make the server's environment (error %ld)\n", s);
    // The boot capabilities, whole, at the same handles (its table is empty, and new
    // handles take the lowest free number), then a CAP_ENV naming itself.
    for (int h = 0; h <= EXO_BOOT_CPU; h++) {
        long g = capgrant(h, (int)s, CAP_ALL, 0, 0, 0);
        if (g != h) srv_halt("boot: cannot give the server boot capability %d (%ld)\n", h, g);
    }
    long self = capgrant((int)s, (int)s, CAP_X | CAP_GRANT, 0, 0, 0);
    if (self < 0) srv_halt("boot: cannot give the server its own name (%ld)\n", self);
    struct handles h = {SRV_MEM, (int)self, SRV_CONS, SRV_CLOCK, SRV_CPU};
    struct image_src src = {srv_file_read, 0};
    static char *sargv[] = {"fsserver", 0};
    if (image_build((int)s, SRV_MEM, &h, &src, sargv, 0, nofd, "fsserver") < 0) srv_halt("boot: cannot load the server\n");
    image_release();
    build_release();
    long r = env_ctl((int)s, ENV_START, 0);
    if (r < 0) srv_halt("boot: cannot start the server (error %ld)\n", r);
    // The server holds everything it needs. We hold its name, and wait for its end.
    struct exo_envinfo info;
    while (env_ctl((int)s, ENV_INFO, &info) == 0 && info.state != ENV_STATE_EXITED)
        exosched(EXOSCHED_BLOCK, EV_CHILD, 0);
    for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)info.status);
}

// ---- the server ----

static long read_init(void *ctx, uint64 off, void *dst, long n) {
    return proc_exec_read((int)(long)ctx, off, dst, n);
}

static void start_init(void) {
    int slot = proc_first();
    if (slot < 0) srv_halt("fsserver: no memory for init\n");
    if (proc_exec_open(slot, "/init") < 0) srv_halt("fsserver: /init is not in the file system\n");
    long env = proc_exec_env(slot);
    if (env < 0) srv_halt("fsserver: cannot make init's environment (error %ld)\n", env);
    struct image_src src = {read_init, (void *)(long)slot};
    static char *argv[] = {"init", 0};
    if (image_build((int)env, proc_mem(slot), &process_handles, &src, argv, 1, nofd, "init") < 0)
        srv_halt("fsserver: cannot load /init\n");
    image_release();
    build_release();
    // The last thing this thread changes: once init runs, calls may come at any moment.
    if (proc_exec_commit(slot, "init") < 0) srv_halt("fsserver: cannot start init\n");
}

static void serve(void) __attribute__((noreturn));
static void serve(void) {
    srv_self = UPROC->h_srv;
    srv_envid = (int)exo_envid();
    const char *why = 0;
    if (srv_disk_init(1, &why) < 0) srv_halt("fsserver: cannot mount the file system: %s\n", why);
    storage_init();
    long t = capalloc(CAP_PAGE, -1, SRV_MEM, 0);
    if (t < 0) srv_halt("fsserver: no memory\n");
    srv_token = (int)t;
    long bell = capgrant(srv_token, EXO_SELF, CAP_R | CAP_GRANT | CAP_REVOKE, 0, 0, 0);
    if (bell < 0 || capgrant((int)bell, EXO_SELF, CAP_R, 0, 0, 0) < 0) srv_halt("fsserver: no room for its doorbell\n");
    srv_bell = (int)bell;
    // All processes' memory: what there is, less what we keep for ourselves.
    struct exo_capinfo mem;
    if (capinfo(SRV_MEM, &mem) < 0) srv_halt("fsserver: no memory capability\n");
    long free = (long)(mem.quota - mem.used);
    long keep = free / 4 < SRV_RESERVE ? free / 4 : SRV_RESERVE;
    long u = capgrant(SRV_MEM, EXO_SELF, CAP_ALL, 0, 0, free - keep);
    if (u < 0) srv_halt("fsserver: cannot set processes' memory aside (error %ld)\n", u);
    srv_user = (int)u;
    for (int i = 0; i < SRV_STACK_PAGES; i++) {
        if (srv_page(SRV_PCT_STACK + i * PG) < 0) srv_halt("fsserver: no memory\n");
    }
    long r = pct_register(srv_entry, SRV_PCT_STACK + SRV_STACK_PAGES * PG, PCT_KNOWN);
    if (r < 0) srv_halt("fsserver: pct_register failed (error %ld)\n", r);

    start_init();

    // Calls are served on their callers' time; this thread only counts deaths, and while a
    // killed process has yet to end, or a death it counted has yet to be reaped by a call,
    // wakes waiters every tick, so that calls come and one of them ends it
    // (proc_force_kills) or reaps it (a waiter may have slept through the first wake-up:
    // proc_wake_waiters). It listens for typed keys too (EV_KEY), and wakes the shells,
    // whose calls take them in; until one has, it ticks (cons.c). Listening so, it is what
    // keeps a machine at a terminal waiting for ^C when every process sleeps for good: the
    // shell on its word, the program it runs on a pipe (kernel-exo halted then). A call that
    // makes it want ticks it did not want when it blocked rings it (EV_NOTICE:
    // srv_ring_thread).
    for (;;) {
        int ticking = srv_kills_pending || proc_deaths_unreaped() || cons_keys_untaken();
        long ev = exosched(EXOSCHED_BLOCK, EV_CHILD | EV_KEY | EV_NOTICE | (ticking ? EV_TICK : 0), 0);
        if (ev < 0) {
            exosched(EXOSCHED_YIELD, 0, 0);
            continue;
        }
        // An end a call caused (exit, exec, a forced kill) was dealt with by that call, which
        // woke whom it concerned; only one no call caused has to be looked for.
        int death = (ev & EV_CHILD) && proc_deaths_unexplained();
        if (death) __atomic_add_fetch(&srv_child_events, 1, __ATOMIC_SEQ_CST);
        if (death || (ev & EV_TICK)) proc_wake_waiters();
        if (ev & EV_KEY) cons_keys_typed();
    }
}

// Runs fn on the stack below top. fn does not return.
void srv_on_stack(void (*fn)(void), uint64 top) __attribute__((noreturn));
__asm__(".section .text.srv_on_stack,\"ax\",@progbits\n"
        ".globl srv_on_stack\n"
        "srv_on_stack:\n"
        "  mv sp, a1\n"
        "  jr a0\n");

void libos_server(void) {
    // We start on the one-page start-up stack; the server's work wants more.
    for (int i = 0; i < SRV_STACK_PAGES; i++) {
        if (srv_page(SRV_MAIN_STACK + i * PG) < 0) srv_halt("fsserver: no memory\n");
    }
    srv_on_stack(serve, SRV_MAIN_STACK + SRV_STACK_PAGES * PG);
}
