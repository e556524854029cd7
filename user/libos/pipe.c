// Pipes, the client's side: bytes move through the pipe's page (lib/pipering.c), mapped
// here by the file server at PIPE_VA(pipe), with no call to the server. A reader of an
// empty pipe or a writer to a full one waits on the page's event word; it records which
// pipe it waits on in the IPC page, so that a kill can wake it at once.
#include "libos.h"
#include "lib/pipering.h"

void pipe_lock_spin(void) {
    exosched(EXOSCHED_YIELD, 0, 0);
}

static struct pipepage *page_of(int pipe) {
    return (struct pipepage *)PIPE_VA(pipe);
}

// What p's event word says before we look at the ring (pipering.h): with p locked.
static int event_now(struct pipepage *p) {
    return __atomic_load_n(&p->event, __ATOMIC_ACQUIRE);
}

// With p locked: sleep until its event word moves from ev, read before we looked at the
// ring, unlocking meanwhile. The process is asleep on a pipe until the read or write
// returns (awake), even while a tick has it up to look again: a program that claimed the
// console and waits so is no shell, whenever ^C catches it (server/cons.c).
static void wait_event(struct pipepage *p, int pipe, int ev) {
    __atomic_add_fetch(&p->waiters, 1, __ATOMIC_RELAXED);
    pipe_unlock(p);
    IPC->asleep = 1;
    IPC->wait_pipe = pipe + 1;
    exosched(EXOSCHED_WAIT, (long)&p->event, ev);
    IPC->wait_pipe = 0;
    __atomic_fetch_sub(&p->waiters, 1, __ATOMIC_RELAXED);
}

static int awake(int r) {
    IPC->asleep = 0;
    return r;
}

static void wake_waiters(struct pipepage *p, int waiters) {
    if (waiters > 0) exosched(EXOSCHED_WAKE, (long)&p->event, 0);
}

int pipe_read(int pipe, char *buf, int n) {
    struct pipepage *p = page_of(pipe);
    if (n == 0) return 0;
    for (;;) {
        pipe_lock(p, UPROC->envid);
        int ev = event_now(p);
        int r = pipe_get(p, (uchar *)buf, n, copy_checked);
        if (r == PIPE_WAIT) {
            if (IPC->killed) {
                pipe_unlock(p);
                return awake(-1);
            }
            wait_event(p, pipe, ev);
            continue;
        }
        int waiters = p->waiters;
        pipe_unlock(p);
        if (r > 0) wake_waiters(p, waiters);
        return awake(r == PIPE_FAULT ? -1 : r);
    }
}

// As xv6's pipewrite: waits for room as often as it takes; -1 if the readers are gone
// (even after part was written) or the writer is killed; stops short at a bad address.
int pipe_write(int pipe, const char *buf, int n) {
    struct pipepage *p = page_of(pipe);
    int done = 0;
    while (done < n) {
        pipe_lock(p, UPROC->envid);
        int ev = event_now(p);
        int r = pipe_put(p, (const uchar *)buf + done, n - done, copy_checked);
        if (r == PIPE_WAIT) {
            if (IPC->killed) {
                pipe_unlock(p);
                return awake(-1);
            }
            wait_event(p, pipe, ev);
            continue;
        }
        int waiters = p->waiters;
        pipe_unlock(p);
        if (r == -1) return awake(-1);
        if (r == PIPE_FAULT) break;
        wake_waiters(p, waiters);
        done += r;
    }
    return awake(done);
}
