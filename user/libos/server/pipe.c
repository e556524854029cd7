// Pipes, the server's side. The server makes a pipe's two pages (lib/pipering.h: the
// writers' and the readers') and keeps the capabilities for them; every process holding
// one of its ends maps both (at PIPE_VA(i), the same address everywhere), the page of an
// end it holds writable and the other read-only, through capabilities of its own, granted
// by the server from ones it derives for that process alone (pipevia), so that it can
// take one process's access away by revoking those: when the process closes its last
// descriptor of the pipe, or of one end (it maps the pipe again with what it still holds).
// The two ends are ordinary open files (struct file, F_PIPE), so dup, fork and close count
// them as xv6 counts them; when the last file of an end closes, whoever closed it and
// however (exit, a death found by proc_reap_dead), the server marks that end closed in
// the other end's page and wakes the waiters. When both ends are closed the pages are
// freed.
//
// Which ends are open is the server's own count (pipeends), never the flags in the pages:
// holders can write those. When the server read them, a process that cleared readopen in
// its page and closed its write end had the pipe freed under its read end; the pipe's
// number went to the next pipe made (another process's), which its next fork then mapped
// and read, and closing the stale end made the server write to the page it had unmapped,
// which killed it and every process (pipeforge).
#include "sproc.h"
#include "../uproc.h"
#include "../lib/pipering.h"

static int pipecap[NPIPE][2];   // the server's handles on pipe i's pages, while pipeused[i]
static int pipeused[NPIPE];
static int pipeacct[NPIPE];     // the account charged for it (server/acct.c)
static uchar pipeends[NPIPE];   // which ends still have a file: END_READ | END_WRITE
#define END_READ 1
#define END_WRITE 2
_Static_assert(NPIPE <= 64, "pipe_map_all keeps a bit per pipe");

static struct pipe pipe_pages(int i) {
    uint64 va = SRV_PIPES + (uint64)i * 2 * PG;
    return (struct pipe){(struct pipewpage *)va, (struct piperpage *)(va + PG)};
}

// Bumps an end's event word and wakes who waits on it.
static void wake_side(struct pipeside *s) {
    __atomic_add_fetch(&s->event, 1, __ATOMIC_SEQ_CST);
    exosched(EXOSCHED_WAKE, (long)&s->event, 0);
}

void pipe_wake(int i) {
    if (!pipeused[i]) return;
    struct pipe pp = pipe_pages(i);
    wake_side(&pp.w->s);
    wake_side(&pp.r->s);
}

