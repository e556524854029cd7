// A pipe's two pages, shared by the processes that hold its ends and the file server,
// which made them. The data moves between processes without the server: a 512-byte ring,
// as xv6's pipe.
//
// Each end writes only its own page: the writers' page holds the ring and nwrite, and
// the readers' page nread; a process maps the page of an end it holds writable, the other
// read-only (the server grants them so). So a holder of the read end alone cannot put
// bytes into the ring for another reader to take for the writer's, nor take or keep a
// lock the writers need; one of the write end alone cannot move nread. (With one page
// for both, writable by every holder, a read end wrote into the ring and held the one
// lock: deputy pipeinject, pipegrip.) What a hostile holder can still do it does to the
// holders of its own end only, who share the end with it and could lose their bytes to
// it anyway on xv6: keep its end's lock, move its end's index, read the ring (a writer
// sees what its fellow writers wrote, while it is unread).
//
// The two sides meet only through the indexes: a writer stores the bytes, then nwrite;
// a reader reads nwrite, then the bytes, then stores nread; each reads the other's index
// once a step, and every copy stays inside the ring whatever it says.
//
// Waiting: a reader that finds the ring empty waits on the writers' event word, a writer
// that finds it full on the readers' (EXOSCHED_WAIT, a futex on the physical word), for
// the value it read *before* looking at the ring and the open flag; whoever changes its
// side bumps its event (atomically) and wakes the other side's waiters. So a wake-up
// cannot be missed: the server, which clears an open flag, bumps the event the other
// side waits on after, so either the waiter's value is older (its wait returns at once)
// or it saw the flag cleared. (Read after looking, it could be the server's new value
// while the flag looked open: the reader slept through the writer's close until the next
// tick, and a batch run halted in the middle of usertests' forkfail.) A waiter counts
// itself in its own page's waiters, so that the common case, nobody waiting, costs no
// wake-up call.
#pragma once

#include "types.h"

#define PIPESIZE 512

// Fields each page starts with: its end's lock and event, whether the other end is open
// (written only by the server, read by this end), and this end's waiters.
struct pipeside {
    volatile int lock;          // 0, or the id of the environment holding it (so the file
                                // server can let go of it for one that was destroyed)
    volatile int event;         // bumped when this end moved the ring, when the server
                                // closed this end, and for a killed waiter
    volatile int otheropen;     // the other end still has a file
    volatile int waiters;       // this end's processes waiting on the other end's event
};

struct pipewpage {              // the writers' page (pipe i's first)
    struct pipeside s;          // s.otheropen: a reader is left
    volatile uint nwrite;       // bytes ever written
    uchar data[PIPESIZE];
};

struct piperpage {              // the readers' page (pipe i's second)
    struct pipeside s;          // s.otheropen: a writer is left
    volatile uint nread;        // bytes ever read; the ring index is nread % PIPESIZE
};

struct pipe {
    struct pipewpage *w;
    struct piperpage *r;
};

// What moves bytes between the ring and the caller's buffer: the client's checked copy,
// which returns -1 instead of faulting on a bad address.
typedef long (*pipe_copy_fn)(void *dst, const void *src, uint64 n);

#define PIPE_WAIT (-2)          // nothing could move: the ring is empty (read) or full (write)
#define PIPE_FAULT (-3)         // the caller's buffer is bad and nothing moved

// Takes an end's lock for environment who (its id, not 0).
void pipe_lock(struct pipeside *s, int who);
// What a waiter for the lock does between tries; provided by the user of this file (the
// LibOS yields the CPU), which keeps this file free of system calls.
void pipe_lock_spin(void);
void pipe_unlock(struct pipeside *s);

// With the writers' lock held. Moves up to n bytes from src into the ring, as many as
// fit. Returns the count (> 0), -1 if no reader is left, PIPE_WAIT if the ring is full,
// PIPE_FAULT if src is bad. Bumps the writers' event when it moved something.
int pipe_put(struct pipe p, const uchar *src, int n, pipe_copy_fn copy);

// With the readers' lock held. Moves up to n bytes out of the ring into dst. Returns the
// count (> 0), 0 at end of file (empty, no writer left), PIPE_WAIT if it is empty but a
// writer remains, PIPE_FAULT if dst is bad. Bumps the readers' event when it moved
// something.
int pipe_get(struct pipe p, uchar *dst, int n, pipe_copy_fn copy);
