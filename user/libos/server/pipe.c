// Pipes, the server's side. The server makes a pipe's page and keeps the capability for
// it; every process holding one of its ends maps it (at PIPE_VA(i), the same address
// everywhere) through a capability of its own, granted by the server from one it derives
// for that process alone (pipevia), so that it can take one process's access away by
// revoking that (when the process closes its last descriptor of the pipe). The two ends
// are ordinary open files (struct file, F_PIPE), so dup, fork and close count them as
// xv6 counts them; when the last file of an end closes, whoever closed it and however
// (exit, a death found by proc_reap_dead), the server marks that end closed in the page
// and wakes the waiters. When both ends are closed the page is freed.
//
// Which ends are open is the server's own count (pipeends), never the flags in the page:
// every holder can write those. When the server read them, a process that cleared
// readopen in its page and closed its write end had the pipe freed under its read end;
// the pipe's number went to the next pipe made (another process's), which its next fork
// then mapped and read, and closing the stale end made the server write to the page it
// had unmapped, which killed it and every process (pipeforge).
#include "sproc.h"
#include "../uproc.h"
#include "../lib/pipering.h"

static int pipecap[NPIPE];      // the server's handle on pipe i's page, while pipeused[i]
static int pipeused[NPIPE];
static int pipeacct[NPIPE];     // the account charged for it (server/acct.c)
static uchar pipeends[NPIPE];   // which ends still have a file: END_READ | END_WRITE
#define END_READ 1
#define END_WRITE 2

static struct pipepage *pipe_page(int i) {
    return (struct pipepage *)(SRV_PIPES + (uint64)i * PG);
}

void pipe_wake(int i) {
    if (!pipeused[i]) return;
    struct pipepage *pp = pipe_page(i);
    __atomic_add_fetch(&pp->event, 1, __ATOMIC_SEQ_CST);
    exosched(EXOSCHED_WAKE, (long)&pp->event, 0);
}

void pipe_release(int envid) {
    for (int i = 0; i < NPIPE; i++) {
        if (!pipeused[i]) continue;
        struct pipepage *pp = pipe_page(i);
        int held = envid;
        if (__atomic_compare_exchange_n(&pp->lock, &held, 0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) pipe_wake(i);
    }
}

// Maps pipe i into env, one of slot's environments.
static int map_into(int slot, int env, int i) {
    struct sproc *p = &procs[slot];
    if (p->pipevia[i] < 0) {
        long via = capgrant(pipecap[i], EXO_SELF, CAP_R | CAP_W | CAP_GRANT | CAP_REVOKE, 0, 0, 0);
        if (via < 0) return -1;
        p->pipevia[i] = (int)via;
    }
    long h = capgrant(p->pipevia[i], env, CAP_R | CAP_W, 0, 0, 0);
    if (h < 0) return -1;
    return exo_map(env, PIPE_VA(i), (int)h, MAP_R | MAP_W) < 0 ? -1 : 0;
}

// Takes pipe i away from every environment of slot's process.
static void unmap_from(int slot, int i) {
    struct sproc *p = &procs[slot];
    if (p->pipevia[i] < 0) return;
    caprevoke(p->pipevia[i]);
    capfree(p->pipevia[i]);
    p->pipevia[i] = -1;
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
    long h = wfd >= 0 ? srv_page((uint64)pipe_page(i)) : -1;
    if (h < 0) {
        if (rfd >= 0) p->fs.ofile[rfd] = 0;
        if (wfd >= 0) p->fs.ofile[wfd] = 0;
        if (rf) fileclose(rf);  // still F_NONE: nothing else to undo
        if (wf) fileclose(wf);
        acct_uncharge(p->fs.acct, A_PIPE);
        return -1;
    }
    pipecap[i] = (int)h;
    pipeused[i] = 1;
    pipeacct[i] = p->fs.acct;
    pipeends[i] = END_READ | END_WRITE;
    struct pipepage *pp = pipe_page(i);
    pp->readopen = pp->writeopen = 1;
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
    struct pipepage *pp = pipe_page(i);
    pipeends[i] &= writable ? ~END_WRITE : ~END_READ;
    if (writable) pp->writeopen = 0;
    else pp->readopen = 0;
    pipe_wake(i);
    if (pipeends[i] == 0) {
        for (int slot = 0; slot < NPROC; slot++) {
            if (procs[slot].state != P_FREE) unmap_from(slot, i);
        }
        exo_unmap(EXO_SELF, (uint64)pp);
        capfree(pipecap[i]);
        pipeused[i] = 0;
        acct_uncharge(pipeacct[i], A_PIPE);
    }
}

int pipe_map_all(int slot, int env) {
    struct sproc *p = &procs[slot];
    for (int fd = 0; fd < NOFILE; fd++) {
        struct file *f = p->fs.ofile[fd];
        if (f && f->type == F_PIPE && map_into(slot, env, f->pipe) < 0) return -1;
    }
    return 0;
}

void pipe_unmap_unused(int slot, int i) {
    struct sproc *p = &procs[slot];
    if (!pipeused[i]) return;
    for (int fd = 0; fd < NOFILE; fd++) {
        struct file *f = p->fs.ofile[fd];
        if (f && f->type == F_PIPE && f->pipe == i) return;
    }
    unmap_from(slot, i);
}