void pipe_release(int envid) {
    for (int i = 0; i < NPIPE; i++) {
        if (!pipeused[i]) continue;
        struct pipe pp = pipe_pages(i);
        struct pipeside *sides[2] = {&pp.w->s, &pp.r->s};
        for (int k = 0; k < 2; k++) {
            int held = envid;
            if (__atomic_compare_exchange_n(&sides[k]->lock, &held, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
                pipe_wake(i);
        }
    }
}

// The ends of pipe i that slot's process has a descriptor of.
static int ends_held(int slot, int i) {
    struct sproc *p = &procs[slot];
    int ends = 0;
    for (int fd = 0; fd < NOFILE; fd++) {
        struct file *f = p->fs.ofile[fd];
        if (f && f->type == F_PIPE && f->pipe == i) ends |= f->writable ? END_WRITE : END_READ;
    }
    return ends;
}

// Maps pipe i into env, one of slot's environments: the page of each end it holds
// writable, the other read-only.
static int map_into(int slot, int env, int i) {
    struct sproc *p = &procs[slot];
    if (p->pipevia[i][0] < 0) p->pipeends[i] = (uchar)ends_held(slot, i);
    for (int k = 0; k < 2; k++) {
        if (p->pipevia[i][k] < 0) {
            long via = capgrant(pipecap[i][k], EXO_SELF, CAP_R | CAP_W | CAP_GRANT | CAP_REVOKE, 0, 0, 0);
            if (via < 0) return -1;
            p->pipevia[i][k] = (int)via;
        }
        int mine = p->pipeends[i] & (k == 0 ? END_WRITE : END_READ);
        long h = capgrant(p->pipevia[i][k], env, mine ? CAP_R | CAP_W : CAP_R, 0, 0, 0);
        if (h < 0 || exo_map(env, PIPE_VA(i) + k * PG, (int)h, mine ? MAP_R | MAP_W : MAP_R) < 0) return -1;
    }
    return 0;
}

// Takes pipe i away from every environment of slot's process.
static void unmap_from(int slot, int i) {
    struct sproc *p = &procs[slot];
    for (int k = 0; k < 2; k++) {
        if (p->pipevia[i][k] < 0) continue;
        caprevoke(p->pipevia[i][k]);
        capfree(p->pipevia[i][k]);
        p->pipevia[i][k] = -1;
    }
    p->pipeends[i] = 0;
}

void pipe_forget(int slot) {
    for (int i = 0; i < NPIPE; i++) unmap_from(slot, i);
}

int pipe_create(int slot, exo_u64 *out) {
    struct sproc *p = &procs[slot];
    int i = 0;
    while (i < NPIPE && pipeused[i]) i++;
    if (i == NPIPE) return -1;
    if (acct_charge(p->fs.acct, A_PIPE) < 0) return -1;
    struct file *rf = filealloc(p->fs.acct);
    struct file *wf = rf ? filealloc(p->fs.acct) : 0;
    int rfd = wf ? fdalloc(&p->fs, rf) : -1;
    int wfd = rfd >= 0 ? fdalloc(&p->fs, wf) : -1;
    struct pipe pp = pipe_pages(i);
    long h = wfd >= 0 ? srv_page((uint64)pp.w) : -1;
    long hr = h >= 0 ? srv_page((uint64)pp.r) : -1;
    if (hr < 0) {
        if (h >= 0) {
            exo_unmap(EXO_SELF, (uint64)pp.w);
            capfree((int)h);
        }
        if (rfd >= 0) p->fs.ofile[rfd] = 0;
        if (wfd >= 0) p->fs.ofile[wfd] = 0;
        if (rf) fileclose(rf);  // still F_NONE: nothing else to undo
        if (wf) fileclose(wf);
        acct_uncharge(p->fs.acct, A_PIPE);
        return -1;
    }
    pipecap[i][0] = (int)h;
    pipecap[i][1] = (int)hr;
    pipeused[i] = 1;
    pipeacct[i] = p->fs.acct;
    pipeends[i] = END_READ | END_WRITE;
    pp.w->s.otheropen = pp.r->s.otheropen = 1;
    rf->type = wf->type = F_PIPE;
    rf->pipe = wf->pipe = i;
    rf->readable = 1;
    wf->writable = 1;
    if (map_into(slot, p->env, i) < 0) {
        p->fs.ofile[rfd] = p->fs.ofile[wfd] = 0;
        fileclose(rf);
        fileclose(wf);      // the last end: frees the page
        return -1;
    }
    out[1] = rfd;
    out[2] = wfd;
    out[3] = i;
    return 0;
}

void fs_pipe_closed(int i, int writable) {
    if (!pipeused[i]) fs_panic("pipe closed twice");
    struct pipe pp = pipe_pages(i);
    pipeends[i] &= writable ? ~END_WRITE : ~END_READ;
    // The flag in the other end's page, then the event that end waits on (pipering.h).
    if (writable) pp.r->s.otheropen = 0;
    else pp.w->s.otheropen = 0;
    wake_side(writable ? &pp.w->s : &pp.r->s);
    if (pipeends[i] == 0) {
        for (int slot = 0; slot < NPROC; slot++) {
            if (procs[slot].state != P_FREE) unmap_from(slot, i);
        }
        for (int k = 0; k < 2; k++) {
            exo_unmap(EXO_SELF, (uint64)pp.w + k * PG);
            capfree(pipecap[i][k]);
        }
        pipeused[i] = 0;
        acct_uncharge(pipeacct[i], A_PIPE);
    }
}

int pipe_map_all(int slot, int env) {
    struct sproc *p = &procs[slot];
    uint64 done = 0;            // each pipe once, however many descriptors name it
    for (int fd = 0; fd < NOFILE; fd++) {
        struct file *f = p->fs.ofile[fd];
        if (!f || f->type != F_PIPE || (done & (1UL << f->pipe))) continue;
        done |= 1UL << f->pipe;
        if (map_into(slot, env, f->pipe) < 0) return -1;
    }
    return 0;
}

// Slot's process closed a descriptor of pipe i: if it holds neither end now, the pipe is
// taken from it; if one end only, it is mapped again so, its page of the end it let go of
// read-only. (Should that fail, for want of memory or room in its table, the process is
// left without the pipe, and its next use of it faults.)
void pipe_ends_changed(int slot, int i) {
    struct sproc *p = &procs[slot];
    if (!pipeused[i]) return;
    int ends = ends_held(slot, i);
    if (ends == p->pipeends[i]) return;
    unmap_from(slot, i);
    if (ends != 0 && p->env >= 0) map_into(slot, p->env, i);
}
