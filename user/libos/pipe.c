// Pipes, the client's side: bytes move through the pipe's two pages (lib/pipering.c),
// mapped here by the file server at PIPE_VA(pipe), with no call to the server; the page
// of an end we hold writable, the other read-only. A reader of an empty pipe or a writer
// to a full one waits on the other end's event word; it records which pipe it waits on
// in the IPC page, so that a kill can wake it at once.
#include "libos.h"
#include "lib/pipering.h"

void pipe_lock_spin(void) {
    exosched(EXOSCHED_YIELD, 0, 0);
}

static struct pipe pipe_of(int pipe) {
    return (struct pipe){(struct pipewpage *)PIPE_VA(pipe), (struct piperpage *)(PIPE_VA(pipe) + PG)};
}

// With our end (mine) locked, the ring found empty (full): sleeps until the other end's
// event word (theirs) moves from ev, read before we looked at the ring, unlocking
// meanwhile; or, if the process was killed, returns -1 at once, still locked. The process
// is asleep on a pipe until the read or write returns (awake), even while a tick has it up
// to look again: a program that claimed the console and waits so is no shell, whenever ^C
// catches it (server/cons.c).
//
// Which pipe we wait on is said before the last look at killed, and kill (server/proc.c)
// marks killed before it reads which pipe to wake, a full fence in each between the store
// and the load: so either we see killed here, or kill sees our pipe and bumps its event
// words, after we read ev, and our wait ends at once. Looked at first and said second, a
// kill could fall between the two, find no pipe, and leave us asleep until a tick; for good
// when nothing waited for one (killblocked, two harts; docs/exo.md, "Blocking in the
// standard LibOS").
static int wait_event(struct pipeside *mine, struct pipeside *theirs, int pipe, int ev) {
    IPC->wait_pipe = pipe + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (IPC->killed) {
        IPC->wait_pipe = 0;
        return -1;
    }
    __atomic_add_fetch(&mine->waiters, 1, __ATOMIC_SEQ_CST);
    pipe_unlock(mine);
    IPC->asleep = 1;
    exosched(EXOSCHED_WAIT, (long)&theirs->event, ev);
    IPC->wait_pipe = 0;
    __atomic_fetch_sub(&mine->waiters, 1, __ATOMIC_RELAXED);
    return 0;
}

static int awake(int r) {
    IPC->asleep = 0;
    return r;
}

// After our end moved the ring (its event bumped): wakes the other end's waiters, if any.
static void wake_waiters(struct pipeside *mine, struct pipeside *theirs) {
    if (__atomic_load_n(&theirs->waiters, __ATOMIC_SEQ_CST) > 0) exosched(EXOSCHED_WAKE, (long)&mine->event, 0);
}

int pipe_read(int pipe, char *buf, int n) {
    struct pipe p = pipe_of(pipe);
    if (n == 0) return 0;
    for (;;) {
        pipe_lock(&p.r->s, UPROC->envid);
        int ev = __atomic_load_n(&p.w->s.event, __ATOMIC_SEQ_CST); // before looking (pipering.h)
        int r = pipe_get(p, (uchar *)buf, n, copy_checked);
        if (r == PIPE_WAIT) {
            if (wait_event(&p.r->s, &p.w->s, pipe, ev) < 0) {
                pipe_unlock(&p.r->s);
                return awake(-1);
            }
            continue;
        }
        pipe_unlock(&p.r->s);
        if (r > 0) wake_waiters(&p.r->s, &p.w->s);
        return awake(r == PIPE_FAULT ? -1 : r);
    }
}

// As xv6's pipewrite: waits for room as often as it takes; -1 if the readers are gone
// (even after part was written) or the writer is killed; stops short at a bad address.
int pipe_write(int pipe, const char *buf, int n) {
    struct pipe p = pipe_of(pipe);
    int done = 0;
    while (done < n) {
        pipe_lock(&p.w->s, UPROC->envid);
        int ev = __atomic_load_n(&p.r->s.event, __ATOMIC_SEQ_CST); // before looking (pipering.h)
        int r = pipe_put(p, (const uchar *)buf + done, n - done, copy_checked);
        if (r == PIPE_WAIT) {
            if (wait_event(&p.w->s, &p.r->s, pipe, ev) < 0) {
                pipe_unlock(&p.w->s);
                return awake(-1);
            }
            continue;
        }
        pipe_unlock(&p.w->s);
        if (r == -1) return awake(-1);
        if (r == PIPE_FAULT) break;
        wake_waiters(&p.w->s, &p.r->s);
        done += r;
    }
    return awake(done);
}
