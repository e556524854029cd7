// kv as a process of the standard world: exit, descriptors and the console through the
// file server's protocol, pipes through their pages, and the two upcalls a process needs
// (a fault ends it with a message; the end of a time slice is where a kill reaches it).
#include "kvlib.h"
#include "libos/lib/pipering.h"

long kv_srv(int op, long a1, long a2, exo_u64 *out) {
    exo_u64 args[6] = {(exo_u64)op, (exo_u64)a1, (exo_u64)a2, 0, 0, 0};
    exo_u64 tmp[6];
    if (out == 0) out = tmp;
    if (pct_call(UPROC->h_srv, args, out) != 0) return -1;     // the transfer failed
    return (long)out[0];
}

void kv_exit(int status) {
    if (IPC->killed) status = -1;
    UPROC->exiting = 1;
    kv_srv(SRV_EXIT, status, 0, 0);
    for (;;) env_ctl(EXO_SELF, ENV_DESTROY, (void *)(long)status);
}

void pipe_lock_spin(void) {
    exosched(EXOSCHED_YIELD, 0, 0);
}

static long copy(void *dst, const void *src, uint64 n) {
    lo_memmove(dst, src, n);
    return 0;
}

static int pipe_io(int pipe, char *buf, int n, int writing) {
    struct pipe p = {(struct pipewpage *)PIPE_VA(pipe), (struct piperpage *)(PIPE_VA(pipe) + PG)};
    // Our end's lock, and the other end's event word, which says it moved (lib/pipering.h).
    struct pipeside *mine = writing ? &p.w->s : &p.r->s, *theirs = writing ? &p.r->s : &p.w->s;
    int done = 0;
    while (done < n) {
        pipe_lock(mine, UPROC->envid);
        int ev = __atomic_load_n(&theirs->event, __ATOMIC_SEQ_CST); // before looking: see lib/pipering.h
        int r = writing ? pipe_put(p, (uchar *)buf + done, n - done, copy) : pipe_get(p, (uchar *)buf, n, copy);
        if (r == PIPE_WAIT) {
            if (IPC->killed) kv_exit(-1);
            __atomic_add_fetch(&mine->waiters, 1, __ATOMIC_SEQ_CST);
            pipe_unlock(mine);
            exosched(EXOSCHED_WAIT, (long)&theirs->event, ev);
            __atomic_fetch_sub(&mine->waiters, 1, __ATOMIC_RELAXED);
            continue;
        }
        pipe_unlock(mine);
        if (r > 0 && __atomic_load_n(&theirs->waiters, __ATOMIC_SEQ_CST) > 0)
            exosched(EXOSCHED_WAKE, (long)&mine->event, 0);
        if (r <= 0) return r == 0 ? done : -1;
        if (!writing) return r;
        done += r;
    }
    return done;
}

static int console_read(int fd, char *buf, int n) {
    if (n > IPC_DATA_SIZE) n = IPC_DATA_SIZE;
    for (;;) {
        long r = kv_srv(SRV_CONSREAD, fd, n, 0);
        if (r != SRV_AGAIN) {
            if (r > 0) lo_memmove(buf, IPC_DATA, r);
            return (int)r;
        }
        if (IPC->killed) kv_exit(-1);
        exosched(EXOSCHED_BLOCK, EV_CONSOLE | EV_NOTICE, 0);
    }
}

int kv_read(int fd, char *buf, int n) {
    if (fd < 0 || fd >= LIBOS_NOFILE || !UPROC->fd[fd].readable || n < 0) return -1;
    struct fdinfo *f = &UPROC->fd[fd];
    if (f->type == FD_PIPE) return pipe_io(f->pipe, buf, n, 0);
    if (f->type == FD_DEVICE) return f->major == 1 ? console_read(fd, buf, n) : -1;
    if (f->type != FD_INODE) return -1;
    long r = kv_srv(SRV_READ, fd, n < IPC_DATA_SIZE ? n : IPC_DATA_SIZE, 0);
    if (r > 0) lo_memmove(buf, IPC_DATA, r);
    return (int)r;
}

int kv_write(int fd, const char *buf, int n) {
    if (fd < 0 || fd >= LIBOS_NOFILE || !UPROC->fd[fd].writable || n < 0) return -1;
    struct fdinfo *f = &UPROC->fd[fd];
    if (f->type == FD_PIPE) return pipe_io(f->pipe, (char *)buf, n, 1);
    if (f->type == FD_DEVICE) return f->major == 1 ? (int)exo_cons_write(UPROC->h_cons, buf, n) : -1;
    if (f->type != FD_INODE) return -1;
    for (int done = 0; done < n;) {
        int chunk = n - done < IPC_DATA_SIZE ? n - done : IPC_DATA_SIZE;
        lo_memmove(IPC_DATA, buf + done, chunk);
        if (kv_srv(SRV_WRITE, fd, chunk, 0) != chunk) return -1;
        done += chunk;
    }
    return n;
}

void kv_printf(int fd, const char *fmt, ...) {
    char buf[256];
    lo_va_list ap;
    lo_va_start(ap, fmt);
    int n = lo_vsnprintf(buf, sizeof buf, fmt, ap);
    lo_va_end(ap);
    kv_write(fd, buf, n);
}

// ---- upcalls ----

__asm__(".section .text.kv_upcall_entry,\"ax\",@progbits\n"
        ".globl kv_upcall_entry\n"
        "kv_upcall_entry:\n"
        "  andi sp, sp, -16\n"
        "  call kv_upcall\n"
        "1: j 1b\n");

void kv_upcall_entry(struct exo_frame *f);

void kv_upcall(struct exo_frame *f) {
    if (f->kind == UPCALL_SLICE) {
        if (IPC->killed && !UPROC->exiting) kv_exit(-1);
        exosched(EXOSCHED_YIELD, 0, 0);
        exo_resume(f);
    }
    if (f->kind == UPCALL_FAULT) {
        char buf[128];
        int n = lo_snprintf(buf, sizeof buf, "pid %d %s: fault (scause %ld) at pc 0x%lx, address 0x%lx: killed\n",
                            UPROC->pid, UPROC->name, (long)f->cause, f->regs.pc, f->tval);
        exo_cons_write(UPROC->h_cons, buf, n);
        kv_exit(-1);
    }
    exo_resume(f);
}

void kv_upcalls(void) {
    exo_upcall(kv_upcall_entry, UPCALL_STACK_TOP, UPCALL_FAULT | UPCALL_SLICE);
}
