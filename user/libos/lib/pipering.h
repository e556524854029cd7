// A pipe's page, shared by every process that holds one of its ends, and the file
// server, which made it. The data moves between processes without the server: a
// 512-byte ring, as xv6's pipe, under a spinlock in the page. The server only ever
// clears readopen or writeopen (when the last descriptor of that end is closed,
// however its holder went) and bumps event.
//
// Waiting: a reader that finds the ring empty, or a writer that finds it full, waits on
// event (EXOSCHED_WAIT, a futex on the physical word) for the value it read under the
// lock *before* looking at the ring and the open flags; whoever changes the pipe bumps
// event (atomically) and wakes it. So a wake-up cannot be missed: clients change the
// pipe only under the lock, and the server, which clears an open flag without it (a
// client could hold the lock for ever), bumps event after, so either the waiter's value
// is older (its wait returns at once) or it saw the flag cleared. (Read after looking, it
// could be the server's new value while the flag looked open: the reader slept through
// the writer's close until the next tick, and a batch run halted in the middle of
// usertests' forkfail.) A waiter counts itself in waiters under the lock, so that the
// common case, nobody waiting, costs no wake-up call.
#pragma once

#include "types.h"

#define PIPESIZE 512

struct pipepage {
    volatile int lock;          // 0, or the id of the environment holding it (so the file
                                // server can let go of it for one that was destroyed)
    volatile int event;
    volatile int readopen;
    volatile int writeopen;
    volatile int waiters;       // processes waiting on event: wake only if there are any
    volatile uint nread;        // bytes ever read; the ring index is nread % PIPESIZE
    volatile uint nwrite;       // bytes ever written
    uchar data[PIPESIZE];
};

// What moves bytes between the ring and the caller's buffer: the client's checked copy,
// which returns -1 instead of faulting on a bad address.
typedef long (*pipe_copy_fn)(void *dst, const void *src, uint64 n);

#define PIPE_WAIT (-2)          // nothing could move: the ring is empty (read) or full (write)
#define PIPE_FAULT (-3)         // the caller's buffer is bad and nothing moved

// Takes the lock for environment who (its id, not 0).
void pipe_lock(struct pipepage *p, int who);
// What a waiter for the lock does between tries; provided by the user of this file (the
// LibOS yields the CPU), which keeps this file free of system calls.
void pipe_lock_spin(void);
void pipe_unlock(struct pipepage *p);

// With the lock held. Moves up to n bytes from src into the ring, as many as fit.
// Returns the count (> 0), -1 if no reader is left, PIPE_WAIT if the ring is full,
// PIPE_FAULT if src is bad. Bumps event when it moved something.
int pipe_put(struct pipepage *p, const uchar *src, int n, pipe_copy_fn copy);

// With the lock held. Moves up to n bytes out of the ring into dst. Returns the count
// (> 0), 0 at end of file (empty, no writer left), PIPE_WAIT if it is empty but a writer
// remains, PIPE_FAULT if dst is bad. Bumps event when it moved something.
int pipe_get(struct pipepage *p, uchar *dst, int n, pipe_copy_fn copy);
