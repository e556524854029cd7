// The pipe ring's data path. See pipering.h.
#include "pipering.h"

void pipe_lock(struct pipepage *p, int who) {
    // An atomic compare-and-swap; the holder only copies a few hundred bytes, but it may
    // have been descheduled meanwhile, so a waiter lets others run (pipe_lock_spin)
    // between tries. The ring's indices move only after the bytes they cover, so a holder
    // destroyed in the middle leaves the ring as it was before its last step.
    int free = 0;
    while (!__atomic_compare_exchange_n(&p->lock, &free, who, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        while (__atomic_load_n(&p->lock, __ATOMIC_RELAXED) != 0) pipe_lock_spin();
        free = 0;
    }
}

void pipe_unlock(struct pipepage *p) {
    __atomic_store_n(&p->lock, 0, __ATOMIC_RELEASE);
}

int pipe_put(struct pipepage *p, const uchar *src, int n, pipe_copy_fn copy) {
    if (!p->readopen) return -1;
    uint used = p->nwrite - p->nread;
    if (used >= PIPESIZE) return PIPE_WAIT;
    int done = 0;
    while (done < n && p->nwrite - p->nread < PIPESIZE) {
        uint at = p->nwrite % PIPESIZE;
        uint room = PIPESIZE - (p->nwrite - p->nread);
        uint m = n - done;
        if (m > room) m = room;
        if (m > PIPESIZE - at) m = PIPESIZE - at;      // up to the end of the ring
        if (copy(p->data + at, src + done, m) < 0) {
            if (done == 0) return PIPE_FAULT;
            break;
        }
        p->nwrite += m;
        done += m;
    }
    __atomic_add_fetch(&p->event, 1, __ATOMIC_SEQ_CST); // atomic: the server bumps it without the lock
    return done;
}

int pipe_get(struct pipepage *p, uchar *dst, int n, pipe_copy_fn copy) {
    if (p->nread == p->nwrite) return p->writeopen ? PIPE_WAIT : 0;
    int done = 0;
    while (done < n && p->nread != p->nwrite) {
        uint at = p->nread % PIPESIZE;
        uint m = n - done;
        if (m > p->nwrite - p->nread) m = p->nwrite - p->nread;
        if (m > PIPESIZE - at) m = PIPESIZE - at;
        if (copy(dst + done, p->data + at, m) < 0) {
            if (done == 0) return PIPE_FAULT;
            break;
        }
        p->nread += m;
        done += m;
    }
    __atomic_add_fetch(&p->event, 1, __ATOMIC_SEQ_CST); // atomic: the server bumps it without the lock
    return done;
}
