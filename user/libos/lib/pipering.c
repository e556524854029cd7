// The pipe ring's data path. See pipering.h.
#include "pipering.h"

void pipe_lock(struct pipeside *s, int who) {
    // An atomic compare-and-swap; the holder only copies a few hundred bytes, but it may
    // have been descheduled meanwhile, so a waiter lets others run (pipe_lock_spin)
    // between tries. An index moves only after the bytes it covers, so a holder destroyed
    // in the middle leaves the ring as it was before its last step.
    int free = 0;
    while (!__atomic_compare_exchange_n(&s->lock, &free, who, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        while (__atomic_load_n(&s->lock, __ATOMIC_RELAXED) != 0) pipe_lock_spin();
        free = 0;
    }
}

void pipe_unlock(struct pipeside *s) {
    __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

int pipe_put(struct pipe p, const uchar *src, int n, pipe_copy_fn copy) {
    if (!__atomic_load_n(&p.w->s.otheropen, __ATOMIC_ACQUIRE)) return -1;
    uint nread = __atomic_load_n(&p.r->nread, __ATOMIC_ACQUIRE); // the bytes before it are read: their room is free
    uint nwrite = p.w->nwrite;
    if (nwrite - nread >= PIPESIZE) return PIPE_WAIT;
    int done = 0;
    while (done < n && nwrite - nread < PIPESIZE) {
        uint at = nwrite % PIPESIZE;
        uint m = n - done;
        if (m > PIPESIZE - (nwrite - nread)) m = PIPESIZE - (nwrite - nread);
        if (m > PIPESIZE - at) m = PIPESIZE - at;      // up to the end of the ring
        if (copy(p.w->data + at, src + done, m) < 0) {
            if (done == 0) return PIPE_FAULT;
            break;
        }
        nwrite += m;
        __atomic_store_n(&p.w->nwrite, nwrite, __ATOMIC_RELEASE); // after the bytes it covers
        done += m;
    }
    __atomic_add_fetch(&p.w->s.event, 1, __ATOMIC_SEQ_CST); // atomic: the server bumps it too
    return done;
}

int pipe_get(struct pipe p, uchar *dst, int n, pipe_copy_fn copy) {
    // The open flag before the index: a writer's last bytes are in nwrite before its close.
    int writeopen = __atomic_load_n(&p.r->s.otheropen, __ATOMIC_ACQUIRE);
    uint nwrite = __atomic_load_n(&p.w->nwrite, __ATOMIC_ACQUIRE);
    uint nread = p.r->nread;
    if (nread == nwrite) return writeopen ? PIPE_WAIT : 0;
    uint avail = nwrite - nread;
    if (avail > PIPESIZE) avail = PIPESIZE;             // whatever a writer's index says
    int done = 0;
    while ((uint)done < avail && done < n) {
        uint at = nread % PIPESIZE;
        uint m = n - done;
        if (m > avail - done) m = avail - done;
        if (m > PIPESIZE - at) m = PIPESIZE - at;
        if (copy(dst + done, p.w->data + at, m) < 0) {
            if (done == 0) return PIPE_FAULT;
            break;
        }
        nread += m;
        __atomic_store_n(&p.r->nread, nread, __ATOMIC_RELEASE); // after the bytes are out: their room is free
        done += m;
    }
    __atomic_add_fetch(&p.r->s.event, 1, __ATOMIC_SEQ_CST); // atomic: the server bumps it too
    return done;
}
