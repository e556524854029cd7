// The first environment. kernel-exo's boot loader starts /init with the boot capabilities
// (all memory, the disk, the console, the clock, the CPU); init's LibOS finds itself
// started that way (a2 is not EXEC_MAGIC, see start.c) and calls libos_boot, which this
// file defines for init alone: the environment becomes the file server. It mounts the file
// system (recovering the log), opens for calls, and starts /init again, this time as a
// LibOS process — pid 1, which runs init's main. Then its own thread only watches for
// events and announces them (see server.h).
//
// What it needs from kernel-exo beyond user/exo.h's letter: a capability naming its own
// environment, to grant to every process so that they can call it. It asks for one with
// capgrant(EXO_SELF, EXO_SELF, ...): EXO_SELF in place of the source handle.
#include "../libos.h"
#include "server.h"

int srv_self = -1;
int srv_bulletin = -1;

long srv_page(uint64 va) {
    long h = capalloc(CAP_PAGE, -1, SRV_MEM, 0);
    if (h < 0) return h;
    long r = exo_map(EXO_SELF, va, (int)h, MAP_R | MAP_W);
    if (r < 0) {
        capfree((int)h);
        return r;
    }
    return h;
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

// The server reads /init for itself, through the process table's exec.
static long read_init(void *ctx, uint64 off, void *dst, long n) {
    return proc_exec_read((int)(long)ctx, off, dst, n);
}

static void start_init(void) {
    int slot = proc_first();
    if (slot < 0) srv_halt("fsserver: no memory for init\n");
    if (proc_exec_open(slot, "/init") < 0) srv_halt("fsserver: /init is not in the file system\n");
    long env = proc_exec_env(slot);
    if (env < 0) srv_halt("fsserver: cannot make init's environment (error %ld)\n", env);
    struct creator c = {SRV_MEM, srv_self, SRV_CONS, SRV_CLOCK, SRV_CPU};
    struct image_src src = {read_init, (void *)(long)slot};
    static char *argv[] = {"init", 0};
    static struct fdinfo nofd[LIBOS_NOFILE];
    if (image_build((int)env, &c, &src, argv, 1, nofd, "init") < 0) srv_halt("fsserver: cannot load /init\n");
    if (proc_exec_commit(slot, "init") < 0) srv_halt("fsserver: cannot start init\n");
    int adopted = build_wait((int)env);
    image_release();
    build_release();
    if (adopted != 1) srv_halt("fsserver: init could not start (%d)\n", adopted);
}

void libos_boot(int argc, char **argv) {
    // Our LibOS region: the builder's page is what exec's loader works in.
    for (int i = 0; i < UPROC_PAGES; i++) {
        if (srv_page(UPROC_VA + i * PG) < 0) srv_halt("fsserver: no memory\n");
    }
    struct uproc *u = UPROC;
    u->magic = UPROC_MAGIC;
    u->h_mem = SRV_MEM;
    u->h_cons = SRV_CONS;
    u->h_clock = SRV_CLOCK;
    u->h_cpu = SRV_CPU;
    u->h_srv = -1;
    lo_strlcpy(u->name, "fsserver", LIBOS_NAMELEN);

    long self = capgrant(EXO_SELF, EXO_SELF, CAP_R | CAP_X | CAP_GRANT, 0, 0);
    if (self < 0)
        srv_halt("fsserver: kernel-exo gives no capability for the server's own environment "
                 "(capgrant(EXO_SELF, EXO_SELF, ...): error %ld), so no process could call it\n", self);
    srv_self = (int)self;

    const char *why = 0;
    if (srv_disk_init(&why) < 0) srv_halt("fsserver: cannot mount the file system: %s\n", why);
    long b = srv_page(SRV_BULLETIN);
    if (b < 0) srv_halt("fsserver: no memory\n");
    srv_bulletin = (int)b;
    for (int i = 0; i < SRV_STACK_PAGES; i++) {
        if (srv_page(SRV_PCT_STACK + i * PG) < 0) srv_halt("fsserver: no memory\n");
    }
    long r = pct_register(srv_entry, SRV_PCT_STACK + SRV_STACK_PAGES * PG, PCT_KNOWN);
    if (r < 0) srv_halt("fsserver: pct_register failed (error %ld)\n", r);

    start_init();

    // Announce events; calls are served on their callers' time meanwhile.
    struct bulletin *bl = SRV_BULLETIN_P;
    for (;;) {
        long ev = exosched(EXOSCHED_BLOCK, EV_CHILD | EV_CONSOLE, 0);
        if (ev < 0) {
            exosched(EXOSCHED_YIELD, 0, 0);
            continue;
        }
        if (ev & EV_CONSOLE) {
            __atomic_add_fetch(&bl->console, 1, __ATOMIC_SEQ_CST);
            exosched(EXOSCHED_WAKE, (long)&bl->console, 0);
        }
        if (ev & EV_CHILD) __atomic_add_fetch(&bl->child, 1, __ATOMIC_SEQ_CST);
    }
}
